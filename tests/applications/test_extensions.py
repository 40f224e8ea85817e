"""More time to supply documents (Administrative Procedure Code § 39(2), outside the seeds): the
applicant asks before the deadline passes, the caseworker grants a new deadline or refuses by a
resolution in the file, the clock stays halted, and the reminders follow the deadline that
applies (SPEC §2 ``interrupt``, §3 D5, §6)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from applications import guards, services
from applications.audit import AuditAction
from applications.constants import ExtensionResult, Status
from applications.extensions import (
    extension_grant,
    extension_refuse,
    extension_request,
    extension_resolution_file,
)
from applications.letters import interruption_letter
from applications.models import AuditEntry, DeadlineExtension, Interruption
from applications.sweeps import sweep_reminders
from core.errors import ApplicationError, NotPermitted, TransitionRefused
from documents.constants import Role
from documents.models import Document
from notifications.constants import Channel, Kind
from notifications.models import Notification
from tests.applications.factories import ApplicationFactory
from tests.documents.test_pdf_decision import in_language, pdf_text
from tests.notifications.factories import forget_notices

pytestmark = pytest.mark.django_db

PRAGUE = ZoneInfo("Europe/Prague")
# Interrupted on Monday 2 March 2026: 30 days (D5) make the deadline Wednesday 1 April.
INTERRUPTED_AT = datetime(2026, 3, 2, 10, tzinfo=PRAGUE)
DEADLINE = date(2026, 4, 1)
LATER = DEADLINE + timedelta(days=14)  # Wednesday 15 April, a working day


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PRAGUE)


@pytest.fixture
def clock_at():
    """The test's clock, pinned at the interruption; ``clock_at.move_to(instant)`` moves it."""
    with time_machine.travel(INTERRUPTED_AT, tick=False) as traveller:
        yield traveller


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a service left for after its commit: the outbox delivers in-process."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def interruption(clock_at) -> Interruption:
    application = ApplicationFactory(interrupted=True)
    found = application.interruptions.get(ended_on__isnull=True)
    assert found.deadline == DEADLINE
    forget_notices()
    return found


def owner(interruption: Interruption):
    return interruption.application.applicant.account


def assignee(interruption: Interruption):
    return interruption.application.assigned_to


def ask(interruption: Interruption, **kwargs) -> DeadlineExtension:
    return extension_request(
        interruption=interruption,
        actor=owner(interruption),
        reason=kwargs.pop("reason", "The consulate needs three weeks to certify the lease."),
        **kwargs,
    )


def actions(interruption: Interruption) -> list[str]:
    return list(
        AuditEntry.objects.filter(application=interruption.application_id).values_list(
            "action", flat=True
        )
    )


def resolutions(interruption: Interruption):
    return Document.objects.filter(
        application=interruption.application_id, role=Role.LETTER, deadline_extension__isnull=False
    )


# --- Asked and answered --------------------------------------------------------------------------


def test_a_grant_moves_the_deadline_files_the_resolution_and_tells_both_sides(
    interruption, committed, clock_at
):
    caseworker = assignee(interruption)
    with committed():
        asked = ask(interruption, requested_until=LATER)

    assert asked.result == "" and asked.deadline_before == DEADLINE
    assert Notification.objects.filter(kind=Kind.EXTENSION_REQUESTED, recipient=caseworker).exists()

    clock_at.move_to(at(date(2026, 3, 20)))
    with committed():
        extension_grant(
            extension=asked,
            actor=caseworker,
            new_deadline=LATER,
            reason="Certified copies take time.",
        )

    interruption.refresh_from_db()
    asked.refresh_from_db()
    application = interruption.application
    application.refresh_from_db()
    assert interruption.deadline == LATER
    assert interruption.ended_on is None
    # The clock stays halted: still interrupted, no decision due.
    assert application.status == Status.INTERRUPTED and application.decision_due is None
    assert asked.result == ExtensionResult.GRANTED
    assert (asked.deadline_before, asked.new_deadline) == (DEADLINE, LATER)
    assert asked.signed_name == caseworker.get_full_name()
    assert asked.signed_function == caseworker.job_title
    granted = AuditEntry.objects.get(application=application, action=AuditAction.EXTENSION_GRANTED)
    assert granted.actor == caseworker
    assert granted.data["deadline_before"] == DEADLINE.isoformat()
    assert granted.data["new_deadline"] == LATER.isoformat()
    assert actions(interruption)[-2:] == [
        AuditAction.EXTENSION_REQUESTED,
        AuditAction.EXTENSION_GRANTED,
    ]
    # The resolution is in the file as a letter, not as the interruption's own letter.
    resolution = resolutions(interruption).get()
    assert asked.document == resolution
    assert resolution.interruption_id is None
    assert interruption_letter(interruption) is None
    text = pdf_text(resolution)
    assert application.reference_number in text
    assert "15. 4. 2026" in text and "1. 4. 2026" in text
    assert caseworker.get_full_name() in text and caseworker.job_title in text
    assert "The consulate needs three weeks to certify the lease." in text
    assert in_language("uk", "This letter in your language") in text
    # The applicant is told, in the portal and by e-mail.
    told = Notification.objects.filter(kind=Kind.EXTENSION_ANSWERED, application=application)
    assert set(told.values_list("recipient", "channel")) == {
        (owner(interruption).pk, Channel.IN_APP),
        (owner(interruption).pk, Channel.EMAIL),
    }
    assert told.get(channel=Channel.EMAIL).due_on == LATER


