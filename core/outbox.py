"""The transactional outbox (pattern: Chris Richardson, "Transactional outbox").

A service records a side effect with :func:`enqueue` inside its ``transaction.atomic()``; the
message commits or rolls back with the change. After the commit it is queued for a worker
(``core.tasks.deliver_outbox_message``), which claims it, calls its handler and marks it
delivered. What could not be queued (Redis down), what failed (retried with backoff) and what a
dead worker held (its claim expires) is queued again by :func:`sweep`, which beat runs every
minute. Handlers must be safe to run twice: a worker can die after the handler's work committed
and before the message was marked delivered.

Handlers are registered by topic, as dotted paths, by the app that owns the work
(``AppConfig.ready``), so this module depends on no other app.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import OutboxMessage
from core.queueing import publish

logger = logging.getLogger(__name__)

_handlers: dict[str, str] = {}

# A message just committed is being queued by its own on-commit hook: the sweep leaves it alone
# this long, so that it is not queued twice in the normal case.
QUEUE_GRACE = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
DELIVERY_TASK = "core.tasks.deliver_outbox_message"


class UnknownTopic(LookupError):
    pass


def register(topic: str, handler: str) -> None:
    """Deliver messages of ``topic`` by calling the function at dotted path ``handler`` with the
    message's payload as keyword arguments."""
    existing = _handlers.get(topic)
    if existing is not None and existing != handler:
        raise ValueError(f"Outbox topic {topic!r} is already handled by {existing}.")
    _handlers[topic] = handler


def enqueue(*, topic: str, payload: dict[str, Any], key: str | None = None) -> OutboxMessage:
    """Record a side effect of the change being made in the current transaction.

    With ``key``, a second message with the same key is the same side effect: the existing one
    is returned and nothing new is queued.
    """
    if topic not in _handlers:
        raise UnknownTopic(topic)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("An outbox message belongs inside the change's transaction.")
    now = timezone.now()
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                topic=topic,
                payload=payload,
                key=key,
                created_at=now,
                available_at=now + QUEUE_GRACE,
            )
    except IntegrityError:
        if key is None:
            raise
        return OutboxMessage.objects.get(key=key)
    transaction.on_commit(partial(_queue, message.pk), robust=True)
    return message


def _queue(message_id: int) -> bool:
    # Looked up by name in Celery's registry: core.tasks calls this module to deliver, so
    # importing the task here would make the two modules import each other.
    return publish(current_app.tasks[DELIVERY_TASK], message_id)


def _lease() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver(*, message_id: int) -> bool:
    """Claim the message and call its handler; True when this call delivered it.

    The claim is one conditional UPDATE, so of two workers handed the same message (the sweep
    queued it again, Redis gave a dead worker's task back) exactly one runs the handler while
    the claim holds. A claim lasts ``OUTBOX_LEASE_SECONDS``, longer than the task's hard time
    limit: past it the holder is dead and another worker may take the message.
    """
    now = timezone.now()
    claimed = (
        OutboxMessage.objects.filter(pk=message_id, delivered_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + _lease(), attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        handler = import_string(_handlers[message.topic])
        handler(**message.payload)
    except Exception as error:
        logger.exception("Outbox message %s (%s) failed.", message.pk, message.topic)
        OutboxMessage.objects.filter(pk=message.pk).update(
            claimed_until=None,
            available_at=timezone.now() + _backoff(message.attempts),
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        delivered_at=timezone.now(), claimed_until=None, last_error=""
    )
    return True


def pending() -> Any:
    """Messages not yet delivered (the partial index ``outbox_pending_idx``)."""
    return OutboxMessage.objects.filter(delivered_at__isnull=True)


def sweep(*, limit: int = 1000, now: datetime | None = None) -> int:
    """Queue again what is due and held by nobody: never queued (broker down), failed and past
    its backoff, or claimed by a worker that died. Returns how many were queued."""
    now = now or timezone.now()
    due = list(
        pending()
        .filter(available_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("available_at")
        .values_list("pk", flat=True)[:limit]
    )
    queued = 0
    for message_id in due:
        if not _queue(message_id):
            break  # The broker is down: the next sweep tries again.
        queued += 1
    return queued


def purge_delivered(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete delivered messages older than ``older_than``; their effects are in the file."""
    now = now or timezone.now()
    deleted, _ = OutboxMessage.objects.filter(delivered_at__lt=now - older_than).delete()
    return deleted


def oldest_pending_age(*, now: datetime | None = None) -> float:
    """Seconds since the oldest undelivered message was recorded (0 when none waits)."""
    now = now or timezone.now()
    oldest = pending().order_by("created_at").values_list("created_at", flat=True).first()
    return max((now - oldest).total_seconds(), 0.0) if oldest else 0.0
