"""Mail goes through Django's SMTP backend to a real SMTP server and arrives in the recipient's
language, as text and HTML."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest

from applications.notices import notify_application_event
from notifications.constants import Kind
from notifications.models import Notification
from notifications.sending import DeliveryError, notification_send
from tests.notifications.factories import (
    email_notification,
    forget_notices,
    interrupted_with_deadline,
    subject_of,
    today,
)
from tests.notifications.smtp import text_and_html

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "subject_words", "body_words"),
    [
        ("uk", "", "Доброго дня"),
        ("vi", "", "Xin chào"),
        ("ru", "", "Здравствуйте"),
        ("cs", "", "Dobrý den"),
        ("en", "documents needed", "Hello"),
    ],
)
def test_an_interruption_notice_arrives_by_smtp_in_the_recipients_language(
    smtp_settings, django_capture_on_commit_callbacks, language, subject_words, body_words
):
    interruption = interrupted_with_deadline(today() + timedelta(days=30), language=language)
    application = interruption.application
    forget_notices()

    with django_capture_on_commit_callbacks(execute=True):
        notify_application_event(application_id=application.pk, event="interrupted")

    [message] = smtp_settings.messages
    assert message["To"] == application.applicant.account.email
    # A long encoded subject starts on the header's second line: it reads with a leading space.
    assert message["Subject"].strip() == subject_of(Kind.INTERRUPTED, language)
    assert subject_words in message["Subject"]
    assert application.reference_number not in message["Subject"]
    assert message["Content-Language"] == language
    text, html = text_and_html(message)
    assert body_words in text
    assert body_words in html
    kind_name = getattr(interruption.requested_kinds.get(), f"name_{language}")
    assert kind_name in text
    email = Notification.objects.get(kind="interrupted", channel="email")
    assert email.sent_at is not None
    assert message["Message-ID"].startswith(f"<notification-{email.pk}-")


def test_a_refused_recipient_is_reported_as_permanent(smtp_settings):
    notification = email_notification(email="nobody@example.com")

    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user"

    smtp_settings.handler.handle_RCPT = refuse

    with pytest.raises(DeliveryError) as raised:
        notification_send(notification_id=notification.pk)

    assert raised.value.transient is False
    assert isinstance(raised.value.__cause__, smtplib.SMTPRecipientsRefused)
    assert smtp_settings.messages == []


def test_an_unreachable_server_is_transient(settings):
    from tests.notifications.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    notification = email_notification()

    with pytest.raises(DeliveryError) as raised:
        notification_send(notification_id=notification.pk)

    assert raised.value.transient is True
    notification.refresh_from_db()
    assert notification.claimed_by == ""
    assert notification.last_error == "ConnectionRefusedError"
