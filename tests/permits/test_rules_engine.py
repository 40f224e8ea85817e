"""The rules engine itself: versions by the date proceedings began, findings, helpers.

The amendment switch [001]: "All the proceedings which had commenced before the Amendment ...
(i.e. until and including June 30, 2023), will be completed in accordance with the previous
wording of the Law." Each rule the amendment changed is shown with proceedings begun on
30 June 2023 and on 1 July 2023.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import translation
from django.utils.functional import Promise

from permits.rules import (
    AMENDMENT_2023,
    LAST_DAY_BEFORE_AMENDMENT_2023,
    REGISTRY,
    Facts,
    Finding,
    Registry,
    Severity,
    blocking_errors,
    evaluate,
    extra_required_kinds,
    waived_kinds,
)
from permits.rules.engine import error, info, warning

BEFORE = date(2023, 6, 30)
AFTER = date(2023, 7, 1)


def make_facts(code: str, answers: dict[str, Any] | None = None, **kwargs: Any) -> Facts:
    return Facts(
        permit_type_code=code,
        proceedings_began_on=kwargs.pop("on", date(2026, 3, 2)),
        applicant_birth_date=kwargs.pop("born", date(1990, 5, 17)),
        answers=answers or {},
        **kwargs,
    )


def by_rule(facts: Facts, rule: str) -> list[Finding]:
    return [f for f in evaluate(facts) if f.rule == rule]


# --- The amendment switch [001] -------------------------------------------------------------------


def test_the_amendment_day_is_1_july_2023():
    assert AMENDMENT_2023 == AFTER
    assert LAST_DAY_BEFORE_AMENDMENT_2023 == BEFORE == AMENDMENT_2023 - timedelta(days=1)


@pytest.mark.parametrize(
    ("on", "blocked"),
    [
        pytest.param(BEFORE, False, id="begun 2023-06-30"),
        pytest.param(AFTER, True, id="begun 2023-07-01"),
    ],
)
def test_blue_card_three_year_cap_applies_from_the_amendment(on, blocked):
    """[001] Blue card may be newly issued for a maximum period of 3 years."""
    facts = make_facts("blue_card", {"requested_validity_months": 48}, on=on)
    assert bool(blocking_errors(by_rule(facts, "blue_card.max_validity"))) is blocked


@pytest.mark.parametrize(
    ("on", "required", "waived"),
    [
        pytest.param(BEFORE, set(), {"vacancy_number"}, id="begun 2023-06-30: not required"),
        pytest.param(AFTER, {"vacancy_number"}, set(), id="begun 2023-07-01: required"),
    ],
)
def test_vacancy_number_is_required_from_the_amendment(on, required, waived):
    """[001] The new requirement is for the submission of a document giving the number ..."""
    findings = evaluate(make_facts("employee_card", {}, on=on))
    assert extra_required_kinds(findings) == required
    assert waived_kinds(findings) == waived


@pytest.mark.parametrize(
    ("on", "blocked"),
    [
        pytest.param(BEFORE, False, id="begun 2023-06-30"),
        pytest.param(AFTER, True, id="begun 2023-07-01"),
    ],
)
def test_interim_visa_bars_permanent_residence_from_the_amendment(on, blocked):
    """[001] A person staying merely on the basis of an "Interim Visa" may not apply."""
    facts = make_facts("permanent_residence", {"interim_visa": True}, on=on)
    assert bool(blocking_errors(by_rule(facts, "permanent.interim_visa"))) is blocked


@pytest.mark.parametrize(
    ("on", "blocked"),
    [
        pytest.param(BEFORE, False, id="begun 2023-06-30"),
        pytest.param(AFTER, True, id="begun 2023-07-01"),
    ],
)
def test_adult_not_provided_for_may_not_apply_for_family_reunification_from_the_amendment(
    on, blocked
):
    """[001] An application can no longer be filed by an adult foreigner, who is not provided
    for."""
    facts = make_facts("ltr_family", {"relationship": "adult_dependent_child"}, on=on)
    assert bool(blocking_errors(by_rule(facts, "family.who_may_apply"))) is blocked


@pytest.mark.parametrize(
    ("on", "months", "blocked"),
    [
        pytest.param(BEFORE, 8, True, id="begun 2023-06-30: 8 months are too few (one year)"),
        pytest.param(AFTER, 8, False, id="begun 2023-07-01: 8 months are enough (six months)"),
        pytest.param(BEFORE, 12, False, id="begun 2023-06-30: one year is enough"),
    ],
)
def test_blue_card_contract_minimum_falls_to_six_months(on, months, blocked):
    """[001] an entry into a 6-months period of employment will be sufficient."""
    facts = make_facts("blue_card", {"contract_months": months}, on=on)
    assert bool(blocking_errors(by_rule(facts, "blue_card.contract_length"))) is blocked


@pytest.mark.parametrize(
    ("on", "stated"),
    [
        pytest.param(BEFORE, False, id="begun 2023-06-30"),
        pytest.param(AFTER, True, id="begun 2023-07-01"),
    ],
)
def test_eu_blue_card_holder_waiver_is_new(on, stated):
    """[001] the extract of the state that issued the Blue Card is spared from the amendment on;
    the criminal-record document itself stays required either way."""
    facts = make_facts("blue_card", {"eu_blue_card_holder": True}, on=on)
    findings = by_rule(facts, "blue_card.eu_holder_criminal_record")
    assert bool(findings) is stated
    assert "criminal_record" not in waived_kinds(evaluate(facts))


@pytest.mark.parametrize(
    ("on", "blocked"),
    [
        pytest.param(BEFORE, False, id="begun 2023-06-30"),
        pytest.param(AFTER, True, id="begun 2023-07-01"),
    ],
)
def test_two_years_residence_abroad_is_a_new_requirement(on, blocked):
    facts = make_facts(
        "ltr_study",
        {"files_in_state_of_residence": True, "years_legal_residence_abroad": "1"},
        on=on,
        filed_abroad=True,
    )
    assert bool(blocking_errors(by_rule(facts, "abroad.two_years_residence"))) is blocked


@pytest.mark.parametrize(
    ("on", "stated"),
    [
        pytest.param(BEFORE, False, id="begun 2023-06-30"),
        pytest.param(AFTER, True, id="begun 2023-07-01"),
    ],
)
def test_reduced_card_fees_apply_from_the_amendment(on, stated):
    assert bool(by_rule(make_facts("card_replacement", on=on), "fee.card_replacement")) is stated


@pytest.mark.parametrize(
    "code",
    [
        "blue_card.max_validity",
        "employee_card.vacancy_number",
        "permanent.interim_visa",
        "family.who_may_apply",
    ],
)
def test_the_changed_rules_have_a_version_on_each_side_of_the_amendment(code):
    before, after = sorted(REGISTRY.versions(code), key=lambda r: r.valid_from or date.min)
    assert (before.valid_from, before.valid_until) == (None, BEFORE)
    assert (after.valid_from, after.valid_until) == (AFTER, None)


def test_at_most_one_version_of_each_rule_is_in_force_on_any_day():
    days = [date(2020, 1, 1), BEFORE, AFTER, date(2026, 3, 2)]
    for code in REGISTRY.codes():
        for day in days:
            in_force = [r for r in REGISTRY.versions(code) if r.in_force_on(day)]
            assert len(in_force) <= 1, (code, day)


# --- The registry -------------------------------------------------------------------------------


def test_an_overlapping_version_is_refused():
    registry = Registry()
    registry.rule("x", citation="[001]", valid_until=BEFORE)(lambda facts: ())
    registry.rule("x", citation="[001]", valid_from=AFTER)(lambda facts: ())
    with pytest.raises(ValueError, match="same day"):
        registry.rule("x", citation="[001]", valid_from=date(2024, 1, 1))(lambda facts: ())
    with pytest.raises(ValueError, match="same day"):
        registry.rule("x", citation="[001]")(lambda facts: ())
    with pytest.raises(ValueError, match="before"):
        registry.rule("y", citation="[001]", valid_from=AFTER, valid_until=BEFORE)(lambda facts: ())


def test_the_engine_runs_the_version_in_force_and_stamps_code_and_citation():
    registry = Registry()
    registry.rule("demo", citation="[001] old wording", types={"blue_card"}, valid_until=BEFORE)(
        lambda facts: [warning("old")]
    )
    registry.rule("demo", citation="[001] new wording", types={"blue_card"}, valid_from=AFTER)(
        lambda facts: [error("new"), info("own citation", citation="[004] elsewhere")]
    )
    old = evaluate(make_facts("blue_card", on=BEFORE), registry=registry)
    new = evaluate(make_facts("blue_card", on=AFTER), registry=registry)
    assert [(f.rule, f.severity, f.message, f.citation) for f in old] == [
        ("demo", Severity.WARNING, "old", "[001] old wording")
    ]
    assert [(f.severity, f.citation) for f in new] == [
        (Severity.ERROR, "[001] new wording"),
        (Severity.INFO, "[004] elsewhere"),
    ]
    assert evaluate(make_facts("employee_card", on=AFTER), registry=registry) == []


def test_helpers_sort_findings():
    findings = [
        Finding(Severity.ERROR, "e", requires=frozenset({"a"})),
        Finding(Severity.WARNING, "w", waives=frozenset({"b"})),
        Finding(Severity.INFO, "i", requires=frozenset({"c"}), waives=frozenset({"d"})),
    ]
    assert blocking_errors(findings) == [findings[0]]
    assert extra_required_kinds(findings) == {"a", "c"}
    assert waived_kinds(findings) == {"b", "d"}


# --- Findings of the real rules -------------------------------------------------------------------

SAMPLE_FACTS = [
    make_facts(
        "employee_card",
        {"monthly_salary_czk": "1000", "weekly_hours": "2", "statutory_body_member": True},
    ),
    make_facts("employee_card", {}, on=BEFORE),
    make_facts(
        "blue_card",
        {"contract_months": 1, "requested_validity_months": 60, "eu_blue_card_holder": True},
    ),
    make_facts("permanent_residence", {"residence_periods": [], "interim_visa": True}),
    make_facts("permanent_residence_waiver", {"ground": "state_interest"}),
    make_facts("ltr_family", {"relationship": "adult_dependent_child"}),
    make_facts(
        "purpose_change", {"current_purpose": "family", "years_resident": "1", "divorced": True}
    ),
    make_facts("card_replacement", born=date(2015, 1, 1)),
    make_facts("card_data_change", {"protection_status": "asylum"}),
    make_facts("ltr_study", {"files_in_state_of_residence": True}, filed_abroad=True),
]


def test_every_finding_names_its_rule_and_cites_its_source():
    findings = [f for facts in SAMPLE_FACTS for f in evaluate(facts)]
    assert {f.severity for f in findings} == set(Severity)
    for finding in findings:
        assert finding.rule in REGISTRY.codes()
        assert finding.citation.startswith("[00"), finding


def test_messages_are_lazy_and_formatted_for_the_reader():
    facts = make_facts("employee_card", {"monthly_salary_czk": "20000"})
    (finding,) = blocking_errors(by_rule(facts, "employee_card.minimum_wage"))
    assert isinstance(finding.message, Promise)
    with translation.override("en"):
        assert "CZK 22,400" in str(finding.message)
    with translation.override("cs"):
        # Czech groups thousands with a (no-break) space: the figure is formatted when shown.
        assert "22\xa0400" in str(finding.message)


def test_rules_run_only_on_their_permit_types():
    findings = evaluate(
        make_facts("ltr_study", {"statutory_body_member": True, "interim_visa": True})
    )
    assert not [f for f in findings if f.rule.startswith(("employee_card.", "permanent."))]


def test_facts_read_typed_answers_and_measure_age_on_the_day_proceedings_began():
    facts = make_facts(
        "employee_card", {"weekly_hours": "37,5", "monthly_salary_czk": "x"}, born=date(2008, 3, 3)
    )
    assert str(facts.answer("weekly_hours")) == "37.5"
    assert facts.answer("monthly_salary_czk") is None
    assert not facts.unanswered("monthly_salary_czk")  # answered, but unreadable
    assert facts.unanswered("vacancy_number")
    assert facts.answer("seasonal_permit_holder") is False
    assert facts.answer("no_such_question") is None
    assert facts.age == 17
    assert facts.is_minor
    assert make_facts("employee_card", born=date(2008, 3, 2)).age == 18
