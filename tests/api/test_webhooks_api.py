"""Webhook subscriptions through the API: made with a secret shown once, https only, another
person's a 404, the delivery log and redelivery."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from api import scopes
from core.models import OutboxMessage
from tests.applications.factories import ApplicationFactory
from tests.webhooks.test_webhooks import Receiver, deliver_all, subscribe
from webhooks import services
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def test_a_subscription_is_made_through_the_api_and_its_secret_shown_once(api_as, applicant):
    client = api_as(applicant, [scopes.WEBHOOKS])
    made = client.post(
        "/api/v1/webhooks/",
        {"url": "https://hr.example/hooks", "events": ["filed", "decided"]},
        format="json",
    )
    assert made.status_code == 201, made.json()
    secret = made.json()["secret"]
    assert secret.startswith("whsec_")
    subscription = Subscription.objects.get()
    assert subscription.secret == secret
    shown = client.get(made["Location"])
    assert shown.status_code == 200
    assert "secret" not in shown.json()
    listed = client.get("/api/v1/webhooks/").json()["results"]
    assert [s["id"] for s in listed] == [subscription.pk]


def test_an_address_without_https_is_refused_in_the_callers_language(api_as, applicant):
    client = api_as(applicant, [scopes.WEBHOOKS])
    refused = client.post(
        "/api/v1/webhooks/",
        {"url": "http://hr.example/hooks", "events": ["filed"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"pointer": "#/url", "detail": "The address must start with https://."}
    ]
    assert Subscription.objects.count() == 0


def test_another_persons_subscription_is_a_404_and_a_token_without_the_scope_a_403(
    api_as, applicant, other_applicant, receiver
):
    subscription = subscribe(applicant, receiver)
    other = api_as(other_applicant, [scopes.WEBHOOKS])
    for method, url in [
        ("get", f"/api/v1/webhooks/{subscription.pk}/"),
        ("patch", f"/api/v1/webhooks/{subscription.pk}/"),
        ("delete", f"/api/v1/webhooks/{subscription.pk}/"),
        ("get", f"/api/v1/webhooks/{subscription.pk}/deliveries/"),
    ]:
        assert getattr(other, method)(url, format="json").status_code == 404
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    unscoped = api_as(applicant, [scopes.CASES_READ])
    assert unscoped.get("/api/v1/webhooks/").status_code == 403


def test_the_delivery_log_and_redelivery_through_the_api(api_as, applicant, receiver):
    subscription = subscribe(applicant, receiver)
    ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    deliver_all()
    client = api_as(applicant, [scopes.WEBHOOKS])
    [logged] = client.get(f"/api/v1/webhooks/{subscription.pk}/deliveries/").json()["results"]
    assert logged["state"] == "delivered" and logged["attempts"] == 1
    again = client.post(f"/api/v1/webhooks/{subscription.pk}/deliveries/{logged['id']}/redeliver/")
    assert again.status_code == 202
    deliver_all()
    assert len(receiver.received) == 2


def test_the_owner_removes_a_subscription(api_as, applicant, receiver):
    subscription = subscribe(applicant, receiver)
    client = api_as(applicant, [scopes.WEBHOOKS])
    assert client.delete(f"/api/v1/webhooks/{subscription.pk}/").status_code == 204
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_redelivery_to_a_stopped_subscription_is_a_409_and_queues_nothing(
    api_as, applicant, receiver
):
    subscription = subscribe(applicant, receiver)
    ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    deliver_all()
    services.subscription_update(subscription, active=False)
    delivery = Delivery.objects.get(subscription=subscription)
    waiting = OutboxMessage.objects.filter(delivered_at__isnull=True).count()
    client = api_as(applicant, [scopes.WEBHOOKS], HTTP_ACCEPT_LANGUAGE="en")

    refused = client.post(f"/api/v1/webhooks/{subscription.pk}/deliveries/{delivery.pk}/redeliver/")

    assert refused.status_code == 409
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["detail"].startswith("The subscription is stopped")
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == waiting
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.DELIVERED
