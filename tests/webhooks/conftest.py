"""Webhook tests send to receivers on 127.0.0.1 (``test_webhooks.Receiver``)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _local_webhook_receivers(settings, monkeypatch):
    """Receivers on this machine are allowed here (``WEBHOOK_ALLOW_PRIVATE_ADDRESSES``; a real
    worker reads it from its environment). ``test_receiver_addresses`` overrides this fixture
    to test the check itself."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "1")
