"""Webhooks: events recorded with the change, signed per Standard Webhooks, in order per case,
retried and stopped after repeated failure, redelivered by hand; the subscriptions' API."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
import time_machine
from standardwebhooks.webhooks import Webhook

from applications import services as case_services
from core import outbox
from core.models import OutboxMessage
from tests.applications.factories import ApplicationFactory
from webhooks import services
from webhooks.delivery import DeliveryFailed
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))
EVERY_EVENT = [
    "filed",
    "interrupted",
    "resumed",
    "decided",
    "delivered",
    "appealed",
    "closed",
    "withdrawn",
]


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=True):
        yield


class Receiver:
    """An HTTP server on 127.0.0.1 that verifies each signature and keeps what it was sent."""

    def __init__(
        self,
        secret: str | None = None,
        answer: int = 204,
        stall: float = 0,
        stall_on: str | None = None,
    ) -> None:
        self.secret = secret
        self.answer = answer
        self.received: list[dict] = []
        self.bad_signatures = 0
        # ``stall``: the first message (of type ``stall_on``, if given) is held that many seconds
        # before it is answered (a worker can be killed meanwhile); ``stalling`` is set when it
        # arrives.
        self.stall = stall
        self.stall_on = stall_on
        self.stalling = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    payload = Webhook(receiver.secret).verify(body, headers)
                except Exception:
                    receiver.bad_signatures += 1
                    payload = None
                if payload is not None:
                    receiver.received.append({"id": headers["webhook-id"], **payload})
                wanted = receiver.stall_on is None or (
                    payload is not None and payload["type"] == receiver.stall_on
                )
                if receiver.stall and wanted and not receiver.stalling.is_set():
                    receiver.stalling.set()
                    time.sleep(receiver.stall)
                self.send_response(receiver.answer)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def heard_once(self) -> list[dict]:
        """What a receiver that recognises repeats by their webhook-id takes, in order."""
        seen: set[str] = set()
        taken = []
        for message in self.received:
            if message["id"] not in seen:
                seen.add(message["id"])
                taken.append(message)
        return taken

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


def subscribe(user, receiver: Receiver, events=EVERY_EVENT) -> Subscription:
    subscription, secret = services.subscription_create(owner=user, url=receiver.url, events=events)
    receiver.secret = secret
    return subscription


def pending_messages() -> list[OutboxMessage]:
    return list(outbox.pending().filter(topic="webhooks.deliver").order_by("pk"))


def deliver_all(messages=None) -> None:
    for message in messages if messages is not None else pending_messages():
        with contextlib.suppress(DeliveryFailed):
            outbox.deliver(message_id=message.pk)


def test_an_event_is_recorded_with_the_change_and_carries_no_personal_data(applicant, receiver):
    subscription = subscribe(applicant, receiver)
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    [delivery] = Delivery.objects.filter(subscription=subscription)
    assert delivery.event == "filed"
    assert delivery.payload["type"] == "case.filed"
    assert delivery.payload["data"] == {
        "application_id": application.pk,
        "status": "filed",
        "version": application.version,
    }
    text = json.dumps(delivery.payload)
    person = application.applicant
    for private in (
        person.surname,
        person.given_names,
        person.travel_document_number,
        applicant.email,
    ):
        assert private not in text
    assert len(pending_messages()) == 1


def test_an_event_rolled_back_with_its_change_leaves_nothing(applicant, receiver):
    subscribe(applicant, receiver)
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    before = (Delivery.objects.count(), OutboxMessage.objects.count())
    with pytest.raises(Exception, match="stale"):
        from django.db import transaction

        with transaction.atomic():
            case_services.application_withdraw(application=application, actor=applicant)
            raise RuntimeError("stale")
    assert (Delivery.objects.count(), OutboxMessage.objects.count()) == before


def test_only_the_events_asked_for_and_only_the_owners_cases(applicant, other_applicant, receiver):
    subscribe(applicant, receiver, events=["withdrawn"])
    mine = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    ApplicationFactory(applicant=other_applicant.applicants.get(), filed=True)
    assert Delivery.objects.count() == 0
    case_services.application_withdraw(application=mine, actor=applicant)
    assert list(Delivery.objects.values_list("event", flat=True)) == ["withdrawn"]


def test_each_message_is_signed_and_a_case_is_told_in_order_whatever_runs_first(
    applicant, receiver
):
    subscribe(applicant, receiver)
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    case_services.application_withdraw(application=application, actor=applicant)
    messages = pending_messages()
    assert len(messages) == 2
    # The later event's message runs first: it sends the earlier one first.
    deliver_all(list(reversed(messages)))
    assert receiver.bad_signatures == 0
    assert [m["type"] for m in receiver.received] == ["case.filed", "case.withdrawn"]
    assert set(Delivery.objects.values_list("state", flat=True)) == {"delivered"}
    # Each event once: the first message finds its delivery done.
    assert len(receiver.received) == 2


def test_a_wrong_secret_does_not_verify(applicant, receiver):
    subscribe(applicant, receiver)
    ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    receiver.secret = services.new_secret()
    deliver_all()
    assert receiver.bad_signatures == 1
    assert receiver.received == []


@pytest.mark.outbox_failure_expected
def test_failures_are_retried_then_the_subscription_stops_and_says_why(applicant, settings):
    settings.WEBHOOK_MAX_FAILURES = 3
    with Receiver(answer=500) as failing:
        subscription = subscribe(applicant, failing)
        ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
        [message] = pending_messages()
        for attempt in range(1, 4):
            outbox.deliver(message_id=message.pk)
            message.refresh_from_db()
            if attempt < 3:
                assert message.delivered_at is None
                assert "DeliveryFailed" in message.last_error
                assert message.available_at > NOW  # the outbox's backoff
        # The third failure stopped the subscription: the outbox has nothing left to retry.
        assert message.delivered_at is not None
    subscription.refresh_from_db()
    assert subscription.active is False
    assert "3 failed deliveries in a row" in subscription.disabled_reason
    assert "HTTP 500" in subscription.disabled_reason
    assert Delivery.objects.get().state == Delivery.State.ABANDONED
    assert Delivery.objects.get().attempts == 3


@pytest.mark.outbox_failure_expected
def test_turning_a_stopped_subscription_on_starts_afresh(applicant, receiver, settings):
    settings.WEBHOOK_MAX_FAILURES = 1
    receiver.answer = 500
    subscription = subscribe(applicant, receiver)
    ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    deliver_all()
    subscription.refresh_from_db()
    assert not subscription.active
    services.subscription_update(subscription, active=True)
    assert subscription.consecutive_failures == 0 and subscription.disabled_reason == ""


def test_redelivery_sends_the_same_webhook_id(applicant, receiver):
    subscribe(applicant, receiver)
    ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    deliver_all()
    delivery = Delivery.objects.get()
    services.redeliver(delivery)
    deliver_all()
    assert [m["id"] for m in receiver.received] == [delivery.message_id] * 2


def test_every_message_sent_is_what_the_schemas_webhooks_section_says(applicant, receiver):
    from drf_spectacular.generators import SchemaGenerator
    from jsonschema import Draft202012Validator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert sorted(schema["webhooks"]) == sorted(f"case.{event}" for event in EVERY_EVENT)
    bodies = {
        name: hook["post"]["requestBody"]["content"]["application/json"]["schema"]
        for name, hook in schema["webhooks"].items()
    }
    subscribe(applicant, receiver)
    person = applicant.applicants.get()
    ApplicationFactory(applicant=person, appealed=True)
    ApplicationFactory(applicant=person, interrupted=True)
    ApplicationFactory(applicant=person, withdrawn=True)
    deliver_all()

    sent = {message["type"] for message in receiver.received}
    assert sent >= {"case.filed", "case.interrupted", "case.decided", "case.appealed"}
    assert "case.withdrawn" in sent
    for message in receiver.received:
        body = {key: value for key, value in message.items() if key != "id"}
        validator = Draft202012Validator(
            {**bodies[message["type"]], "components": schema["components"]},
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        assert not list(validator.iter_errors(body)), message
    # And the schema is not a sieve: a message with personal data in it does not pass.
    wrong = {**receiver.received[0], "data": {"surname": person.surname}}
    wrong.pop("id")
    assert list(
        Draft202012Validator(
            {**bodies["case.filed"], "components": schema["components"]}
        ).iter_errors(wrong)
    )


def test_the_admin_redelivers_and_says_when_a_subscription_is_stopped(
    applicant, receiver, client_for, superuser
):
    from django.urls import reverse

    subscription = subscribe(applicant, receiver)
    ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    deliver_all()
    delivery = Delivery.objects.get()
    browser = client_for(superuser)
    changelist = reverse("admin:webhooks_delivery_changelist")

    sent = browser.post(
        changelist, {"action": "redeliver", "_selected_action": [delivery.pk]}, follow=True
    )
    assert "Queued to be sent again." in sent.content.decode()
    deliver_all()
    assert [m["id"] for m in receiver.received] == [delivery.message_id] * 2

    services.subscription_update(subscription, active=False)
    refused = browser.post(
        changelist, {"action": "redeliver", "_selected_action": [delivery.pk]}, follow=True
    )
    assert "Not sent: the subscription is stopped." in refused.content.decode()
    assert not pending_messages()
