"""Password reset: the mail leaves through the outbox, the answer does not tell whether an
address has an account (not even by its timing), and requests are limited."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator

import pytest
import time_machine
from django.core import mail

from core import outbox
from core.models import OutboxMessage
from tests.accounts.factories import UserFactory
from tests.workers import broker_at

pytestmark = pytest.mark.django_db

RESET_URL = "/accounts/password/reset/"
INSTANT = "2026-12-02 10:15:00+01:00"


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(INSTANT, tick=True):
        yield


def _ask(client, email: str, *, client_address: str = "198.51.100.7"):
    return client.post(RESET_URL, {"email": email}, REMOTE_ADDR=client_address)


def _deliver_all() -> None:
    for message_id in outbox.pending().values_list("pk", flat=True):
        outbox.deliver(message_id=message_id)


def test_the_mail_is_recorded_in_the_outbox_and_sent_by_its_delivery(client):
    UserFactory(email="irina@example.com", preferred_language="ru")

    response = _ask(client, "irina@example.com")

    assert response.status_code == 302
    assert mail.outbox == []
    [message] = OutboxMessage.objects.filter(topic="accounts.password_reset_mail")
    # Ids only: the typed address is not copied out into the outbox.
    assert "irina" not in str(message.payload)
    _deliver_all()
    [sent] = mail.outbox
    assert sent.to == ["irina@example.com"]


def test_the_sixth_request_for_one_address_in_an_hour_sends_nothing(client):
    UserFactory(email="minh@example.com")

    # From a different client address each time: the address asked for is what is limited.
    for n in range(6):
        assert _ask(client, "MINH@example.com", client_address=f"203.0.113.{n}").status_code == 302
    _deliver_all()

    assert len(mail.outbox) == 5
    # The answer to the sixth was the same page.
    assert _ask(client, "minh@example.com", client_address="203.0.113.99").url == (
        "/accounts/password/reset/done/"
    )
    # An hour later, the address may ask again.
    with time_machine.travel("2026-12-02 11:16:00+01:00", tick=False):
        _ask(client, "minh@example.com", client_address="203.0.113.100")
    _deliver_all()
    assert len(mail.outbox) == 6


def test_one_client_address_is_limited_whatever_addresses_it_asks_for(client):
    for n in range(31):
        _ask(client, f"person{n}@example.com", client_address="192.0.2.44")

    assert OutboxMessage.objects.filter(topic="accounts.password_reset_mail").count() == 30
    # Another client is not held back by it.
    _ask(client, "someone@example.com", client_address="192.0.2.45")
    assert OutboxMessage.objects.filter(topic="accounts.password_reset_mail").count() == 31


def test_an_unknown_address_sends_nothing_and_answers_the_same(client):
    known = _ask(client, "nobody@example.com")
    _deliver_all()

    assert known.status_code == 302
    assert known.url == "/accounts/password/reset/done/"
    assert mail.outbox == []


@pytest.fixture
def queued_for_a_worker() -> Iterator[None]:
    """As in production: requests queue the delivery for a worker (an in-memory broker here)
    instead of sending in-process."""
    with broker_at("memory://"):
        yield


def test_known_and_unknown_addresses_answer_in_the_same_time(
    client, settings, smtp_settings, queued_for_a_worker
):
    """n = 20 each, with a mail relay that answers after 200 ms: the medians are within 20 ms."""
    smtp_settings.handler.delay_first = 1000
    smtp_settings.handler.delay_seconds = 0.2
    known = [UserFactory(email=f"known{n}@example.com").email for n in range(20)]
    unknown = [f"unknown{n}@example.com" for n in range(20)]
    # One request of each first, so that neither side pays for warming up.
    _ask(client, "warm@example.com", client_address="10.9.9.9")
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    for n in range(20):
        for kind, email in (("known", known[n]), ("unknown", unknown[n])):
            started = time.perf_counter()
            response = _ask(client, email, client_address=f"10.0.{n}.{len(kind)}")
            timings[kind].append(time.perf_counter() - started)
            assert response.status_code == 302

    difference = abs(statistics.median(timings["known"]) - statistics.median(timings["unknown"]))
    assert difference < 0.020, timings
    # Nothing was sent in the requests; the worker's deliveries send the 20 known ones.
    assert smtp_settings.messages == []
    assert outbox.pending().filter(topic="accounts.password_reset_mail").count() == 41
