"""A notification is rendered in the language of whoever reads it, when they read it: the
notification centre in the language of the request, an e-mail in the recipient's preferred
language when it is sent. What the notice stated then (its deadline) stays; a notice whose case
is gone, or one made before the data were kept, shows the text it was first given."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import get_random_string
from django.utils.formats import date_format

from applications.models import Interruption
from applications.notices import notify_application_event
from notifications.constants import Channel, Kind
from notifications.models import Notification
from notifications.rendering import (
    email_message,
    load_contexts,
    render_in_app,
    serialise_context,
)
from notifications.sending import SendResult, notification_send
from tests.applications.factories import ApplicationFactory
from tests.notifications.factories import (
    forget_notices,
    interrupted_with_deadline,
    subject_of,
    today,
)

pytestmark = pytest.mark.django_db

# A Wednesday morning in Prague: no weekend, holiday or midnight near.
NOON = "2026-03-04 11:00:00+01:00"

# What the catalogues say for the interruption notice (its subject and one line of its text).
DOCUMENTS_TO_UPLOAD = {
    "en": "Documents to upload:",
    "cs": "Doklady k nahrání:",
    "vi": "Giấy tờ cần tải lên:",
    "ru": "Документы для загрузки:",
}


@pytest.fixture(autouse=True)
def _at_noon():
    with time_machine.travel(NOON, tick=False):
        yield


def interruption_notice(django_capture_on_commit_callbacks, *, language: str = "en"):
    """An interrupted case whose applicant reads ``language``, and the notices it made (the
    e-mails are not sent yet)."""
    interruption = interrupted_with_deadline(today() + timedelta(days=30), language=language)
    forget_notices()
    with django_capture_on_commit_callbacks(execute=False):
        made = notify_application_event(
            application_id=interruption.application_id, event="interrupted"
        )
    in_app = next(n for n in made if n.channel == Channel.IN_APP)
    email = next(n for n in made if n.channel == Channel.EMAIL)
    return interruption, in_app, email


def notification_centre(client_for, user, language: str) -> str:
    response = client_for(user, language=language).get(reverse("notifications:list"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["vi", "cs", "ru"])
def test_a_notice_made_in_english_is_read_in_the_language_the_reader_switched_to(
    django_capture_on_commit_callbacks, client_for, language
):
    interruption, in_app, _ = interruption_notice(django_capture_on_commit_callbacks)
    reader = in_app.recipient
    assert DOCUMENTS_TO_UPLOAD["en"] in in_app.body

    page = notification_centre(client_for, reader, language)

    assert subject_of(Kind.INTERRUPTED, language) in page
    assert DOCUMENTS_TO_UPLOAD[language] in page
    assert DOCUMENTS_TO_UPLOAD["en"] not in page
    assert subject_of(Kind.INTERRUPTED, "en") not in page
    # The document by its name in that language, and the case.
    document = interruption.requested_kinds.get()
    assert getattr(document, f"name_{language}") in page
    assert interruption.application.reference_number in page
    # The record keeps what was first said.
    in_app.refresh_from_db()
    assert DOCUMENTS_TO_UPLOAD["en"] in in_app.body
    assert in_app.subject == subject_of(Kind.INTERRUPTED, "en")


def test_the_notice_keeps_the_deadline_it_stated(django_capture_on_commit_callbacks, client_for):
    interruption, in_app, _ = interruption_notice(django_capture_on_commit_callbacks)
    stated = interruption.deadline
    extended = stated + timedelta(days=14)
    # The deadline is extended after the notice (a later notice says so).
    Interruption.objects.filter(pk=interruption.pk).update(deadline=extended)

    page = notification_centre(client_for, in_app.recipient, "en")

    with translation.override("en"):
        assert date_format(stated) in page
        assert date_format(extended) not in page


def test_a_notice_whose_case_data_are_gone_shows_its_stored_text(
    django_capture_on_commit_callbacks, client_for
):
    interruption, in_app, _ = interruption_notice(django_capture_on_commit_callbacks)
    # Erased (as retention would); the case, and so the notification, stays.
    Interruption.objects.filter(pk=interruption.pk).delete()

    page = notification_centre(client_for, in_app.recipient, "vi")

    assert DOCUMENTS_TO_UPLOAD["en"] in page
    assert subject_of(Kind.INTERRUPTED, "en") in page
    assert DOCUMENTS_TO_UPLOAD["vi"] not in page


def test_a_notice_made_before_data_were_kept_shows_its_stored_text(
    django_capture_on_commit_callbacks, client_for
):
    _, in_app, _ = interruption_notice(django_capture_on_commit_callbacks)
    in_app.data = None
    in_app.save(update_fields=["data"])

    page = notification_centre(client_for, in_app.recipient, "vi")

    assert DOCUMENTS_TO_UPLOAD["en"] in page
    assert DOCUMENTS_TO_UPLOAD["vi"] not in page


def _copies(notification: Notification, count: int) -> None:
    """``count`` more notifications with the same data, for the same reader."""
    for _ in range(count):
        key = get_random_string(16)
        Notification.objects.create(
            recipient=notification.recipient,
            kind=notification.kind,
            application_id=notification.application_id,
            channel=Channel.IN_APP,
            language=notification.language,
            subject=notification.subject,
            body=notification.body,
            data=notification.data,
            due_on=notification.due_on,
            event_key=notification.event_key,
            idempotency_key=f"{notification.idempotency_key}:{key}",
            sent_at=notification.sent_at,
        )


def test_the_centre_costs_the_same_queries_for_5_and_for_50_notices(
    django_capture_on_commit_callbacks, client_for
):
    _, in_app, _ = interruption_notice(django_capture_on_commit_callbacks)
    reader = in_app.recipient
    browser = client_for(reader, language="vi")
    # A notice of another kind, and one made before data were kept, among them.
    old = Notification.objects.create(
        recipient=reader,
        kind=Kind.FILED,
        application_id=in_app.application_id,
        channel=Channel.IN_APP,
        language="en",
        subject="Application filed",
        body="Your application was filed.",
        event_key="filed:old",
        idempotency_key="filed:old:in_app",
    )
    assert old.data is None

    def queries(*, rendered: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = browser.get(reverse("notifications:list"))
        assert response.status_code == 200
        assert response.content.decode().count(DOCUMENTS_TO_UPLOAD["vi"]) == rendered
        return len(captured)

    _copies(in_app, 3)
    assert Notification.objects.inbox_of(reader).count() == 5
    five = queries(rendered=4)
    _copies(in_app, 45)
    assert Notification.objects.inbox_of(reader).count() == 50
    # The newest 30 (a page) are the copies.
    fifty = queries(rendered=30)

    assert five == fifty
    # The session and user, the page and its count, the badge, one query per model referenced.
    assert fifty <= 16


def test_an_email_goes_out_in_the_language_the_user_chose_since(
    django_capture_on_commit_callbacks,
):
    _, _, email = interruption_notice(django_capture_on_commit_callbacks)
    assert DOCUMENTS_TO_UPLOAD["en"] in email.body
    user = email.recipient
    user.preferred_language = "vi"
    user.save(update_fields=["preferred_language"])
    mail.outbox.clear()

    assert notification_send(notification_id=email.pk) == SendResult.SENT

    [message] = mail.outbox
    assert message.subject == subject_of(Kind.INTERRUPTED, "vi")
    assert DOCUMENTS_TO_UPLOAD["vi"] in message.body
    assert DOCUMENTS_TO_UPLOAD["en"] not in message.body
    assert message.extra_headers["Content-Language"] == "vi"
    html, _ = message.alternatives[0]
    assert DOCUMENTS_TO_UPLOAD["vi"] in html
    # The row keeps what was sent.
    email.refresh_from_db()
    assert email.language == "vi"
    assert email.subject == message.subject
    assert email.body == message.body
    assert email.body_html == html


def test_an_email_whose_case_data_are_gone_goes_out_as_stored(
    django_capture_on_commit_callbacks,
):
    interruption, _, email = interruption_notice(django_capture_on_commit_callbacks)
    Interruption.objects.filter(pk=interruption.pk).delete()
    mail.outbox.clear()

    assert notification_send(notification_id=email.pk) == SendResult.SENT

    [message] = mail.outbox
    assert message.body == email.body
    assert message.subject == email.subject


def test_rendered_again_in_the_same_language_the_notice_says_what_it_said(
    django_capture_on_commit_callbacks,
):
    _, in_app, email = interruption_notice(django_capture_on_commit_callbacks)
    [in_app_context, email_context] = load_contexts([in_app.data, email.data])

    assert in_app_context is not None and email_context is not None
    assert render_in_app(kind=in_app.kind, language="en", context=in_app_context) == (
        in_app.subject,
        in_app.body,
    )
    message = email_message(email, language="en")
    assert message is not None
    assert (message["subject"], message["text"], message["html"]) == (
        email.subject,
        email.body,
        email.body_html,
    )


@pytest.mark.parametrize(
    ("state", "event"), [("filed", "filed"), ("decided", "decided"), ("rejected", "decided")]
)
def test_other_notices_render_again_as_they_were_made(
    django_capture_on_commit_callbacks, state, event
):
    application = ApplicationFactory(**{state: True})
    forget_notices()
    with django_capture_on_commit_callbacks(execute=False):
        made = notify_application_event(application_id=application.pk, event=event)
    in_app = next(n for n in made if n.channel == Channel.IN_APP)
    email = next(n for n in made if n.channel == Channel.EMAIL)

    [context] = load_contexts([in_app.data])
    assert context is not None
    assert render_in_app(kind=in_app.kind, language=in_app.language, context=context) == (
        in_app.subject,
        in_app.body,
    )
    message = email_message(email, language=email.language)
    assert message is not None
    assert (message["subject"], message["text"], message["html"]) == (
        email.subject,
        email.body,
        email.body_html,
    )


def test_values_are_kept_as_values():
    moment = datetime.fromisoformat("2026-03-04T11:00:00+01:00")
    context = {
        "day": date(2026, 3, 4),
        "at": moment,
        "fee": Decimal("2500.50"),
        "days": 15,
        "flag": True,
        "name": "Jana",
        "nothing": None,
        "list": [date(2026, 1, 1), 2],
        "map": {"a": date(2026, 1, 2)},
    }

    [loaded] = load_contexts([serialise_context(context)])

    assert loaded == context


def test_a_value_that_cannot_be_kept_is_refused():
    with pytest.raises(TypeError):
        serialise_context({"thing": object()})
    with pytest.raises(TypeError):
        serialise_context({"lazy": translation.gettext_lazy("Notifications")})
