"""The language switcher in the header turns the portal into each of its five languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Written out, not looked up through gettext: a missing translation must fail here.
LANGUAGES = {
    "cs": ("Povolení k pobytu v České republice", "Povolení a průvodce", "Přihlásit se"),
    "en": ("Residence permits in the Czech Republic", "Permits and guidance", "Log in"),
    "uk": ("Дозволи на перебування в Чеській Республіці", "Дозволи та довідка", "Увійти"),
    "vi": ("Giấy phép cư trú tại Cộng hòa Séc", "Giấy phép và hướng dẫn", "Đăng nhập"),
    "ru": ("Разрешения на пребывание в Чешской Республике", "Разрешения и справка", "Войти"),
}


def test_the_switcher_turns_the_pages_into_each_language(open_browser):
    page = open_browser("visitor")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switcher = page.locator("form[action='/i18n/setlang/']")

    for code, (heading, nav_link, log_in) in LANGUAGES.items():
        switcher.locator("select[name=language]").select_option(code)
        switcher.locator("button[type=submit]").click()
        expect(page.locator("html")).to_have_attribute("lang", code)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("navigation").get_by_role("link", name=nav_link)).to_be_visible()
        expect(page.locator("header").get_by_role("link", name=log_in)).to_be_visible()
        # The choice sticks on the next page.
        page.get_by_role("navigation").get_by_role("link", name=nav_link).click()
        expect(page.locator("html")).to_have_attribute("lang", code)
        expect(switcher.locator("select[name=language]")).to_have_value(code)
        page.goto("/")
