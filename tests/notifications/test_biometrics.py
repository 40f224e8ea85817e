"""Biometrics within 30 days of entering the country (D6) [003]: the day of entry sets the
deadline, and the sweep reminds 7, 3 and 1 days before it until biometrics are given."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from applications.cards import permit_record_entry
from applications.models import AuditEntry
from applications.sweeps import sweep_reminders
from core import clock
from core.errors import ApplicationError
from notifications.constants import Kind
from notifications.models import Notification
from permits import deadlines
from permits.models import Permit
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def permit() -> Permit:
    return ApplicationFactory(decided=True).permit


def test_recording_entry_sets_the_deadline_and_is_audited(permit, superuser):
    entered = timezone.localdate() - timedelta(days=2)
    recorded = permit_record_entry(permit=permit, entered_on=entered, actor=superuser)
    assert recorded.biometrics_due == deadlines.period_end(entered, 30)
    entry = AuditEntry.objects.get(application=permit.application, action="entry_recorded")
    assert entry.actor == superuser


def test_a_permit_valid_from_29_february_takes_an_entry_up_to_a_year_before(superuser):
    # The year before has no 29 February: a year back is the 28th.
    with time_machine.travel(datetime(2028, 2, 29, 10, tzinfo=clock.PRAGUE), tick=False):
        permit = ApplicationFactory(decided=True).permit
        assert permit.valid_from == date(2028, 2, 29)
        with pytest.raises(ApplicationError):
            permit_record_entry(permit=permit, entered_on=date(2027, 2, 27), actor=superuser)
        recorded = permit_record_entry(permit=permit, entered_on=date(2027, 2, 28), actor=superuser)
    assert recorded.entered_on == date(2027, 2, 28)


def test_an_entry_in_the_future_is_refused(permit, superuser):
    with pytest.raises(ApplicationError):
        permit_record_entry(
            permit=permit, entered_on=timezone.localdate() + timedelta(days=1), actor=superuser
        )
    permit.refresh_from_db()
    assert permit.entered_on is None and permit.biometrics_due is None


def test_biometrics_reminders_7_3_1_days_before_and_only_once(
    permit, superuser, django_capture_on_commit_callbacks
):
    entered = timezone.localdate()
    due = permit_record_entry(permit=permit, entered_on=entered, actor=superuser).biometrics_due
    mail.outbox.clear()

    for days_before in (8, 7, 7, 3, 1):
        day = due - timedelta(days=days_before)
        with (
            time_machine.travel(
                timezone.make_aware(
                    timezone.datetime.combine(day, timezone.datetime.min.time().replace(hour=9))
                )
            ),
            django_capture_on_commit_callbacks(execute=True),
        ):
            sweep_reminders(today=day)

    reminders = Notification.objects.filter(kind=Kind.BIOMETRICS_REMINDER, channel="email")
    assert sorted(n.due_on for n in reminders) == [due, due, due]
    assert (
        len([m for m in mail.outbox if permit.application.reference_number in m.subject + m.body])
        == 3
    )


def test_no_reminder_once_biometrics_are_given(
    permit, superuser, django_capture_on_commit_callbacks
):
    due = permit_record_entry(
        permit=permit, entered_on=timezone.localdate(), actor=superuser
    ).biometrics_due
    Permit.objects.filter(pk=permit.pk).update(biometrics_on=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        sweep_reminders(today=due - timedelta(days=7))
    assert not Notification.objects.filter(kind=Kind.BIOMETRICS_REMINDER).exists()


def test_recording_biometrics_sets_the_pickup_deadline_and_tells_the_holder(
    permit, superuser, django_capture_on_commit_callbacks
):
    from applications.cards import permit_record_biometrics

    taken = timezone.localdate()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        recorded = permit_record_biometrics(permit=permit, on=taken, actor=superuser)
    assert recorded.pickup_due == deadlines.card_pickup_due(taken)
    notice = Notification.objects.get(kind=Kind.PERMIT_READY, channel="email")
    assert notice.due_on == recorded.pickup_due
    [message] = [m for m in mail.outbox if permit.number in m.body]
    assert permit.number not in message.subject
    assert AuditEntry.objects.filter(
        application=permit.application, action="biometrics_recorded"
    ).exists()
