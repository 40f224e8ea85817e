"""Sending an e-mail notification: once however often the task runs, retried with backoff on
transient errors only, and never lost when a worker dies mid-way."""

from __future__ import annotations

import smtplib
import threading
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.db import connection
from django.utils import timezone

from notifications.constants import Channel
from notifications.sending import (
    SendResult,
    is_transient,
    notification_send,
    notifications_requeue_unsent,
)
from notifications.tasks import send_notification
from tests.notifications.backends import FlakyBackend
from tests.notifications.factories import email_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakyBackend"
    FlakyBackend.errors = []
    yield FlakyBackend
    FlakyBackend.errors = []


@pytest.fixture
def recorded_retries(monkeypatch):
    """Record the task's retry requests instead of running them (eager mode would at once)."""
    calls: list[dict] = []

    def retry(**kwargs):
        calls.append(kwargs)
        return Retry("retry requested", when=kwargs.get("countdown"))

    monkeypatch.setattr(send_notification, "retry", retry)
    return calls


def test_sends_a_multipart_message_with_a_stable_message_id():
    notification = email_notification(language="uk")

    assert send_notification.delay(notification.pk).get() == "sent"

    [message] = mail.outbox
    assert message.to == ["someone@example.com"]
    assert message.subject == notification.subject
    assert message.body == notification.body
    assert message.alternatives == [(notification.body_html, "text/html")]
    assert message.extra_headers["Content-Language"] == "uk"
    assert message.extra_headers["Message-ID"].startswith(f"<notification-{notification.pk}-")
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert notification.attempts == 1
    assert notification.claimed_by == ""


def test_running_the_task_twice_sends_once():
    notification = email_notification()

    first = send_notification.delay(notification.pk).get()
    second = send_notification.delay(notification.pk).get()

    assert (first, second) == ("sent", "nothing to do")
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1


def test_an_in_app_notification_is_not_emailed(applicant):
    notification = email_notification(channel=Channel.IN_APP, recipient=applicant, email="")

    assert notification_send(notification_id=notification.pk) is SendResult.NOTHING_TO_DO
    assert mail.outbox == []


def test_a_transient_error_is_retried_with_exponential_backoff(flaky, recorded_retries, settings):
    settings.NOTIFICATION_EMAIL_RETRY_BACKOFF = 60
    notification = email_notification()
    flaky.errors = [smtplib.SMTPServerDisconnected("Connection unexpectedly closed")]

    with pytest.raises(Retry):
        send_notification.apply(args=[notification.pk], retries=3)

    assert [call["countdown"] for call in recorded_retries] == [60 * 2**3]
    notification.refresh_from_db()
    assert notification.sent_at is None
    assert notification.failed_at is None
    # The claim is released so the retry can take it; the error is kept, without any address.
    assert notification.claimed_by == ""
    assert notification.last_error == "SMTPServerDisconnected"
    assert mail.outbox == []


def test_backoff_is_capped(flaky, recorded_retries, settings):
    settings.NOTIFICATION_EMAIL_RETRY_BACKOFF = 60
    settings.NOTIFICATION_EMAIL_RETRY_BACKOFF_MAX = 3600
    notification = email_notification()
    flaky.errors = [ConnectionRefusedError()]

    with pytest.raises(Retry):
        send_notification.apply(args=[notification.pk], retries=7)

    assert [call["countdown"] for call in recorded_retries] == [3600]


def test_after_a_transient_error_the_retry_sends_it(flaky):
    notification = email_notification()
    flaky.errors = [smtplib.SMTPDataError(451, b"Try again later")]
    with pytest.raises(Retry):
        send_notification.apply(args=[notification.pk])

    # The retry the broker hands back after the backoff.
    assert send_notification.apply(args=[notification.pk], retries=1).get() == "sent"

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert notification.attempts == 2
    assert notification.last_error == ""


def test_a_permanent_error_is_not_retried(flaky, recorded_retries):
    notification = email_notification()
    flaky.errors = [smtplib.SMTPRecipientsRefused({"someone@example.com": (550, b"No such user")})]

    assert send_notification.delay(notification.pk).get() == "failed"

    assert recorded_retries == []
    notification.refresh_from_db()
    assert notification.failed_at is not None
    assert notification.sent_at is None
    assert notification.last_error == "SMTPRecipientsRefused: [550]"


def test_no_retries_left_gives_up(flaky, recorded_retries, settings):
    notification = email_notification()
    flaky.errors = [TimeoutError()]

    send_notification.apply(args=[notification.pk], retries=send_notification.max_retries)

    assert recorded_retries == []
    notification.refresh_from_db()
    assert notification.failed_at is not None


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (smtplib.SMTPServerDisconnected(), True),
        (smtplib.SMTPConnectError(421, b"Too busy"), True),
        (smtplib.SMTPSenderRefused(451, b"Greylisted", "noreply@localhost"), True),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (452, b"Mailbox full")}), True),
        (ConnectionResetError(), True),
        (TimeoutError(), True),
        (__import__("redis").exceptions.ConnectionError(), True),
        (smtplib.SMTPAuthenticationError(535, b"Bad credentials"), False),
        (smtplib.SMTPDataError(554, b"Rejected as spam"), False),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"No such user")}), False),
        (smtplib.SMTPNotSupportedError(), False),
        (ValueError("a bug"), False),
    ],
)
def test_which_errors_are_worth_a_retry(error, transient):
    assert is_transient(error) is transient


def test_a_fresh_claim_of_another_worker_is_respected(recorded_retries, settings):
    settings.NOTIFICATION_CLAIM_TIMEOUT = 300
    notification = email_notification(claimed_at=timezone.now(), claimed_by="another-worker")

    with pytest.raises(Retry):
        send_notification.apply(args=[notification.pk])

    assert mail.outbox == []
    # It looks again once the other worker's claim could have expired.
    assert [call["countdown"] for call in recorded_retries] == [300]


def test_a_dead_workers_claim_is_taken_over(settings):
    settings.NOTIFICATION_CLAIM_TIMEOUT = 300
    notification = email_notification(
        claimed_at=timezone.now() - timedelta(seconds=301), claimed_by="dead-worker", attempts=1
    )

    assert send_notification.delay(notification.pk).get() == "sent"

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.attempts == 2


def test_the_safety_net_requeues_lost_emails_only(settings):
    settings.NOTIFICATION_CLAIM_TIMEOUT = 300
    now = timezone.now()
    old = now - timedelta(minutes=11)
    never_tried = email_notification(created_at=old)
    just_made = email_notification(created_at=now)
    dead_claim = email_notification(
        created_at=old, claimed_at=now - timedelta(seconds=301), claimed_by="dead", attempts=1
    )
    waiting_for_retry = email_notification(created_at=old, claimed_at=old, attempts=1)
    sent = email_notification(created_at=old, sent_at=old)
    given_up = email_notification(created_at=old, failed_at=old, attempts=3)

    assert notifications_requeue_unsent() == 2

    sent_ids = {int(m.extra_headers["Message-ID"].split("-")[1]) for m in mail.outbox}
    assert sent_ids == {never_tried.pk, dead_claim.pk}
    for untouched in (just_made, waiting_for_retry, sent, given_up):
        before = untouched.attempts
        untouched.refresh_from_db()
        assert untouched.attempts == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_sending_at_once_send_once(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.SlowBackend"
    notification = email_notification()
    barrier = threading.Barrier(2)
    results = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(notification_send(notification_id=notification.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(r.value for r in results) == ["claimed elsewhere", "sent"]
    assert len(mail.outbox) == 1
