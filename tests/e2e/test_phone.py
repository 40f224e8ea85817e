"""At a phone's width (375 px) the main pages fit: nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.applications.factories import ApplicationFactory
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import assert_accessible, assert_no_horizontal_scroll, log_in, make_applicant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_main_pages_fit_a_phone(open_browser, axe_source):
    person = make_applicant(given_names="Nguyen Thi Thu", surname="Hương-Kovalenková")
    draft = ApplicationFactory(applicant=person)
    interrupted = ApplicationFactory(applicant=person, interrupted=True)
    page = open_browser("phone", viewport=PHONE, is_mobile=True, has_touch=True)

    for path in ["/", "/permits/", "/permits/employee_card/", "/accounts/login/"]:
        page.goto(path)
        assert_no_horizontal_scroll(page)

    log_in(page, person.account.email)
    pages = [
        "/applications/",
        f"/applications/{draft.pk}/",
        f"/applications/{draft.pk}/questions/",
        f"/applications/{draft.pk}/documents/",
        f"/applications/{interrupted.pk}/",
        f"/applications/{interrupted.pk}/documents/",
    ]
    for path in pages:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_horizontal_scroll(page)
    # The case page with its timeline and file, as a phone shows it.
    page.goto(f"/applications/{interrupted.pk}/")
    expect(page.locator("#timeline")).to_be_visible()
    assert_accessible(page, axe_source)
