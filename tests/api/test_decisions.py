"""The decision through the API: listing delivers nothing, fetching it is its delivery (D3), the
remedy's period runs from that day (D4); the timeline; withdrawal with If-Match."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from api import scopes
from applications.audit import AuditAction
from applications.constants import Status
from applications.models import AuditEntry
from applications.selectors import case_timeline
from privacy.constants import Action
from privacy.models import AccessEvent
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

# A Friday: the 15 days of the appeal run over weekends, and the last day is a working day.
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def rejected_case(user):
    return ApplicationFactory(applicant=user.applicants.get(), rejected=True)


def base(application) -> str:
    return f"/api/v1/applications/{application.pk}"


def test_listing_the_decisions_delivers_none(api_as, applicant):
    application = rejected_case(applicant)
    decision = application.decisions.get()
    response = api_as(applicant).get(f"{base(application)}/decisions/")
    assert response.status_code == 200
    [listed] = response.json()
    assert listed["id"] == decision.pk
    assert listed["outcome"] == "rejected"
    assert listed["delivered_on"] is None
    # What the period would be if it were opened today.
    assert listed["remedy_due"] == "2026-12-21"
    decision.refresh_from_db()
    assert decision.delivered_on is None


def test_fetching_the_decision_delivers_it_once_and_the_period_runs_from_that_day(
    api_as, applicant
):
    application = rejected_case(applicant)
    decision = application.decisions.get()
    client = api_as(applicant, [scopes.DECISIONS_READ])

    first = client.get(f"{base(application)}/decisions/{decision.pk}/")
    assert first.status_code == 200
    decision.refresh_from_db()
    assert decision.delivered_on == date(2026, 12, 4)
    # 15 days from delivery: Saturday 19 December moves to Monday 21 December (D1, D4).
    assert decision.appeal_due == date(2026, 12, 21)
    assert first.json()["delivered_on"] == "2026-12-04"
    assert first.json()["remedy_due"] == "2026-12-21"
    assert AuditEntry.objects.filter(action=AuditAction.DECISION_DELIVERED).count() == 1

    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        again = client.get(f"{base(application)}/decisions/{decision.pk}/")
    assert again.json()["delivered_on"] == "2026-12-04"
    assert AuditEntry.objects.filter(action=AuditAction.DECISION_DELIVERED).count() == 1
    assert AccessEvent.objects.filter(action=Action.API_READ, detail__what="decision").count() == 2


def test_fetching_the_pdf_delivers_the_decision_too(api_as, applicant):
    application = rejected_case(applicant)
    decision = application.decisions.get()
    response = api_as(applicant, [scopes.DECISIONS_READ]).get(
        f"{base(application)}/decisions/{decision.pk}/pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    decision.refresh_from_db()
    assert decision.delivered_on == date(2026, 12, 4)


def test_without_the_decisions_scope_nothing_is_delivered(api_as, applicant):
    application = rejected_case(applicant)
    decision = application.decisions.get()
    client = api_as(applicant, [scopes.CASES_READ, scopes.CASES_WRITE])
    for tail in (f"decisions/{decision.pk}/", f"decisions/{decision.pk}/pdf", "decisions/"):
        assert client.get(f"{base(application)}/{tail}").status_code == 403
    decision.refresh_from_db()
    assert decision.delivered_on is None


def test_another_persons_decision_is_a_404_and_stays_undelivered(
    api_as, applicant, other_applicant
):
    application = rejected_case(applicant)
    decision = application.decisions.get()
    client = api_as(other_applicant)
    assert client.get(f"{base(application)}/decisions/{decision.pk}/").status_code == 404
    other = rejected_case(other_applicant)
    # The decision's id under the other person's own case is a 404 as well.
    assert client.get(f"{base(other)}/decisions/{decision.pk}/").status_code == 404
    decision.refresh_from_db()
    assert decision.delivered_on is None


def test_the_timeline_is_the_case_pages(api_as, applicant):
    application = rejected_case(applicant)
    response = api_as(applicant, [scopes.CASES_READ]).get(
        f"{base(application)}/timeline/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    labels = [entry["label"] for entry in response.json()]
    assert labels == [str(entry.label) for entry in case_timeline(application)]
    assert "Application filed" in labels
    assert response["ETag"] == f'"{application.version}"'


def test_withdrawal_needs_the_version_and_goes_through_the_service(api_as, applicant):
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    client = api_as(applicant, [scopes.CASES_WRITE])
    url = f"{base(application)}/withdraw/"
    assert client.post(url).status_code == 428
    stale = client.post(url, HTTP_IF_MATCH=f'"{application.version - 1}"')
    assert stale.status_code == 412
    application.refresh_from_db()
    assert application.status == Status.FILED
    done = client.post(url, HTTP_IF_MATCH=f'"{application.version}"')
    assert done.status_code == 200
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert done["ETag"] == f'"{application.version}"'
    assert AuditEntry.objects.filter(application=application, action=AuditAction.WITHDRAW).exists()
