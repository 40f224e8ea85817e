"""Cases at a deadline, built through the services like every other factory-made case."""

from __future__ import annotations

from datetime import date, timedelta

from django.core import mail
from django.utils import timezone, translation

from applications.models import Application, Interruption
from notifications.constants import Channel, Kind
from notifications.models import Notification
from tests.applications.factories import ApplicationFactory


def today() -> date:
    return timezone.localdate()


def subject_of(kind: Kind | str, language: str, *, returned: bool = False) -> str:
    """The subject of a message of ``kind`` in ``language``, from the translation catalogue: the
    kind's name, which carries nothing about the case (after an appeal returned the case, a new
    filing is "Returned for new proceedings")."""
    with translation.override(language):
        if returned:
            return translation.gettext("Returned for new proceedings")
        return str(Kind(kind).label)


def interrupted_with_deadline(deadline: date, *, language: str = "uk", **kwargs) -> Interruption:
    """An interrupted case with documents due on ``deadline``; its account reads ``language``."""
    application = ApplicationFactory(interrupted=True, **kwargs)
    account = application.applicant.account
    if account is not None:
        account.preferred_language = language
        account.save(update_fields=["preferred_language"])
    interruption = application.interruptions.get(ended_on__isnull=True)
    Interruption.objects.filter(pk=interruption.pk).update(
        deadline=deadline, started_on=min(interruption.started_on, deadline)
    )
    interruption.refresh_from_db()
    return interruption


def filed_due_on(due: date, *, caseworker) -> Application:
    from applications import services

    application = ApplicationFactory(filed=True)
    services.application_claim(application=application, actor=caseworker)
    Application.objects.filter(pk=application.pk).update(decision_due=due)
    application.refresh_from_db()
    return application


def days(n: int) -> timedelta:
    return timedelta(days=n)


def email_notification(**fields) -> Notification:
    """An e-mail notification waiting to be sent, as ``notify`` leaves it."""
    from django.utils.crypto import get_random_string

    key = get_random_string(12)
    defaults = {
        "kind": Kind.FILED,
        "channel": Channel.EMAIL,
        "email": "someone@example.com",
        "language": "en",
        "subject": "Application filed",
        "body": "Hello,\n\nYour application was filed.\n",
        "body_html": "<p>Hello,</p><p>Your application was filed.</p>",
        "event_key": f"filed:{key}:x",
        "idempotency_key": f"filed:{key}:email:x",
    }
    return Notification.objects.create(**{**defaults, **fields})


def notifications_mailed(messages) -> list[Notification]:
    """The notification behind each message (Django's or one a real SMTP server received)."""
    ids = []
    for message in messages:
        headers = getattr(message, "extra_headers", None) or message
        ids.append(int(headers["Message-ID"].split("-")[1]))
    found = Notification.objects.in_bulk(ids)
    return [found[pk] for pk in ids]


def mailed_kinds(messages) -> list[str]:
    return sorted(n.kind for n in notifications_mailed(messages))


def forget_notices() -> None:
    """Start the test from no notifications: once the application services are wired to notify,
    the services the factories ran have notified already, and a test of one notice or sweep
    should see only its own."""
    Notification.objects.all().delete()
    mail.outbox.clear()
