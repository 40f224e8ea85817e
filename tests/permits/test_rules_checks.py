"""The rules' document findings through the database: what a case must carry to be filed and
granted (``applications.checks``), for the waivers and requirements the rules decide."""

from __future__ import annotations

import pytest
from django.utils import translation

from applications import checks, services
from applications.constants import Channel, Outcome, Status
from applications.models import Application
from permits.models import PermitType
from tests.applications.factories import ApplicationFactory, add_required_documents

pytestmark = pytest.mark.django_db

VISAS = ["long_term_visa", "extraordinary_work_visa", "seasonal_work_visa", "tolerated_stay_visa"]


def permit_type(code: str) -> PermitType:
    return PermitType.objects.get(code=code)


def required_codes(application: Application) -> set[str]:
    return {kind.code for kind in checks.required_document_kinds(application)}


def messages(application: Application, rule: str) -> list[str]:
    with translation.override("en"):
        return [str(f.message) for f in checks.findings(application) if f.rule == rule]


# --- Visas: travel health insurance once the visa is granted [004][003] ---------------------------


@pytest.mark.parametrize("code", VISAS)
def test_a_visa_is_filed_without_travel_health_insurance(code):
    application = ApplicationFactory(permit_type=permit_type(code), channel=Channel.EMBASSY)

    assert "travel_health_insurance" not in required_codes(application)
    assert "medical_report" in required_codes(application)
    (told,) = messages(application, "visa.travel_health_insurance_after_grant")
    assert "once the visa is granted" in told

    add_required_documents(application)
    ready = services.application_confirm_declarations(
        application=application, actor=application.applicant.account
    )
    filed = services.application_file(application=ready, actor=ready.applicant.account)
    assert filed.status == Status.FILED
    assert not filed.documents.filter(kind__code="travel_health_insurance").exists()


def test_a_visa_is_granted_without_travel_health_insurance(caseworker):
    application = ApplicationFactory(
        permit_type=permit_type("long_term_visa"),
        channel=Channel.EMBASSY,
        decided=True,
        caseworker=caseworker,
    )

    assert application.status == Status.DECIDED
    assert application.outcome == Outcome.GRANTED
    assert not application.documents.filter(kind__code="travel_health_insurance").exists()


def test_a_long_term_residence_type_still_asks_for_health_insurance_with_the_application():
    application = ApplicationFactory(permit_type=permit_type("ltr_job_seeking"))

    assert "travel_health_insurance" in required_codes(application)
    assert not messages(application, "visa.travel_health_insurance_after_grant")


# --- Permanent residence without the 5-year condition: A2 Czech --------------------------------


@pytest.mark.parametrize(
    ("answers", "a2_required"),
    [
        pytest.param({"ground": "minor_child_of_permanent_resident"}, False, id="[002] e) child"),
        pytest.param({"ground": "humanitarian"}, False, id="[002] b) humanitarian"),
        pytest.param({}, True, id="no ground chosen yet"),
    ],
)
def test_the_waiver_type_asks_no_a2_certificate_once_a_ground_is_chosen(answers, a2_required):
    application = ApplicationFactory(
        permit_type=permit_type("permanent_residence_waiver"), answers=answers
    )
    assert ("czech_a2" in required_codes(application)) is a2_required


def test_the_five_year_type_still_asks_for_the_a2_certificate():
    application = ApplicationFactory(
        permit_type=permit_type("permanent_residence"), answers={"czech_a2": True}
    )
    assert "czech_a2" in required_codes(application)


# --- Blue Card: only the issuing state's extract is spared [001] ----------------------------------


def test_an_eu_blue_card_holder_still_files_the_criminal_record_document():
    holder = ApplicationFactory(
        permit_type=permit_type("blue_card"), answers={"eu_blue_card_holder": True}
    )

    assert "criminal_record" in required_codes(holder)
    (told,) = messages(holder, "blue_card.eu_holder_criminal_record")
    assert "the EU state that issued your Blue Card" in told
    ready = services.application_confirm_declarations(
        application=holder, actor=holder.applicant.account
    )
    with translation.override("en"):
        assert any("criminal record" in problem for problem in checks.filing_problems(ready))
