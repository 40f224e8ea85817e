"""Public pages kept whole per language, with each visitor's own token and nonce put back in
(core/page_cache.py)."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.test import Client

from permits.models import PermitType
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/permits/", "/permits/employee_card/", "/accounts/login/"]


def csrf_tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))


def script_nonces(page: str) -> set[str]:
    return set(re.findall(r'<script [^>]*nonce="([^"]+)"', page))


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_kept_page_is_served_without_a_query_and_with_the_visitors_own_token_and_nonce(
    client_for, django_assert_num_queries, path
):
    first_visitor, second_visitor = client_for(None), client_for(None)
    first = first_visitor.get(path)
    with django_assert_num_queries(0):
        second = second_visitor.get(path)

    assert first.status_code == second.status_code == 200
    first_page, second_page = first.content.decode(), second.content.decode()
    # Nothing of the placeholders reaches a browser.
    assert "\x00" not in second_page
    # The same page but for the token and the nonce: each visitor has their own.
    assert csrf_tokens(first_page) and csrf_tokens(second_page)
    assert csrf_tokens(first_page).isdisjoint(csrf_tokens(second_page))
    for response, page in ((first, first_page), (second, second_page)):
        (nonce,) = script_nonces(page)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert script_nonces(first_page) != script_nonces(second_page)
    assert re.sub(r'(value|nonce)="[^"]+"', "", first_page) == re.sub(
        r'(value|nonce)="[^"]+"', "", second_page
    )


def test_the_token_of_a_kept_page_is_accepted(client_for):
    client_for(None).get("/")  # kept
    visitor = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    page = visitor.get("/").content.decode()
    (token,) = csrf_tokens(page)

    response = visitor.post("/i18n/setlang/", {"language": "cs", "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert visitor.cookies["django_language"].value == "cs"


def test_each_language_has_its_own_page(client_for):
    english = client_for(None, language="en").get("/permits/").content.decode()
    czech = client_for(None, language="cs").get("/permits/").content.decode()

    assert '<html lang="en"' in english
    assert '<html lang="cs"' in czech


def test_the_log_in_page_keeps_its_no_cache_headers(client_for):
    client_for(None).get("/accounts/login/")
    response = client_for(None).get("/accounts/login/")

    assert "no-store" in response["Cache-Control"]


def test_a_logged_in_person_gets_their_own_page(client_for, django_assert_max_num_queries):
    client_for(None).get("/")
    person = UserFactory(email="reader@example.com")

    page = client_for(person).get("/").content.decode()

    assert "reader@example.com" in page
    assert (
        "/accounts/login/" not in re.sub(r"<form.*?</form>", "", page, flags=re.S).split("<main")[0]
    )


def test_a_query_string_is_not_kept(client_for):
    client_for(None).get("/accounts/login/")

    page = client_for(None).get("/accounts/login/?next=/applications/").content.decode()

    assert 'value="/applications/"' in page


def test_a_page_with_a_message_for_the_visitor_is_rendered_for_them(client_for):
    client_for(None).get("/")
    visitor = client_for(None)
    storage = CookieStorage(HttpRequest())
    visitor.cookies[storage.cookie_name] = storage._encode(
        [Message(message_levels.INFO, "You were logged out.")]
    )

    page = visitor.get("/").content.decode()

    assert "You were logged out." in page


def test_a_change_to_the_catalogue_shows_at_once(client_for):
    assert "Employee Card" in client_for(None).get("/permits/employee_card/").content.decode()
    permit_type = PermitType.objects.get(code="employee_card")
    permit_type.name_en = "Employee Card (renamed)"
    permit_type.save()

    page = client_for(None).get("/permits/employee_card/").content.decode()

    assert "Employee Card (renamed)" in page


def test_without_a_lifetime_nothing_is_kept(client_for, settings, django_assert_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client_for(None).get("/permits/employee_card/")

    with django_assert_num_queries(2):
        client_for(None).get("/permits/employee_card/")
