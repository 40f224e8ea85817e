"""The answers kept for idempotent POSTs are encrypted at rest (they hold personal data, and a
new webhook subscription's secret) and replayed whole, ETag included; ``api/0002`` converts the
rows kept before, both ways."""

from __future__ import annotations

import socket
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from api import scopes
from api.models import IdempotencyRecord

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def raw_rows() -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {IdempotencyRecord._meta.db_table}")  # noqa: S608
        return repr(cursor.fetchall())


@pytest.mark.django_db
def test_a_subscriptions_secret_is_not_readable_in_the_table_and_is_replayed(
    api_as, applicant, settings, monkeypatch
):
    settings.WEBHOOK_ALLOW_HTTP = True
    # The receiver's name resolves to a public address, without a resolver (webhooks.addresses).
    public = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 443))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: public)
    client = api_as(applicant, [scopes.WEBHOOKS])
    request = {"url": "https://receiver.example/hook", "events": ["filed"]}

    first = client.post(
        "/api/v1/webhooks/", request, format="json", HTTP_IDEMPOTENCY_KEY="subscribe-1"
    )
    assert first.status_code == 201, first.json()
    secret = first.json()["secret"]

    assert secret.startswith("whsec_")
    assert secret not in raw_rows()
    assert "receiver.example" not in raw_rows()
    again = client.post(
        "/api/v1/webhooks/", request, format="json", HTTP_IDEMPOTENCY_KEY="subscribe-1"
    )
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


@pytest.mark.django_db
def test_a_replayed_draft_carries_the_etag_of_the_first_answer(api_as, applicant):
    client = api_as(applicant, [scopes.CASES_WRITE])
    first = client.post(
        "/api/v1/applications/", {"permit_type": "employee_card"}, HTTP_IDEMPOTENCY_KEY="d-1"
    )
    assert first.status_code == 201
    again = client.post(
        "/api/v1/applications/", {"permit_type": "employee_card"}, HTTP_IDEMPOTENCY_KEY="d-1"
    )
    assert again["Idempotent-Replayed"] == "true"
    assert again["ETag"] == first["ETag"]
    assert again["Location"] == first["Location"]


BEFORE = [("api", "0001_initial")]
AFTER = [("api", "0002_idempotency_answer_encrypted")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_seals_the_answers_kept_and_unseals_them_back(applicant):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    answer = {"id": 7, "secret": "whsec_c2VjcmV0"}
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps.get_model("api", "IdempotencyRecord")
        old.objects.create(
            user_id=applicant.pk, key="k", fingerprint="f", status_code=201, body=answer
        )

        MigrationExecutor(connection).migrate(AFTER)
        assert "whsec_c2VjcmV0" not in raw_rows()
        assert IdempotencyRecord.objects.get(key="k").answer == answer

        MigrationExecutor(connection).migrate(BEFORE)
        back = executor.loader.project_state(BEFORE).apps.get_model("api", "IdempotencyRecord")
        assert back.objects.get(key="k").body == answer
    finally:
        MigrationExecutor(connection).migrate(latest)
