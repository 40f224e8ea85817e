"""Remembering the language a person chose (SPEC §7).

``LocaleMiddleware`` reads the language cookie on every request, so setting it when someone
logs in, verifies their address or saves their preferred language is what makes the choice stick
in this browser; ``User.preferred_language`` keeps it for their next browser and for e-mails.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation

from accounts.mail import language_of


def remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """Set the language cookie on ``response``, as Django's ``set_language`` view does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language_of(language),
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def use_language(language: str) -> None:
    """Speak ``language`` for the rest of this request (messages added after a change)."""
    translation.activate(language_of(language))
