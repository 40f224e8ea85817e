"""The holder's steps after a grant and their reminders (SPEC §2, §6, D6) [002][003]:
biometrics within 30 days of entering the country, the booked appointment, the card ready,
the card collected within 60 days of giving biometric data. Each reminder goes once, on its
day, and stops once the step it reminds of is done."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from applications.cards import (
    permit_record_biometrics,
    permit_record_card_ready,
    permit_record_entry,
    permit_record_pickup,
    permit_schedule_biometrics,
)
from applications.models import AuditEntry
from applications.sweeps import sweep_reminders
from core.errors import ApplicationError
from notifications.constants import Kind
from notifications.models import Notification
from permits import deadlines
from permits.models import Permit
from tests.applications.card_days import GRANTED_ON, granted_day, on  # noqa: F401 (a fixture)
from tests.applications.factories import ApplicationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("granted_day")]


@pytest.fixture
def permit(caseworker) -> Permit:
    application = ApplicationFactory(decided=True, caseworker=caseworker)
    account = application.applicant.account
    account.preferred_language = "en"
    account.save(update_fields=["preferred_language"])
    return application.permit


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the reminder sweeps as the morning job does on ``day``, e-mails queued included."""

    def run(day: date) -> dict[str, int]:
        with on(day, 6), django_capture_on_commit_callbacks(execute=True):
            return sweep_reminders(today=day)

    return run


def reminders(kind: Kind) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind, channel="email").order_by("created_at"))


def test_recording_entry_sets_the_deadline_and_is_audited(permit, caseworker):
    entered = GRANTED_ON - timedelta(days=2)
    recorded = permit_record_entry(permit=permit, entered_on=entered, actor=caseworker)
    assert recorded.biometrics_due == deadlines.period_end(entered, 30)
    entry = AuditEntry.objects.get(application=permit.application, action="entry_recorded")
    assert entry.actor == caseworker


def test_a_permit_valid_from_29_february_takes_an_entry_up_to_a_year_before(superuser):
    # The year before has no 29 February: a year back is the 28th.
    with on(date(2028, 2, 29), 10):
        permit = ApplicationFactory(decided=True).permit
        assert permit.valid_from == date(2028, 2, 29)
        with pytest.raises(ApplicationError):
            permit_record_entry(permit=permit, entered_on=date(2027, 2, 27), actor=superuser)
        recorded = permit_record_entry(permit=permit, entered_on=date(2027, 2, 28), actor=superuser)
    assert recorded.entered_on == date(2027, 2, 28)


def test_an_entry_in_the_future_is_refused(permit, caseworker):
    with pytest.raises(ApplicationError):
        permit_record_entry(
            permit=permit, entered_on=GRANTED_ON + timedelta(days=1), actor=caseworker
        )
    permit.refresh_from_db()
    assert permit.entered_on is None and permit.biometrics_due is None


def test_biometrics_reminders_7_3_1_days_before_and_only_once(permit, caseworker, sweep):
    due = permit_record_entry(permit=permit, entered_on=GRANTED_ON, actor=caseworker).biometrics_due
    mail.outbox.clear()

    for days_before in (8, 7, 7, 3, 1):
        sweep(due - timedelta(days=days_before))

    assert [n.due_on for n in reminders(Kind.BIOMETRICS_REMINDER)] == [due, due, due]
    sent = [m for m in mail.outbox if permit.application.reference_number in m.body]
    assert len(sent) == 3
    assert "within 30 days of entering the Czech Republic" in sent[0].body


def test_no_reminder_once_biometrics_are_given(permit, caseworker, sweep):
    due = permit_record_entry(permit=permit, entered_on=GRANTED_ON, actor=caseworker).biometrics_due
    permit_record_biometrics(permit=permit, on=GRANTED_ON, actor=caseworker)

    sweep(due - timedelta(days=7))

    assert reminders(Kind.BIOMETRICS_REMINDER) == []


def test_the_appointment_is_reminded_the_day_before_once(permit, caseworker, sweep):
    appointment = GRANTED_ON + timedelta(days=10)
    permit_schedule_biometrics(permit=permit, on=appointment, actor=caseworker)
    mail.outbox.clear()

    queued = [sweep(appointment - timedelta(days=n)) for n in (2, 1, 1, 0)]

    assert [q[Kind.BIOMETRICS_REMINDER] for q in queued] == [0, 1, 0, 0]
    [reminder] = reminders(Kind.BIOMETRICS_REMINDER)
    assert reminder.due_on == appointment
    [message] = [m for m in mail.outbox if permit.application.reference_number in m.body]
    assert "Your appointment to give biometric data: 12\u00a0March\u00a02026." in message.body


