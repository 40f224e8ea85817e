"""Receivers must be on the internet (server-side request forgery): an address on this machine,
a private network or a cloud's metadata service is refused when a subscription is made or
changed, and again before each delivery, since a name may resolve elsewhere later. No test
needs a network: names resolve through a stand-in for ``socket.getaddrinfo``."""

from __future__ import annotations

import socket
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests
import time_machine
from rest_framework.test import APIClient

from api import scopes
from core import outbox
from core.models import OutboxMessage
from tests.api.conftest import make_token
from tests.applications.factories import ApplicationFactory
from webhooks import services
from webhooks.addresses import ReceiverRefused, check_receiver
from webhooks.delivery import DeliveryFailed, deliver
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))
PROBLEM = "application/problem+json"
PUBLIC = "93.184.216.34"
NOT_ON_THE_INTERNET = (
    "The address must be reachable on the internet: {host} is on this machine or a private, "
    "local or reserved network."
)


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _local_webhook_receivers(settings):
    """Overrides the package's fixture: here the check is on, as in production."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False


@pytest.fixture
def dns(monkeypatch) -> dict[str, list[str]]:
    """The names known to the resolver and their addresses; any other name does not resolve.
    ``dns["asked"]`` lists the names looked up."""
    known: dict[str, list[str]] = {"asked": []}

    def getaddrinfo(host, port, *args, **kwargs):
        known["asked"].append(host)
        if host not in known:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (address, port),
            )
            for address in known[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return known


@pytest.fixture
def api(applicant) -> APIClient:
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {make_token(applicant, [scopes.WEBHOOKS])}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    return client


def subscribe(client: APIClient, url: str):
    return client.post("/api/v1/webhooks/", {"url": url, "events": ["filed"]}, format="json")


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://127.0.0.1/hooks", "127.0.0.1"),
        ("https://10.20.30.40/hooks", "10.20.30.40"),
        ("https://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("https://[::1]:8443/hooks", "::1"),
        ("https://localhost/hooks", "localhost"),
    ],
    ids=["loopback", "private", "cloud-metadata", "ipv6-loopback", "name-of-loopback"],
)
def test_a_receiver_not_on_the_internet_is_refused_and_nothing_is_made(api, dns, url, host):
    dns["localhost"] = ["127.0.0.1", "::1"]
    refused = subscribe(api, url)
    assert refused.status_code == 400
    assert refused["Content-Type"] == PROBLEM
    assert refused.json()["errors"] == [
        {"pointer": "#/url", "detail": NOT_ON_THE_INTERNET.format(host=host)}
    ]
    assert Subscription.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    # An address written out is judged without a resolver.
    assert dns["asked"] == ([] if host != "localhost" else ["localhost"])


def test_a_public_address_is_accepted_without_a_resolver(api, dns):
    made = subscribe(api, f"https://{PUBLIC}/hooks")
    assert made.status_code == 201, made.json()
    assert Subscription.objects.get().url == f"https://{PUBLIC}/hooks"
    assert dns["asked"] == []


def test_a_name_is_accepted_only_when_every_address_it_resolves_to_is_public(api, dns):
    dns["hooks.hr.example"] = [PUBLIC, "2606:2800:220:1:248:1893:25c8:1946"]
    dns["split.hr.example"] = [PUBLIC, "192.168.1.20"]

    assert subscribe(api, "https://hooks.hr.example/in").status_code == 201
    refused = subscribe(api, "https://split.hr.example/in")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["detail"] == NOT_ON_THE_INTERNET.format(
        host="split.hr.example"
    )
    assert list(Subscription.objects.values_list("url", flat=True)) == [
        "https://hooks.hr.example/in"
    ]


def test_a_name_that_does_not_resolve_is_refused(api, dns):
    refused = subscribe(api, "https://nowhere.hr.example/in")
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"pointer": "#/url", "detail": "The address's host nowhere.hr.example cannot be found."}
    ]
    assert Subscription.objects.count() == 0


def test_changing_a_subscription_to_a_private_address_is_refused(api, applicant, dns):
    subscription, _secret = services.subscription_create(
        owner=applicant, url=f"https://{PUBLIC}/hooks", events=["filed"]
    )
    refused = api.patch(
        f"/api/v1/webhooks/{subscription.pk}/", {"url": "https://10.0.0.8/hooks"}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["pointer"] == "#/url"
    subscription.refresh_from_db()
    assert subscription.url == f"https://{PUBLIC}/hooks"


def test_a_local_run_allows_receivers_on_this_machine(api, dns, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    assert subscribe(api, "https://127.0.0.1:8443/hooks").status_code == 201
    assert subscribe(api, "https://receiver.localhost/hooks").status_code == 201
    assert dns["asked"] == []


@pytest.mark.parametrize(
    "host",
    [
        "0.0.0.0",  # noqa: S104 - the address refused, not one listened on
        "224.0.0.251",
        "240.0.0.1",
        "100.100.100.200",
        "[::ffff:127.0.0.1]",
        "[fe80::1]",
        "[fd00::1]",
        "2130706433",
    ],
    ids=[
        "unspecified",
        "multicast",
        "reserved",
        "shared-address-space",
        "ipv4-mapped-loopback",
        "ipv6-link-local",
        "ipv6-unique-local",
        "loopback-as-a-number",
    ],
)
def test_every_kind_of_address_off_the_internet_is_refused(host, dns):
    # A number the resolver reads as an IPv4 address (2130706433 is 127.0.0.1).
    dns["2130706433"] = ["127.0.0.1"]
    with pytest.raises(ReceiverRefused, match="is not on the internet"):
        check_receiver(f"https://{host}/hooks")


def fail_if_sent(*args, **kwargs):
    raise AssertionError("a request was sent to a refused receiver")


@pytest.mark.outbox_failure_expected
def test_a_name_that_now_resolves_to_a_private_address_is_not_sent_to_and_the_failure_is_recorded(
    applicant, dns, monkeypatch, settings
):
    settings.WEBHOOK_MAX_FAILURES = 2
    monkeypatch.setattr(requests, "post", fail_if_sent)
    dns["hooks.hr.example"] = [PUBLIC]
    subscription, _secret = services.subscription_create(
        owner=applicant, url="https://hooks.hr.example/in", events=["filed"]
    )
    ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    [message] = outbox.pending().filter(topic=services.TOPIC)
    # The name was public when it was accepted; now it points into the office's network.
    dns["hooks.hr.example"] = ["10.0.0.8"]

    outbox.deliver(message_id=message.pk)
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.PENDING
    assert delivery.attempts == 1
    assert delivery.last_status_code is None
    assert "hooks.hr.example (10.0.0.8) is not on the internet" in delivery.last_error
    message.refresh_from_db()
    assert message.delivered_at is None
    assert "DeliveryFailed" in message.last_error
    assert message.available_at > NOW  # tried again after the outbox's backoff

    outbox.deliver(message_id=message.pk)
    subscription.refresh_from_db()
    assert subscription.active is False
    assert "2 failed deliveries in a row" in subscription.disabled_reason
    assert "10.0.0.8" in subscription.disabled_reason
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.ABANDONED, 2)


@pytest.mark.outbox_failure_expected
def test_a_delivery_to_a_private_address_fails_the_handler(applicant, dns, monkeypatch):
    monkeypatch.setattr(requests, "post", fail_if_sent)
    services.subscription_create(
        owner=applicant, url="https://169.254.169.254/latest/meta-data/", events=["filed"]
    )
    ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    delivery = Delivery.objects.get()
    with pytest.raises(DeliveryFailed, match=r"169\.254\.169\.254 is not on the internet"):
        deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert "169.254.169.254 is not on the internet" in delivery.last_error
    assert dns["asked"] == []
