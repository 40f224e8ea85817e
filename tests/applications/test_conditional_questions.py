"""The questions page asks what the answers ask (without JavaScript, in steps), the check page's
"Change" links come back to it, and a blocking answer stops the way to filing.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from applications.constants import Status
from applications.models import Application
from applications.views.applicant import question_anchor
from permits.models import PermitType
from permits.questions import question_for
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

# A Wednesday morning in Prague: no weekend, no midnight.
NOW = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)


def url(name: str, application: Application) -> str:
    return reverse(f"applications:{name}", args=[application.pk])


def own_application(user, code: str, **kwargs) -> Application:
    permit_type = PermitType.objects.get(code=code)
    return ApplicationFactory(applicant=user.applicants.get(), permit_type=permit_type, **kwargs)


def _wrapper(body: str, key: str) -> str:
    match = re.search(rf'<div[^>]*id="question-{key}"[^>]*>', body)
    assert match, f"no wrapper for {key}"
    return match.group(0)


# --- Asked in steps without JavaScript -----------------------------------------------------------


def test_a_dependent_question_is_on_the_page_hidden_until_its_condition_holds(
    applicant, client_for
):
    application = own_application(applicant, "blue_card")
    response = client_for(applicant).get(url("questions", application))
    body = response.content.decode()

    wrapper = _wrapper(body, "eu_blue_card_work_years")
    assert " hidden" in wrapper
    assert 'data-asked-if="eu_blue_card_holder"' in wrapper
    assert "conditional-questions.js" in body
    assert response.context["form"].shown_value.split(",").count("eu_blue_card_work_years") == 0

    application.answers = {"eu_blue_card_holder": True}
    application.save(update_fields=["answers"])
    body = client_for(applicant).get(url("questions", application)).content.decode()
    assert " hidden" not in _wrapper(body, "eu_blue_card_work_years")


def test_without_javascript_new_questions_are_asked_in_a_further_step(applicant, client_for):
    application = own_application(applicant, "blue_card")
    client = client_for(applicant)
    shown = client.get(url("questions", application)).context["form"].shown_value

    response = client.post(
        url("questions", application),
        {"eu_blue_card_holder": "on", "shown_questions": shown, "save_continue": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url('questions', application)}#id_eu_blue_card_work_years"
    application.refresh_from_db()
    assert application.answers["eu_blue_card_holder"] is True

    response = client.get(response["Location"])
    body = response.content.decode()
    assert "They bring up more questions" in body
    assert " hidden" not in _wrapper(body, "eu_blue_card_work_years")
    shown = response.context["form"].shown_value
    assert "eu_blue_card_work_years" in shown.split(",")

    response = client.post(
        url("questions", application),
        {
            "eu_blue_card_holder": "on",
            "eu_blue_card_work_years": "3",
            "shown_questions": shown,
            "save_continue": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail", application)
    application.refresh_from_db()
    assert application.answers["eu_blue_card_work_years"] == "3"


def test_with_the_question_revealed_by_the_script_no_further_step_is_needed(applicant, client_for):
    application = own_application(applicant, "blue_card")
    client = client_for(applicant)
    shown = client.get(url("questions", application)).context["form"].shown_value

    # The script adds what it revealed to the list of questions shown.
    response = client.post(
        url("questions", application),
        {
            "eu_blue_card_holder": "on",
            "eu_blue_card_work_years": "2.5",
            "shown_questions": f"{shown},eu_blue_card_work_years",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail", application)
    application.refresh_from_db()
    assert application.answers["eu_blue_card_work_years"] == "2.5"


def test_the_answer_to_a_question_no_longer_asked_is_dropped(applicant, client_for):
    application = own_application(
        applicant,
        "blue_card",
        answers={"eu_blue_card_holder": True, "eu_blue_card_work_years": "4"},
    )
    client = client_for(applicant)
    shown = client.get(url("questions", application)).context["form"].shown_value

    # The box is unticked; the hidden field still carries the years.
    response = client.post(
        url("questions", application),
        {"eu_blue_card_work_years": "4", "shown_questions": shown},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.answers["eu_blue_card_holder"] is False
    assert "eu_blue_card_work_years" not in application.answers


def test_a_chain_of_conditions_is_asked_one_step_at_a_time(applicant, client_for):
    application = own_application(applicant, "purpose_change")
    client = client_for(applicant)
    questions = url("questions", application)
    answers = {"current_purpose": "family", "years_resident": "1"}

    response = client.post(
        questions, {**answers, "shown_questions": client.get(questions).context["form"].shown_value}
    )
    assert response["Location"] == f"{questions}#id_divorced"

    shown = client.get(questions).context["form"].shown_value
    assert "divorced" in shown.split(",") and "marriage_years" not in shown.split(",")
    response = client.post(questions, {**answers, "divorced": "on", "shown_questions": shown})
    assert response["Location"] == f"{questions}#id_marriage_years"

    shown = client.get(questions).context["form"].shown_value
    response = client.post(
        questions,
        {**answers, "divorced": "on", "marriage_years": "6", "shown_questions": shown},
    )
    assert response["Location"] == url("detail", application)


@time_machine.travel(NOW, tick=False)
def test_a_future_asylum_date_is_refused_and_nothing_is_saved(applicant, client_for):
    application = own_application(applicant, "ltr_family")
    response = client_for(applicant).post(
        url("questions", application),
        {"relationship": "asylum_spouse", "asylum_granted_on": "2030-01-01"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The date cannot be in the future." in body
    assert 'href="#id_asylum_granted_on"' in body
    assert 'max="2026-03-11"' in body
    application.refresh_from_db()
    assert application.answers == {}


# --- "Change" on the check page comes back to it -------------------------------------------------


def test_change_links_lead_to_the_question_and_back_to_the_check_page(applicant, client_for):
    application = own_application(
        applicant, "blue_card", answers={"eu_blue_card_holder": False, "contract_months": 12}
    )
    client = client_for(applicant)
    body = client.get(url("check", application)).content.decode()
    anchor = question_anchor(question_for("blue_card", "contract_months"))
    change = f"{url('questions', application)}?next=check#{anchor}"
    assert f'href="{change}"' in body
    # A question not asked has no row on the check page.
    assert str(question_for("blue_card", "eu_blue_card_work_years").label) not in body

    page = client.get(change)
    assert page.context["returns_to_check"]
    response = client.post(
        f"{url('questions', application)}?next=check",
        {"contract_months": "24", "shown_questions": page.context["form"].shown_value},
    )
    assert response.status_code == 302
    assert response["Location"] == url("check", application)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/accounts/"])
def test_no_other_return_address_is_accepted(applicant, client_for, target):
    application = own_application(applicant, "blue_card")
    response = client_for(applicant).post(
        f"{url('questions', application)}?next={target}", {"contract_months": "24"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail", application)


def test_a_step_keeps_the_way_back_to_the_check_page(applicant, client_for):
    application = own_application(applicant, "blue_card")
    client = client_for(applicant)
    questions = f"{url('questions', application)}?next=check"
    shown = client.get(questions).context["form"].shown_value
    response = client.post(questions, {"eu_blue_card_holder": "on", "shown_questions": shown})
    assert response["Location"] == f"{questions}#id_eu_blue_card_work_years"


def test_other_peoples_questions_stay_hidden(applicant, other_applicant, client_for):
    application = own_application(applicant, "blue_card")
    response = client_for(other_applicant).post(
        f"{url('questions', application)}?next=check", {"contract_months": "24"}
    )
    assert response.status_code == 404


# --- A blocking answer ---------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_a_blocking_answer_needs_attention_and_filing_is_not_offered(applicant, client_for):
    # A parent of an adult asylum holder applies within 3 months of the grant: long past here.
    application = own_application(
        applicant,
        "ltr_family",
        answers={
            "relationship": "parent_of_adult_asylum_holder",
            "asylum_granted_on": "2025-01-10",
        },
    )
    client = client_for(applicant)

    response = client.get(url("detail", application))
    tasks = {task.key: task for task in response.context["tasks"]}
    assert tasks["questions"].state == "needs_attention"
    assert tasks["check"].url == "" and tasks["file"].url == ""
    body = response.content.decode()
    assert "Needs attention" in body
    assert "within 3 months of the day asylum was granted" in body
    assert f'href="{url("file", application)}"' not in body

    body = client.get(url("check", application)).content.decode()
    assert "within 3 months of the day asylum was granted" in body
    assert "Continue to the declaration" not in body

    body = client.get(url("file", application)).content.decode()
    assert "Confirm and file the application" not in body
    assert 'id="filing-not-offered"' in body

    # The server refuses as well.
    response = client.post(url("file", application), {"truthful": "on", "consent": "on"})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == Status.DRAFT


@time_machine.travel(NOW, tick=False)
def test_unanswered_questions_stay_in_progress_not_in_need_of_attention(applicant, client_for):
    application = own_application(applicant, "permanent_residence", answers={"czech_a2": True})
    tasks = client_for(applicant).get(url("detail", application)).context["tasks"]
    assert {t.key: t.state for t in tasks}["questions"] == "in_progress"
