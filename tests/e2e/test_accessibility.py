"""axe-core on the pages the journey does not pass: the public guidance, the support centre, the
caseworker's queues and case page with a full history, the supervisor's dashboard; each also
measured at a phone's size (nothing scrolls sideways at 375 px).

The journey (test_journey.py) checks the applicant's pages and the caseworker's queue and case
page as they are used; test_phone.py and test_layout.py check the pages they reach, as a phone
shows them and in every language; together they cover every main page of the portal.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.constants import Role
from tests.applications.factories import ApplicationFactory
from tests.e2e.helpers import PUBLIC_PAGES, log_in_staff, make_applicant, make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_public_pages(open_browser, page_checks):
    page = open_browser("visitor")
    page_checks.watch(page)
    for path in [*PUBLIC_PAGES, "/accounts/login/", "/accessibility/", "/personal-data/"]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page_checks(page)
    # A form sent back with errors: the summary links to each field.
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".error-summary")).to_be_visible()
    page_checks(page)
    page_checks.assert_clean()


def test_support_centre_and_supervisor_pages(open_browser, page_checks):
    caseworker = make_staff(Role.CASEWORKER)
    interrupted = ApplicationFactory(
        applicant=make_applicant(), interrupted=True, caseworker=caseworker.user
    )
    ApplicationFactory(applicant=make_applicant(), filed=True)
    appealed = ApplicationFactory(
        applicant=make_applicant(), appealed=True, caseworker=caseworker.user
    )

    support = open_browser("support")
    page_checks.watch(support)
    log_in_staff(support, make_staff(Role.SUPPORT), check=page_checks)
    navigation = support.get_by_role("navigation", name="Main")
    navigation.get_by_role("link", name="Support centre").click()
    page_checks(support)
    support.goto("/support/applicants/new/")
    page_checks(support)

    supervisor = open_browser("supervisor")
    page_checks.watch(supervisor)
    # The second-factor step too, once the site asks staff for a code.
    log_in_staff(supervisor, make_staff(Role.SUPERVISOR), check=page_checks)
    for path in [
        "/caseworker/",
        "/caseworker/queue/interrupted/",
        "/caseworker/queue/appeals/",
        f"/caseworker/cases/{interrupted.pk}/",
        f"/caseworker/cases/{appealed.pk}/",
        "/caseworker/dashboard/",
        "/caseworker/search/",
    ]:
        supervisor.goto(path)
        expect(supervisor.get_by_role("heading", level=1)).to_be_visible()
        page_checks(supervisor)
    page_checks.assert_clean()
