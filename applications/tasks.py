"""Background work on cases, each task loading by id and calling a service."""

from __future__ import annotations

import logging
from datetime import date

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from applications import appeal_drafts, dashboard, notices, retention, sweeps
from applications.letters import decision_document_render, interruption_letter_file
from core import clock
from privacy.retention import access_log_purge

logger = logging.getLogger(__name__)

# --- Letters and decisions -------------------------------------------------------------------
# Services record this work in the outbox (``core/outbox.py``), which calls the same services;
# these tasks render one by id on demand.


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def render_decision_pdf(decision_id: int) -> int | None:
    """Render a decision to PDF and make it available; safe to run twice."""
    document = decision_document_render(decision_id=decision_id)
    return document.pk if document else None


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def render_interruption_letter(interruption_id: int) -> int | None:
    """Render and file an interruption's letter; safe to run twice."""
    document = interruption_letter_file(interruption_id=interruption_id)
    return document.pk if document else None


# --- Reminders, digests and the daily steps ----------------------------------------------------
# Arguments are ids and ISO dates (JSON). Their outcome is in the database (the notification
# rows, the cases), so no task stores a result: with the Redis result backend that also saves a
# round trip per queued task, which a sweep queueing thousands of reminders feels. All are safe
# to run twice: a notification's unique key and the services' guards see to it.


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=240, time_limit=300)
def send_reminders(items: list[list]) -> int:
    """Make the reminders a sweep found due: ``[kind, object id, due date, days before]`` each.

    A sweep queues them in batches (``sweeps.REMINDER_BATCH_SIZE``): one message per item costs
    a millisecond of queueing each, which at 10,000 due items is most of the sweep. One item
    failing does not stop the others; it is logged, and the next sweep queues it again (nothing
    was made for it). Returns the number of notifications made.
    """
    made = 0
    for kind, object_id, due_on, days_before in items:
        try:
            made += len(
                notices.notify_reminder(
                    kind=kind,
                    object_id=object_id,
                    due_on=date.fromisoformat(due_on),
                    days_before=days_before,
                )
            )
        except SoftTimeLimitExceeded:
            raise
        except Exception:
            logger.exception("Reminder %s for %s (%s) failed.", kind, object_id, due_on)
    return made


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=60, time_limit=90)
def send_overdue_digest(caseworker_id: int, day: str) -> int:
    """Make one caseworker's digest of overdue cases for ``day``."""
    return len(
        notices.notify_overdue_digest(caseworker_id=caseworker_id, day=date.fromisoformat(day))
    )


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=600, time_limit=900)
def sweep_reminders() -> dict[str, int]:
    """Beat: queue today's reminders to applicants and caseworkers."""
    return sweeps.sweep_reminders(today=clock.today())


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=600, time_limit=900)
def sweep_overdue_digests() -> int:
    """Beat: queue today's overdue-cases digest, one per caseworker."""
    return sweeps.sweep_overdue_digests(today=clock.today())


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=3000, time_limit=3300)
def daily_system_steps() -> dict[str, int]:
    """Beat, after midnight: delivery fiction, finality, missed interruption deadlines."""
    outcome = sweeps.run_daily_system_steps(today=clock.today())
    logger.info("Daily system steps: %s", outcome)
    return outcome


# --- Retention ---------------------------------------------------------------------------------
# Beat starts the sweep at night, the sweep queues the due cases in batches, a worker anonymises
# each case in its own transaction. Both are safe to run twice: a case already anonymised is no
# longer due, and each is re-checked under a lock.


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=240, time_limit=300)
def sweep_retention() -> int:
    """Queue every case due for anonymisation today; purge the access log's old events and the
    files of appeal drafts no session can still lodge. Returns the number of cases queued."""
    today = clock.today()
    queued = 0
    for batch in retention.due_case_batches(today=today):
        anonymise_cases.delay(batch, today.isoformat())
        queued += len(batch)
    access_log_purge(today=today)
    appeal_drafts.drafts_purge(now=clock.now())
    return queued


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=240, time_limit=300)
def anonymise_cases(application_ids: list[int], today: str) -> int:
    """Anonymise the cases that are still due on ``today``; returns how many were."""
    day = date.fromisoformat(today)
    return sum(
        retention.case_anonymise(application_id=pk, today=day) is not None for pk in application_ids
    )


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=55, expires=55)
def refresh_dashboard_figures() -> None:
    """Count the supervisor dashboard's figures for the next minute's pages."""
    dashboard.recount(clock.today())
