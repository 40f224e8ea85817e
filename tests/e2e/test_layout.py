"""The header's layout (templates/base.html): on a laptop's and a desktop's width (1024 and
1280 px) the brand, the main navigation, the language list and the account (or "Log in") share
one row, for every kind of person and in every language, the longest included; on a phone the
menu sits behind its "Menu" toggle, with and without JavaScript. And a checkbox (DS gov.cz draws
its box and tick over the input) takes a click in the middle of its box.

Measured from the DOM (tests/e2e/helpers.py, header_row_problems): every visible child of
.site-header__inner and every visible item of #site-menu share one horizontal band, each item of
the menu takes one line, nothing lies outside the window and the header is lower than 90 px.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.constants import Role
from tests.applications.factories import ApplicationFactory
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import (
    PageChecks,
    choose_language,
    header_row_problems,
    log_in,
    log_in_staff,
    make_applicant,
    make_staff,
    open_menu,
    overflow_problems,
    page_key,
    viewport,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Laptop and desktop widths: the header is one row from 64em (1024 px).
WIDTHS = (1024, 1280)
# English first, then the others: Russian, Ukrainian and Vietnamese have the longest strings.
LANGUAGES = ("en", "ru", "uk", "vi", "cs")
# Long addresses, as people have them: the account's summary shows the address.
LONG_EMAIL = "nguyen.thi.thu.huong-kovalenkova.{}@example.com"


def open_as(persona: str, open_browser, checks: PageChecks) -> Page:
    """A page for the persona, signed in (staff with their second factor), on the page they
    start from. Their header shows the most it can: the applicant has unread notifications."""
    page = open_browser(persona)
    checks.watch(page)
    if persona == "visitor":
        page.goto("/")
        return page
    if persona == "applicant":
        person = make_applicant(account__email=LONG_EMAIL.format(persona))
        ApplicationFactory(applicant=person, interrupted=True)  # the office writes to them
        ApplicationFactory(applicant=person, decided=True)
        log_in(page, person.account.email, check=checks)
        page.goto("/applications/")
        expect(page.locator(".site-nav .count")).to_be_visible()
        return page
    role, start = {
        "support": (Role.SUPPORT, "/support/"),
        "caseworker": (Role.CASEWORKER, "/caseworker/"),
        "supervisor": (Role.SUPERVISOR, "/caseworker/dashboard/"),
    }[persona]
    log_in_staff(page, make_staff(role, email=LONG_EMAIL.format(persona)), check=checks)
    if page_key(page.url) != start:
        checks(page)  # where the log-in leads
        page.goto(start)
    return page


@pytest.mark.parametrize("persona", ["visitor", "applicant", "support", "caseworker", "supervisor"])
def test_the_header_is_one_row_on_wide_screens(persona, open_browser, page_checks):
    page = open_as(persona, open_browser, page_checks)
    for code in LANGUAGES:
        if code != "en":
            choose_language(page, code)
        page_checks(page)  # every language's page: axe-core, and a phone's width
        for width in WIDTHS:
            with viewport(page, {"width": width, "height": 900}):
                expect(page.locator("[data-menu-toggle]")).to_be_hidden()
                expect(page.get_by_role("navigation", name=nav_name(page))).to_be_visible()
                where = f"{persona}, {code}, {width} px, {page_key(page.url)}"
                page_checks.add(where, header_row_problems(page))
    page_checks.assert_clean()


def nav_name(page: Page) -> str:
    """The main navigation's accessible name in the page's language (its aria-label)."""
    return page.locator(".site-nav").get_attribute("aria-label")


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_on_a_phone_the_menu_opens_from_its_toggle(javascript, open_browser, page_checks):
    person = make_applicant()
    page = open_browser(
        "phone", viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=javascript
    )
    log_in(page, person.account.email)
    page.goto("/applications/")

    navigation = page.get_by_role("navigation", name="Main")
    toggle = page.locator("[data-menu-toggle]")
    # Closed, the header shows the brand and the toggle.
    expect(navigation).to_be_hidden()
    expect(page.locator("details.site-languages")).to_be_hidden()
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text("Menu")
    page_checks.add("the closed menu at 375 px", overflow_problems(page))
    if javascript:
        expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()
    expect(navigation.get_by_role("link", name="My applications")).to_be_visible()
    expect(navigation.get_by_role("link", name="Notifications")).to_be_visible()
    expect(page.locator("details.site-languages > summary")).to_be_visible()
    expect(page.locator("details.site-account > summary")).to_be_visible()
    if javascript:
        expect(toggle).to_have_attribute("aria-expanded", "true")
    page_checks.add("the open menu at 375 px", overflow_problems(page))
    if javascript:  # axe-core is a script: it runs only where scripts do
        page_checks(page)

    # The language list, opened from the menu; each language is named in its own language.
    languages = page.locator("details.site-languages")
    languages.locator("summary").click()
    buttons = languages.locator("button[name=language]")
    expect(buttons).to_have_count(5)
    for button in buttons.all():
        expect(button).to_be_visible()
        expect(button).to_have_attribute("lang", button.get_attribute("value"))
    page_checks.add("the open language list at 375 px", overflow_problems(page))
    choose_language(page, "uk")

    # And the account's list: the log-out button.
    open_menu(page)
    page.locator("details.site-account > summary").click()
    expect(page.locator("details.site-account").get_by_role("button")).to_be_visible()
    page_checks.add("the open account list at 375 px", overflow_problems(page))
    page_checks.assert_clean()


def test_a_checkbox_toggles_when_its_box_is_clicked(open_browser):
    """People click the box itself: the tick drawn over the input (templates/gov_cz's check
    mark) must not take the click."""
    page = open_browser("visitor")
    page.goto("/accounts/signup/")
    box = page.get_by_label("I consent to the processing")
    area = box.bounding_box()
    centre = [area["x"] + area["width"] / 2, area["y"] + area["height"] / 2]
    landed = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).outerHTML.slice(0, 100)", centre
    )
    page.mouse.click(*centre)
    assert box.is_checked(), f"a click in the middle of the box did nothing: it landed on {landed}"
    page.mouse.click(*centre)
    assert not box.is_checked()
