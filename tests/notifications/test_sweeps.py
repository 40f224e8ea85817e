"""The periodic sweeps: each reminder goes once, on its day, however often or concurrently the
sweep runs; the daily job delivers, finalizes and flags what fell due (SPEC §3 D3, §6)."""

from __future__ import annotations

import threading
from datetime import datetime, time

import pytest
import time_machine
from django.core import mail
from django.db import connection

from applications import services as application_services
from applications.constants import Status
from applications.models import Application, Decision
from applications.sweeps import run_daily_system_steps, sweep_overdue_digests, sweep_reminders
from core import clock
from notifications.constants import Channel, Kind
from notifications.models import Notification
from permits import deadlines
from permits.models import Permit
from tests.applications.factories import ApplicationFactory
from tests.notifications.factories import (
    days,
    filed_due_on,
    forget_notices,
    interrupted_with_deadline,
    mailed_kinds,
    notifications_mailed,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the code under test leaves for after the commit (queueing the e-mails)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def reminders(kind: Kind) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).order_by("due_on", "channel"))


def test_document_reminders_go_7_3_and_1_days_before_the_deadline(committed):
    day = today()
    due = {n: interrupted_with_deadline(day + days(n)) for n in (7, 3, 1)}
    not_due = [interrupted_with_deadline(day + days(n)) for n in (8, 5, 2, 0)]

    forget_notices()
    with committed():
        queued = sweep_reminders(today=day)

    assert queued[Kind.DOCUMENT_DEADLINE_REMINDER] == 3
    made = reminders(Kind.DOCUMENT_DEADLINE_REMINDER)
    assert {(n.application_id, n.channel) for n in made} == {
        (due[n].application_id, channel) for n in due for channel in Channel.values
    }
    assert not {n.application_id for n in made} & {i.application_id for i in not_due}
    emails = notifications_mailed(mail.outbox)
    assert sorted(n.due_on for n in emails) == sorted(day + days(n) for n in (7, 3, 1))
    assert {n.event_key.rsplit(":", 1)[1] for n in emails} == {"7", "3", "1"}


def test_the_reminder_is_in_the_recipients_language_with_the_documents(committed):
    interruption = interrupted_with_deadline(today() + days(3), language="vi")

    forget_notices()
    with committed():
        sweep_reminders(today=today())

    [message] = mail.outbox
    assert "Nhắc nhở" in message.subject
    assert interruption.application.reference_number not in message.subject
    assert interruption.application.reference_number in message.body
    assert interruption.requested_kinds.get().name_vi in message.body


def test_running_the_sweep_again_sends_nothing_more(committed):
    for n in (7, 3, 1):
        interrupted_with_deadline(today() + days(n))
    forget_notices()
    with committed():
        sweep_reminders(today=today())
    rows, sent = Notification.objects.count(), len(mail.outbox)

    with committed():
        queued = sweep_reminders(today=today())

    assert queued[Kind.DOCUMENT_DEADLINE_REMINDER] == 0
    assert Notification.objects.count() == rows
    assert len(mail.outbox) == sent == 3


def test_a_task_run_twice_for_one_reminder_makes_it_once(committed):
    from applications.tasks import send_reminders

    interruption = interrupted_with_deadline(today() + days(3))
    item = [Kind.DOCUMENT_DEADLINE_REMINDER, interruption.pk, (today() + days(3)).isoformat(), 3]

    forget_notices()
    with committed():
        assert send_reminders.delay([item]).get() == 2
    with committed():
        assert send_reminders.delay([item]).get() == 0
    assert len(mail.outbox) == 1


def test_one_failing_reminder_does_not_stop_its_batch(committed, monkeypatch, caplog):
    from applications import notices
    from applications.tasks import send_reminders

    broken, fine = (interrupted_with_deadline(today() + days(n)) for n in (3, 1))
    real = notices.notify_reminder

    def notify_reminder(**kwargs):
        if kwargs["object_id"] == broken.pk:
            raise RuntimeError("a template error")
        return real(**kwargs)

    monkeypatch.setattr(notices, "notify_reminder", notify_reminder)
    forget_notices()

    with committed():
        made = send_reminders.delay(
            [
                [Kind.DOCUMENT_DEADLINE_REMINDER, broken.pk, broken.deadline.isoformat(), 3],
                [Kind.DOCUMENT_DEADLINE_REMINDER, fine.pk, fine.deadline.isoformat(), 1],
            ]
        ).get()

    assert made == 2
    assert {n.application_id for n in notifications_mailed(mail.outbox)} == {fine.application_id}
    assert f"for {broken.pk}" in caplog.text


