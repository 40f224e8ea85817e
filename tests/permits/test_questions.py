"""The questions each permit type asks, and how answers are cleaned (permits.questions)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from permits.calculators import ResidenceKind, ResidencePeriod
from permits.catalogue import PERMIT_TYPES
from permits.questions import (
    HANDLED_TYPES,
    QUESTIONS,
    Question,
    QuestionKind,
    ShownWhen,
    question_for,
    questions_for,
    read_answers,
    validate_answers,
)


def keys(code: str, **kwargs) -> list[str]:
    return [q.key for q in questions_for(code, **kwargs)]


# --- Declarations -----------------------------------------------------------------------------


def test_every_type_of_this_office_has_questions_and_no_other_type_does():
    handled = {p["code"] for p in PERMIT_TYPES if p["handled_by_office"]}
    assert handled == HANDLED_TYPES == set(QUESTIONS)
    for outside in {p["code"] for p in PERMIT_TYPES} - handled:
        assert questions_for(outside) == []
    assert questions_for("no_such_type") == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "employee_card",
            {
                "monthly_salary_czk",
                "weekly_hours",
                "vacancy_number",
                "statutory_body_member",
                "seasonal_permit_holder",
            },
        ),
        (
            "blue_card",
            {
                "contract_months",
                "requested_validity_months",
                "eu_blue_card_holder",
                "eu_blue_card_work_years",
            },
        ),
        ("permanent_residence", {"residence_periods", "czech_a2", "interim_visa"}),
        ("permanent_residence_waiver", {"ground", "family_based", "interim_visa"}),
        ("purpose_change", {"current_purpose", "years_resident", "divorced", "marriage_years"}),
        ("ltr_family", {"relationship"}),
        ("card_replacement", {"protection_status", "card_for_permanent_residence"}),
        ("card_data_change", {"protection_status", "permit_valid_to"}),
        ("long_term_residence_after_visa", {"business_purpose"}),
    ],
)
def test_each_type_asks_what_its_rules_need(code, expected):
    assert expected <= set(keys(code))


def test_a_type_does_not_ask_another_types_questions():
    assert "monthly_salary_czk" not in keys("blue_card")
    assert "residence_periods" not in keys("employee_card")
    assert keys("card_replacement", minor=False) == [
        "protection_status",
        "card_for_permanent_residence",
        "permit_valid_to",
    ]


def test_a_new_card_says_which_permit_it_follows():
    # The card is valid as long as its permit (permits.validity): the date is stored as ISO.
    cleaned, errors = validate_answers(
        "card_data_change", {"permit_valid_to": "2027-05-31", "card_for_permanent_residence": ""}
    )
    assert errors == {}
    assert cleaned["permit_valid_to"] == "2027-05-31"
    assert cleaned["card_for_permanent_residence"] is False
    assert "permit_valid_to" not in keys("ltr_extension")


def test_abroad_and_minor_questions_show_only_when_they_concern_the_applicant():
    everything = keys("employee_card")
    assert {"years_legal_residence_abroad", "legal_representative"} <= set(everything)
    at_home_adult = keys("employee_card", abroad=False, minor=False)
    assert "years_legal_residence_abroad" not in at_home_adult
    assert "legal_representative" not in at_home_adult
    assert "years_legal_residence_abroad" in keys("employee_card", abroad=True, minor=False)
    # A type filed only in the Czech Republic has no question about residence abroad.
    assert "years_legal_residence_abroad" not in keys("card_replacement")
    assert "years_legal_residence_abroad" not in keys(
        "long_term_residence_after_visa", abroad=False
    )


def test_declarations_are_consistent():
    for code, questions in QUESTIONS.items():
        assert len({q.key for q in questions}) == len(questions), code
        for q in questions:
            assert str(q.label).strip()
            assert not (q.required and q.kind == QuestionKind.BOOL)
            assert not (q.required and q.shown_when != ShownWhen.ALWAYS)


@pytest.mark.parametrize(
    "bad",
    [
        {"key": "x", "label": "X", "kind": QuestionKind.BOOL, "required": True},
        {"key": "x", "label": "X", "kind": QuestionKind.CHOICE},
        {"key": "x", "label": "X", "kind": QuestionKind.TEXT, "choices": (("a", "A"),)},
        {"key": "x", "label": "X", "kind": QuestionKind.INT, "pattern": r"\d+"},
        {
            "key": "x",
            "label": "X",
            "kind": QuestionKind.TEXT,
            "required": True,
            "shown_when": ShownWhen.ABROAD,
        },
    ],
)
def test_an_inconsistent_question_is_refused(bad):
    with pytest.raises(ValueError):
        Question(**bad)


def test_labels_are_translatable():
    label = question_for("employee_card", "monthly_salary_czk").label
    with translation.override("en"):
        assert str(label) == "Gross monthly salary (CZK)"


# --- Cleaning answers ---------------------------------------------------------------------------


def test_valid_employee_card_answers_are_cleaned_to_json():
    cleaned, errors = validate_answers(
        "employee_card",
        {
            "monthly_salary_czk": "35 000,50",
            "weekly_hours": 40,
            "vacancy_number": " 123456 ",
            "statutory_body_member": "on",
            "unknown_key": "dropped",
        },
    )
    assert errors == {}
    assert cleaned == {
        "monthly_salary_czk": "35000.5",
        "weekly_hours": "40",
        "vacancy_number": "123456",
        "statutory_body_member": True,
        "seasonal_permit_holder": False,
        "files_in_state_of_residence": False,
    }
    json.dumps(cleaned)


def test_dates_and_periods_are_stored_as_iso_strings():
    cleaned, errors = validate_answers(
        "permanent_residence",
        {
            "residence_periods": [
                {"kind": "study", "start": "2018-09-01", "end": date(2020, 6, 30)},
                {"kind": "long_term_residence", "start": "2020-07-01", "end": "2026-06-30"},
            ],
            "czech_a2": True,
        },
    )
    assert errors == {}
    assert cleaned["residence_periods"] == [
        {"kind": "study", "start": "2018-09-01", "end": "2020-06-30"},
        {"kind": "long_term_residence", "start": "2020-07-01", "end": "2026-06-30"},
    ]
    json.dumps(cleaned)
    cleaned, errors = validate_answers(
        "ltr_family",
        {"relationship": "parent_of_adult_asylum_holder", "asylum_granted_on": "2026-01-31"},
    )
    assert errors == {}
    assert cleaned["asylum_granted_on"] == "2026-01-31"


def test_cleaned_answers_read_back_to_the_same_values():
    data = {
        "residence_periods": [
            {"kind": "long_term_visa", "start": "2019-01-01", "end": "2024-12-31"}
        ]
    }
    cleaned, _ = validate_answers("permanent_residence", data)
    values, errors = read_answers("permanent_residence", cleaned)
    assert errors == {}
    assert values["residence_periods"] == [
        ResidencePeriod(ResidenceKind.LONG_TERM_VISA, date(2019, 1, 1), date(2024, 12, 31))
    ]
    values, _ = read_answers("employee_card", {"monthly_salary_czk": "20800"})
    assert values["monthly_salary_czk"] == Decimal("20800")


@pytest.mark.parametrize(
    ("code", "data", "key", "message"),
    [
        ("employee_card", {"monthly_salary_czk": "a lot"}, "monthly_salary_czk", "Enter a number."),
        ("employee_card", {"monthly_salary_czk": True}, "monthly_salary_czk", "Enter a number."),
        ("employee_card", {"weekly_hours": "-1"}, "weekly_hours", "Enter 0 or more."),
        ("employee_card", {"weekly_hours": "200"}, "weekly_hours", "Enter 168 or less."),
        (
            "employee_card",
            {"statutory_body_member": "maybe"},
            "statutory_body_member",
            "Answer yes or no.",
        ),
        (
            "employee_card",
            {"vacancy_number": "ABC-12"},
            "vacancy_number",
            "Enter the vacancy number as digits only (5 to 12 digits).",
        ),
        ("employee_card", {"vacancy_number": "1234"}, "vacancy_number", "digits only"),
        ("blue_card", {"contract_months": "6.5"}, "contract_months", "Enter a whole number."),
        (
            "ltr_family",
            {"relationship": "cousin"},
            "relationship",
            "Choose one of the answers offered.",
        ),
        ("ltr_family", {}, "relationship", "This question must be answered."),
        (
            "ltr_family",
            {"relationship": "asylum_spouse", "asylum_granted_on": "31.1.2026"},
            "asylum_granted_on",
            "YYYY-MM-DD",
        ),
        ("purpose_change", {"current_purpose": "study"}, "years_resident", "must be answered"),
        ("permanent_residence", {"residence_periods": []}, "residence_periods", "must be answered"),
        (
            "permanent_residence",
            {
                "residence_periods": [
                    {"kind": "holiday", "start": "2020-01-01", "end": "2020-02-01"}
                ]
            },
            "residence_periods",
            "Period 1: choose the kind of stay.",
        ),
        (
            "permanent_residence",
            {
                "residence_periods": [
                    {"kind": "study", "start": "2020-01-01", "end": "2020-02-01"},
                    {"kind": "study", "start": "2021-01-01", "end": "2020-02-01"},
                ]
            },
            "residence_periods",
            "Period 2: the end is before the start.",
        ),
        (
            "permanent_residence",
            {"residence_periods": "five years"},
            "residence_periods",
            "List the periods",
        ),
    ],
)
def test_invalid_or_missing_required_answers_are_reported_per_question(code, data, key, message):
    with translation.override("en"):
        cleaned, errors = validate_answers(code, data)
    assert key in errors
    assert key not in cleaned
    assert any(message in e for e in errors[key])


def test_optional_questions_may_be_left_out():
    cleaned, errors = validate_answers("employee_card", {})
    assert errors == {}
    assert "monthly_salary_czk" not in cleaned
    assert cleaned["statutory_body_member"] is False


def test_error_messages_follow_the_active_language():
    with translation.override("en"):
        _, errors = validate_answers("ltr_family", {})
    assert errors == {"relationship": ["This question must be answered."]}
    _values, lazy_errors = read_answers("ltr_family", {})
    # read_answers keeps them lazy for the rules engine: translated when shown.
    assert not isinstance(lazy_errors["relationship"][0], str)
