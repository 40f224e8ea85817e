"""E-mails to account holders, rendered in the recipient's language (SPEC §7).

Each message is three templates under ``templates/accounts/email/``: ``<name>_subject.txt``,
``<name>.txt`` and ``<name>.html`` (which extends ``accounts/email/base.html``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from accounts.constants import Language

if TYPE_CHECKING:
    from accounts.models import User


def language_of(code: str | None) -> str:
    """A language the portal speaks: ``code`` if it is one, otherwise Czech (language of record)."""
    return code if code in Language.values else Language.CS


def mail_context(language: str) -> dict[str, Any]:
    """What every account e-mail shows: its language, and how long a link in it works."""
    hours = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
    return {
        # Shown in the message, so the recipient sees which language they chose.
        "language_code": language,
        "language_name": Language(language).label,
        # Verification and password-reset links both expire after PASSWORD_RESET_TIMEOUT.
        "link_valid_days": hours // 24 if hours >= 48 else None,
        "link_valid_hours": hours,
    }


def render_in_language(
    *, name: str, language: str, context: dict[str, Any]
) -> tuple[str, str, str]:
    """Subject, text body and HTML body of the message ``name`` in ``language``."""
    language = language_of(language)
    context = {**context, **mail_context(language)}
    with translation.override(language):
        subject = render_to_string(f"accounts/email/{name}_subject.txt", context)
        text = render_to_string(f"accounts/email/{name}.txt", context)
        html = render_to_string(f"accounts/email/{name}.html", context)
    # A header must be one line.
    return " ".join(subject.split()), text, html


def send_in_language(*, to: str, name: str, language: str, context: dict[str, Any]) -> None:
    """Send the message ``name`` to ``to`` in ``language``, with a text and an HTML body."""
    subject, text, html = render_in_language(name=name, language=language, context=context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


def send_to_user(*, user: User, name: str, context: dict[str, Any]) -> None:
    """Send the message ``name`` to ``user``'s address, in their preferred language; the
    templates also get the account as ``user``."""
    send_in_language(
        to=user.email,
        name=name,
        language=user.preferred_language,
        context={"user": user, **context},
    )