def test_booking_an_appointment_stops_the_deadline_reminders(permit, caseworker, sweep):
    due = permit_record_entry(permit=permit, entered_on=GRANTED_ON, actor=caseworker).biometrics_due
    sweep(due - timedelta(days=7))
    assert [n.due_on for n in reminders(Kind.BIOMETRICS_REMINDER)] == [due]

    appointment = due - timedelta(days=2)
    with on(due - timedelta(days=6)):
        permit_schedule_biometrics(permit=permit, on=appointment, actor=caseworker)
    for day in (due - timedelta(days=3), due - timedelta(days=1)):
        sweep(day)

    # The 3-day reminder (the appointment's eve) is of the appointment; the deadline's 3- and
    # 1-day reminders are not sent.
    assert [n.due_on for n in reminders(Kind.BIOMETRICS_REMINDER)] == [due, appointment]


def test_a_moved_appointment_is_reminded_on_its_new_eve(permit, caseworker, sweep):
    first = GRANTED_ON + timedelta(days=5)
    permit_schedule_biometrics(permit=permit, on=first, actor=caseworker)
    sweep(first - timedelta(days=1))
    with on(first):
        moved = first + timedelta(days=7)
        permit_schedule_biometrics(
            permit=permit, on=moved, actor=caseworker, note="The holder called in sick."
        )
    for day in (first, moved - timedelta(days=1), moved - timedelta(days=1)):
        sweep(day)

    assert [n.due_on for n in reminders(Kind.BIOMETRICS_REMINDER)] == [first, moved]
    booked = AuditEntry.objects.filter(
        application=permit.application, action="biometrics_scheduled"
    ).order_by("pk")
    assert [(e.data["biometrics_appointment_on"], e.note) for e in booked] == [
        (first.isoformat(), ""),
        (moved.isoformat(), "The holder called in sick."),
    ]


def test_no_appointment_reminder_once_the_data_are_taken(permit, caseworker, sweep):
    appointment = GRANTED_ON + timedelta(days=4)
    permit_schedule_biometrics(permit=permit, on=appointment, actor=caseworker)
    # The holder came early.
    with on(appointment - timedelta(days=1), 8):
        permit_record_biometrics(
            permit=permit, on=appointment - timedelta(days=1), actor=caseworker
        )

    sweep(appointment - timedelta(days=1))

    assert reminders(Kind.BIOMETRICS_REMINDER) == []


def test_taking_biometrics_sets_the_pickup_deadline_and_the_card_ready_tells_the_holder(
    permit, caseworker, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        recorded = permit_record_biometrics(permit=permit, on=GRANTED_ON, actor=caseworker)
    # 60 days end on Friday 1 May, a public holiday: the next working day [002][003].
    assert recorded.pickup_due == deadlines.card_pickup_due(GRANTED_ON) == date(2026, 5, 4)
    # Not yet: the card is made from the data.
    assert reminders(Kind.PERMIT_READY) == []

    ready_on = GRANTED_ON + timedelta(days=20)
    with on(ready_on), django_capture_on_commit_callbacks(execute=True):
        ready = permit_record_card_ready(permit=permit, on=ready_on, actor=caseworker)

    # The deadline stays 60 days from the biometrics [002][003].
    assert ready.pickup_due == date(2026, 5, 4)
    [notice] = reminders(Kind.PERMIT_READY)
    assert notice.due_on == ready.pickup_due
    [message] = [m for m in mail.outbox if permit.number in m.body]
    assert permit.number not in message.subject
    assert (
        "Your card has been ready for collection at the office since 22\u00a0March\u00a02026."
        in (message.body)
    )
    assert "Collect your card at the office by 4\u00a0May\u00a02026 at the latest." in message.body
    assert "Your biometric data were taken on 2\u00a0March\u00a02026" in message.body
    assert AuditEntry.objects.filter(application=permit.application, action="card_ready").exists()

    # Recorded once: a second recording is refused, and nothing is sent again.
    with (
        on(ready_on),
        pytest.raises(ApplicationError, match="already recorded as ready"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        permit_record_card_ready(permit=permit, on=ready_on, actor=caseworker)
    assert len(reminders(Kind.PERMIT_READY)) == 1


def test_pickup_reminders_run_to_the_deadline_and_stop_at_pickup(permit, caseworker, sweep):
    permit_record_biometrics(permit=permit, on=GRANTED_ON, actor=caseworker)
    due = date(2026, 5, 4)
    mail.outbox.clear()

    # Not ready yet 7 days before: the holder is told the deadline, not that it waits.
    sweep(due - timedelta(days=7))
    sweep(due - timedelta(days=7))
    with on(due - timedelta(days=5)):
        permit_record_card_ready(permit=permit, on=due - timedelta(days=5), actor=caseworker)
    sweep(due - timedelta(days=3))
    with on(due - timedelta(days=2)):
        permit_record_pickup(permit=permit, on=due - timedelta(days=2), actor=caseworker)
    sweep(due - timedelta(days=1))

    assert [n.due_on for n in reminders(Kind.PICKUP_REMINDER)] == [due, due]
    bodies = [m.body for m in mail.outbox if permit.number in m.body and "Reminder" in m.subject]
    assert len(bodies) == 2
    assert "must be collected at the office by 4\u00a0May\u00a02026" in bodies[0]
    assert "The office tells you when it is ready." in bodies[0]
    assert "is waiting for you. Collect it at the office by 4\u00a0May\u00a02026" in bodies[1]
