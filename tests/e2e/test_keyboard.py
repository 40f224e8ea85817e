"""An application can be filled in and filed with the keyboard alone, the file chooser included,
and the focused element is always visibly marked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from applications.constants import Status
from applications.models import Application
from tests.applications.factories import pdf_bytes
from tests.e2e.helpers import PASSWORD, make_applicant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CARD_REPLACEMENT = "Replacement residence card (damaged, lost or stolen card)"


def assert_focus_visible(page: Page) -> None:
    """The focused element is marked: an outline or a shadow on it, or, as DS gov.cz draws
    them, on its wrapper (a text field's or a select's box, :focus-within) or on the box drawn
    next to it (a checkbox's or a radio's, input:focus-visible + span). A mark on the wrapper or
    the box counts only if it goes when the focus does."""
    style = page.evaluate(
        """() => {
            const element = document.activeElement;
            const marks = (node) => {
                if (!node) return false;
                const style = getComputedStyle(node);
                const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
                return outline || style.boxShadow !== "none";
            };
            const around = [element.parentElement, element.nextElementSibling];
            const before = around.map(marks);
            let marked = marks(element);
            if (!marked && before.some(Boolean)) {
                element.blur();
                const after = around.map(marks);
                element.focus();
                marked = before.some((mark, index) => mark && !after[index]);
            }
            return {marked, element: element.outerHTML.slice(0, 120)};
        }"""
    )
    assert style["marked"], f"no visible focus on {style['element']}"


def tab_to(page: Page, target: Locator, *, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until ``target`` has the focus, as a keyboard user would."""
    key = "Shift+Tab" if backwards else "Tab"
    target.wait_for()
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate("(element) => element === document.activeElement"):
            assert_focus_visible(page)
            return
    raise AssertionError(f"{key} never reached {target}")


def follow(page: Page, link: Locator) -> None:
    """Tab to a link and open it with Enter."""
    tab_to(page, link)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose_file(page: Page, file_input: Locator, name: str) -> None:
    """Tab to a file input and open the file chooser with the space bar."""
    tab_to(page, file_input)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files({"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()})


def test_an_application_is_filed_with_the_keyboard_alone(open_browser):
    person = make_applicant()
    page = open_browser("keyboard")
    # Playwright intercepts file choosers once something listens for them; listening from the
    # start means the interception is in place before the first key opens one.
    page.on("filechooser", lambda chooser: None)

    page.goto("/accounts/login/")
    email = page.locator("#id_username")
    expect(email).to_be_focused()  # the log-in page starts in its first field
    page.keyboard.type(person.account.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    follow(page, page.get_by_role("link", name="Start a new application").first)
    permit_type = page.locator("#id_permit_type")
    tab_to(page, permit_type)
    page.keyboard.type("Replacement")
    expect(permit_type.locator("option:checked")).to_have_text(CARD_REPLACEMENT)
    start = page.get_by_role("button", name="Start the application")
    tab_to(page, start)
    # One step back and forth: Shift+Tab returns to the choice, which is kept.
    tab_to(page, permit_type, backwards=True)
    expect(permit_type.locator("option:checked")).to_have_text(CARD_REPLACEMENT)
    tab_to(page, start)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your application")

    follow(page, page.get_by_role("link", name="Questions about your application"))
    tab_to(page, page.get_by_label("No", exact=True))
    page.keyboard.press("Space")
    expect(page.get_by_label("No", exact=True)).to_be_checked()
    follow(page, page.get_by_role("button", name="Save and continue"))
    expect(page.locator("#task-questions-state")).to_have_text("Completed")

    follow(page, page.get_by_role("link", name="Documents"))
    for kind, name in [("travel_document", "passport.pdf"), ("photograph", "photo.pdf")]:
        item = page.locator(f"#document-{kind}")
        choose_file(page, item.locator("input[type=file]"), name)
        follow(page, item.get_by_role("button", name=re.compile("^Upload")))
        expect(page.locator(f"#document-{kind}")).to_contain_text(name)

    follow(page, page.get_by_role("link", name="Continue", exact=True))
    follow(page, page.get_by_role("link", name="Check your answers"))
    expect(page.locator("#documents-summary")).to_contain_text("passport.pdf")
    follow(page, page.get_by_role("link", name="Continue to the declaration"))
    for box in page.locator("main form input[type=checkbox]").all():
        tab_to(page, box)
        page.keyboard.press("Space")
        expect(box).to_be_checked()
    follow(page, page.get_by_role("button", name="Confirm and file the application"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Application filed")
    reference = page.locator("#reference-number").inner_text().strip()
    application = Application.objects.get(reference_number=reference)
    assert application.status == Status.FILED
    assert application.permit_type.code == "card_replacement"
    assert sorted(document.original_name for document in application.documents.all()) == [
        "passport.pdf",
        "photo.pdf",
    ]
