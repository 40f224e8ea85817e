"""The rules engine through the database: the filing guard and the documents required.

``applications.checks`` joins the catalogue's requirements with the rules' findings; filing
(``application_file``) is refused while a blocking error stands, and warnings do not block.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone, translation

from applications import checks, services
from applications.constants import Outcome, Relation, Status
from applications.models import Application
from core.errors import FilingBlocked
from permits import rules
from permits.models import PermitType
from tests.applications.factories import (
    ApplicantFactory,
    ApplicationFactory,
    add_required_documents,
)

pytestmark = pytest.mark.django_db

EMPLOYEE_OK = {"monthly_salary_czk": "30000", "weekly_hours": "40"}


@pytest.fixture(autouse=True)
def _pinned_clock():
    """Dates here are read relative to today: pin the day, so no run depends on the machine's."""
    with time_machine.travel(datetime(2026, 12, 4, 10, tzinfo=ZoneInfo("Europe/Prague"))):
        yield


def permit_type(code: str) -> PermitType:
    return PermitType.objects.get(code=code)


def required_codes(application: Application) -> set[str]:
    return {kind.code for kind in checks.required_document_kinds(application)}


def about_ten_years_old() -> date:
    """A birthday about ten years before today: under 15 and under 18 whenever the test runs (a
    fixed one would come of age some day)."""
    return timezone.localdate() - timedelta(days=10 * 365)


def prepare(application: Application) -> Application:
    """Upload what the application requires and confirm the declarations, as an applicant."""
    add_required_documents(application)
    return services.application_confirm_declarations(
        application=application, actor=application.applicant.account
    )


def file(application: Application) -> Application:
    return services.application_file(application=application, actor=application.applicant.account)


def messages_of(findings: list[rules.Finding], rule: str) -> list[str]:
    return [str(f.message) for f in findings if f.rule == rule]


# --- Blocking errors and warnings -------------------------------------------------------------


def test_filing_is_refused_with_the_rules_message_while_a_blocking_error_stands():
    """[004] salary is not lower than the statutory minimum wage."""
    application = prepare(ApplicationFactory(answers={**EMPLOYEE_OK, "monthly_salary_czk": "9000"}))
    with translation.override("en"):
        expected = messages_of(checks.findings(application), "employee_card.minimum_wage")
        with pytest.raises(FilingBlocked) as refusal:
            file(application)
    assert len(expected) == 1
    assert "minimum wage" in expected[0]
    assert expected[0] in refusal.value.problems
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_filing_goes_through_once_the_answer_is_corrected():
    application = prepare(ApplicationFactory(answers={**EMPLOYEE_OK, "weekly_hours": "10"}))
    with pytest.raises(FilingBlocked):
        file(application)
    # Through save(): the answers are encrypted.
    application.answers = EMPLOYEE_OK
    application.save(update_fields=["answers"])
    assert file(application).status == Status.FILED


def test_warnings_do_not_block_filing():
    """Unanswered salary and hours give warnings only; the contract is checked by the office."""
    application = prepare(ApplicationFactory(answers={}))
    found = checks.findings(application)
    assert {f.rule for f in found if f.severity == rules.Severity.WARNING} == {
        "employee_card.minimum_wage",
        "employee_card.weekly_hours",
    }
    assert not rules.blocking_errors(found)
    assert file(application).status == Status.FILED


def test_an_unanswered_required_question_blocks_filing():
    """[002] You should file the application on the completed form."""
    application = prepare(ApplicationFactory(permit_type=permit_type("ltr_family"), answers={}))
    with translation.override("en"), pytest.raises(FilingBlocked) as refusal:
        file(application)
    assert any("This question must be answered." in p for p in refusal.value.problems)


def test_the_factory_default_case_still_files():
    """An Employee Card with no answers files, with the vacancy-number document attached."""
    application = ApplicationFactory(filed=True)
    assert application.status == Status.FILED
    assert application.documents.filter(kind__code="vacancy_number").exists()


# --- Documents the rules add or lift ----------------------------------------------------------


def test_a_typed_vacancy_number_lifts_the_vacancy_document():
    """[001] It is not necessary to submit such a document, if the number is stated directly."""
    typed = ApplicationFactory(answers={**EMPLOYEE_OK, "vacancy_number": "20231234"})
    not_typed = ApplicationFactory(answers=EMPLOYEE_OK)
    assert "vacancy_number" not in required_codes(typed)
    assert "vacancy_number" in required_codes(not_typed)

    filed = file(prepare(typed))
    assert filed.status == Status.FILED
    assert not filed.documents.filter(kind__code="vacancy_number").exists()


def test_a_vacancy_number_in_a_wrong_form_blocks_and_does_not_lift_the_document():
    application = prepare(ApplicationFactory(answers={**EMPLOYEE_OK, "vacancy_number": "CZ-12"}))
    assert "vacancy_number" in required_codes(application)
    with pytest.raises(FilingBlocked):
        file(application)


