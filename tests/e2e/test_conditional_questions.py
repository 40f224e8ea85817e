"""With JavaScript, a question that depends on another answer opens in place as the answer
changes (static/js/conditional-questions.js), and saving needs no further step."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Application
from permits.models import PermitType
from tests.applications.factories import ApplicationFactory
from tests.e2e.helpers import log_in, make_applicant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_dependent_question_opens_and_closes_with_its_answer(open_browser):
    person = make_applicant()
    application = ApplicationFactory(
        applicant=person, permit_type=PermitType.objects.get(code="blue_card")
    )
    page = open_browser("conditional-questions")
    log_in(page, person.account.email)
    page.goto(reverse("applications:questions", args=[application.pk]))

    years = page.locator("#id_eu_blue_card_work_years")
    holder = page.get_by_label("I hold a Blue Card issued by another EU Member State")
    expect(years).to_be_hidden()
    holder.check()
    expect(years).to_be_visible()
    holder.uncheck()
    expect(years).to_be_hidden()
    holder.check()
    years.fill("3")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your application")

    application = Application.objects.get(pk=application.pk)
    assert application.answers["eu_blue_card_holder"] is True
    assert application.answers["eu_blue_card_work_years"] == "3"
