"""Delivering the outbox (``core/outbox.py``): one task per message, one sweep."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from core import outbox


@shared_task(
    acks_late=True,
    ignore_result=True,
    # Below OUTBOX_LEASE_SECONDS: a worker still holding a claim past the lease has been killed,
    # so the message may be taken over without two workers running it at once.
    soft_time_limit=settings.OUTBOX_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.OUTBOX_TASK_TIME_LIMIT,
)
def deliver_outbox_message(message_id: int) -> bool:
    return outbox.deliver(message_id=message_id)


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=50, time_limit=55)
def sweep_outbox() -> int:
    outbox.purge_delivered(older_than=timedelta(days=settings.OUTBOX_KEEP_DELIVERED_DAYS))
    return outbox.sweep()
