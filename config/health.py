"""``/healthz`` for load balancers and monitoring: is the database up, is Redis up, and has a
Celery worker shown signs of life lately? 200 when all are, 503 naming what is down.

The answer names components only: no hosts, no errors, no personal data.

Workers beat: ``config/celery.py`` calls :func:`record_worker_heartbeat` when a worker starts and
on its event heartbeat (every 2 s, written at most every few seconds), which sets a Redis key
that expires after ``HEALTH_WORKER_MAX_AGE`` seconds.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.outbox import oldest_pending_age

logger = logging.getLogger(__name__)

WORKER_HEARTBEAT_KEY = "health:celery-worker-heartbeat"
OK, DOWN, NOT_CONFIGURED = "ok", "down", "not configured"

_last_written = 0.0


def _redis() -> redis.Redis:
    return redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1, health_check_interval=0
    )


def record_worker_heartbeat(*, min_interval: float = 5.0) -> None:
    """A worker is alive: refresh the heartbeat key (at most every ``min_interval`` seconds)."""
    global _last_written
    if not settings.REDIS_URL or time.monotonic() - _last_written < min_interval:
        return
    try:
        _redis().set(WORKER_HEARTBEAT_KEY, int(time.time()), ex=settings.HEALTH_WORKER_MAX_AGE)
    except redis.RedisError:
        logger.warning("Could not record the worker heartbeat.")
        return
    _last_written = time.monotonic()


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("Health: the database is down.")
        return DOWN
    return OK


def check_redis_and_worker() -> tuple[str, str]:
    if not settings.REDIS_URL:
        # The local run: tasks run in-process, there is no broker and no worker to check.
        return NOT_CONFIGURED, NOT_CONFIGURED
    try:
        beat = _redis().get(WORKER_HEARTBEAT_KEY)
    except redis.RedisError:
        logger.warning("Health: Redis is down.")
        return DOWN, DOWN
    if beat is None or time.time() - int(beat) > settings.HEALTH_WORKER_MAX_AGE:
        return OK, DOWN
    return OK, OK


def outbox_oldest_pending_seconds() -> int | None:
    """How long the oldest side effect not yet delivered has waited (None: the database is
    down). Informational: a backlog is for monitoring to alert on, not a reason for a load
    balancer to take the web servers out."""
    try:
        return int(oldest_pending_age())
    except Exception:
        logger.exception("Health: the outbox could not be read.")
        return None


def health() -> dict[str, Any]:
    redis_state, worker_state = check_redis_and_worker()
    return {"database": check_database(), "redis": redis_state, "worker": worker_state}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    states = health()
    healthy = all(state in (OK, NOT_CONFIGURED) for state in states.values())
    body = {**states, "outbox_oldest_pending_seconds": outbox_oldest_pending_seconds()}
    return JsonResponse(body, status=200 if healthy else 503)


# Included from config/urls.py as ``path("healthz", include("config.health"))``.
urlpatterns = [path("", healthz, name="healthz")]
