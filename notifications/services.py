"""Notifying people, and sending what was notified (SPEC §6, §7).

Every notification is made the same way: decide who is told and on which channels, build the
idempotency key of each (recipient, channel), render the message in the recipient's language and
insert the rows. The unique key makes the insert the decision: only the transaction that inserted
an e-mail row queues it for sending, so a state change, a sweep run twice or two workers at once
notify once. Sending claims the row first (a conditional UPDATE), so a task delivered twice sends
one e-mail.

Functions here are called after the business transaction has committed (the application
services register them with ``transaction.on_commit``) and by the tasks in ``tasks.py``.
"""

from __future__ import annotations

import enum
import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from email.utils import parseaddr
from functools import partial
from typing import TYPE_CHECKING, Any

import redis.exceptions
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import get_random_string

from accounts.constants import Language
from applications.constants import AppealResult, InterruptionEnd, Status
from applications.models import Application, Decision, Interruption
from core import clock
from core.queueing import publish
from notifications.constants import (
    ALWAYS_EMAILED,
    APPLICATION_EVENTS,
    EMAIL_ONLY,
    OVERDUE_DIGEST_MAX_LISTED,
    Channel,
    Kind,
)
from notifications.models import Notification, NotificationPreference
from notifications.selectors import email_disabled_kinds, notification_get_for_user
from permits import deadlines
from permits.models import Permit

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


# --- Who is told, in which language -----------------------------------------------------------


def language_of(code: str | None) -> str:
    """A language the portal speaks: ``code`` if it is one, else Czech (the language of record)."""
    return code if code in Language.values else Language.CS


@dataclass(frozen=True)
class Recipient:
    user: User | None
    email: str
    language: str
    # Identifies the recipient in idempotency keys: a user, or a person without an account.
    key: str


def _user_recipient(user: User) -> Recipient:
    return Recipient(
        user=user,
        email=user.email,
        language=language_of(user.preferred_language),
        key=f"u{user.pk}",
    )


def _applicant_recipients(application: Application) -> list[Recipient]:
    """The applicant's account (a parent's account for a child), or, for a person the support
    centre registered without an account, their e-mail address if they gave one."""
    applicant = application.applicant
    if applicant.account is not None:
        return [_user_recipient(applicant.account)]
    if applicant.email:
        return [
            Recipient(
                user=None,
                email=applicant.email,
                language=language_of(applicant.preferred_language),
                key=f"p{applicant.pk}",
            )
        ]
    return []


def _channels_for(kind: Kind, recipient: Recipient, disabled: set[str]) -> list[Channel]:
    channels = []
    if recipient.user is not None and kind not in EMAIL_ONLY:
        channels.append(Channel.IN_APP)
    if recipient.email and (kind in ALWAYS_EMAILED or kind not in disabled):
        channels.append(Channel.EMAIL)
    return channels


# --- Rendering --------------------------------------------------------------------------------


def render_message(*, kind: Kind | str, language: str, context: dict[str, Any]) -> dict[str, str]:
    """Subject, text and HTML of a message, and the shorter text shown in the portal.

    Each kind is ``templates/notifications/email/<kind>_subject.txt``, ``<kind>.txt`` and
    ``<kind>.html``, rendered with the recipient's language active (dates, document and permit
    names, outcomes all follow it). The subject says only what kind of message it is, never
    which case, whose, or by when: it is stored in clear and travels in the mail's headers
    (and lock screens), while the text, which carries the details, is stored encrypted.
    """
    language = language_of(language)
    context = {
        **context,
        "kind": kind,
        "language_code": language,
        "language_name": Language(language).label,
    }
    with translation.override(language):
        subject = render_to_string(f"notifications/email/{kind}_subject.txt", context)
        text = render_to_string(f"notifications/email/{kind}.txt", {**context, "for_email": True})
        html = render_to_string(f"notifications/email/{kind}.html", {**context, "for_email": True})
        in_app = render_to_string(f"notifications/email/{kind}.txt", context)
    return {
        # A header is one line.
        "subject": " ".join(subject.split())[:255],
        "text": text.strip() + "\n",
        "html": html,
        "in_app": in_app.strip(),
    }


# --- Making notifications ---------------------------------------------------------------------


