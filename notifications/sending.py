"""Sending the e-mail notifications (SPEC §7): once however often a send is queued, retried on
transient errors only, and queued again when its task was lost.

Sending claims the row first (a conditional UPDATE), so a task delivered twice sends one e-mail.
The notification row is the record: when the broker is down nothing waits for it, and the
safety-net sweep (``notifications_requeue_unsent``) queues the e-mail again. The e-mail is
rendered when it is sent, in the recipient's language of that moment (``_render_now``).
"""

from __future__ import annotations

import enum
import logging
import smtplib
from datetime import timedelta
from email.utils import parseaddr

import redis.exceptions
from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from core.queueing import publish
from notifications.constants import Channel
from notifications.models import Notification
from notifications.rendering import email_message, language_of

logger = logging.getLogger(__name__)

SEND_TASK = "notifications.tasks.send_notification"


def queue_send(notification_id: int) -> bool:
    """Queue the e-mail notification for sending; False when the broker could not take it (the
    safety-net sweep queues it again)."""
    # Looked up by name in Celery's registry: notifications.tasks calls this module to send, so
    # importing the task here would make the two modules import each other.
    return publish(current_app.tasks[SEND_TASK], notification_id)


class SendResult(enum.Enum):
    SENT = "sent"
    # Sent or given up before, or not an e-mail: nothing to do.
    NOTHING_TO_DO = "nothing to do"
    # Another worker is sending it now; look again once its claim could have expired.
    CLAIMED_ELSEWHERE = "claimed elsewhere"


class DeliveryError(Exception):
    """Sending an e-mail failed; ``transient`` says whether trying again later can help."""

    def __init__(self, error: BaseException) -> None:
        self.transient = is_transient(error)
        super().__init__(describe_error(error))


_TRANSIENT = (
    smtplib.SMTPServerDisconnected,
    ConnectionError,
    TimeoutError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    # The soft time limit: a stalled server is a reason to try again later.
    SoftTimeLimitExceeded,
)


def is_transient(error: BaseException) -> bool:
    """A 4xx answer, a dropped or refused connection, a timeout: worth retrying. A 5xx answer
    (unknown mailbox, refused sender, failed authentication) will not get better by itself."""
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    return isinstance(error, _TRANSIENT)


def describe_error(error: BaseException) -> str:
    # The class and the server's answer; never the message or the address.
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__}: {error.smtp_code}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in error.recipients.values()})
        return f"{type(error).__name__}: {codes}"
    return type(error).__name__


def _message_id(notification: Notification) -> str:
    # Stable across retries, so a receiving server can tell a repeat from a new message.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<notification-{notification.pk}-{notification.created_at:%Y%m%d%H%M%S}@{domain}>"


def _email_message(notification: Notification) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body,
        to=[notification.email],
        headers={
            "Message-ID": _message_id(notification),
            "Content-Language": notification.language,
            "Auto-Submitted": "auto-generated",
        },
        connection=get_connection(timeout=settings.NOTIFICATION_SMTP_TIMEOUT),
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    return message


def _render_now(notification: Notification) -> None:
    """Render the e-mail again in the recipient's language of this moment: a user's preferred
    language (they may have changed it since the notice was made), the stored one for a person
    without an account. The row then keeps what is sent. A row without data, or whose case is
    gone, is sent as it was stored."""
    user = notification.recipient
    language = language_of(user.preferred_language) if user is not None else notification.language
    message = email_message(notification, language=language)
    if message is None:
        return
    notification.language = language
    notification.subject = message["subject"]
    notification.body = message["text"]
    notification.body_html = message["html"]
    # Only the worker holding the claim gets here (encrypted fields cannot go through update()).
    notification.save(update_fields=["language", "subject", "body", "body_html"])


def _claimable() -> Q:
    stale = timezone.now() - timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT)
    return Q(claimed_by="") | Q(claimed_at__lt=stale)


def notification_send(*, notification_id: int) -> SendResult:
    """Send one e-mail notification, at most once however often it is called.

    The row is claimed with a conditional UPDATE: of two workers holding the same task, one
    claims it and the other finds it claimed or sent. A claim older than
    ``NOTIFICATION_CLAIM_TIMEOUT`` is a dead worker's and is taken over. Raises ``DeliveryError``
    when the mail server refuses or cannot be reached; the claim is then released for a retry.
    """
    token = get_random_string(32)
    claimed = (
        Notification.objects.filter(
            _claimable(),
            pk=notification_id,
            channel=Channel.EMAIL,
            sent_at__isnull=True,
            failed_at__isnull=True,
        )
        # claimed_at also records when the last attempt began (the safety-net sweep reads it).
        .update(claimed_at=timezone.now(), claimed_by=token, attempts=F("attempts") + 1)
    )
    if not claimed:
        pending = Notification.objects.filter(
            pk=notification_id, channel=Channel.EMAIL, sent_at__isnull=True, failed_at__isnull=True
        ).exists()
        return SendResult.CLAIMED_ELSEWHERE if pending else SendResult.NOTHING_TO_DO
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    _render_now(notification)
    try:
        _email_message(notification).send()
    except Exception as error:
        Notification.objects.filter(pk=notification_id, claimed_by=token).update(
            claimed_by="", last_error=describe_error(error)
        )
        raise DeliveryError(error) from error
    released = Notification.objects.filter(pk=notification_id, claimed_by=token).update(
        sent_at=timezone.now(), claimed_by="", last_error=""
    )
    if not released:
        # Our claim outlived NOTIFICATION_CLAIM_TIMEOUT and another worker took it over.
        logger.warning("Notification %s: claim expired while sending.", notification_id)
        Notification.objects.filter(pk=notification_id, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
    return SendResult.SENT


def notification_give_up(*, notification_id: int, error: str) -> None:
    """Stop trying to send: a permanent error, or no retries left."""
    Notification.objects.filter(pk=notification_id, sent_at__isnull=True).update(
        failed_at=timezone.now(), claimed_by="", last_error=error
    )
    logger.error("Notification %s not sent: %s", notification_id, error)


def notifications_requeue_unsent(*, limit: int = 1000) -> int:
    """Queue again the e-mails whose task was lost: never tried after a grace period, claimed by
    a worker that died, or waiting for a retry longer than any backoff. Each send claims its row,
    so one queued twice still goes once."""
    now = timezone.now()
    grace = timedelta(minutes=10)
    stale_claim = now - timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT)
    lost_retry = now - timedelta(seconds=settings.NOTIFICATION_EMAIL_RETRY_BACKOFF_MAX) - grace
    ids = list(
        Notification.objects.filter(
            channel=Channel.EMAIL, sent_at__isnull=True, failed_at__isnull=True
        )
        .filter(
            Q(attempts=0, created_at__lt=now - grace)
            | Q(claimed_by="", attempts__gt=0, claimed_at__lt=lost_retry)
            | (~Q(claimed_by="") & Q(claimed_at__lt=stale_claim))
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for notification_id in ids:
        queue_send(notification_id)
    return len(ids)
