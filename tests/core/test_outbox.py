"""The outbox: a side effect is recorded with its change, delivered once, and never lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from applications import services
from applications.constants import Outcome
from applications.models import Decision
from core import outbox
from core.models import OutboxMessage
from core.tasks import deliver_outbox_message, sweep_outbox
from documents.constants import Role
from documents.models import Document
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

INSTANT = "2026-12-02 09:00:00+01:00"  # a Wednesday in Prague


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(INSTANT, tick=False):
        yield


@pytest.fixture
def calls(monkeypatch):
    """A handler of a test topic that records its calls (and fails while ``fail`` is set)."""
    made: list[dict] = []
    state = {"fail": False}

    def handler(**payload):
        if state["fail"]:
            raise RuntimeError("the printer is on fire")
        made.append(payload)

    monkeypatch.setattr("tests.core.test_outbox._handler", handler, raising=False)
    monkeypatch.setitem(outbox._handlers, "test.topic", "tests.core.test_outbox._handler")
    return made, state


def _enqueue(**kwargs) -> OutboxMessage:
    with transaction.atomic():
        return outbox.enqueue(topic="test.topic", payload={"n": 1}, **kwargs)


# serialized_rollback: the flush after a transactional test would take the catalogue with it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_message_outside_a_transaction_is_refused(calls):
    with pytest.raises(RuntimeError):
        outbox.enqueue(topic="test.topic", payload={})


def test_an_unknown_topic_is_refused():
    with transaction.atomic(), pytest.raises(outbox.UnknownTopic):
        outbox.enqueue(topic="no.such.topic", payload={})


def test_a_message_rolls_back_with_its_change(calls):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        outbox.enqueue(topic="test.topic", payload={"n": 1})
        1 / 0  # noqa: B018 - the change fails after recording its side effect

    assert not OutboxMessage.objects.exists()


def test_after_the_commit_the_message_is_delivered_once(calls, django_capture_on_commit_callbacks):
    made, _ = calls
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()

    message.refresh_from_db()
    assert made == [{"n": 1}]
    assert message.delivered_at == timezone.now()
    assert message.attempts == 1
    # Queued again (the sweep, Redis handing a dead worker's task back): nothing happens.
    assert deliver_outbox_message(message.pk) is False
    assert made == [{"n": 1}]


def test_one_key_is_one_side_effect(calls):
    first = _enqueue(key="decision_pdf:7")
    second = _enqueue(key="decision_pdf:7")

    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1


def test_a_claimed_message_is_not_delivered_twice_until_its_claim_expires(calls, settings):
    made, _ = calls
    settings.OUTBOX_LEASE_SECONDS = 180
    message = _enqueue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_until=timezone.now() + timedelta(seconds=180), attempts=1
    )

    assert outbox.deliver(message_id=message.pk) is False
    assert made == []

    # The worker holding it died: once the claim has run out, another delivers it.
    with time_machine.travel(timezone.now() + timedelta(seconds=181), tick=False):
        assert outbox.deliver(message_id=message.pk) is True
    assert made == [{"n": 1}]


@pytest.mark.outbox_failure_expected
def test_a_failing_handler_is_recorded_and_retried_after_its_backoff(calls):
    made, state = calls
    state["fail"] = True
    message = _enqueue()

    assert outbox.deliver(message_id=message.pk) is False

    message.refresh_from_db()
    assert message.delivered_at is None
    assert message.claimed_until is None
    assert "the printer is on fire" in message.last_error
    assert message.available_at == timezone.now() + timedelta(seconds=30)
    # Not before its backoff …
    assert outbox.sweep() == 0
    # … and after it, delivered.
    state["fail"] = False
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):
        assert outbox.sweep() == 1
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert message.last_error == ""
    assert made == [{"n": 1}]


def test_the_sweep_leaves_fresh_and_claimed_messages_alone(calls, settings):
    made, _ = calls
    fresh = _enqueue()
    claimed = _enqueue()
    OutboxMessage.objects.filter(pk=claimed.pk).update(
        available_at=timezone.now() - timedelta(minutes=5),
        claimed_until=timezone.now() + timedelta(seconds=60),
    )
    lost = _enqueue()
    OutboxMessage.objects.filter(pk=lost.pk).update(
        available_at=timezone.now() - timedelta(minutes=5)
    )

    assert outbox.sweep() == 1

    assert made == [{"n": 1}]
    assert OutboxMessage.objects.get(pk=lost.pk).delivered_at is not None
    assert OutboxMessage.objects.get(pk=fresh.pk).delivered_at is None
    assert OutboxMessage.objects.get(pk=claimed.pk).delivered_at is None


def test_the_sweep_task_purges_old_delivered_messages(calls, settings):
    settings.OUTBOX_KEEP_DELIVERED_DAYS = 30
    old = _enqueue()
    recent = _enqueue()
    OutboxMessage.objects.filter(pk=old.pk).update(delivered_at=timezone.now() - timedelta(days=31))
    OutboxMessage.objects.filter(pk=recent.pk).update(
        delivered_at=timezone.now() - timedelta(days=29)
    )

    sweep_outbox()

    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [recent.pk]


def test_a_decision_records_its_pdf_in_its_own_transaction():
    application = ApplicationFactory(filed=True)
    caseworker = application.assigned_to or _claim(application)

    decision = services.application_decide(
        application=application,
        actor=caseworker,
        outcome=Outcome.REJECTED,
        reasoning="The conditions are not met.",
    )

    # Not delivered: the test's transaction never commits, so nothing ran after it.
    message = OutboxMessage.objects.get(topic="documents.decision_pdf")
    assert message.payload == {"decision_id": decision.pk}
    assert message.delivered_at is None
    assert Decision.objects.get(pk=decision.pk).document_id is None

    # A worker delivering it twice files one PDF.
    assert outbox.deliver(message_id=message.pk) is True
    OutboxMessage.objects.filter(pk=message.pk).update(delivered_at=None)
    outbox.deliver(message_id=message.pk)
    assert Document.objects.filter(application=application, role=Role.DECISION).count() == 1


def test_an_interruption_records_its_letter_and_the_notice(calls):
    from permits.models import DocumentKind

    application = ApplicationFactory(filed=True)
    caseworker = _claim(application)
    OutboxMessage.objects.all().delete()

    interruption = services.application_interrupt_with_letter(
        application=application,
        actor=caseworker,
        reason="Proof of accommodation.",
        document_kinds=DocumentKind.objects.filter(code="accommodation"),
    )

    recorded = list(OutboxMessage.objects.order_by("pk").values_list("topic", "payload"))
    assert recorded == [
        (
            "notifications.application_event",
            {"application_id": application.pk, "event": "interrupted"},
        ),
        ("documents.interruption_letter", {"interruption_id": interruption.pk}),
    ]


def _claim(application):
    from accounts.constants import Role as AccountRole
    from tests.accounts.factories import UserFactory

    caseworker = UserFactory(role=AccountRole.CASEWORKER)
    services.application_claim(application=application, actor=caseworker)
    application.refresh_from_db()
    return caseworker


def test_the_production_figures_replace_a_dead_worker_within_five_minutes():
    from django.conf import settings

    sweep_every = settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]["schedule"]
    # Two workers never hold one message: the task is killed before its claim runs out …
    assert settings.OUTBOX_TASK_SOFT_TIME_LIMIT < settings.OUTBOX_TASK_TIME_LIMIT
    assert settings.OUTBOX_TASK_TIME_LIMIT < settings.OUTBOX_LEASE_SECONDS
    # … and a dead worker's message is queued again with a minute left to render it.
    assert settings.OUTBOX_LEASE_SECONDS + sweep_every <= 4 * 60