def test_the_sweep_queues_in_batches(committed, monkeypatch):
    from applications import sweeps

    monkeypatch.setattr(sweeps, "REMINDER_BATCH_SIZE", 2)
    for n in (7, 3, 1):
        interrupted_with_deadline(today() + days(n))
    forget_notices()
    batches = []
    monkeypatch.setattr(
        "applications.tasks.send_reminders.delay", lambda items: batches.append(items)
    )

    sweeps.sweep_reminders(today=today())

    assert [len(batch) for batch in batches] == [2, 1]


def test_a_reminder_due_tomorrow_is_not_sent_today(committed):
    deadline = today() + days(20)
    interruption = interrupted_with_deadline(deadline)
    # 8 days before the deadline, the 7-day reminder is due tomorrow.
    day_before = datetime.combine(deadline - days(8), time(6, 0), tzinfo=clock.PRAGUE)

    forget_notices()
    with time_machine.travel(day_before, tick=False), committed():
        sweep_reminders(today=today())
    assert mail.outbox == []

    with time_machine.travel(day_before + days(1), tick=False), committed():
        sweep_reminders(today=today())
    [notification] = notifications_mailed(mail.outbox)
    assert notification.application_id == interruption.application_id
    assert notification.event_key.endswith(f"{deadline.isoformat()}:7")


def test_no_reminder_once_the_documents_came(committed):
    interruption = interrupted_with_deadline(today() + days(3))
    application = interruption.application
    application_services.application_resume(application=application, actor=application.assigned_to)

    forget_notices()
    with committed():
        sweep_reminders(today=today())

    assert reminders(Kind.DOCUMENT_DEADLINE_REMINDER) == []


def test_appeal_reminder_only_for_a_delivered_unappealed_decision(committed):
    day = today()
    waiting = ApplicationFactory(rejected=True)
    decision = application_services.decision_open(
        decision=waiting.decisions.get(), actor=waiting.applicant.account
    )
    Decision.objects.filter(pk=decision.pk).update(appeal_due=day + days(3))
    appealed = ApplicationFactory(appealed=True)
    Decision.objects.filter(application=appealed).update(appeal_due=day + days(3))

    forget_notices()
    with committed():
        sweep_reminders(today=day)

    made = reminders(Kind.APPEAL_DEADLINE_REMINDER)
    assert {n.application_id for n in made} == {waiting.pk}
    [message] = mail.outbox
    assert waiting.reference_number in message.body


def test_pickup_reminder_until_the_card_is_collected(committed):
    day = today()
    collect = ApplicationFactory(decided=True)
    collected = ApplicationFactory(decided=True)
    Permit.objects.filter(application__in=[collect, collected]).update(
        biometrics_on=day - days(59), pickup_due=day + days(1)
    )
    Permit.objects.filter(application=collected).update(picked_up_on=day)

    forget_notices()
    with committed():
        sweep_reminders(today=day)

    assert {n.application_id for n in reminders(Kind.PICKUP_REMINDER)} == {collect.pk}
    [message] = mail.outbox
    assert collect.permit.number in message.body


def test_caseworker_is_reminded_7_days_before_a_decision_is_due(committed, caseworker):
    day = today()
    due = filed_due_on(day + days(7), caseworker=caseworker)
    filed_due_on(day + days(6), caseworker=caseworker)
    unassigned = ApplicationFactory(filed=True)
    Application.objects.filter(pk=unassigned.pk).update(decision_due=day + days(7))

    forget_notices()
    with committed():
        sweep_reminders(today=day)

    made = reminders(Kind.DECISION_DUE_REMINDER)
    assert {(n.application_id, n.recipient_id) for n in made} == {(due.pk, caseworker.pk)}
    assert mailed_kinds(mail.outbox) == [Kind.DECISION_DUE_REMINDER]


