"""The outbox against real outages: Redis unreachable while cases are decided and interrupted,
and a worker killed in the middle of a decision's PDF. Real Redis, real worker processes, the
test database; Redis unreachable (when it should be up) fails these tests, it never skips them."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.constants import Status
from applications.models import Application, Decision
from core import outbox
from core.models import OutboxMessage
from documents.constants import Role
from documents.models import Document
from notifications.constants import Channel
from notifications.models import Notification
from permits.models import DocumentKind
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.notifications.smtp import free_port
from tests.workers import broker_at, wait_for

pytestmark = [
    pytest.mark.real_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _claimed_case(**traits) -> tuple[Application, object]:
    """A filed case its caseworker has claimed, its own side effects (the filing's notices)
    delivered in this process: only what the test then does waits in the outbox."""
    caseworker = UserFactory(role="caseworker")
    with broker_at("memory://", eager=True):
        application = ApplicationFactory(filed=True, **traits)
        services.application_claim(application=application, actor=caseworker)
    assert not outbox.pending().exists()
    application.refresh_from_db()
    return application, caseworker


def _email_notices(*applications: Application):
    return Notification.objects.filter(application__in=applications, channel=Channel.EMAIL)


def test_with_redis_unreachable_a_decision_and_an_interruption_are_quick_and_nothing_is_lost(
    client, workers, smtp_server, redis_url, queue
):
    to_decide, caseworker = _claimed_case()
    to_interrupt, other_caseworker = _claimed_case()
    before = set(_email_notices(to_decide, to_interrupt).values_list("pk", flat=True))
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"

    with broker_at(dead_redis):
        client.force_login(caseworker)
        started = time.monotonic()
        decided = client.post(
            reverse("caseworker:decide", args=[to_decide.pk]),
            {
                "decide-expected_version": to_decide.version,
                "decide-outcome": "rejected",
                "decide-reasoning": "The conditions are not met.",
                "decide-confirm": "on",
            },
        )
        decide_seconds = time.monotonic() - started
        client.force_login(other_caseworker)
        started = time.monotonic()
        interrupted = client.post(
            reverse("caseworker:interrupt", args=[to_interrupt.pk]),
            {
                "interrupt-expected_version": to_interrupt.version,
                "interrupt-document_kinds": [DocumentKind.objects.get(code="accommodation").pk],
                "interrupt-reason": "The accommodation consent lacks a certified signature.",
                "interrupt-deadline_days": 30,
            },
        )
        interrupt_seconds = time.monotonic() - started

    assert decided.status_code == 302, decided.content[:500]
    assert interrupted.status_code == 302, interrupted.content[:500]
    assert decide_seconds < 2, decide_seconds
    assert interrupt_seconds < 2, interrupt_seconds
    decision = Decision.objects.get(application=to_decide)
    assert decision.document_id is None
    assert Application.objects.get(pk=to_interrupt.pk).status == Status.INTERRUPTED
    waiting = set(
        OutboxMessage.objects.filter(delivered_at__isnull=True).values_list("topic", flat=True)
    )
    assert waiting == {
        "documents.decision_pdf",
        "documents.interruption_letter",
        "notifications.application_event",
    }

    # Redis is back; a worker starts, and the next sweep queues what waited.
    with broker_at(redis_url, queue=queue):
        worker = workers.start()
        assert outbox.sweep(now=timezone.now() + timedelta(minutes=1)) == 3
        wait_for(
            lambda: not outbox.pending().exists(),
            timeout=120,
            worker=worker,
            what="every outbox message delivered",
        )
        new_notices = _email_notices(to_decide, to_interrupt).exclude(pk__in=before)
        wait_for(
            lambda: new_notices.exists() and not new_notices.filter(sent_at__isnull=True).exists(),
            timeout=60,
            worker=worker,
            what="every new e-mail notice sent",
        )
        # A second sweep, and time for a duplicate to show up: nothing more happens.
        assert outbox.sweep(now=timezone.now() + timedelta(minutes=10)) == 0
        time.sleep(2)

    decision.refresh_from_db()
    assert decision.document.file.read(5) == b"%PDF-"
    assert Document.objects.filter(application=to_decide, role=Role.DECISION).count() == 1
    assert Document.objects.filter(application=to_interrupt, role=Role.LETTER).count() == 1
    sent_to = sorted(message["To"] for message in smtp_server.messages)
    assert sent_to == sorted(new_notices.values_list("email", flat=True))
    assert new_notices.count() == len(sent_to) >= 2


def test_a_worker_killed_mid_decision_pdf_is_replaced_and_the_pdf_made_once(
    client, workers, redis_url, tmp_path, queue
):
    application, caseworker = _claimed_case()
    started_marker = tmp_path / "slow-pdf-started"
    # A short lease for the test; the production figures are checked in test_outbox.py.
    lease = 30
    workers.env.update(OUTBOX_LEASE_SECONDS=str(lease), SLOW_PDF_STARTED=str(started_marker))
    workers.module = "tests.core.slow_pdf_worker"

    with broker_at(redis_url, queue=queue):
        slow = workers.start()
        services.application_decide(
            application=application,
            actor=caseworker,
            outcome="rejected",
            reasoning="The conditions are not met.",
        )
        wait_for(started_marker.exists, timeout=60, worker=slow, what="the PDF being rendered")
        slow.kill()
        killed_at = time.monotonic()
        message = OutboxMessage.objects.get(topic="documents.decision_pdf")
        assert message.delivered_at is None
        assert message.claimed_until is not None
        assert Decision.objects.get(application=application).document_id is None

        workers.module = "celery"
        second = workers.start()
        # Beat's sweep, once a minute: the dead worker's claim has run out after the lease.
        wait_for(
            lambda: outbox.sweep() > 0 or False,
            timeout=lease + 30,
            worker=second,
            what="the dead worker's message queued again",
        )
        wait_for(
            lambda: Decision.objects.get(application=application).document_id is not None,
            timeout=90,
            worker=second,
            what="the PDF rendered by the second worker",
        )
        replaced_after = time.monotonic() - killed_at
        time.sleep(2)

    assert replaced_after < 5 * 60
    assert Document.objects.filter(application=application, role=Role.DECISION).count() == 1
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert message.attempts == 2