def _keys(
    *, kind: Kind, about: str, occurrence: str, channel: Channel, recipient: Recipient
) -> tuple[str, str]:
    """The event key (one per thing that happened) and the idempotency key (one per message).

    ``about`` is the application (or the caseworker a digest is for); ``occurrence`` tells this
    happening from others of the same kind: ``<due date>:<days before>`` for a reminder, the id of
    the interruption or decision for a change of state.
    """
    event_key = f"{kind}:{about}:{occurrence}"
    return event_key, f"{kind}:{about}:{channel}:{recipient.key}:{occurrence}"


def event_key_for(*, kind: Kind | str, about: int | str, occurrence: str) -> str:
    """What the sweeps look up to skip what was notified already (see ``_keys``)."""
    return f"{kind}:{about}:{occurrence}"


def _queue_send(notification_id: int) -> None:
    # The notification row is the record: when the broker is down the request is not held up,
    # and the safety-net sweep (requeue_unsent_notifications) queues it again.
    from notifications.tasks import send_notification

    publish(send_notification, notification_id)


def _deliver(
    *,
    kind: Kind,
    recipients: Sequence[Recipient],
    about: str,
    occurrence: str,
    context: dict[str, Any],
    application: Application | None = None,
    due_on: date | None = None,
) -> list[Notification]:
    """Insert the notification rows that do not exist yet; queue the new e-mails on commit."""
    planned: list[tuple[Recipient, Channel, str, str]] = []
    for recipient in recipients:
        disabled = email_disabled_kinds(user=recipient.user) if recipient.user else set()
        for channel in _channels_for(kind, recipient, disabled):
            event_key, key = _keys(
                kind=kind, about=about, occurrence=occurrence, channel=channel, recipient=recipient
            )
            planned.append((recipient, channel, event_key, key))
    if not planned:
        return []
    existing = set(
        Notification.objects.filter(idempotency_key__in=[p[3] for p in planned]).values_list(
            "idempotency_key", flat=True
        )
    )
    todo = [p for p in planned if p[3] not in existing]
    if not todo:
        return []
    rendered = {
        (language, has_account): render_message(
            kind=kind, language=language, context={**context, "has_account": has_account}
        )
        for language, has_account in {(r.language, r.user is not None) for r, *_ in todo}
    }
    created = []
    with transaction.atomic():
        for recipient, channel, event_key, key in todo:
            message = rendered[recipient.language, recipient.user is not None]
            now = timezone.now()
            notification, inserted = Notification.objects.get_or_create(
                idempotency_key=key,
                defaults={
                    "recipient": recipient.user,
                    "email": recipient.email if channel == Channel.EMAIL else "",
                    "kind": kind,
                    "application": application,
                    "channel": channel,
                    "language": recipient.language,
                    "subject": message["subject"],
                    "body": message["text"] if channel == Channel.EMAIL else message["in_app"],
                    "body_html": message["html"] if channel == Channel.EMAIL else "",
                    "due_on": due_on,
                    "event_key": event_key,
                    "created_at": now,
                    # In the portal, a notification is delivered by existing.
                    "sent_at": now if channel == Channel.IN_APP else None,
                },
            )
            # Whoever lost the race to insert does not send: the winner does.
            if inserted:
                created.append(notification)
                if channel == Channel.EMAIL:
                    # robust: an e-mail that cannot be queued never undoes or breaks the
                    # action; the safety-net sweep queues it again.
                    transaction.on_commit(partial(_queue_send, notification.pk), robust=True)
    return created


# --- Changes of state ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Event:
    occurrence: str
    context: dict[str, Any]
    due_on: date | None = None


def _event_filed(application: Application) -> _Event:
    # A case is filed from a draft once; filed again only when an appeal returned it for new
    # proceedings (SPEC §2 resolve_appeal), and then each return is its own notice.
    returned_by = (
        application.appeals.filter(result=AppealResult.RETURNED)
        .order_by("-result_recorded_at", "-pk")
        .first()
    )
    return _Event(
        occurrence=f"a{returned_by.pk}" if returned_by else "first",
        context={"returned": returned_by is not None},
        due_on=application.decision_due,
    )


