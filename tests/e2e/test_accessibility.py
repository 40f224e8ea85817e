"""axe-core on the pages the journey does not pass: the public guidance, the support centre, the
caseworker's queues and case page with a full history, the supervisor's dashboard.

The journey (test_journey.py) checks the applicant's pages and the caseworker's queue and case
page as they are used; together they cover every main page of the portal.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.constants import Role
from tests.applications.factories import ApplicationFactory
from tests.e2e.helpers import assert_accessible, log_in_staff, make_applicant, make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_public_pages(open_browser, axe_source):
    page = open_browser("visitor")
    for path in [
        "/permits/",
        "/permits/employee_card/",
        "/permits/advisor/",
        "/permits/calculators/schengen/",
        "/accounts/password/reset/",
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page, axe_source)
    # A form sent back with errors: the summary links to each field.
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, axe_source)


def test_support_centre_and_supervisor_pages(open_browser, axe_source):
    caseworker = make_staff(Role.CASEWORKER)
    interrupted = ApplicationFactory(
        applicant=make_applicant(), interrupted=True, caseworker=caseworker.user
    )
    ApplicationFactory(applicant=make_applicant(), filed=True)
    ApplicationFactory(applicant=make_applicant(), appealed=True, caseworker=caseworker.user)

    support = open_browser("support")
    log_in_staff(support, make_staff(Role.SUPPORT))
    navigation = support.get_by_role("navigation", name="Main")
    navigation.get_by_role("link", name="Support centre").click()
    assert_accessible(support, axe_source)
    support.goto("/support/applicants/new/")
    assert_accessible(support, axe_source)

    supervisor = open_browser("supervisor")
    # The second-factor step too, once the site asks staff for a code.
    log_in_staff(supervisor, make_staff(Role.SUPERVISOR), axe_source=axe_source)
    for path in [
        "/caseworker/",
        "/caseworker/queue/interrupted/",
        f"/caseworker/cases/{interrupted.pk}/",
        "/caseworker/dashboard/",
    ]:
        supervisor.goto(path)
        expect(supervisor.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(supervisor, axe_source)
