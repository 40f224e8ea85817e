"""Celery tasks: arguments are ids and ISO dates (JSON); each loads what it needs and calls a
service. All are safe to run twice: a notification's unique key and the send claim see to it.

Their outcome is in the database (the notification rows), so no task stores a result: with the
Redis result backend that also saves a round trip per queued task, which a sweep queueing
thousands of reminders feels."""

from __future__ import annotations

import logging
from datetime import date

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from core import clock
from notifications import services, sweeps
from notifications.services import DeliveryError, SendResult

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    ignore_result=True,
    max_retries=settings.NOTIFICATION_EMAIL_MAX_RETRIES,
    soft_time_limit=30,
    # Below NOTIFICATION_CLAIM_TIMEOUT: a worker past this is dead, so its claim may be taken.
    time_limit=45,
)
def send_notification(self, notification_id: int) -> str:
    """Send one e-mail notification. Transient failures (a 4xx answer, a dropped connection, a
    timeout) are retried with exponential backoff; permanent ones are recorded and given up."""
    try:
        result = services.notification_send(notification_id=notification_id)
    except DeliveryError as error:
        if not error.transient or self.request.retries >= self.max_retries:
            services.notification_give_up(notification_id=notification_id, error=str(error))
            return "failed"
        countdown = get_exponential_backoff_interval(
            factor=settings.NOTIFICATION_EMAIL_RETRY_BACKOFF,
            retries=self.request.retries,
            maximum=settings.NOTIFICATION_EMAIL_RETRY_BACKOFF_MAX,
            full_jitter=False,
        )
        raise self.retry(exc=error, countdown=countdown) from error
    if result is SendResult.CLAIMED_ELSEWHERE:
        # Another worker is sending it, or died doing so: look again once its claim expires.
        raise self.retry(countdown=settings.NOTIFICATION_CLAIM_TIMEOUT)
    return result.value


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
                services.notify_reminder(
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
    return len(
        services.notify_overdue_digest(caseworker_id=caseworker_id, day=date.fromisoformat(day))
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


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=120, time_limit=180)
def requeue_unsent_notifications() -> int:
    """Beat: the safety net for e-mails whose task was lost (a broker restart, a dead worker)."""
    return services.notifications_requeue_unsent()
