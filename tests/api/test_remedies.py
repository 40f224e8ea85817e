"""Answering an interruption and lodging a remedy through the API, as the pages do."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from api import scopes
from applications.constants import Status
from applications.models import Appeal
from tests.applications.factories import ApplicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def base(application) -> str:
    return f"/api/v1/applications/{application.pk}"


def if_match(application) -> dict[str, str]:
    application.refresh_from_db()
    return {"HTTP_IF_MATCH": f'"{application.version}"'}


def test_supplying_the_requested_documents_resumes_the_case(api_as, applicant):
    application = ApplicationFactory(applicant=applicant.applicants.get(), interrupted=True)
    client = api_as(applicant, [scopes.CASES_WRITE], HTTP_ACCEPT_LANGUAGE="en")
    url = f"{base(application)}/interruptions/supply/"

    missing = client.post(url, **if_match(application))
    assert missing.status_code == 422
    assert missing.json()["detail"].startswith("Some requested documents are still missing.")
    application.refresh_from_db()
    assert application.status == Status.INTERRUPTED

    upload = client.post(
        f"{base(application)}/documents/",
        {
            "kind": "accommodation",
            "file": SimpleUploadedFile("lease.pdf", pdf_bytes("lease"), "application/pdf"),
        },
        format="multipart",
        **if_match(application),
    )
    assert upload.status_code == 201, upload.json()
    assert client.post(url).status_code == 428

    resumed = client.post(url, **if_match(application))
    assert resumed.status_code == 200, resumed.json()
    application.refresh_from_db()
    assert application.status == Status.FILED
    assert resumed.json()["status"] == "filed"
    assert resumed["ETag"] == f'"{application.version}"'


def test_an_appeal_within_the_period_is_lodged_once(api_as, applicant):
    application = ApplicationFactory(applicant=applicant.applicants.get(), rejected=True)
    client = api_as(applicant, [scopes.REMEDIES_WRITE])
    url = f"{base(application)}/appeals/"
    grounds = {"grounds": "The office overlooked my employment contract."}

    assert client.post(url, grounds, format="json").status_code == 428
    first = client.post(
        url, grounds, format="json", HTTP_IDEMPOTENCY_KEY="a-1", **if_match(application)
    )
    assert first.status_code == 201, first.json()
    assert first.json()["remedy"] == "appeal"
    again = client.post(url, grounds, format="json", HTTP_IDEMPOTENCY_KEY="a-1")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Appeal.objects.count() == 1
    application.refresh_from_db()
    assert application.status == Status.APPEALED
    decision = application.decisions.get()
    # Lodging it delivered the decision, as opening it would have (D3).
    assert decision.delivered_on == date(2026, 12, 4)


def test_an_appeal_after_the_period_is_refused_with_the_reason(api_as, applicant):
    application = ApplicationFactory(applicant=applicant.applicants.get(), rejected=True)
    decision = application.decisions.get()
    client = api_as(applicant, [scopes.DECISIONS_READ, scopes.REMEDIES_WRITE])
    assert client.get(f"{base(application)}/decisions/{decision.pk}/").status_code == 200
    decision.refresh_from_db()
    with time_machine.travel(NOW + timedelta(days=20), tick=False):
        late = client.post(
            f"{base(application)}/appeals/",
            {"grounds": "Late."},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
            **if_match(application),
        )
    assert late.status_code in (409, 422), late.json()
    assert late["Content-Type"] == "application/problem+json"
    assert Appeal.objects.count() == 0


def test_empty_grounds_are_a_400_pointing_at_them(api_as, applicant):
    application = ApplicationFactory(applicant=applicant.applicants.get(), rejected=True)
    response = api_as(applicant, [scopes.REMEDIES_WRITE]).post(
        f"{base(application)}/appeals/", {"grounds": ""}, format="json", **if_match(application)
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "#/grounds"


def test_an_interrupted_case_says_why_what_is_missing_and_by_when(api_as, applicant):
    application = ApplicationFactory(applicant=applicant.applicants.get(), interrupted=True)
    interruption = application.interruptions.get()
    client = api_as(applicant, [scopes.CASES_READ], HTTP_ACCEPT_LANGUAGE="en")

    case = client.get(f"{base(application)}/").json()

    assert case["status"] == "interrupted"
    assert case["interruption"] == {
        "started_on": interruption.started_on.isoformat(),
        "documents_due": interruption.deadline.isoformat(),
        "extension_requested": False,
        "reason": {
            "language": "en",
            "record": "Missing proof of accommodation.",
            "phrases": [],
            "free_text": "Missing proof of accommodation.",
            "translation": "",
            "translation_language": "",
        },
    }
    assert case["next_step"]["due"] == interruption.deadline.isoformat()
    assert [item["kind"] for item in case["checklist"] if not item["uploaded"]] == ["accommodation"]


def test_a_case_not_interrupted_has_no_interruption(api_as, applicant):
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    client = api_as(applicant, [scopes.CASES_READ])
    assert client.get(f"{base(application)}/").json()["interruption"] is None
