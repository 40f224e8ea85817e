"""At a phone's size (375 by 812 px) the pages fit: nothing scrolls sideways
(document.documentElement.scrollWidth <= window.innerWidth), axe-core finds nothing serious on the
page as a phone shows it, and what a person came for is on the first screen: on the applicant's
dashboard and case page the case's status and the page's main action, on the caseworker's case
page the status and the actions.

The journey (test_journey.py) measures every page it reaches at this size too (PageChecks).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.constants import Role
from applications import services
from tests.applications.factories import ApplicationFactory
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import (
    PUBLIC_PAGES,
    applicant_status,
    below_the_first_screen,
    caseworker_status,
    log_in,
    log_in_staff,
    make_applicant,
    make_staff,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_phone(open_browser, name: str = "phone") -> Page:
    return open_browser(name, viewport=PHONE, is_mobile=True, has_touch=True)


def visit(page: Page, path: str, checks) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    checks(page)


def test_the_public_and_applicant_pages_fit_a_phone(open_browser, page_checks):
    # Long names, as people have them.
    person = make_applicant(given_names="Nguyen Thi Thu", surname="Hương-Kovalenková")
    draft = ApplicationFactory(applicant=person)
    interrupted = ApplicationFactory(applicant=person, interrupted=True)
    decided = ApplicationFactory(applicant=person, decided=True)
    rejected = ApplicationFactory(applicant=person, rejected=True)
    page = open_phone(open_browser)
    page_checks.watch(page)

    for path in [*PUBLIC_PAGES, "/accounts/signup/"]:
        visit(page, path, page_checks)

    log_in(page, person.account.email, check=page_checks)
    for path in [
        "/applications/",
        "/applications/new/",
        f"/applications/{draft.pk}/",
        f"/applications/{draft.pk}/questions/",
        f"/applications/{draft.pk}/documents/",
        f"/applications/{draft.pk}/check/",
        f"/applications/{interrupted.pk}/",
        f"/applications/{interrupted.pk}/documents/",
        f"/applications/{interrupted.pk}/more-time/",
        f"/applications/{interrupted.pk}/withdraw/",
        f"/applications/{decided.pk}/",
        f"/applications/{decided.pk}/decision/",
        f"/applications/{rejected.pk}/decision/",
        f"/applications/{rejected.pk}/appeal/",
        "/notifications/",
        "/accounts/profile/",
    ]:
        visit(page, path, page_checks)
    # The case page with its timeline and file, as a phone shows it.
    page.goto(f"/applications/{interrupted.pk}/")
    expect(page.locator("#timeline")).to_be_visible()
    page_checks.assert_clean()


def test_the_staff_pages_fit_a_phone(open_browser, page_checks):
    caseworker = make_staff(Role.CASEWORKER)
    new = ApplicationFactory(applicant=make_applicant(), filed=True)
    interrupted = ApplicationFactory(
        applicant=make_applicant(), interrupted=True, caseworker=caseworker.user
    )
    appealed = ApplicationFactory(
        applicant=make_applicant(), appealed=True, caseworker=caseworker.user
    )

    page = open_phone(open_browser, "caseworker")
    page_checks.watch(page)
    log_in_staff(page, caseworker, check=page_checks)
    for path in [
        "/caseworker/",
        "/caseworker/queue/mine/",
        "/caseworker/queue/interrupted/",
        "/caseworker/queue/appeals/",
        f"/caseworker/cases/{new.pk}/?from=new",
        f"/caseworker/cases/{interrupted.pk}/",
        f"/caseworker/cases/{interrupted.pk}/more-time/",
        f"/caseworker/cases/{appealed.pk}/",
        f"/caseworker/search/?q={new.reference_number}",
    ]:
        visit(page, path, page_checks)

    supervisor = open_phone(open_browser, "supervisor")
    page_checks.watch(supervisor)
    log_in_staff(supervisor, make_staff(Role.SUPERVISOR), check=page_checks)
    for path in ["/caseworker/dashboard/", f"/caseworker/cases/{new.pk}/"]:
        visit(supervisor, path, page_checks)

    support = open_phone(open_browser, "support")
    page_checks.watch(support)
    log_in_staff(support, make_staff(Role.SUPPORT), check=page_checks)
    for path in ["/support/", "/support/applicants/new/"]:
        visit(support, path, page_checks)
    page_checks.assert_clean()


def test_the_applicant_sees_the_status_and_the_next_action_on_the_first_screen(
    open_browser, page_checks
):
    person = make_applicant(given_names="Nguyen Thi Thu", surname="Hương-Kovalenková")
    interrupted = ApplicationFactory(applicant=person, interrupted=True)
    decided = ApplicationFactory(applicant=person, decided=True)
    ApplicationFactory(applicant=person, filed=True)
    ApplicationFactory(applicant=person)
    page = open_phone(open_browser)
    log_in(page, person.account.email)

    page.goto("/applications/")
    main = page.locator("main")
    page_checks.add(
        "/applications/ (dashboard)",
        below_the_first_screen(
            page,
            {
                "the main action, “Start a new application”": main.get_by_role(
                    "link", name="Start a new application"
                ),
                "the status of the first application": main.locator(".status-tag"),
            },
        ),
    )

    for application, status, action in [
        (interrupted, "Interrupted", "Upload the requested documents"),
        (decided, "Decided", "Read your decision"),
    ]:
        page.goto(f"/applications/{application.pk}/")
        expect(applicant_status(page)).to_have_text(status)
        page_checks.add(
            f"/applications/#/ ({status}, case page)",
            below_the_first_screen(
                page,
                {
                    "the case's status": applicant_status(page),
                    f"the main action, “{action}”": page.locator("main").get_by_role(
                        "link", name=action
                    ),
                },
            ),
        )
    page_checks.assert_clean()


def test_the_caseworker_sees_the_status_and_the_actions_on_the_first_screen(
    open_browser, page_checks
):
    caseworker = make_staff(Role.CASEWORKER)
    new = ApplicationFactory(applicant=make_applicant(), filed=True)
    claimed = ApplicationFactory(applicant=make_applicant(), filed=True)
    services.application_claim(application=claimed, actor=caseworker.user)
    interrupted = ApplicationFactory(
        applicant=make_applicant(), interrupted=True, caseworker=caseworker.user
    )
    page = open_phone(open_browser, "caseworker")
    log_in_staff(page, caseworker)

    for application, queue, status, label in [
        (new, "new", "Filed", "new, not claimed"),
        (claimed, "mine", "Filed", "claimed"),
        (interrupted, "interrupted", "Interrupted", "interrupted"),
    ]:
        page.goto(f"/caseworker/cases/{application.pk}/?from={queue}")
        expect(caseworker_status(page)).to_have_text(status)
        actions = page.get_by_role("region", name="Actions")
        targets = {
            "the case's status": caseworker_status(page),
            "the heading “Actions”": actions.get_by_role("heading", name="Actions"),
            "the first action": actions.locator("summary, button[type=submit]").first,
        }
        opened = actions.locator("details[open]")
        if opened.count():
            targets["the open action's button"] = opened.first.locator("button[type=submit]")
        page_checks.add(f"/caseworker/cases/#/ ({label})", below_the_first_screen(page, targets))
    page_checks.assert_clean()
