"""The frame every page shares (templates/base.html): the authority's header and footer, the
language list, the menu that works without JavaScript, the favicon, the meta description and
robots.txt (issue: the look of a Czech public service)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from django.conf import settings
from django.templatetags.static import static

from accounts.constants import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_language_list_names_each_language_in_itself_and_needs_no_change_button(client_for):
    page = client_for(None).get("/").content.decode()

    form = re.search(r'<form action="/i18n/setlang/".*?</form>', page, re.DOTALL)
    assert form is not None
    buttons = re.findall(
        r'<button type="submit" name="language" value="(\w+)" lang="(\w+)"[^>]*>([^<]+)</button>',
        form.group(0),
    )
    # Django's own names of the languages, each in itself.
    assert {code: unicodedata.normalize("NFC", name) for code, _lang, name in buttons} == {
        "cs": "Česky",
        "en": "English",
        "uk": "Українська",
        "vi": "Tiếng Việt",
        "ru": "Русский",
    }
    assert all(code == lang for code, lang, _name in buttons)
    assert "Change</button>" not in page
    # The current language is marked for assistive technologies, not by colour only.
    assert 'value="en" lang="en" class="link-button" aria-current="true"' in form.group(0)


def test_switching_the_language_from_the_list_keeps_the_page(client_for):
    browser = client_for(None)

    response = browser.post("/i18n/setlang/", {"language": "uk", "next": "/permits/"})

    assert response.status_code == 302 and response["Location"] == "/permits/"
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "uk"


def test_the_menu_opens_without_javascript_through_its_target(client_for):
    page = client_for(None).get("/").content.decode()

    assert '<a class="site-menu-toggle" href="#site-menu"' in page
    assert 'id="site-menu"' in page


def test_every_page_has_the_authority_footer_and_its_pages(client_for):
    page = client_for(None).get("/permits/").content.decode()

    assert "Ministry of the Interior of the Czech Republic" in page
    for url in ("/contact/", "/accessibility/", "/personal-data/"):
        assert f'href="{url}"' in page
        assert client_for(None).get(url).status_code == 200


def test_pages_have_a_meta_description_and_a_favicon(client_for):
    page = client_for(None).get("/accounts/login/").content.decode()

    description = re.search(r'<meta name="description" content="([^"]+)">', page)
    assert description is not None and len(description.group(1)) > 50
    assert f'href="{static("favicon.svg")}"' in page


def test_favicon_ico_is_found_where_browsers_look_for_it(client_for):
    response = client_for(None).get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == static("favicon.ico")


def test_robots_txt_keeps_personal_pages_out_of_search_engines(client_for):
    response = client_for(None).get("/robots.txt")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    for private in ("/applications/", "/caseworker/", "/accounts/", "/documents/"):
        assert f"Disallow: {private}" in text
    assert "Disallow: /permits/" not in text
    # Logging in and signing up are where people start: search engines may find them.
    assert "Allow: /accounts/login/" in text and "Allow: /accounts/signup/" in text


def test_a_signed_in_person_finds_their_account_and_log_out_in_the_header(client_for):
    person = UserFactory(role=Role.APPLICANT, email="reader@example.com")

    page = client_for(person).get("/").content.decode()

    assert "reader@example.com" in page
    assert 'action="/accounts/logout/"' in page
    assert 'href="/accounts/profile/"' in page
