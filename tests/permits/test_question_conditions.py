"""Questions asked only after another answer (``Question.asked_if``), and dates about the past.

The catalogue tests run over every conditional question the catalogue declares, so a condition
added later is covered without a new test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine

from permits import rules
from permits.questions import (
    QUESTIONS,
    Answer,
    Question,
    QuestionKind,
    _build_questions,
    asked_keys,
    question_for,
    questions_for,
    read_answers,
    validate_answers,
)

# A Wednesday morning in Prague: no weekend, no midnight.
NOW = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)
TODAY = date(2026, 3, 11)

CONDITIONAL = [
    pytest.param(code, question, id=f"{code}-{question.key}")
    for code, questions in sorted(QUESTIONS.items())
    for question in questions
    if question.asked_if is not None
]


def _form_value(value: Any) -> Any:
    return "on" if value is True else ("" if value is False else value)


def _sample(question: Question) -> Any:
    """An answer the question accepts, as the form sends it."""
    return {
        QuestionKind.BOOL: "on",
        QuestionKind.INT: "3",
        QuestionKind.DECIMAL: "3",
        QuestionKind.DATE: "2020-01-15",
        QuestionKind.TEXT: "Jana Novakova, mother",
        QuestionKind.CHOICE: question.choice_values[0] if question.choices else "",
        QuestionKind.PERIODS: [
            {"kind": "long_term_residence", "start": "2019-01-01", "end": "2020-12-31"}
        ],
    }[question.kind]


def _asking(code: str, question: Question) -> dict[str, Any]:
    """Answers that ask ``question``: its condition met, and the conditions above it."""
    condition = question.asked_if
    if condition is None:
        return {}
    controller = question_for(code, condition.key)
    assert controller is not None
    return {**_asking(code, controller), condition.key: _form_value(condition.values[0])}


def _not_asking(code: str, question: Question) -> dict[str, Any]:
    """The same answers, except that the question it depends on gets an answer that does not
    ask it."""
    condition = question.asked_if
    assert condition is not None
    controller = question_for(code, condition.key)
    assert controller is not None
    if controller.kind == QuestionKind.BOOL:
        other = not condition.values[0]
    else:
        other = next(v for v in controller.choice_values if v not in condition.values)
    return {**_asking(code, question), condition.key: _form_value(other)}


def test_the_catalogue_has_the_conditions_the_rules_need():
    keys = {(code, q.key) for code, qs in QUESTIONS.items() for q in qs if q.asked_if}
    assert ("ltr_family", "asylum_granted_on") in keys
    assert ("blue_card", "eu_blue_card_work_years") in keys
    assert ("purpose_change", "marriage_years") in keys
    assert ("purpose_change", "divorced") in keys


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("code", "question"), CONDITIONAL)
def test_a_conditional_question_is_asked_when_its_condition_holds(code, question):
    answers = {**_asking(code, question), question.key: _sample(question)}

    assert question.key in asked_keys(code, answers)
    assert question.key in {q.key for q in questions_for(code, answers=answers)}
    cleaned, errors = validate_answers(code, answers)
    assert question.key not in errors
    assert question.key in cleaned


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("code", "question"), CONDITIONAL)
def test_a_question_not_asked_is_dropped_and_never_missing(code, question):
    answers = {**_not_asking(code, question), question.key: _sample(question)}

    assert question.key not in asked_keys(code, answers)
    assert question.key not in {q.key for q in questions_for(code, answers=answers)}
    cleaned, errors = validate_answers(code, answers)
    assert question.key not in cleaned
    assert question.key not in errors
    # Even an answer that could not be read is no problem when the question is not asked.
    values, problems = read_answers(code, {**answers, question.key: "not an answer"})
    assert question.key not in values
    assert question.key not in problems

    facts = rules.Facts(
        permit_type_code=code,
        proceedings_began_on=TODAY,
        applicant_birth_date=date(1990, 5, 1),
        filed_abroad=True,
        answers=_not_asking(code, question),
    )
    assert not facts.asked(question.key)
    assert not facts.unanswered(question.key)
    assert facts.answer(question.key) is None


def test_conditions_only_look_back_and_never_make_a_question_required():
    with pytest.raises(ValueError, match="cannot be required"):
        Question(
            key="x",
            label="x",
            kind=QuestionKind.TEXT,
            required=True,
            asked_if=Answer("y", True),
        )
    with pytest.raises(ValueError, match="only a date"):
        Question(key="x", label="x", kind=QuestionKind.TEXT, past_only=True)
    # The catalogue itself is consistent: each condition reads a question asked before it.
    assert _build_questions() == QUESTIONS


def test_an_answer_matches_only_a_value_of_its_own_type():
    assert Answer("a", True).holds({"a": True})
    assert not Answer("a", True).holds({"a": 1})
    assert not Answer("a", True).holds({})
    assert Answer("a", "x", "y").holds({"a": "y"})
    assert Answer("a", True, "x").form_values == ["true", "x"]


# --- The rules read an unasked question as not applicable ----------------------------------------


def _facts(code: str, answers: dict[str, Any]) -> rules.Facts:
    return rules.Facts(
        permit_type_code=code,
        proceedings_began_on=TODAY,
        applicant_birth_date=date(1960, 5, 1),
        answers=answers,
    )


def test_the_asylum_date_is_asked_of_the_family_of_an_asylum_holder_only():
    parent = _facts("ltr_family", {"relationship": "parent_of_adult_asylum_holder"})
    assert parent.asked("asylum_granted_on")
    assert any(
        f.rule == "family.asylum_holder_parent_deadline"
        for f in rules.blocking_errors(rules.evaluate(parent))
    )

    spouse = _facts("ltr_family", {"relationship": "spouse", "asylum_granted_on": "2020-01-01"})
    assert not spouse.asked("asylum_granted_on")
    assert spouse.answer("asylum_granted_on") is None
    assert not [f for f in rules.evaluate(spouse) if "asylum" in f.rule]


def test_blue_card_years_count_only_for_a_holder_of_another_states_blue_card():
    waived = {"university_qualification"}
    holder = _facts("blue_card", {"eu_blue_card_holder": True, "eu_blue_card_work_years": "3"})
    assert rules.waived_kinds(rules.evaluate(holder)) >= waived

    not_holder = _facts("blue_card", {"eu_blue_card_work_years": "3"})
    assert not_holder.answer("eu_blue_card_work_years") is None
    assert not rules.waived_kinds(rules.evaluate(not_holder)) & waived


def test_marriage_years_are_asked_after_a_divorce_from_the_family_member_only():
    base = {"current_purpose": "family", "years_resident": "4"}
    divorced = _facts("purpose_change", {**base, "divorced": True})
    assert any(
        f.rule == "purpose_change.after_divorce"
        for f in rules.blocking_errors(rules.evaluate(divorced))
    )
    # Divorce is asked only of a stay for family reunification, so a study stay is never
    # "divorced" and never asked how long the marriage lasted.
    study = _facts("purpose_change", {**base, "current_purpose": "study", "divorced": True})
    assert study.answer("divorced") is None
    assert not study.asked("marriage_years")
    assert not [f for f in rules.evaluate(study) if f.rule == "purpose_change.after_divorce"]


# --- Dates about the past ------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ("2026-03-12", "The date cannot be in the future."),
        ("2030-01-01", "The date cannot be in the future."),
        ("1899-12-31", "Enter a date on or after"),
    ],
)
def test_the_asylum_date_cannot_be_in_the_future_or_implausibly_early(answer, problem):
    data = {"relationship": "asylum_spouse", "asylum_granted_on": answer}
    _cleaned, errors = validate_answers("ltr_family", data)
    assert problem in errors["asylum_granted_on"][0]


@time_machine.travel(NOW, tick=False)
def test_the_asylum_date_may_be_today():
    data = {"relationship": "asylum_spouse", "asylum_granted_on": TODAY.isoformat()}
    cleaned, errors = validate_answers("ltr_family", data)
    assert errors == {}
    assert cleaned["asylum_granted_on"] == "2026-03-11"


@time_machine.travel(NOW, tick=False)
def test_a_residence_period_starts_in_the_past_but_may_end_ahead():
    ahead = [{"kind": "long_term_residence", "start": "2021-01-01", "end": "2027-06-30"}]
    cleaned, errors = validate_answers("permanent_residence", {"residence_periods": ahead})
    assert errors == {}
    assert cleaned["residence_periods"] == ahead

    future = [{"kind": "long_term_residence", "start": "2026-04-01", "end": "2027-06-30"}]
    _cleaned, errors = validate_answers("permanent_residence", {"residence_periods": future})
    assert "the start cannot be in the future" in errors["residence_periods"][0]

    early = [{"kind": "study", "start": "1850-01-01", "end": "2020-01-01"}]
    _cleaned, errors = validate_answers("permanent_residence", {"residence_periods": early})
    assert "on or after" in errors["residence_periods"][0]


def test_a_date_question_not_about_the_past_may_lie_ahead():
    question = question_for("card_replacement", "permit_valid_to")
    assert question is not None and not question.past_only
    cleaned, errors = validate_answers("card_replacement", {"permit_valid_to": "2099-01-01"})
    assert errors == {}
    assert cleaned["permit_valid_to"] == "2099-01-01"
