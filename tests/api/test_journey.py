"""A whole proceeding through the API alone, as a third-party application acting for a person:
OAuth consent (PKCE) → a draft → its documents → filing → the interruption answered → the
decision fetched, which delivers it → an appeal; a webhook receiver started here verifies every
signature and hears each event once, in order. The office's side (claim, interrupt, decide)
is done by a caseworker through the services, as the caseworker's pages do."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from api import scopes
from applications import services
from applications.constants import Status
from applications.models import Application
from permits.models import DocumentKind
from tests.api.conftest import run_outbox
from tests.api.test_oauth import consent, exchange
from tests.applications.factories import pdf_bytes
from tests.webhooks.test_webhooks import Receiver

pytestmark = pytest.mark.django_db

# A Tuesday in Prague, away from holidays and clock changes.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=True):
        yield


def test_a_proceeding_through_the_api_alone(
    client_for,
    applicant,
    caseworker,
    oauth_app,
    settings,
):
    settings.WEBHOOK_ALLOW_HTTP = True
    every_scope = " ".join(scopes.ALL)
    code, verifier = consent(client_for(applicant), oauth_app, scope=every_scope)
    answer = exchange(Client(), oauth_app, code, verifier)
    tokens = answer.json()
    assert answer.status_code == 200, tokens
    assert set(tokens["scope"].split()) == set(scopes.ALL)
    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}", HTTP_ACCEPT_LANGUAGE="en"
    )

    with Receiver() as receiver:
        made = api.post(
            "/api/v1/webhooks/",
            {
                "url": receiver.url,
                "events": ["filed", "interrupted", "resumed", "decided", "delivered", "appealed"],
            },
            format="json",
        )
        assert made.status_code == 201, made.json()
        receiver.secret = made.json()["secret"]

        # A draft, its answers, its documents, the declarations, filing.
        case = api.post("/api/v1/applications/", {"permit_type": "employee_card"}).json()
        url = f"/api/v1/applications/{case['id']}/"
        case = api.patch(
            f"{url}answers/",
            {
                "answers": {
                    "monthly_salary_czk": "45000",
                    "weekly_hours": 40,
                    "vacancy_number": "12345678",
                }
            },
            format="json",
            HTTP_IF_MATCH=f'"{case["version"]}"',
        ).json()
        for item in case["checklist"]:
            uploaded = api.post(
                f"{url}documents/",
                {
                    "kind": item["kind"],
                    "file": SimpleUploadedFile(
                        f"{item['kind']}.pdf", pdf_bytes(item["kind"]), "application/pdf"
                    ),
                },
                format="multipart",
                HTTP_IF_MATCH=f'"{case["version"]}"',
            )
            assert uploaded.status_code == 201, uploaded.json()
        case = api.post(
            f"{url}declarations/",
            {"truthful": True, "consent": True},
            format="json",
            HTTP_IF_MATCH=f'"{case["version"]}"',
        ).json()
        filed = api.post(f"{url}file/", HTTP_IF_MATCH=f'"{case["version"]}"')
        assert filed.status_code == 200, filed.json()
        run_outbox()

        # The office asks for a document.
        application = Application.objects.get(pk=case["id"])
        services.application_claim(application=application, actor=caseworker)
        kind = DocumentKind.objects.get(code="accommodation")
        services.application_interrupt(
            application=application,
            actor=caseworker,
            reason="Doložte doklad o zajištění ubytování.",
            document_kinds=[kind],
        )
        run_outbox()

        # The person (through the application) supplies it; the proceedings resume.
        version = api.get(url).json()["version"]
        uploaded = api.post(
            f"{url}documents/",
            {
                "kind": "accommodation",
                "file": SimpleUploadedFile("lease.pdf", pdf_bytes("lease"), "application/pdf"),
            },
            format="multipart",
            HTTP_IF_MATCH=f'"{version}"',
        )
        assert uploaded.status_code == 201, uploaded.json()
        version = api.get(url).json()["version"]
        resumed = api.post(f"{url}interruptions/supply/", HTTP_IF_MATCH=f'"{version}"')
        assert resumed.status_code == 200, resumed.json()
        assert resumed.json()["status"] == "filed"
        run_outbox()

        # The office decides; the PDF is made and the decision made available.
        application.refresh_from_db()
        services.application_decide(
            application=application,
            actor=caseworker,
            outcome="rejected",
            reasoning="Podmínky nejsou splněny.",
        )
        run_outbox()

        decisions = api.get(f"{url}decisions/").json()
        assert decisions[0]["delivered_on"] is None
        opened = api.get(f"{url}decisions/{decisions[0]['id']}/")
        assert opened.status_code == 200
        assert opened.json()["delivered_on"] == "2026-03-10"
        pdf = api.get(f"{url}decisions/{decisions[0]['id']}/pdf")
        assert pdf.status_code == 200
        run_outbox()

        version = api.get(url).json()["version"]
        appeal = api.post(
            f"{url}appeals/",
            {"grounds": "The office overlooked my employment contract."},
            format="json",
            HTTP_IF_MATCH=f'"{version}"',
            HTTP_IDEMPOTENCY_KEY="appeal-1",
        )
        assert appeal.status_code == 201, appeal.json()
        run_outbox()

    application.refresh_from_db()
    assert application.status == Status.APPEALED
    assert receiver.bad_signatures == 0
    types = [m["type"] for m in receiver.received]
    assert types == [
        "case.filed",
        "case.interrupted",
        "case.resumed",
        "case.decided",
        "case.delivered",
        "case.appealed",
    ]
    assert len({m["id"] for m in receiver.received}) == len(types)
    assert {m["data"]["application_id"] for m in receiver.received} == {application.pk}
