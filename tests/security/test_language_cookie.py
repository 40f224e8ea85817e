"""The language cookie is protected like the session and CSRF cookies: Secure whenever they are
(one switch, DJANGO_SECURE_COOKIES), never readable by scripts, and Lax."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.test_deploy import production_settings

pytestmark = pytest.mark.django_db

COOKIE_SETTINGS = (
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SAMESITE",
)


def test_in_production_the_language_cookie_is_secure_like_the_session_cookie(tmp_path):
    values = production_settings(tmp_path, *COOKIE_SETTINGS)

    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_HTTPONLY": True,
        "LANGUAGE_COOKIE_SAMESITE": "Lax",
    }


def test_the_language_cookie_follows_the_one_switch_for_secure_cookies(tmp_path):
    values = production_settings(tmp_path, *COOKIE_SETTINGS, DJANGO_SECURE_COOKIES="0")

    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["LANGUAGE_COOKIE_SECURE"] is False
    assert values["LANGUAGE_COOKIE_HTTPONLY"] is True


@pytest.fixture
def secure_cookies(settings):
    """The cookie settings production has (checked above)."""
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_SECURE = True


def test_the_language_switcher_sets_a_secure_http_only_cookie_and_works_without_scripts(
    secure_cookies,
):
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")

    # The switcher in every page's header is a plain form: no script reads or writes the cookie.
    page = browser.get(reverse("permits:catalogue"), secure=True)
    assert f'action="{reverse("set_language")}" method="post"' in page.text
    response = browser.post(
        reverse("set_language"), {"language": "uk", "next": "/permits/"}, secure=True
    )

    assert response.status_code == 302
    cookie = response.cookies["django_language"]
    assert cookie.value == "uk"
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert '<html lang="uk" data-theme="light">' in browser.get("/permits/", secure=True).text


def test_the_language_set_at_log_in_has_the_same_protection(secure_cookies, applicant):
    applicant.preferred_language = "vi"
    applicant.save(update_fields=["preferred_language"])
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = browser.post(
        reverse("accounts:login"),
        {"username": applicant.email, "password": "password-for-tests"},
        secure=True,
    )

    assert response.status_code == 302
    cookie = response.cookies["django_language"]
    assert (cookie.value, cookie["secure"], cookie["httponly"], cookie["samesite"]) == (
        "vi",
        True,
        True,
        "Lax",
    )