def _event_interrupted(application: Application) -> _Event | None:
    interruption = (
        application.interruptions.prefetch_related("requested_kinds")
        .order_by("-started_on", "-pk")
        .first()
    )
    if interruption is None:
        return None
    return _Event(
        occurrence=f"i{interruption.pk}",
        context={
            "interruption": interruption,
            "documents": list(interruption.requested_kinds.all()),
        },
        due_on=interruption.deadline,
    )


def _event_resumed(application: Application) -> _Event | None:
    interruption = (
        application.interruptions.filter(end_reason=InterruptionEnd.RESUMED)
        .order_by("-ended_on", "-pk")
        .first()
    )
    if interruption is None:
        return None
    return _Event(
        occurrence=f"i{interruption.pk}",
        context={"interruption": interruption},
        due_on=application.decision_due,
    )


def _decision_dates(decision: Decision) -> dict[str, Any]:
    """The delivery and appeal dates a letter about a decision can promise (D3, D4)."""
    if decision.delivered_on is not None:
        return {"delivered_on": decision.delivered_on, "appeal_due": decision.appeal_due}
    if decision.made_available_on is None:
        return {}
    latest_delivery = deadlines.delivery_date(decision.made_available_on, None)
    return {
        "latest_delivery": latest_delivery,
        "latest_appeal_due": deadlines.appeal_due(latest_delivery),
    }


def _event_decided(application: Application) -> _Event | None:
    decision = application.decisions.order_by("-decided_at", "-pk").first()
    if decision is None:
        return None
    dates = _decision_dates(decision)
    return _Event(
        occurrence=f"d{decision.pk}",
        context={
            "decision": decision,
            "appeal_days": deadlines.APPEAL_PERIOD_DAYS,
            "delivery_days": deadlines.DELIVERY_FICTION_DAYS,
            "pickup_days": deadlines.CARD_PICKUP_DAYS,
            **dates,
        },
        due_on=dates.get("appeal_due") or dates.get("latest_appeal_due"),
    )


def _event_appeal_received(application: Application) -> _Event | None:
    appeal = application.appeals.order_by("-lodged_at", "-pk").first()
    if appeal is None:
        return None
    return _Event(occurrence=f"a{appeal.pk}", context={"appeal": appeal})


def _event_closed(application: Application) -> _Event | None:
    if application.closed_on is None:
        return None
    appeal = application.appeals.exclude(result="").order_by("-result_recorded_at").first()
    return _Event(occurrence=f"{application.closed_on}", context={"appeal": appeal})


def _event_permit_ready(application: Application) -> _Event | None:
    permit = Permit.objects.filter(application=application).first()
    if permit is None:
        return None
    return _Event(
        occurrence=f"p{permit.pk}:{permit.biometrics_on}",
        context={"permit": permit, "pickup_days": deadlines.CARD_PICKUP_DAYS},
        due_on=permit.pickup_due,
    )


_EVENTS = {
    Kind.FILED: _event_filed,
    Kind.INTERRUPTED: _event_interrupted,
    Kind.RESUMED: _event_resumed,
    Kind.DECIDED: _event_decided,
    Kind.APPEAL_RECEIVED: _event_appeal_received,
    Kind.CLOSED: _event_closed,
    Kind.PERMIT_READY: _event_permit_ready,
}


def _application_for_notice(application_id: int) -> Application | None:
    return (
        Application.objects.select_related("applicant__account", "permit_type", "assigned_to")
        .filter(pk=application_id)
        .first()
    )


def notify_application_event(*, application_id: int, event: str) -> list[Notification]:
    """Tell the applicant what happened on their application, in the portal and by e-mail.

    ``event`` is a change of state: ``filed``, ``interrupted``, ``resumed``, ``decided`` (the
    decision was made available in the portal), ``appeal_received``, ``closed`` or
    ``permit_ready``. Called after the change committed; calling it again for the same change
    notifies nobody again. Returns the notifications it made.
    """
    if event not in APPLICATION_EVENTS:
        raise ValueError(f"Unknown application event {event!r}.")
    kind = Kind(event)
    application = _application_for_notice(application_id)
    if application is None:
        return []
    found = _EVENTS[kind](application)
    if found is None:
        logger.warning("No %s to notify on application %s.", kind, application_id)
        return []
    return _deliver(
        kind=kind,
        recipients=_applicant_recipients(application),
        about=str(application.pk),
        occurrence=found.occurrence,
        context={"application": application, **found.context},
        application=application,
        due_on=found.due_on,
    )


