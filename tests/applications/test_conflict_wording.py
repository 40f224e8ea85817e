"""When the application changed while the applicant had the page open, the applicant reads plain
words about their application, once on the page, and nothing is saved. Staff keep their own
wording: they act on each other's cases."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import F
from django.urls import reverse

from applications import services
from applications.constants import ChangeKind, Status
from applications.models import Application, ChangeReport
from core.errors import ApplicationError, ConcurrentChange, TransitionRefused
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

PRAGUE = ZoneInfo("Europe/Prague")
# A Tuesday morning; the interruption's deadline and the appeal period lie weeks ahead.
NOW = datetime(2026, 6, 9, 10, tzinfo=PRAGUE)
APPLICANT_WORDING = "This application changed while you had the page open"
STAFF_WORDING = "someone else acted on it"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def url(name: str, application: Application) -> str:
    return reverse(f"applications:{name}", args=[application.pk])


def changed_meanwhile(application: Application) -> None:
    """Someone (the office, or the person in another tab) acted after the page was shown."""
    Application.objects.filter(pk=application.pk).update(version=F("version") + 1)


def assert_said_once(body: str) -> None:
    assert body.count(APPLICANT_WORDING) == 1, body
    assert "nothing you entered was saved" in body
    assert STAFF_WORDING not in body


# --- The message -------------------------------------------------------------------------------


def test_the_applicant_reads_plain_words_and_staff_their_own():
    error = ConcurrentChange()

    assert error.for_applicant().startswith(APPLICANT_WORDING)
    assert STAFF_WORDING in str(error)


def test_a_message_given_where_it_was_raised_is_kept():
    error = ConcurrentChange("Another caseworker has this case.")

    assert error.for_applicant() == "Another caseworker has this case."


def test_other_refusals_read_the_same_for_everyone():
    error = TransitionRefused(problems=["The decision is not signed."])

    assert error.for_applicant() == str(error)
    assert ApplicationError("No.").for_applicant() == "No."


# --- On the applicant's pages ------------------------------------------------------------------


def test_a_withdrawal_from_a_stale_page_says_so_once(applicant, client_for):
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    version = application.version
    changed_meanwhile(application)

    response = client_for(applicant).post(
        url("withdraw", application), {"version": version}, follow=True
    )

    assert_said_once(response.content.decode())
    # The case page, as it is now.
    assert response.redirect_chain[-1][0] == url("detail", application)
    application.refresh_from_db()
    assert application.status == Status.FILED


def test_an_appeal_lodged_from_a_stale_page_says_so_once(applicant, client_for):
    application = ApplicationFactory(applicant=applicant.applicants.get(), rejected=True)
    client = client_for(applicant)
    client.post(
        url("appeal", application),
        {"grounds": "The contract was attached.", "version": application.version},
    )
    version = client.get(url("appeal_check", application)).context["form"].initial["version"]
    changed_meanwhile(application)

    response = client.post(url("appeal_check", application), {"version": version})

    assert response.status_code == 200
    assert_said_once(response.content.decode())
    assert not application.appeals.exists()


def test_a_request_for_more_time_from_a_stale_page_says_so_once(client_for):
    application = ApplicationFactory(interrupted=True)
    version = application.version
    changed_meanwhile(application)

    response = client_for(application.applicant.account).post(
        url("extension", application),
        {"reason": "My passport is at the embassy.", "requested_until": "", "version": version},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert_said_once(body)


def test_a_change_report_overtaken_by_a_change_says_so_once_not_on_the_form(
    applicant, client_for, monkeypatch
):
    """A report is checked against the case as the request found it, so only a race reaches
    this refusal; here the service is made to meet one."""
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)

    def overtaken(**kwargs: object) -> None:
        raise ConcurrentChange()

    monkeypatch.setattr(services, "change_report_submit", overtaken)

    response = client_for(applicant).post(
        url("report_change", application), {"kind": ChangeKind.ADDRESS, "address": "Nová 99"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert_said_once(body)
    assert 'id="error-summary"' not in body  # not an error of what was typed
    assert not ChangeReport.objects.filter(application=application).exists()
