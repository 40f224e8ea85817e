"""The periodic jobs on cases that Celery beat starts (``CELERY_BEAT_SCHEDULE`` in
``config/settings.py``): reminders of deadlines, the caseworkers' overdue digests, and the
system's own daily steps in the proceedings (delivery fiction, finality).

A sweep selects what falls due with one query on an index, leaves out what was notified already
(lookups on ``notification_event_idx``) and queues the items for the workers, in batches. A task
makes each item's notifications; their unique idempotency key is what stops a second sweep, or
the same sweep on two machines, from sending anything again. Items are matched on the exact day
(a deadline 7, 3 or 1 days away): a reminder due tomorrow is not sent today.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from celery import current_app
from django.db.models import Q, QuerySet

from applications import services
from applications.constants import Remedy, Status
from applications.models import Application, Decision, Interruption
from applications.notices import reminder_occurrence
from core.errors import ApplicationError
from notifications.constants import (
    DECISION_DUE_DAYS_BEFORE,
    INTERRUPTION_OVERDUE_LOOKBACK_DAYS,
    REMINDER_DAYS_BEFORE,
    Kind,
)
from notifications.delivery import event_key_for
from notifications.models import Notification
from permits.models import Permit

logger = logging.getLogger(__name__)

# The holder is reminded of a booked biometrics appointment the day before it.
APPOINTMENT_REMINDER_DAYS_BEFORE = (1,)

# The tasks that make what a sweep found due, looked up by name in Celery's registry:
# applications.tasks runs these sweeps, so importing its tasks here would make the two modules
# import each other.
SEND_REMINDERS_TASK = "applications.tasks.send_reminders"
SEND_OVERDUE_DIGEST_TASK = "applications.tasks.send_overdue_digest"


@dataclass(frozen=True)
class DueItem:
    """Something a reminder is due for: the object the task loads, and the deadline."""

    kind: Kind
    object_id: int
    application_id: int
    due_on: date
    days_before: int

    @property
    def event_key(self) -> str:
        occurrence = reminder_occurrence(due_on=self.due_on, days_before=self.days_before)
        return event_key_for(kind=self.kind, about=self.application_id, occurrence=occurrence)


def _dates(today: date, days_before: Iterable[int]) -> dict[date, int]:
    return {today + timedelta(days=days): days for days in days_before}


# Each query returns (object id, application id, deadline) rows, unordered: the order does not
# matter and an ORDER BY would make the database sort every due row.


def document_deadline_query(dates: Iterable[date]) -> QuerySet:
    """Open interruptions whose documents are due on one of ``dates``:
    the partial index ``interruption_open_deadline_idx``."""
    return (
        Interruption.objects.filter(ended_on__isnull=True, deadline__in=list(dates))
        .order_by()
        .values_list("pk", "application_id", "deadline")
    )


def appeal_deadline_query(dates: Iterable[date]) -> QuerySet:
    """Delivered decisions with nothing lodged whose remedy's period (an appeal, a request for
    re-assessment) ends on one of ``dates``: ``decision_appeal_due_idx``. A decision with no
    remedy has no period to remind of."""
    return (
        Decision.objects.filter(
            appeal_due__in=list(dates),
            delivered_on__isnull=False,
            appeal__isnull=True,
            application__status=Status.DECIDED,
        )
        .exclude(remedy=Remedy.NONE)
        .order_by()
        .values_list("pk", "application_id", "appeal_due")
    )


def pickup_query(dates: Iterable[date]) -> QuerySet:
    """Residence cards not collected whose pickup deadline is one of ``dates``: the index on
    ``Permit.pickup_due``."""
    return (
        Permit.objects.filter(pickup_due__in=list(dates), picked_up_on__isnull=True)
        .order_by()
        .values_list("pk", "application_id", "pickup_due")
    )


def biometrics_query(dates: Iterable[date]) -> QuerySet:
    """Holders who entered the country, have no biometrics appointment booked and have not
    given biometric data, due on one of ``dates`` (30 days after entry [003]): the index on
    ``Permit.biometrics_due``. Once an appointment is booked, the holder is reminded of it
    instead (``biometrics_appointment_query``)."""
    return (
        Permit.objects.filter(
            biometrics_due__in=list(dates),
            biometrics_appointment_on__isnull=True,
            biometrics_on__isnull=True,
        )
        .order_by()
        .values_list("pk", "application_id", "biometrics_due")
    )


def biometrics_appointment_query(dates: Iterable[date]) -> QuerySet:
    """Holders whose appointment to give biometric data [002][003] is on one of ``dates`` and
    who have not given them yet. A re-booked appointment is reminded of on its new day."""
    return (
        Permit.objects.filter(biometrics_appointment_on__in=list(dates), biometrics_on__isnull=True)
        .order_by()
        .values_list("pk", "application_id", "biometrics_appointment_on")
    )


def decision_due_query(dates: Iterable[date]) -> QuerySet:
    """Assigned cases in proceedings whose decision is due on one of ``dates``:
    ``application_queue_idx`` (status, decision_due)."""
    return (
        Application.objects.filter(
            status=Status.FILED, decision_due__in=list(dates), assigned_to__isnull=False
        )
        .order_by()
        .values_list("pk", "id", "decision_due")
    )


@dataclass(frozen=True)
class ReminderSweep:
    kind: Kind
    days_before: tuple[int, ...]
    query: Callable[[Iterable[date]], QuerySet]

    def due(self, today: date) -> list[DueItem]:
        dates = _dates(today, self.days_before)
        return [
            DueItem(self.kind, object_id, application_id, due_on, dates[due_on])
            for object_id, application_id, due_on in self.query(dates)
        ]


REMINDER_SWEEPS = (
    ReminderSweep(Kind.DOCUMENT_DEADLINE_REMINDER, REMINDER_DAYS_BEFORE, document_deadline_query),
    ReminderSweep(Kind.APPEAL_DEADLINE_REMINDER, REMINDER_DAYS_BEFORE, appeal_deadline_query),
    ReminderSweep(Kind.PICKUP_REMINDER, REMINDER_DAYS_BEFORE, pickup_query),
    ReminderSweep(Kind.BIOMETRICS_REMINDER, REMINDER_DAYS_BEFORE, biometrics_query),
    # The appointment itself, the day before: the same kind of message (what the holder turns
    # off or keeps), told apart by its day (``notices._remind_biometrics``).
    ReminderSweep(
        Kind.BIOMETRICS_REMINDER, APPOINTMENT_REMINDER_DAYS_BEFORE, biometrics_appointment_query
    ),
    ReminderSweep(Kind.DECISION_DUE_REMINDER, (DECISION_DUE_DAYS_BEFORE,), decision_due_query),
)


def _already_notified(event_keys: list[str], *, chunk: int = 500) -> set[str]:
    done: set[str] = set()
    for start in range(0, len(event_keys), chunk):
        done.update(
            Notification.objects.filter(event_key__in=event_keys[start : start + chunk])
            .values_list("event_key", flat=True)
            .distinct()
        )
    return done


# Reminders per queued task: queueing costs about a millisecond a message, making one reminder
# some twenty; a batch is a few seconds of a worker's time, and many batches spread over workers.
REMINDER_BATCH_SIZE = 100


def queue_due(items: list[DueItem]) -> int:
    """Queue the items not notified yet, in batches; returns how many items were queued."""
    send_reminders = current_app.tasks[SEND_REMINDERS_TASK]
    done = _already_notified([item.event_key for item in items]) if items else set()
    todo = [
        [item.kind.value, item.object_id, item.due_on.isoformat(), item.days_before]
        for item in items
        if item.event_key not in done
    ]
    for start in range(0, len(todo), REMINDER_BATCH_SIZE):
        send_reminders.delay(todo[start : start + REMINDER_BATCH_SIZE])
    return len(todo)


def sweep_reminders(*, today: date) -> dict[str, int]:
    """Every reminder sweep for ``today``; returns the number queued per kind (a kind two
    sweeps make, the biometrics reminder, counts both)."""
    queued: dict[str, int] = {}
    for sweep in REMINDER_SWEEPS:
        queued[str(sweep.kind)] = queued.get(str(sweep.kind), 0) + queue_due(sweep.due(today))
    return queued


def sweep_overdue_digests(*, today: date) -> int:
    """Queue today's digest for every caseworker with a case past its decision deadline."""
    send_overdue_digest = current_app.tasks[SEND_OVERDUE_DIGEST_TASK]
    caseworkers = list(
        Application.objects.overdue(today=today)
        .filter(assigned_to__isnull=False)
        .order_by()
        .values_list("assigned_to", flat=True)
        .distinct()
    )
    occurrence = reminder_occurrence(due_on=today, days_before=0)
    keys = {
        user_id: event_key_for(kind=Kind.OVERDUE_DIGEST, about=f"u{user_id}", occurrence=occurrence)
        for user_id in caseworkers
    }
    done = _already_notified(list(keys.values()))
    queued = 0
    for user_id, key in keys.items():
        if key not in done:
            send_overdue_digest.delay(user_id, today.isoformat())
            queued += 1
    return queued


