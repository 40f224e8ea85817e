"""Fixtures for notifications: a real SMTP server and the machine's Redis."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import redis
from aiosmtpd.controller import Controller

from tests.notifications.smtp import RecordingHandler, SmtpServer, free_port

DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SmtpServer(controller.hostname, controller.port, handler)
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    """Django's SMTP backend, pointed at the test's server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return smtp_server


@pytest.fixture
def redis_url() -> str:
    """The machine's Redis: REDIS_URL, or db 14 locally. Unreachable is a failure, not a skip."""
    url = os.environ.get("REDIS_URL") or DEFAULT_TEST_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(
            f"Redis at {url} is unreachable ({error}). These tests need a real Redis: start it "
            "or point REDIS_URL at one.",
            pytrace=False,
        )
    return url
