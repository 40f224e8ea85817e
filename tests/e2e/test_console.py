"""The caseworker's console in a browser: from the queue, a clean case with 8 documents is
claimed, its documents accepted at once and the permit granted in a handful of clicks and page
loads; the side panel stays in view on a wide screen and comes first on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.constants import Role
from applications.audit import AuditAction
from applications.constants import Outcome, Status
from applications.models import Application
from documents.constants import Verification
from tests.applications.factories import ApplicationFactory
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import caseworker_status, log_in_staff, make_applicant, make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class Counted:
    """Clicks made through it, and the full page loads of the page's main frame."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.clicks = 0
        self.loads = 0
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.loads += 1

    def click(self, locator, **options) -> None:
        self.clicks += 1
        locator.click(**options)


def clean_case() -> Application:
    """A case filed today (the server's clock: the browser tests run on the machine's) with the
    Employee Card's 8 documents, waiting in the queue of new cases."""
    application = ApplicationFactory(applicant=make_applicant(), filed=True)
    assert application.documents.filter(verification=Verification.PENDING).count() == 8
    return application


def test_a_clean_case_is_granted_in_a_few_clicks(open_browser):
    application = clean_case()
    person = make_staff(
        Role.CASEWORKER, first_name="Jana", last_name="Nováková", job_title="referent"
    )
    page = open_browser("caseworker")
    log_in_staff(page, person)
    page.goto("/caseworker/")
    expect(page.get_by_role("link", name=application.reference_number, exact=True)).to_be_visible()

    counted = Counted(page)
    counted.click(page.get_by_role("link", name=application.reference_number, exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text(application.reference_number)
    panel = page.locator("#case-panel")
    expect(panel.locator("#next-step")).to_contain_text("Claim the case")
    expect(panel.locator("#next-case")).to_contain_text("No other case in this queue.")
    # On a wide screen the panel stays in view beside the file.
    assert panel.evaluate("(element) => getComputedStyle(element).position") == "sticky"

    counted.click(panel.get_by_role("button", name="Claim", exact=True))
    expect(page.locator(".messages")).to_contain_text("You have the case now.")
    expect(panel.locator("#next-step")).to_have_text(
        "Next step: Verify the documents, then decide."
    )

    documents = page.locator("#documents-form")
    expect(documents.locator("[data-document-verdict]")).to_have_count(8)
    counted.click(documents.get_by_label("I have looked at each document"))
    counted.click(documents.get_by_role("button", name="Accept all remaining"))
    expect(page.locator(".messages")).to_contain_text("8 documents accepted.")

    # The grant is proposed, with the longest validity from today: confirm and issue.
    decide = panel.locator("#action-decide")
    expect(decide).to_have_attribute("open", "")
    expect(decide.get_by_label("Granted")).to_be_checked()
    expect(decide.get_by_label("Permit valid from")).not_to_have_value("")
    expect(decide.get_by_label("Permit valid to")).not_to_have_value("")
    counted.click(decide.get_by_label("I confirm this decision"))
    # The decision's PDF is rendered in the request here (tasks run in-process): allow for it.
    counted.click(decide.get_by_role("button", name="Issue the decision"), timeout=60_000)
    expect(page.locator(".messages")).to_contain_text("The decision is issued.", timeout=60_000)
    expect(caseworker_status(page)).to_have_text("Decided")

    assert counted.clicks <= 10, counted.clicks
    assert counted.loads <= 4, counted.loads
    application.refresh_from_db()
    assert application.status == Status.DECIDED
    assert application.outcome == Outcome.GRANTED
    trail = list(application.audit_entries.order_by("created_at", "pk"))
    steps = [entry.action for entry in trail if entry.actor_id == person.user.pk]
    assert steps == [AuditAction.CLAIM, *[AuditAction.DOCUMENT_VERIFIED] * 8, AuditAction.DECIDE]
    verified = {
        entry.data["document"] for entry in trail if entry.action == AuditAction.DOCUMENT_VERIFIED
    }
    evidence = application.documents.filter(role="evidence").values_list("pk", flat=True)
    assert verified == set(evidence)
    assert len(verified) == 8


def test_on_a_phone_the_panel_comes_first_and_scrolls_away(open_browser):
    application = clean_case()
    person = make_staff(Role.CASEWORKER)
    page = open_browser("phone", viewport=PHONE)
    log_in_staff(page, person)
    page.goto(f"/caseworker/cases/{application.pk}/?from=new")

    panel = page.locator("#case-panel")
    applicant = page.locator("#applicant-title")
    assert panel.evaluate("(element) => getComputedStyle(element).position") == "static"
    assert panel.bounding_box()["y"] < applicant.bounding_box()["y"]
    expect(panel.locator("#days-left")).to_have_text(re.compile(r"\d+ working days left"))
