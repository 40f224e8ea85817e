"""The language switcher in the header turns the portal into each of its five languages.

The switcher is a list of buttons in the header's language dropdown
(``<details class="site-dropdown site-languages">``): its summary names the current language,
each button its language, in that language. On a phone it is inside the menu.
"""

from __future__ import annotations

from unicodedata import normalize

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import PHONE
from tests.e2e.helpers import open_menu

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Written out, not looked up through gettext: a missing translation must fail here.
LANGUAGES = {
    "cs": ("Povolení k pobytu v České republice", "Povolení a průvodce", "Přihlásit se"),
    "en": ("Residence permits in the Czech Republic", "Permits and guidance", "Log in"),
    "uk": ("Дозволи на перебування в Чеській Республіці", "Дозволи та довідка", "Увійти"),
    "vi": ("Giấy phép cư trú tại Cộng hòa Séc", "Giấy phép và hướng dẫn", "Đăng nhập"),
    "ru": ("Разрешения на пребывание в Чешской Республике", "Разрешения и справка", "Войти"),
}
# Each language named in its own language, as the switcher shows it.
NAMES = {
    "cs": "Česky",
    "en": "English",
    "uk": "Українська",
    "vi": "Tiếng Việt",
    "ru": "Русский",
}


def composed(locator: Locator) -> str:
    """The text, composed: Django writes some languages' names decomposed (Vietnamese's
    accents as combining marks)."""
    return normalize("NFC", locator.text_content())


def switch_to(page: Page, code: str) -> None:
    """Open the language dropdown (the menu first, on a phone) and press the language."""
    open_menu(page)
    languages = page.locator("details.site-languages")
    languages.locator("summary").click()
    expect(languages).to_have_attribute("open", "")
    button = languages.locator(f"button[name=language][value='{code}']")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("lang", code)
    assert composed(button).endswith(NAMES[code])
    button.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_switcher_turns_the_pages_into_each_language(size, open_browser, page_checks):
    if size == "phone":
        page = open_browser("visitor", viewport=PHONE, is_mobile=True, has_touch=True)
    else:
        page = open_browser("visitor")
    page_checks.watch(page)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    languages = page.locator("details.site-languages")
    expect(languages.locator("summary")).to_contain_text("English")

    for code, (heading, nav_link, log_in) in LANGUAGES.items():
        switch_to(page, code)
        expect(page.locator("html")).to_have_attribute("lang", code)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        # The summary names the chosen language; its button is marked as the current one.
        assert NAMES[code] in composed(languages.locator("summary"))
        expect(languages.locator("button[aria-current='true']")).to_have_attribute("value", code)
        page_checks(page)
        open_menu(page)
        navigation = page.locator(".site-nav")
        expect(navigation.get_by_role("link", name=nav_link)).to_be_visible()
        expect(page.locator("header").get_by_role("link", name=log_in)).to_be_visible()
        # The choice sticks on the next page.
        navigation.get_by_role("link", name=nav_link).click()
        expect(page.locator("html")).to_have_attribute("lang", code)
        assert NAMES[code] in composed(languages.locator("summary"))
        page_checks(page)
        page.goto("/")
    page_checks.assert_clean()
