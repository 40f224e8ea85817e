"""Celery tasks: arguments are ids (JSON); each loads what it needs and calls a service. Both are
safe to run twice: the send claim sees to it.

Their outcome is in the database (the notification rows), so no task stores a result: with the
Redis result backend that also saves a round trip per queued task, which a sweep queueing
thousands of e-mails feels."""

from __future__ import annotations

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from notifications import sending
from notifications.sending import DeliveryError, SendResult


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
        result = sending.notification_send(notification_id=notification_id)
    except DeliveryError as error:
        if not error.transient or self.request.retries >= self.max_retries:
            sending.notification_give_up(notification_id=notification_id, error=str(error))
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


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=120, time_limit=180)
def requeue_unsent_notifications() -> int:
    """Beat: the safety net for e-mails whose task was lost (a broker restart, a dead worker)."""
    return sending.notifications_requeue_unsent()
