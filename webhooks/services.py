"""Recording case events for webhook subscribers and redelivering them.

An event is recorded in the transaction of the change that caused it (``case_event``, called
by ``applications.audit.audit_record``): one ``Delivery`` per active subscription of the case's
account that asks for the event, and one outbox message per delivery, so an outage delays a
webhook and never loses it (core/outbox.py). The message carries ids and the event only.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.errors import TransitionRefused
from webhooks.models import Delivery, Subscription

TOPIC = "webhooks.deliver"


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _enqueue(delivery: Delivery, attempt_key: str) -> None:
    outbox.enqueue(
        topic=TOPIC,
        payload={"delivery_id": delivery.pk},
        key=f"webhook:{delivery.pk}:{attempt_key}",
    )


def case_event(
    *,
    application_id: int,
    applicant_id: int,
    event: str,
    status: str,
    version: int,
    organisation_ids: Sequence[int] = (),
) -> list[Delivery]:
    """Record ``event`` of a case for the subscribers of the account that holds the person's
    record (``applicant_id``) and of the organisations representing the person in it
    (``organisation_ids``, from the caller, which knows the powers of attorney); returns the
    deliveries. One query when nobody subscribed."""
    whose = Q(owner__applicants__pk=applicant_id, organisation__isnull=True)
    if organisation_ids:
        whose |= Q(organisation_id__in=list(organisation_ids))
    subscriptions = [
        s
        for s in Subscription.objects.filter(whose, active=True).distinct().order_by("pk")
        if s.wants(event)
    ]
    made = []
    now = timezone.now()
    for subscription in subscriptions:
        # The case's own row lock, held by the service that made the event, orders the events
        # of one case; the subscription's row is not locked here, so an action never waits for
        # a delivery in flight (the sender holds that lock while the receiver answers).
        last = Delivery.objects.filter(
            subscription=subscription, application_id=application_id
        ).aggregate(last=Max("sequence"))["last"]
        message_id = f"msg_{uuid.uuid4().hex}"
        delivery = Delivery.objects.create(
            subscription=subscription,
            message_id=message_id,
            event=event,
            application_id=application_id,
            sequence=(last or 0) + 1,
            payload={
                "type": f"case.{event}",
                "timestamp": now.isoformat(),
                "data": {"application_id": application_id, "status": status, "version": version},
            },
            created_at=now,
        )
        _enqueue(delivery, "first")
        made.append(delivery)
    return made


def redeliver(delivery: Delivery) -> Delivery:
    """Send a delivery again, by hand (the admin, the API): the same ``webhook-id``, so a
    receiver that already has it recognises it. A stopped subscription is not sent to: it is
    refused (``TransitionRefused``) until the subscription is turned on again."""
    with transaction.atomic():
        locked = (
            Delivery.objects.select_for_update().select_related("subscription").get(pk=delivery.pk)
        )
        if not locked.subscription.active:
            raise TransitionRefused(
                _(
                    "The subscription is stopped, so nothing is sent to it. Turn it on again, "
                    "then send the delivery again."
                )
            )
        if locked.state in (Delivery.State.ABANDONED, Delivery.State.DELIVERED):
            locked.state = Delivery.State.PENDING
        locked.save(update_fields=["state"])
        _enqueue(locked, f"again-{uuid.uuid4().hex[:8]}")
    return locked


def subscription_create(
    *, owner: Any, url: str, events: list[str], organisation: Any = None
) -> tuple[Subscription, str]:
    """A new subscription and its secret (to be shown once); for ``organisation``, made by one
    of its administrators (the caller checks)."""
    secret = new_secret()
    subscription = Subscription.objects.create(
        owner=owner, organisation=organisation, url=url, events=sorted(set(events)), secret=secret
    )
    return subscription, secret


def subscription_update(
    subscription: Subscription,
    *,
    url: str | None = None,
    events: list[str] | None = None,
    active: bool | None = None,
) -> Subscription:
    fields = []
    if url is not None:
        subscription.url = url
        fields.append("url")
    if events is not None:
        subscription.events = sorted(set(events))
        fields.append("events")
    if active is not None and active != subscription.active:
        subscription.active = active
        fields.append("active")
        if active:
            # Turned on again: the count of failures and the reason start afresh.
            subscription.consecutive_failures = 0
            subscription.disabled_at = None
            subscription.disabled_reason = ""
            fields += ["consecutive_failures", "disabled_at", "disabled_reason"]
    if fields:
        subscription.save(update_fields=fields)
    return subscription


def subscription_delete(subscription: Subscription) -> None:
    """Remove a subscription with its delivery log; what was waiting is not sent."""
    subscription.delete()