def test_an_eu_blue_card_holder_is_spared_the_university_proof_not_the_criminal_record():
    """[001] A Blue Card holder in another EU Member State need not submit the extract "from the
    country that issued the Blue Card"; the other states' extracts stay required. With 2 years'
    Blue Card work the university qualification is not proven."""
    holder = ApplicationFactory(
        permit_type=permit_type("blue_card"),
        answers={"eu_blue_card_holder": True, "eu_blue_card_work_years": "2"},
    )
    other = ApplicationFactory(permit_type=permit_type("blue_card"), answers={})
    assert "criminal_record" in required_codes(holder)
    assert "university_qualification" not in required_codes(holder)
    assert {"criminal_record", "university_qualification"} <= required_codes(other)

    filed = file(prepare(holder))
    assert filed.status == Status.FILED
    assert not filed.documents.filter(kind__code="university_qualification").exists()


def test_a_waived_document_is_not_needed_for_the_grant_either(caseworker):
    application = ApplicationFactory(
        decided=True,
        caseworker=caseworker,
        permit_type=permit_type("blue_card"),
        answers={"eu_blue_card_holder": True, "eu_blue_card_work_years": "3"},
    )
    assert application.outcome == Outcome.GRANTED
    assert not application.documents.filter(kind__code="university_qualification").exists()


def test_a_minor_is_asked_for_parental_consent_where_the_catalogue_is_silent():
    """[004] Parental consent in the case of minor applicants (card replacement lacks it)."""
    child = ApplicantFactory(date_of_birth=about_ten_years_old(), relation=Relation.CHILD)
    adult = ApplicantFactory()
    for_child = ApplicationFactory(applicant=child, permit_type=permit_type("card_replacement"))
    for_adult = ApplicationFactory(applicant=adult, permit_type=permit_type("card_replacement"))
    assert "parental_consent" in required_codes(for_child)
    assert "parental_consent" not in required_codes(for_adult)
    # The parent's account keeps the child's record: the representative is known.
    assert file(prepare(for_child)).status == Status.FILED


def test_a_minor_on_their_own_record_must_name_the_legal_representative():
    """[002] A legal representative files the application on behalf of a foreign national
    under 15 years."""
    child = ApplicantFactory(date_of_birth=about_ten_years_old())
    application = prepare(
        ApplicationFactory(applicant=child, permit_type=permit_type("card_replacement"))
    )
    with translation.override("en"), pytest.raises(FilingBlocked) as refusal:
        file(application)
    assert any("legal representative" in p for p in refusal.value.problems)


def test_a_business_purpose_change_requires_the_business_registration():
    answers = {"current_purpose": "employment", "years_resident": "6"}
    to_business = ApplicationFactory(
        permit_type=permit_type("purpose_change"),
        answers={**answers, "new_purpose_business": True},
    )
    to_study = ApplicationFactory(permit_type=permit_type("purpose_change"), answers=answers)
    assert "business_registration" in required_codes(to_business)
    assert "business_registration" not in required_codes(to_study)


@pytest.mark.parametrize(
    ("ground", "family_proof"),
    [("state_interest", False), ("minor_child_of_permanent_resident", True)],
)
def test_waiver_ground_decides_whether_family_proof_is_required(ground, family_proof):
    application = ApplicationFactory(
        permit_type=permit_type("permanent_residence_waiver"), answers={"ground": ground}
    )
    codes = required_codes(application)
    assert ("family_relationship" in codes) is family_proof
    # The A2 certificate goes with the 5-year application only; the office decides (§ 70 of the
    # Act, outside the seeds; see permits.rules.permanent.waiver_czech_a2).
    assert "czech_a2" not in codes


# --- The date the proceedings began -------------------------------------------------------------


def test_a_draft_is_judged_as_filed_today_and_a_filed_case_by_its_filing_day():
    draft = ApplicationFactory()
    filed = ApplicationFactory(filed=True)
    assert (
        checks.facts_for(draft).proceedings_began_on == checks.facts_for(filed).proceedings_began_on
    )
    Application.objects.filter(pk=filed.pk).update(filed_on=date(2023, 6, 30))
    filed.refresh_from_db()
    assert checks.facts_for(filed).proceedings_began_on == date(2023, 6, 30)
    # Proceedings begun under the previous wording need no vacancy number [001].
    assert "vacancy_number" not in required_codes(filed)
    assert checks.facts_for(draft, on=date(2023, 6, 30)).proceedings_began_on == date(2023, 6, 30)


def test_facts_for_reads_the_application():
    application = ApplicationFactory(
        answers=EMPLOYEE_OK,
        channel="embassy",
        applicant=ApplicantFactory(date_of_birth=date(2001, 2, 3)),
    )
    add_required_documents(application)
    facts = checks.facts_for(application)
    assert facts.permit_type_code == "employee_card"
    assert facts.applicant_birth_date == date(2001, 2, 3)
    assert facts.filed_abroad
    assert facts.answers == EMPLOYEE_OK
    assert {"travel_document", "vacancy_number"} <= facts.uploaded_kinds
    assert not facts.represented_on_record


def test_checking_a_case_takes_a_bounded_number_of_queries(django_assert_max_num_queries):
    application = prepare(ApplicationFactory(answers=EMPLOYEE_OK))
    application = Application.objects.select_related("permit_type", "applicant").get(
        pk=application.pk
    )
    # facts (documents), requirements, documents present: no query per rule or per document.
    with django_assert_max_num_queries(3):
        assert checks.filing_problems(application) == []
