"""Webhooks against a real worker killed in the middle of a delivery: real Redis, real worker
processes, the test database. The receiver hears every event of the case, each signature
valid, in order; the message the dead worker was sending comes again with the same webhook-id,
so a receiver that recognises repeats (as Standard Webhooks asks) takes each event once."""

from __future__ import annotations

import time

import pytest

from applications import services
from core import outbox
from tests.applications.factories import ApplicantFactory, ApplicationFactory
from tests.webhooks.test_webhooks import Receiver
from tests.workers import broker_at, wait_for
from webhooks import services as webhook_services
from webhooks.models import Delivery

pytestmark = [
    pytest.mark.real_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_worker_killed_during_a_delivery_loses_nothing_and_breaks_no_order(
    workers, redis_url, queue, settings
):
    lease = 9
    workers.env.update(OUTBOX_LEASE_SECONDS=str(lease), WEBHOOK_TIMEOUT_SECONDS="30")
    person = ApplicantFactory()
    with Receiver(stall=25) as receiver, broker_at(redis_url, queue=queue):
        _subscription, receiver.secret = webhook_services.subscription_create(
            owner=person.account, url=receiver.url, events=["filed", "withdrawn"]
        )
        first = workers.start()
        application = ApplicationFactory(applicant=person, filed=True)
        services.application_withdraw(application=application, actor=person.account)

        # The first message is being sent when its worker dies.
        wait_for(receiver.stalling.is_set, timeout=60, worker=first, what="a delivery under way")
        first.kill()
        assert Delivery.objects.filter(state=Delivery.State.DELIVERED).count() == 0

        second = workers.start()
        # Beat's sweep, once a minute: the dead worker's claim runs out after the lease, and a
        # message it had taken but not started is queued again after the grace period.
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            outbox.sweep()
            if Delivery.objects.filter(state=Delivery.State.DELIVERED).count() == 2:
                break
            assert second.process.poll() is None, second.output()
            time.sleep(1)

    assert Delivery.objects.filter(state=Delivery.State.DELIVERED).count() == 2, second.output()
    assert receiver.bad_signatures == 0
    # The killed delivery came twice, with one webhook-id; taken once, the order holds.
    assert len(receiver.received) == 3
    assert [m["type"] for m in receiver.heard_once()] == ["case.filed", "case.withdrawn"]
    assert receiver.received[0]["id"] == receiver.received[1]["id"]