def notify_assignment(*, application_id: int, assignee_id: int) -> list[Notification]:
    """Tell a caseworker a supervisor assigned them a case.

    Nothing is sent when the case went to someone else meanwhile.
    """
    application = _application_for_notice(application_id)
    if application is None or application.assigned_to_id != assignee_id:
        return []
    assignee = application.assigned_to
    return _deliver(
        kind=Kind.ASSIGNED,
        recipients=[_user_recipient(assignee)],
        about=str(application.pk),
        occurrence=f"v{application.version}",
        context={"application": application},
        application=application,
        due_on=application.decision_due,
    )


def notify_change_reported(*, report_id: int) -> list[Notification]:
    """Tell the caseworker the case is assigned to that the person reported a change of their
    data [003]: the office decides on what was filed, and must see what changed since.

    Nobody is told when the case has no caseworker: whoever claims it sees the report, not yet
    acknowledged, on the case page.
    """
    from applications.models import ChangeReport

    report = (
        ChangeReport.objects.select_related("application__assigned_to", "application__permit_type")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.application.assigned_to is None:
        return []
    application = report.application
    return _deliver(
        kind=Kind.CHANGE_REPORTED,
        recipients=[_user_recipient(application.assigned_to)],
        about=str(application.pk),
        occurrence=f"r{report.pk}",
        context={"application": application, "report": report},
        application=application,
    )


# --- Reminders ------------------------------------------------------------------------------------


def _remind_document_deadline(object_id: int, due_on: date) -> tuple[Any, dict] | None:
    interruption = (
        Interruption.objects.select_related(
            "application__applicant__account", "application__permit_type"
        )
        .prefetch_related("requested_kinds")
        .filter(pk=object_id, ended_on__isnull=True, deadline=due_on)
        .first()
    )
    if interruption is None:
        return None
    return interruption.application, {
        "interruption": interruption,
        "documents": list(interruption.requested_kinds.all()),
    }


def _remind_appeal_deadline(object_id: int, due_on: date) -> tuple[Any, dict] | None:
    decision = (
        Decision.objects.select_related(
            "application__applicant__account", "application__permit_type"
        )
        .filter(
            pk=object_id,
            appeal_due=due_on,
            delivered_on__isnull=False,
            appeal__isnull=True,
            application__status=Status.DECIDED,
        )
        .first()
    )
    if decision is None:
        return None
    return decision.application, {"decision": decision}


def _remind_pickup(object_id: int, due_on: date) -> tuple[Any, dict] | None:
    permit = (
        Permit.objects.select_related("application__applicant__account", "application__permit_type")
        .filter(pk=object_id, pickup_due=due_on, picked_up_on__isnull=True)
        .first()
    )
    if permit is None:
        return None
    return permit.application, {"permit": permit}


def _remind_biometrics(object_id: int, due_on: date) -> tuple[Any, dict] | None:
    permit = (
        Permit.objects.select_related("application__applicant__account", "application__permit_type")
        .filter(pk=object_id, biometrics_due=due_on, biometrics_on__isnull=True)
        .first()
    )
    if permit is None:
        return None
    return permit.application, {"permit": permit}


def _remind_decision_due(object_id: int, due_on: date) -> tuple[Any, dict] | None:
    application = (
        Application.objects.select_related("assigned_to", "permit_type")
        .filter(pk=object_id, status=Status.FILED, decision_due=due_on, assigned_to__isnull=False)
        .first()
    )
    if application is None:
        return None
    return application, {}


def _remind_interruption_overdue(object_id: int, due_on: date) -> tuple[Any, dict] | None:
    interruption = (
        Interruption.objects.select_related("application__assigned_to", "application__permit_type")
        .filter(
            pk=object_id,
            ended_on__isnull=True,
            deadline=due_on,
            deadline__lt=clock.today(),
            application__assigned_to__isnull=False,
        )
        .first()
    )
    if interruption is None:
        return None
    return interruption.application, {"interruption": interruption}


_REMINDERS = {
    Kind.DOCUMENT_DEADLINE_REMINDER: _remind_document_deadline,
    Kind.APPEAL_DEADLINE_REMINDER: _remind_appeal_deadline,
    Kind.PICKUP_REMINDER: _remind_pickup,
    Kind.BIOMETRICS_REMINDER: _remind_biometrics,
    Kind.DECISION_DUE_REMINDER: _remind_decision_due,
    Kind.INTERRUPTION_OVERDUE: _remind_interruption_overdue,
}
# Reminders for the office rather than the applicant.
_FOR_CASEWORKER = frozenset({Kind.DECISION_DUE_REMINDER, Kind.INTERRUPTION_OVERDUE})


def reminder_occurrence(*, due_on: date, days_before: int) -> str:
    return f"{due_on.isoformat()}:{days_before}"


def notify_reminder(
    *, kind: Kind | str, object_id: int, due_on: date, days_before: int
) -> list[Notification]:
    """Remind whoever must act that a deadline is ``days_before`` days away (0: it passed).

    ``object_id`` is the interruption (documents), decision (appeal), permit (card pickup) or
    application (decision due) the sweep found. The reminder is dropped when the deadline is no
    longer there to meet: the documents came, an appeal was lodged, the case was decided.
    """
    kind = Kind(kind)
    found = _REMINDERS[kind](object_id, due_on)
    if found is None:
        return []
    application, context = found
    if kind in _FOR_CASEWORKER:
        recipients = [_user_recipient(application.assigned_to)]
    else:
        recipients = _applicant_recipients(application)
    return _deliver(
        kind=kind,
        recipients=recipients,
        about=str(application.pk),
        occurrence=reminder_occurrence(due_on=due_on, days_before=days_before),
        context={
            "application": application,
            "due_on": due_on,
            "days_before": days_before,
            **context,
        },
        application=application,
        due_on=due_on,
    )


def notify_overdue_digest(*, caseworker_id: int, day: date) -> list[Notification]:
    """One e-mail a day listing a caseworker's cases past their decision deadline."""
    from accounts.models import User

    caseworker = User.objects.filter(pk=caseworker_id, is_active=True).first()
    if caseworker is None:
        return []
    overdue = Application.objects.overdue(today=day).filter(assigned_to=caseworker)
    total = overdue.count()
    if total == 0:
        return []
    listed = list(
        overdue.select_related("permit_type").order_by("decision_due", "pk")[
            :OVERDUE_DIGEST_MAX_LISTED
        ]
    )
    return _deliver(
        kind=Kind.OVERDUE_DIGEST,
        recipients=[_user_recipient(caseworker)],
        about=f"u{caseworker.pk}",
        occurrence=reminder_occurrence(due_on=day, days_before=0),
        context={
            "cases": listed,
            "total": total,
            "not_listed": total - len(listed),
            "day": day,
        },
    )


# --- Sending ----------------------------------------------------------------------------------


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
    notification = Notification.objects.get(pk=notification_id)
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
        _queue_send(notification_id)
    return len(ids)


# --- The notification centre ------------------------------------------------------------------


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read; someone else's raises DoesNotExist (404)."""
    notification = notification_get_for_user(user=user, notification_id=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notification_mark_all_read(*, user: User) -> int:
    return Notification.objects.inbox_of(user).unread().update(read_at=timezone.now())


def notification_preferences_set(*, user: User, email_disabled: Iterable[str]) -> set[str]:
    """Turn e-mail off for the given kinds and on for the rest. The e-mails with legal effect
    (interruption, decision) cannot be turned off. Returns the kinds now without e-mail."""
    disabled = {Kind(kind) for kind in email_disabled} - ALWAYS_EMAILED
    with transaction.atomic():
        NotificationPreference.objects.filter(user=user).exclude(kind__in=disabled).delete()
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(user=user, kind=kind, email_enabled=False)
                for kind in disabled
            ],
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["email_enabled"],
        )
    return {str(kind) for kind in disabled}


# Kinds a caseworker or an applicant can choose about in their preferences.
def configurable_kinds(user: User) -> list[Kind]:
    staff = user.has_perm("applications.process_application")
    office = {
        Kind.ASSIGNED,
        Kind.CHANGE_REPORTED,
        Kind.DECISION_DUE_REMINDER,
        Kind.OVERDUE_DIGEST,
        Kind.INTERRUPTION_OVERDUE,
    }
    return [kind for kind in Kind if (kind in office) == staff and kind not in ALWAYS_EMAILED]