def test_overdue_digest_is_one_email_per_caseworker(committed, caseworker, other_caseworker):
    day = today()
    mine = [filed_due_on(day - days(n), caseworker=caseworker) for n in (1, 5, 9)]
    theirs = filed_due_on(day - days(2), caseworker=other_caseworker)
    filed_due_on(day, caseworker=other_caseworker)  # due today: not overdue yet

    forget_notices()
    with committed():
        assert sweep_overdue_digests(today=day) == 2
    with committed():
        assert sweep_overdue_digests(today=day) == 0

    by_recipient = {n.recipient_id: n for n in notifications_mailed(mail.outbox)}
    assert set(by_recipient) == {caseworker.pk, other_caseworker.pk}
    assert all(n.kind == Kind.OVERDUE_DIGEST for n in by_recipient.values())
    mine_text = by_recipient[caseworker.pk].body
    assert all(a.reference_number in mine_text for a in mine)
    assert theirs.reference_number not in mine_text
    # An e-mail only: a daily copy would bury everything else in the portal.
    assert not Notification.objects.filter(kind=Kind.OVERDUE_DIGEST, channel=Channel.IN_APP)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_send_each_reminder_once(caseworker):
    day = today()
    for n in (7, 3, 1):
        interrupted_with_deadline(day + days(n))
    filed_due_on(day + days(7), caseworker=caseworker)
    forget_notices()
    barrier = threading.Barrier(2)

    def sweep() -> None:
        try:
            barrier.wait()
            sweep_reminders(today=day)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert mailed_kinds(mail.outbox) == sorted(
        [Kind.DOCUMENT_DEADLINE_REMINDER] * 3 + [Kind.DECISION_DUE_REMINDER]
    )
    assert Notification.objects.filter(kind=Kind.DOCUMENT_DEADLINE_REMINDER).count() == 6
    assert Notification.objects.filter(kind=Kind.DECISION_DUE_REMINDER).count() == 2


# --- The daily system steps -------------------------------------------------------------------


def test_daily_steps_deliver_then_finalize_then_flag(committed, caseworker):
    day = today()
    unopened = ApplicationFactory(rejected=True)
    Decision.objects.filter(application=unopened).update(made_available_on=day - days(10))
    expired = ApplicationFactory(rejected=True)
    Decision.objects.filter(application=expired).update(
        made_available_on=day - days(30), delivered_on=day - days(20), appeal_due=day - days(1)
    )
    stalled = interrupted_with_deadline(day - days(1))

    forget_notices()
    with committed():
        outcome = run_daily_system_steps(today=day)

    assert outcome == {
        "delivered": 1,
        "finalized": 1,
        "not_finalized": 0,
        "interruptions_flagged": 1,
    }
    delivered = Decision.objects.get(application=unopened)
    assert delivered.delivered_on == day
    assert delivered.appeal_due == deadlines.appeal_due(day)
    unopened.refresh_from_db()
    assert unopened.status == Status.DECIDED
    expired.refresh_from_db()
    assert expired.status == Status.CLOSED
    flagged = Notification.objects.filter(kind=Kind.INTERRUPTION_OVERDUE)
    assert {n.recipient_id for n in flagged} == {stalled.application.assigned_to_id}
    [email] = [n for n in notifications_mailed(mail.outbox) if n.kind == Kind.INTERRUPTION_OVERDUE]
    assert email.email == stalled.application.assigned_to.email


def test_daily_steps_twice_flag_an_interruption_once(committed):
    interrupted_with_deadline(today() - days(2))

    forget_notices()
    with committed():
        first = run_daily_system_steps(today=today())
    with committed():
        second = run_daily_system_steps(today=today())

    assert (first["interruptions_flagged"], second["interruptions_flagged"]) == (1, 0)
    assert Notification.objects.filter(kind=Kind.INTERRUPTION_OVERDUE).count() == 2
    assert len(mail.outbox) == 1


def test_one_failing_case_does_not_stop_the_others(committed, monkeypatch, caplog):
    from applications import services

    day = today()
    cases = [ApplicationFactory(rejected=True) for _ in range(2)]
    Decision.objects.filter(application__in=cases).update(
        made_available_on=day - days(30), delivered_on=day - days(20), appeal_due=day - days(1)
    )
    real_finalize = services.application_finalize

    def finalize(*, application, actor=None):
        if application.pk == cases[0].pk:
            raise RuntimeError("the database hiccuped")
        return real_finalize(application=application, actor=actor)

    monkeypatch.setattr(services, "application_finalize", finalize)

    forget_notices()
    with committed():
        outcome = run_daily_system_steps(today=day)

    assert (outcome["finalized"], outcome["not_finalized"]) == (1, 1)
    statuses = dict(
        Application.objects.filter(pk__in=[c.pk for c in cases]).values_list("pk", "status")
    )
    assert statuses == {cases[0].pk: Status.DECIDED, cases[1].pk: Status.CLOSED}
    assert f"Finalizing application {cases[0].pk} failed." in caplog.text


def test_an_appeal_lodged_before_the_run_keeps_the_case_open(committed):
    appealed = ApplicationFactory(appealed=True)
    Decision.objects.filter(application=appealed).update(appeal_due=today() - days(1))

    forget_notices()
    with committed():
        outcome = run_daily_system_steps(today=today())

    assert outcome["finalized"] == 0
    appealed.refresh_from_db()
    assert appealed.status == Status.APPEALED