def interruption_overdue_query(today: date) -> QuerySet:
    """Open interruptions whose documents' deadline passed in the last days (a bounded range of
    ``interruption_open_deadline_idx``; the window lets a missed daily run catch up)."""
    return (
        Interruption.objects.filter(
            ended_on__isnull=True,
            deadline__lt=today,
            deadline__gte=today - timedelta(days=INTERRUPTION_OVERDUE_LOOKBACK_DAYS),
        )
        .order_by()
        .values_list("pk", "application_id", "deadline")
    )


def due_interruptions_overdue(*, today: date) -> list[DueItem]:
    return [
        DueItem(Kind.INTERRUPTION_OVERDUE, object_id, application_id, deadline, 0)
        for object_id, application_id, deadline in interruption_overdue_query(today)
    ]


def finalize_candidates(*, today: date) -> list[int]:
    """Decided cases whose delivered decision's remedy period ended before ``today`` with
    nothing lodged, or whose decision allows no remedy and was delivered by ``today`` (it takes
    legal effect on delivery: ``remedies.lodging_due``)."""
    period_over = Q(decisions__appeal_due__lt=today) | Q(
        decisions__remedy=Remedy.NONE, decisions__appeal_due__lte=today
    )
    return list(
        Application.objects.filter(
            period_over,
            status=Status.DECIDED,
            decisions__appeal__isnull=True,
        )
        .order_by()
        .values_list("pk", flat=True)
        .distinct()
    )


def run_daily_system_steps(*, today: date) -> dict[str, int]:
    """The system's own steps in the proceedings, once a day after midnight:

    1. the delivery fiction: decisions not opened within 10 days are delivered (D3);
    2. decisions whose remedy's period passed with nothing lodged, and delivered decisions that
       allow no remedy, take legal effect (``finalize``), one case per transaction, so one
       failure stops no other case;
    3. open interruptions whose documents' deadline passed are flagged to the caseworker.
    """
    delivered = services.decisions_deliver_unopened(today=today)
    finalized = failed = 0
    for application_id in finalize_candidates(today=today):
        try:
            application = Application.objects.get(pk=application_id)
            services.application_finalize(application=application, actor=None)
        except ApplicationError as error:
            # e.g. an appeal lodged meanwhile: the guard refused, rightly.
            logger.warning("Application %s not finalized: %s", application_id, error)
            failed += 1
        except Exception:
            logger.exception("Finalizing application %s failed.", application_id)
            failed += 1
        else:
            finalized += 1
    flagged = queue_due(due_interruptions_overdue(today=today))
    return {
        "delivered": delivered,
        "finalized": finalized,
        "not_finalized": failed,
        "interruptions_flagged": flagged,
    }