def test_filing_the_resolution_twice_files_it_once(interruption, committed):
    with committed():
        asked = ask(interruption)
        extension_grant(extension=asked, actor=assignee(interruption), new_deadline=LATER)
    first = resolutions(interruption).get()

    assert extension_resolution_file(extension_id=asked.pk) == first
    assert extension_resolution_file(extension_id=asked.pk) == first
    assert resolutions(interruption).count() == 1


def test_an_unanswered_request_has_no_resolution(interruption):
    asked = ask(interruption)

    assert extension_resolution_file(extension_id=asked.pk) is None
    assert extension_resolution_file(extension_id=987654) is None


def test_a_refusal_needs_reasons_and_keeps_the_deadline(interruption, committed):
    caseworker = assignee(interruption)
    asked = ask(interruption)
    rows = AuditEntry.objects.count()

    with pytest.raises(ApplicationError, match="reasons"):
        extension_refuse(extension=asked, actor=caseworker, reason="   ")
    asked.refresh_from_db()
    assert asked.result == "" and AuditEntry.objects.count() == rows

    with committed():
        extension_refuse(
            extension=asked, actor=caseworker, reason="The lease can be certified in a week."
        )

    interruption.refresh_from_db()
    asked.refresh_from_db()
    assert interruption.deadline == DEADLINE
    assert asked.result == ExtensionResult.REFUSED and asked.new_deadline is None
    refused = AuditEntry.objects.get(
        application=interruption.application, action=AuditAction.EXTENSION_REFUSED
    )
    assert refused.note == "The lease can be certified in a week."
    assert "The lease can be certified in a week." in pdf_text(resolutions(interruption).get())
    assert Notification.objects.filter(
        kind=Kind.EXTENSION_ANSWERED, recipient=owner(interruption)
    ).exists()


def test_a_grant_must_be_later_than_the_present_deadline(interruption):
    asked = ask(interruption)

    with pytest.raises(ApplicationError, match="later than the present one"):
        extension_grant(extension=asked, actor=assignee(interruption), new_deadline=DEADLINE)

    interruption.refresh_from_db()
    asked.refresh_from_db()
    assert interruption.deadline == DEADLINE and asked.result == ""


def test_a_new_deadline_on_a_weekend_ends_on_the_next_working_day(interruption):
    asked = ask(interruption)

    # Saturday 11 April 2026: the deadline ends on Monday 13 April (D1).
    extension_grant(extension=asked, actor=assignee(interruption), new_deadline=date(2026, 4, 11))

    interruption.refresh_from_db()
    assert interruption.deadline == date(2026, 4, 13)


def test_an_answer_is_given_once(interruption):
    asked = ask(interruption)
    extension_grant(extension=asked, actor=assignee(interruption), new_deadline=LATER)

    with pytest.raises(TransitionRefused, match="already answered"):
        extension_refuse(extension=asked, actor=assignee(interruption), reason="No.")


# --- Who may ask, and when -----------------------------------------------------------------------


def test_asking_on_the_deadline_day_is_in_time(interruption, clock_at):
    clock_at.move_to(at(DEADLINE, hour=23))

    assert ask(interruption).deadline_before == DEADLINE


def test_asking_after_the_deadline_is_refused(interruption, clock_at):
    clock_at.move_to(at(DEADLINE + timedelta(days=1), hour=0))
    rows = AuditEntry.objects.count()

    with pytest.raises(TransitionRefused, match="passed"):
        ask(interruption)

    assert not DeadlineExtension.objects.exists()
    assert AuditEntry.objects.count() == rows


