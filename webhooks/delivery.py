"""Sending a delivery: signed per Standard Webhooks, in order per case, retried by the outbox.

The outbox handler ``deliver`` (topic ``webhooks.deliver``) takes the subscription's row lock,
then sends every pending delivery of the same case for that subscription up to this one, in
their sequence: a case's events reach the receiver in the order they happened, whichever worker
runs first. A 2xx answer delivers; anything else (or no answer within
``WEBHOOK_TIMEOUT_SECONDS``) is recorded and the handler fails, so the outbox tries again with
its backoff (30 s doubling, at most an hour). A receiver whose address is not, or no longer,
on the internet (``webhooks.addresses``) is sent nothing, and that counts as a failure too.
After ``WEBHOOK_MAX_FAILURES`` failures in a row the subscription stops, says why, and its
waiting deliveries are abandoned; turning it on again (or redelivering by hand) sends them
anew.

At least once: a worker killed after the receiver answered and before the delivery was marked
sends it again. Receivers recognise a repeat by its ``webhook-id`` (the Standard Webhooks
specification asks them to), which is the same on every attempt and on a manual redelivery.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from webhooks.addresses import ReceiverRefused, check_receiver
from webhooks.models import Delivery, Subscription


class DeliveryFailed(RuntimeError):
    """The receiver did not take a message: the outbox retries it."""


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def signed_headers(subscription: Subscription, delivery: Delivery, body: bytes) -> dict[str, str]:
    sent_at = datetime.now(tz=UTC)
    signature = Webhook(subscription.secret).sign(delivery.message_id, sent_at, body)
    return {
        "Content-Type": "application/json",
        "User-Agent": "residence-permits-webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
    }


def _send(subscription: Subscription, delivery: Delivery) -> tuple[bool, int | None, str]:
    try:
        # Again at each attempt: the name may resolve elsewhere than when it was accepted.
        check_receiver(subscription.url)
    except ReceiverRefused as refusal:
        return False, None, str(refusal)[:1000]
    body = body_of(delivery)
    try:
        answer = requests.post(
            subscription.url,
            data=body,
            headers=signed_headers(subscription, delivery, body),
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        return False, None, f"{type(error).__name__}: {error}"[:1000]
    if 200 <= answer.status_code < 300:
        return True, answer.status_code, ""
    return False, answer.status_code, f"HTTP {answer.status_code}"


def _stop(subscription: Subscription, error: str) -> None:
    subscription.active = False
    subscription.disabled_at = timezone.now()
    subscription.disabled_reason = (
        f"Stopped after {subscription.consecutive_failures} failed deliveries in a row; "
        f"the last: {error}"
    )[:2000]
    subscription.save(update_fields=["active", "disabled_at", "disabled_reason"])
    subscription.deliveries.filter(state=Delivery.State.PENDING).update(
        state=Delivery.State.ABANDONED
    )


def deliver(*, delivery_id: int) -> None:
    """The outbox handler: send this delivery, after the same case's earlier ones."""
    failure = ""
    with transaction.atomic():
        target = Delivery.objects.filter(pk=delivery_id).first()
        if target is None:
            return
        subscription = Subscription.objects.select_for_update().get(pk=target.subscription_id)
        target.refresh_from_db()
        if target.state != Delivery.State.PENDING:
            return
        if not subscription.active:
            Delivery.objects.filter(pk=target.pk).update(state=Delivery.State.ABANDONED)
            return
        waiting = Delivery.objects.filter(
            subscription=subscription,
            application_id=target.application_id,
            state=Delivery.State.PENDING,
            sequence__lte=target.sequence,
        ).order_by("sequence")
        for delivery in waiting:
            ok, status_code, error = _send(subscription, delivery)
            delivery.attempts += 1
            delivery.last_status_code = status_code
            delivery.last_error = error
            if ok:
                delivery.state = Delivery.State.DELIVERED
                delivery.delivered_at = timezone.now()
                delivery.save(
                    update_fields=[
                        "attempts",
                        "last_status_code",
                        "last_error",
                        "state",
                        "delivered_at",
                    ]
                )
                if subscription.consecutive_failures:
                    subscription.consecutive_failures = 0
                    subscription.save(update_fields=["consecutive_failures"])
                continue
            delivery.save(update_fields=["attempts", "last_status_code", "last_error"])
            subscription.consecutive_failures += 1
            subscription.save(update_fields=["consecutive_failures"])
            if subscription.consecutive_failures >= settings.WEBHOOK_MAX_FAILURES:
                _stop(subscription, error)
                return
            failure = error
            break
    if failure:
        # After the commit of what was recorded: the outbox tries again later.
        raise DeliveryFailed(failure)
