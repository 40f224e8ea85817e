"""Notifying people (SPEC §6, §7): who is told, on which channels, in which words.

Every notification is made the same way: the caller (the app that knows what happened) names
the recipients, the kind, the context of the message and the event; :func:`notify` decides the
channels of each recipient, builds the idempotency key of each (recipient, channel), renders the
message in the recipient's language and inserts the rows, each with the message's data
(``rendering.serialise_context``): the portal renders it again in the reader's language when it
is read, and sending renders the e-mail in the recipient's language of that moment; the text
rendered here is the record and the fallback. The unique key makes the insert the
decision: only the transaction that inserted an e-mail row queues it for sending, so a state
change, a sweep run twice or two workers at once notify once. Sending is ``sending.py``.

:func:`notify` is called after the business transaction has committed (from the outbox) and by
the tasks that make reminders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from notifications.constants import ALWAYS_EMAILED, EMAIL_ONLY, Channel, Kind
from notifications.models import Notification
from notifications.rendering import language_of, render_message, serialise_context
from notifications.selectors import email_disabled_kinds
from notifications.sending import queue_send

if TYPE_CHECKING:
    from accounts.models import User


# --- Who is told, in which language -----------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """Someone told: a user (in the portal and by e-mail), or a person without an account (by
    e-mail only, ``user`` None)."""

    user: User | None
    email: str
    language: str
    # Identifies the recipient in idempotency keys: a user, or a person without an account.
    key: str


def user_recipient(user: User) -> Recipient:
    """A user as a recipient: their e-mail address and the language they chose."""
    return Recipient(
        user=user,
        email=user.email,
        language=language_of(user.preferred_language),
        key=f"u{user.pk}",
    )


def _channels_for(kind: Kind, recipient: Recipient, disabled: set[str]) -> list[Channel]:
    channels = []
    if recipient.user is not None and kind not in EMAIL_ONLY:
        channels.append(Channel.IN_APP)
    if recipient.email and (kind in ALWAYS_EMAILED or kind not in disabled):
        channels.append(Channel.EMAIL)
    return channels


# --- Making notifications ---------------------------------------------------------------------


def _keys(
    *, kind: Kind, about: str, occurrence: str, channel: Channel, recipient: Recipient
) -> tuple[str, str]:
    """The event key (one per thing that happened) and the idempotency key (one per message).

    ``about`` is the application (or the caseworker a digest is for); ``occurrence`` tells this
    happening from others of the same kind: ``<due date>:<days before>`` for a reminder, the id of
    the interruption or decision for a change of state.
    """
    event_key = event_key_for(kind=kind, about=about, occurrence=occurrence)
    return event_key, f"{kind}:{about}:{channel}:{recipient.key}:{occurrence}"


def event_key_for(*, kind: Kind | str, about: int | str, occurrence: str) -> str:
    """What the sweeps look up to skip what was notified already (see ``_keys``)."""
    return f"{kind}:{about}:{occurrence}"


def notify(
    *,
    kind: Kind | str,
    recipients: Sequence[Recipient],
    about: str,
    occurrence: str,
    context: dict[str, Any],
    application: models.Model | int | None = None,
    due_on: date | None = None,
) -> list[Notification]:
    """Tell ``recipients`` of one event, each in the portal and by e-mail as their preferences
    allow, and queue the e-mails for sending once the current transaction commits.

    ``about`` and ``occurrence`` make the event key (:func:`event_key_for`): ``about`` is the
    case, or the caseworker a digest is for, ``occurrence`` tells this happening from others of
    the same kind. A message already made for an event, recipient and channel is not made again,
    so calling this twice for one event notifies nobody twice. ``context`` is what the kind's
    templates render, kept on the rows (``rendering.serialise_context`` says how; a value it
    cannot keep raises ``TypeError``); ``application`` (the case, as a model instance or an id)
    and ``due_on`` (the deadline the message is about) are recorded on the rows. Returns the
    notifications made by this call.
    """
    kind = Kind(kind)
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
    data = serialise_context(context)
    rendered = {
        (language, has_account): render_message(
            kind=kind, language=language, context={**context, "has_account": has_account}
        )
        for language, has_account in {(r.language, r.user is not None) for r, *_ in todo}
    }
    case = (
        {"application": application}
        if application is None or isinstance(application, models.Model)
        else {"application_id": application}
    )
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
                    **case,
                    "channel": channel,
                    "language": recipient.language,
                    "subject": message["subject"],
                    "body": message["text"] if channel == Channel.EMAIL else message["in_app"],
                    "body_html": message["html"] if channel == Channel.EMAIL else "",
                    "data": data,
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
                    transaction.on_commit(partial(queue_send, notification.pk), robust=True)
    return created