def test_a_second_open_request_is_refused(interruption):
    ask(interruption)

    with pytest.raises(TransitionRefused, match="already asked"):
        ask(interruption, reason="Again.")

    assert DeadlineExtension.objects.count() == 1


def test_after_an_answer_more_time_may_be_asked_again(interruption):
    first = ask(interruption)
    extension_grant(extension=first, actor=assignee(interruption), new_deadline=LATER)
    interruption.refresh_from_db()

    second = ask(interruption, reason="The certification office is closed.")

    assert second.deadline_before == LATER


def test_a_request_needs_a_reason_and_a_later_day(interruption):
    with pytest.raises(ApplicationError, match="why you need more time"):
        ask(interruption, reason="  ")
    with pytest.raises(ApplicationError, match="after the present deadline"):
        ask(interruption, requested_until=DEADLINE)

    assert not DeadlineExtension.objects.exists()


def test_only_the_applicants_side_asks(interruption, other_applicant, other_caseworker):
    for stranger in (other_applicant, other_caseworker, assignee(interruption)):
        with pytest.raises(NotPermitted):
            extension_request(interruption=interruption, actor=stranger, reason="Please.")

    assert not DeadlineExtension.objects.exists()


def test_only_the_assigned_caseworker_or_a_supervisor_answers(
    interruption, other_caseworker, supervisor
):
    asked = ask(interruption)

    with pytest.raises(NotPermitted):
        extension_grant(extension=asked, actor=other_caseworker, new_deadline=LATER)
    with pytest.raises(NotPermitted):
        extension_refuse(extension=asked, actor=owner(interruption), reason="Self-refused.")

    extension_grant(extension=asked, actor=supervisor, new_deadline=LATER)
    interruption.refresh_from_db()
    assert interruption.deadline == LATER


# --- Stopping the proceedings --------------------------------------------------------------------


def test_no_stop_while_a_request_made_in_time_awaits_its_answer(interruption, clock_at):
    application = interruption.application
    caseworker = assignee(interruption)
    asked = ask(interruption)
    clock_at.move_to(at(DEADLINE + timedelta(days=3)))
    application.refresh_from_db()

    assert not guards.interruption_deadline_passed(application)
    with pytest.raises(TransitionRefused, match="asked for more time"):
        services.application_stop(application=application, actor=caseworker)
    application.refresh_from_db()
    assert application.status == Status.INTERRUPTED

    # Answered after the deadline passed: the request was made in time.
    extension_refuse(extension=asked, actor=caseworker, reason="Nothing shows the delay.")
    application.refresh_from_db()
    services.application_stop(application=application, actor=caseworker)

    application.refresh_from_db()
    assert application.status == Status.DECIDED


def test_a_grant_after_the_deadline_passed_gives_the_new_deadline(interruption, clock_at):
    application = interruption.application
    asked = ask(interruption)
    clock_at.move_to(at(DEADLINE + timedelta(days=3)))

    extension_grant(extension=asked, actor=assignee(interruption), new_deadline=LATER)

    application.refresh_from_db()
    assert not guards.interruption_deadline_passed(application)
    with pytest.raises(TransitionRefused, match="deadline has passed"):
        services.application_stop(application=application, actor=assignee(interruption))


# --- Reminders follow the deadline ---------------------------------------------------------------


def document_reminders(interruption: Interruption) -> list[tuple[date, int]]:
    found = Notification.objects.filter(
        kind=Kind.DOCUMENT_DEADLINE_REMINDER,
        application=interruption.application_id,
        channel=Channel.EMAIL,
    )
    return sorted(
        (reminder.due_on, int(reminder.event_key.rsplit(":", 1)[1])) for reminder in found
    )


def sweep_on(clock_at, committed, day: date) -> None:
    clock_at.move_to(at(day, hour=6))
    for _ in range(2):  # a second run sends nothing again
        with committed():
            sweep_reminders(today=day)


