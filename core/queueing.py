"""Handing a task to the broker without letting a broker outage reach the person waiting.

Everything queued from a request has its record in the database (an outbox message, a
notification row), and a sweep queues again what was not done. So when Redis cannot be reached,
queueing is given up at once: the request carries on, the sweep catches up later. After one
failure, further attempts in this process are skipped for ``BROKER_BACKOFF_SECONDS`` so that a
request that would queue several tasks pays for the outage once, not per task.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import Task

logger = logging.getLogger(__name__)

BROKER_BACKOFF_SECONDS = 30.0

_broker_down_until = 0.0


def publish(task: Task, *args: Any) -> bool:
    """Queue ``task(*args)``; True when the broker took it (or it ran in-process), False when
    the broker is unreachable and the caller's record waits for the sweep."""
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return False
    try:
        # No publish retries: a retry loop here is a request hanging on a dead broker.
        task.apply_async(args=args, retry=False)
    except Exception:
        if task.app.conf.task_always_eager:
            # In-process (local run, tests): the task itself failed; its record says so.
            logger.exception("Task %s failed in-process.", task.name)
            return False
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.warning("Could not queue %s; the sweep will queue it again.", task.name)
        return False
    return True


def reset_broker_backoff() -> None:
    """Forget an earlier broker failure (tests; a worker process after reconnecting)."""
    global _broker_down_until
    _broker_down_until = 0.0
