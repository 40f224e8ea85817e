"""The warning before the idle timeout, in a browser (static/js/idle-timeout.js): it opens a few
seconds before the end of a short timeout, takes the focus, counts down, and with the keyboard
alone keeps the session ("Stay logged in", or Escape); left alone, it opens the log-in page with
the reason. Activity in another tab of the same browser counts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import assert_accessible, log_in, make_applicant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Short enough to wait for: the script warns half-way through a timeout this short.
IDLE_SECONDS = 16
WAIT_MS = (IDLE_SECONDS + 5) * 1000


@pytest.fixture
def short_timeout(settings):
    # The live server runs in this process: the middleware and the page read the setting per
    # request.
    settings.SESSION_IDLE_TIMEOUT = IDLE_SECONDS


def seconds_left(page: Page) -> int:
    return page.evaluate(
        """async () => {
            const response = await fetch("/accounts/session/", {cache: "no-store"});
            return response.ok ? (await response.json()).seconds_left : -response.status;
        }"""
    )


def warning(page: Page):
    return page.get_by_role("dialog", name="Do you want to stay logged in?")


def test_the_warning_keeps_the_session_with_the_keyboard_then_logs_out(
    short_timeout, open_browser, axe_source
):
    person = make_applicant()
    page = open_browser("idle")
    log_in(page, person.account.email)
    here = page.url
    dialog = warning(page)
    stay = page.get_by_role("button", name="Stay logged in")

    # It opens before the end, with the focus on "Stay logged in" and the time left.
    expect(dialog).to_be_visible(timeout=WAIT_MS)
    expect(stay).to_be_focused()
    expect(dialog.locator("[data-idle-countdown]")).to_have_text(re.compile(r"^0:0\d$"))
    expect(dialog.locator("[aria-live]")).to_have_count(1)
    assert_accessible(page, axe_source)

    # Enter on the focused button: the server's idle clock starts again.
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    assert seconds_left(page) > IDLE_SECONDS - 3
    assert page.url == here

    # Escape means "stay" too.
    expect(dialog).to_be_visible(timeout=WAIT_MS)
    expect(stay).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert seconds_left(page) > IDLE_SECONDS - 3

    # Left alone: the log-in page, saying why, and back here after logging in again.
    expect(dialog).to_be_visible(timeout=WAIT_MS)
    page.wait_for_url(re.compile(r"/accounts/login/\?next="), timeout=WAIT_MS)
    expect(page.get_by_text("without activity", exact=False)).to_be_visible()
    expect(page.locator("#idle-warning")).to_have_count(0)


def test_activity_in_another_tab_counts(short_timeout, open_browser):
    person = make_applicant()
    first = open_browser("two tabs")
    log_in(first, person.account.email)
    second = first.context.new_page()
    second.goto(first.url)
    here = first.url

    # Both tabs warn; the person answers in the second one only.
    expect(warning(first)).to_be_visible(timeout=WAIT_MS)
    expect(warning(second)).to_be_visible(timeout=WAIT_MS)
    left = seconds_left(first)
    second.get_by_role("button", name="Stay logged in").click()
    expect(warning(second)).to_be_hidden()

    # The first tab asks the server before it would end the session, and does not: past the
    # time its own countdown had, it is still where it was, and the session is alive.
    first.wait_for_timeout((left + 3) * 1000)
    assert first.url == here
    assert seconds_left(first) > 0

    # "Log out" in the warning, from the keyboard, logs out as the header's button does.
    expect(warning(first)).to_be_visible(timeout=WAIT_MS)
    first.keyboard.press("Tab")
    expect(warning(first).get_by_role("button", name="Log out")).to_be_focused()
    with first.expect_navigation():
        first.keyboard.press("Enter")
    assert seconds_left(first) == -401