def test_reminders_follow_the_new_deadline_and_go_once(interruption, committed, clock_at):
    sweep_on(clock_at, committed, DEADLINE - timedelta(days=7))
    assert document_reminders(interruption) == [(DEADLINE, 7)]

    asked = ask(interruption)
    extension_grant(extension=asked, actor=assignee(interruption), new_deadline=LATER)

    for days_before in (3, 1):  # the old date's reminders are no longer due
        sweep_on(clock_at, committed, DEADLINE - timedelta(days=days_before))
    for days_before in (7, 3, 1):
        sweep_on(clock_at, committed, LATER - timedelta(days=days_before))

    assert document_reminders(interruption) == [
        (DEADLINE, 7),
        (LATER, 1),
        (LATER, 3),
        (LATER, 7),
    ]
    assert len(mail.outbox) == 4


# --- The pages ----------------------------------------------------------------------------------


def test_the_applicant_asks_on_their_page(interruption, client_for, committed):
    application = interruption.application
    url = reverse("applications:extension", args=[application.pk])
    browser = client_for(owner(interruption))

    page = browser.get(url)
    assert page.status_code == 200
    assert "Ask for more time" in page.content.decode()
    assert (
        url in browser.get(reverse("applications:detail", args=[application.pk])).content.decode()
    )

    with committed():
        response = browser.post(
            url,
            {
                "reason": "My passport is at the embassy.",
                "requested_until": "2026-04-20",
                "version": application.version,
            },
        )

    assert response.status_code == 302
    asked = DeadlineExtension.objects.get()
    assert asked.reason == "My passport is at the embassy."
    assert asked.requested_until == date(2026, 4, 20)
    assert "You asked for more time" in browser.get(url).content.decode()


def test_a_request_without_a_reason_is_shown_again(interruption, client_for):
    application = interruption.application
    url = reverse("applications:extension", args=[application.pk])

    response = client_for(owner(interruption)).post(
        url, {"reason": "", "version": application.version}
    )

    assert response.status_code == 200
    assert "Say why you need more time." in response.content.decode()
    assert not DeadlineExtension.objects.exists()


def test_another_persons_case_is_not_found(interruption, client_for, other_applicant, caseworker):
    url = reverse("applications:extension", args=[interruption.application_id])

    for stranger in (other_applicant, caseworker):
        browser = client_for(stranger)
        assert browser.get(url).status_code == 404
        assert browser.post(url, {"reason": "Mine now."}).status_code == 404
    assert not DeadlineExtension.objects.exists()


def test_anonymous_visitors_log_in_first(interruption, anonymous):
    url = reverse("applications:extension", args=[interruption.application_id])

    response = anonymous.get(url)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_caseworker_answers_on_the_request_page(interruption, client_for, committed):
    application = interruption.application
    caseworker = assignee(interruption)
    ask(interruption, reason="The translator is ill.")
    browser = client_for(caseworker)
    url = reverse("caseworker:extension", args=[application.pk])
    application.refresh_from_db()

    case_page = browser.get(reverse("caseworker:case", args=[application.pk])).content.decode()
    assert url in case_page and "more time asked for" in case_page
    page = browser.get(url)
    assert page.status_code == 200 and "The translator is ill." in page.content.decode()

    with committed():
        response = browser.post(
            url,
            {
                "answer": "grant",
                "new_deadline": LATER.isoformat(),
                "reason": "",
                "expected_version": application.version,
            },
        )

    assert response.status_code == 302
    interruption.refresh_from_db()
    assert interruption.deadline == LATER


def test_a_refusal_without_reasons_is_shown_again(interruption, client_for):
    application = interruption.application
    ask(interruption)
    application.refresh_from_db()
    url = reverse("caseworker:extension", args=[application.pk])

    response = client_for(assignee(interruption)).post(
        url, {"answer": "refuse", "reason": "", "expected_version": application.version}
    )

    assert response.status_code == 200
    assert "Give the reasons for refusing the request." in response.content.decode()
    assert DeadlineExtension.objects.get().result == ""


def test_the_answer_page_refuses_the_wrong_people(interruption, client_for, anonymous):
    application = interruption.application
    ask(interruption)
    application.refresh_from_db()
    url = reverse("caseworker:extension", args=[application.pk])
    data = {
        "answer": "grant",
        "new_deadline": LATER.isoformat(),
        "expected_version": application.version,
    }

    assert client_for(owner(interruption)).post(url, data).status_code == 403
    assert anonymous.get(url).status_code == 302
    assert client_for(assignee(interruption)).put(url).status_code == 405
    draft = ApplicationFactory()
    draft_url = reverse("caseworker:extension", args=[draft.pk])
    assert client_for(assignee(interruption)).get(draft_url).status_code == 404
    assert DeadlineExtension.objects.get().result == ""
