"""A real Celery worker, a real Redis broker, a real SMTP server and the test database.

The worker is a separate process (``celery -A config worker -P prefork``) reading the same test
database (the SQLite file, or the PostgreSQL test database) and consuming a queue of its own.
Redis is the machine's (REDIS_URL, else db 14 locally): when it is unreachable these tests fail,
they do not skip.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import redis
from celery import Celery

from applications.models import Decision
from config import health
from documents.models import Document
from notifications.models import Notification
from tests.applications.factories import ApplicationFactory
from tests.notifications.factories import email_notification
from tests.workers import WorkerFactory, wait_for

pytestmark = [
    pytest.mark.real_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def in_process_tasks() -> Iterator[None]:
    """What this test process queues itself (a factory's PDF) runs here; only the messages the
    test sends to the worker's queue go to the worker."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def worker_queue(redis_url) -> Iterator[str]:
    queue = f"test-{uuid.uuid4().hex[:12]}"
    yield queue
    # The queue and kombu's bindings for it: nothing of the test stays behind in Redis.
    redis.Redis.from_url(redis_url).delete(
        queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
    )


@pytest.fixture
def workers(redis_url, worker_queue, tmp_path, smtp_server) -> Iterator[WorkerFactory]:
    factory = WorkerFactory(
        redis_url=redis_url,
        queue=worker_queue,
        tmp_path=tmp_path,
        env={"EMAIL_URL": smtp_server.email_url},
        started=[],
    )
    yield factory
    for worker in factory.started:
        worker.stop()


@pytest.fixture
def producer(redis_url, worker_queue) -> Iterator[Callable[..., None]]:
    """Queue a task by name on the worker's queue through Redis, as the web process does."""
    client = Celery("test-producer", broker=redis_url, set_as_current=False)
    client.conf.task_serializer = "json"

    def send(name: str, *args: object) -> None:
        client.send_task(name, args=list(args), queue=worker_queue)

    yield send
    client.close()


def test_a_worker_renders_a_decision_pdf_and_sends_a_notification(
    in_process_tasks, workers, producer, smtp_server, settings, redis_url
):
    application = ApplicationFactory(rejected=True)
    decision = application.decisions.get()
    # As if the PDF was never rendered: the worker has it to do.
    Decision.objects.filter(pk=decision.pk).update(document=None)
    Document.objects.filter(pk=decision.document_id).delete()
    notification = email_notification(email="olena@example.com", language="uk")
    worker = workers.start()

    producer("applications.tasks.render_decision_pdf", decision.pk)
    producer("notifications.tasks.send_notification", notification.pk)

    wait_for(
        lambda: Decision.objects.get(pk=decision.pk).document_id is not None,
        timeout=90,
        worker=worker,
        what="the decision PDF rendered",
    )
    wait_for(
        lambda: Notification.objects.get(pk=notification.pk).sent_at is not None,
        timeout=60,
        worker=worker,
        what="the notification sent",
    )
    document = Decision.objects.get(pk=decision.pk).document
    assert document.file.read(5) == b"%PDF-"
    [message] = smtp_server.messages
    assert message["To"] == "olena@example.com"
    # The worker beats: /healthz sees it.
    settings.REDIS_URL = redis_url
    assert health.check_redis_and_worker() == ("ok", "ok")


def test_a_worker_killed_mid_send_loses_nothing_and_sends_once(
    in_process_tasks, workers, producer, smtp_server, redis_url
):
    # The mail server sits on the first message for a minute: the worker is killed meanwhile.
    smtp_server.handler.delay_first = 1
    smtp_server.handler.delay_seconds = 60
    # Short enough for a test: Redis hands the unacknowledged task out again after this many
    # seconds, and the dead worker's claim on the row may be taken over after that many.
    workers.env.update(CELERY_VISIBILITY_TIMEOUT="6", NOTIFICATION_CLAIM_TIMEOUT="3")
    notification = email_notification(email="minh@example.com", language="vi")
    first = workers.start()

    producer("notifications.tasks.send_notification", notification.pk)
    queued_at = time.time()
    assert smtp_server.handler.data_started.wait(timeout=60), first.output()
    first.kill()

    claimed = Notification.objects.get(pk=notification.pk)
    assert claimed.sent_at is None
    assert claimed.claimed_by != ""
    assert smtp_server.messages == []
    # Once the visibility timeout has passed, a starting worker takes the task back.
    time.sleep(max(0.0, queued_at + 7 - time.time()))
    second = workers.start()

    wait_for(
        lambda: Notification.objects.get(pk=notification.pk).sent_at is not None,
        timeout=90,
        worker=second,
        what="the notification sent by the second worker",
    )
    # Give a duplicate every chance to show up.
    time.sleep(2)
    [message] = smtp_server.messages
    assert message["To"] == "minh@example.com"
    sent = Notification.objects.get(pk=notification.pk)
    assert sent.attempts == 2
    assert sent.claimed_by == ""
    assert sent.sent_at - claimed.claimed_at < timedelta(minutes=2)
