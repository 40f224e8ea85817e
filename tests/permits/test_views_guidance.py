"""Public guidance pages: the catalogue, a permit type's page and the advisor (no login)."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from permits.models import PermitType

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]

WORK_PROFILE = {
    "purpose": "work",
    "length": "over_a_year",
    "status": "outside",
    "nationality": "third_country",
}


def client_in(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def employee_card_name(language: str) -> str:
    return escape(getattr(PermitType.objects.get(code="employee_card"), f"name_{language}"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("url", "query"),
    [
        (reverse("permits:catalogue"), {}),
        (reverse("permits:detail", args=["employee_card"]), {}),
        (reverse("permits:advisor"), WORK_PROFILE),
    ],
)
def test_pages_answer_anonymous_visitors_in_every_language(language, url, query):
    response = client_in(language).get(url, query)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" ' in html
    assert employee_card_name(language) in html


def test_language_also_follows_the_accept_language_header():
    response = Client().get(reverse("permits:catalogue"), HTTP_ACCEPT_LANGUAGE="uk")
    assert '<html lang="uk" ' in response.content.decode()
    assert employee_card_name("uk") in response.content.decode()


def test_pages_refuse_other_methods(anonymous):
    for url in (reverse("permits:catalogue"), reverse("permits:advisor")):
        assert anonymous.post(url).status_code == 405


# --- Catalogue ------------------------------------------------------------------------------------


def test_catalogue_groups_every_type_by_purpose_and_links_to_it(anonymous):
    response = anonymous.get(reverse("permits:catalogue"), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    for permit_type in PermitType.objects.filter(is_active=True):
        assert reverse("permits:detail", args=[permit_type.code]) in html
    groups = [group.purpose for group in response.context["groups"]]
    assert groups == [
        "work",
        "study",
        "family",
        "research",
        "investment",
        "protection",
        "permanent",
        "visa",
        "administrative",
        "outside",
    ]
    assert "Handled by other authorities" in html


def test_catalogue_hides_types_switched_off(anonymous):
    PermitType.objects.filter(code="ict_card_eu").update(is_active=False)
    html = anonymous.get(reverse("permits:catalogue")).content.decode()
    assert reverse("permits:detail", args=["ict_card_eu"]) not in html
    assert anonymous.get(reverse("permits:detail", args=["ict_card_eu"])).status_code == 404


def test_catalogue_queries_do_not_grow_with_the_number_of_types(
    anonymous, django_assert_max_num_queries
):
    template = PermitType.objects.get(code="employee_card")
    for number in range(15):
        PermitType.objects.create(
            code=f"extra_{number}",
            short_code="EX",
            purpose=template.purpose,
            name=f"Extra type {number}",
        )
    with django_assert_max_num_queries(2):
        response = anonymous.get(reverse("permits:catalogue"))
    assert "Extra type 14" in response.content.decode()


# --- Permit type page -----------------------------------------------------------------------------


def test_unknown_type_code_is_404(anonymous):
    assert anonymous.get(reverse("permits:detail", args=["no_such_permit"])).status_code == 404


def test_type_page_shows_facts_and_the_checklist_of_its_documents(anonymous):
    response = anonymous.get(
        reverse("permits:detail", args=["blue_card"]), HTTP_ACCEPT_LANGUAGE="en"
    )

    html = response.content.decode()
    permit_type = PermitType.objects.get(code="blue_card")
    assert escape(permit_type.guidance_en) in html
    assert "60 days when you apply in the Czech Republic" in html
    assert "180 days when you apply at an embassy" in html
    assert "36 months" in html  # at most 3 years [001]
    assert escape(permit_type.legal_basis) in html
    assert 'id="checklist"' in html
    checklist = html[html.index('id="checklist"') :]
    for requirement in permit_type.requirements.select_related("document_kind"):
        assert escape(requirement.document_kind.name_en) in checklist
        assert escape(requirement.document_kind.description_en) in checklist
    assert "Only if the applicant is a minor" in checklist  # parental consent
    # [001]: a Blue Card holder of another member state needs no extract from the state that
    # issued the card; the other states' extracts stay required
    assert (
        "If you hold a Blue Card of another EU member state, the extract from the state that "
        "issued it is not needed; the extracts from the other states are."
    ) in checklist


def test_type_page_in_czech_shows_the_czech_document_names(anonymous):
    response = client_in("cs").get(reverse("permits:detail", args=["employee_card"]))
    html = response.content.decode()
    permit_type = PermitType.objects.get(code="employee_card")
    for requirement in permit_type.requirements.select_related("document_kind"):
        assert escape(requirement.document_kind.name_cs) in html


def test_type_page_runs_a_fixed_number_of_queries(anonymous, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        anonymous.get(reverse("permits:detail", args=["long_term_visa"]))


def test_embassy_only_type_shows_only_the_embassy_deadline(anonymous):
    html = anonymous.get(
        reverse("permits:detail", args=["long_term_visa"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "180 days when you apply at an embassy" in html
    assert "when you apply in the Czech Republic" not in html
    assert "At a Czech embassy abroad, in person" in html


def test_family_reunification_shows_its_270_days(anonymous):
    html = anonymous.get(
        reverse("permits:detail", args=["ltr_family"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "270 days when you apply in the Czech Republic" in html  # [003]


def test_fee_and_fee_note_are_shown(anonymous):
    html = anonymous.get(
        reverse("permits:detail", args=["card_replacement"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "CZK 2,500" in html  # [001]
    assert escape(PermitType.objects.get(code="card_replacement").fee_note_en) in html


@pytest.mark.parametrize("code", ["citizenship", "diplomatic_visa", "mfa_residence"])
def test_types_outside_the_office_say_where_to_go_instead_and_have_no_checklist(anonymous, code):
    response = anonymous.get(reverse("permits:detail", args=[code]), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Where to go instead" in html
    assert escape(PermitType.objects.get(code=code).competent_authority_en) in html
    assert 'id="checklist"' not in html
    assert "Documents to bring" not in html
    assert "Decision deadline" not in html


# --- Advisor --------------------------------------------------------------------------------------


def test_advisor_without_answers_shows_the_questionnaire_only(anonymous):
    response = anonymous.get(reverse("permits:advisor"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="advisor-form"' in html
    assert 'id="suggestions"' not in html
    assert 'id="error-summary"' not in html


def test_advisor_suggests_work_permits_with_reasons_and_links(anonymous):
    response = anonymous.get(reverse("permits:advisor"), WORK_PROFILE, HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert [card.suggestion.code for card in response.context["cards"]] == [
        "employee_card",
        "blue_card",
        "ict_card",
    ]
    suggestions = html[html.index('id="suggestions"') :]
    for code in ("employee_card", "blue_card", "ict_card"):
        assert reverse("permits:detail", args=[code]) in suggestions
    assert "Central Register of Available Vacancies" in suggestions
    # The answers stay selected for changing them.
    assert re.search(r'name="purpose" value="work"[^>]*\bchecked', html)


def test_advisor_short_stay_links_the_schengen_calculator(anonymous):
    response = anonymous.get(
        reverse("permits:advisor"),
        {**WORK_PROFILE, "length": "up_to_90_days"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert "A short stay of up to 90 days" in html
    assert "Ministry of Foreign Affairs" in html
    assert f'href="{reverse("permits:schengen")}"' in html.split('id="suggestions"')[1]


def test_advisor_permanent_after_five_years_links_the_type_and_the_calculator(anonymous):
    response = anonymous.get(
        reverse("permits:advisor"),
        {
            "purpose": "permanent",
            "length": "permanently",
            "status": "long_term_residence",
            "nationality": "third_country",
            "years_in_czech_republic": "6",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    suggestions = response.content.decode().split('id="suggestions"')[1]
    assert reverse("permits:detail", args=["permanent_residence"]) in suggestions
    assert f'href="{reverse("permits:pr_calculator")}"' in suggestions


def test_advisor_eu_citizen_is_told_no_permit_is_needed(anonymous):
    response = anonymous.get(
        reverse("permits:advisor"), {**WORK_PROFILE, "nationality": "eu"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert "No permit from this office" in html
    assert (
        reverse("permits:detail", args=["employee_card"]) not in html.split('id="suggestions"')[1]
    )


def test_advisor_incomplete_answers_show_errors_next_to_the_fields_and_a_summary(anonymous):
    response = anonymous.get(
        reverse("permits:advisor"),
        {"purpose": "work", "years_in_czech_republic": "-1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="suggestions"' not in html
    summary = html[
        html.index('id="error-summary"') : html.index("</div>", html.index('id="error-summary"'))
    ]
    assert 'href="#id_length_0"' in summary
    assert 'href="#id_years_in_czech_republic"' in summary
    assert 'value="-1"' in html  # the input is kept
