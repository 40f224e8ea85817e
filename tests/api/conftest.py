"""Callers of the API: a DRF client with a personal access token of the scopes a test names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import get_application_model
from rest_framework.test import APIClient

from api import scopes
from api.models import PersonalAccessToken, token_digest
from core import outbox

REDIRECT_URI = "https://client.example/callback"


def make_token(user, scope_list=scopes.ALL, *, days: int = 30, name: str = "test") -> str:
    """A personal access token for ``user`` (made directly: the profile's page, which asks for
    the second factor, has its own tests)."""
    prefix, token = PersonalAccessToken.new_secret()
    PersonalAccessToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=token_digest(token),
        scopes=list(scope_list),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(db) -> Callable[..., APIClient]:
    """``api_as(user, scopes=...)`` → a client sending that user's new token."""

    def client_for(user, scope_list=scopes.ALL, **extra) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user, scope_list)}", **extra)
        return client

    return client_for


# The modules whose webhook receivers run on this machine (``tests.webhooks.test_webhooks``'s
# ``Receiver``, on 127.0.0.1) or have names no resolver knows (``hr.example``).
LOCAL_RECEIVER_MODULES = {"tests.api.test_journey", "tests.api.test_webhooks_api"}


@pytest.fixture(autouse=True)
def _local_webhook_receivers(request, monkeypatch):
    """In those modules only, receivers need not be on the internet
    (``WEBHOOK_ALLOW_PRIVATE_ADDRESSES``; a real worker reads it from its environment); the
    rest of the API's tests keep the check (``tests/webhooks/test_receiver_addresses.py``)."""
    if request.module.__name__ not in LOCAL_RECEIVER_MODULES:
        return
    request.getfixturevalue("settings").WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "1")


@pytest.fixture
def oauth_app():
    """An application the office registered: a public client (a phone app), code flow."""
    application_model = get_application_model()
    return application_model.objects.create(
        name="Tax Helper",
        client_type=application_model.CLIENT_PUBLIC,
        authorization_grant_type=application_model.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT_URI,
        skip_authorization=False,
    )


def run_outbox() -> None:
    """What the workers would do after each commit: every waiting side effect, in order."""
    for _round in range(5):
        waiting = list(outbox.pending().order_by("pk").values_list("pk", flat=True))
        if not waiting:
            return
        for message_id in waiting:
            outbox.deliver(message_id=message_id)
