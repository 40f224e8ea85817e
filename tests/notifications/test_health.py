"""/healthz: 200 when the database, Redis and a worker are up; 503 naming what is down; nothing
personal, no hosts, no error texts."""

from __future__ import annotations

import time

import pytest
import redis
import time_machine
from django.utils import timezone

from config import health

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_redis(settings, redis_url):
    settings.REDIS_URL = redis_url
    client = redis.Redis.from_url(redis_url)
    client.delete(health.WORKER_HEARTBEAT_KEY)
    health._last_written = 0.0
    yield client
    client.delete(health.WORKER_HEARTBEAT_KEY)


def test_local_run_without_redis_is_healthy(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "redis": "not configured",
        "worker": "not configured",
        "outbox_oldest_pending_seconds": 0,
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthy_with_redis_and_a_recent_worker_heartbeat(client, real_redis):
    health.record_worker_heartbeat()

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "redis": "ok",
        "worker": "ok",
        "outbox_oldest_pending_seconds": 0,
    }


def test_no_worker_heartbeat_is_503_naming_the_worker(client, real_redis):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "redis": "ok",
        "worker": "down",
        "outbox_oldest_pending_seconds": 0,
    }


def test_a_stale_heartbeat_counts_as_no_worker(client, real_redis, settings):
    settings.HEALTH_WORKER_MAX_AGE = 60
    real_redis.set(health.WORKER_HEARTBEAT_KEY, int(time.time()) - 61)

    assert client.get("/healthz").json()["worker"] == "down"


def test_heartbeats_are_written_at_most_every_few_seconds(real_redis):
    health.record_worker_heartbeat()
    real_redis.delete(health.WORKER_HEARTBEAT_KEY)

    health.record_worker_heartbeat()

    assert real_redis.get(health.WORKER_HEARTBEAT_KEY) is None


def test_redis_down_is_503_naming_redis_and_the_worker(client, settings):
    from tests.notifications.smtp import free_port

    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "redis": "down",
        "worker": "down",
        "outbox_oldest_pending_seconds": 0,
    }
    assert "127.0.0.1" not in response.content.decode()


def test_database_down_is_503(client, settings, monkeypatch):
    from django.db import OperationalError

    settings.REDIS_URL = ""

    def broken_cursor(*args, **kwargs):
        raise OperationalError("could not connect to server at db.internal:5432")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert "db.internal" not in response.content.decode()


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


def test_health_reports_the_age_of_the_oldest_undelivered_outbox_message(client, settings):
    from core.models import OutboxMessage

    settings.REDIS_URL = ""
    with time_machine.travel("2026-12-04 10:00:00+00:00", tick=False):
        OutboxMessage.objects.create(topic="documents.decision_pdf", payload={"decision_id": 1})
        OutboxMessage.objects.create(
            topic="documents.decision_pdf",
            payload={"decision_id": 2},
            delivered_at=timezone.now(),
        )
    with time_machine.travel("2026-12-04 10:07:30+00:00", tick=False):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["outbox_oldest_pending_seconds"] == 450
