"""Every rule of SPEC §5, each with a case that triggers it and one that does not.

Pure: the facts are built by hand, no database. Test ids name the source ([001] ... [004]).
Unless a case says otherwise the proceedings begin on Monday 2 March 2026 and the applicant,
born 17 May 1990, is an adult filing in the Czech Republic.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import translation

from permits.rules import Facts, Finding, Severity, evaluate
from permits.rules.wages import MINIMUM_WAGES, minimum_wage_on

ON = date(2026, 3, 2)
ADULT = date(1990, 5, 17)
BEFORE = date(2023, 6, 30)  # the last day of the previous wording [001]
AFTER = date(2023, 7, 1)  # the amendment's first day [001]

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741


def make_facts(
    code: str,
    answers: dict[str, Any] | None = None,
    *,
    on: date = ON,
    born: date = ADULT,
    abroad: bool = False,
    uploaded: frozenset[str] = frozenset(),
    represented: bool = False,
) -> Facts:
    return Facts(
        permit_type_code=code,
        proceedings_began_on=on,
        applicant_birth_date=born,
        filed_abroad=abroad,
        answers=answers or {},
        uploaded_kinds=uploaded,
        represented_on_record=represented,
    )


def findings_of(rule: str, facts: Facts) -> list[Finding]:
    return [f for f in evaluate(facts) if f.rule == rule]


def severities(rule: str, facts: Facts) -> list[Severity]:
    return [f.severity for f in findings_of(rule, facts)]


def periods(*spans: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"kind": kind, "start": start, "end": end} for kind, start, end in spans]


EMPLOYEE_OK = {"monthly_salary_czk": "30000", "weekly_hours": "40", "vacancy_number": "123456"}
LTR = "long_term_residence"

# (rule, facts, expected severities); one row per case, the id cites the source.
CASES = [
    # --- Employee Card [004] ---
    pytest.param(
        "employee_card.minimum_wage",
        make_facts("employee_card", {"monthly_salary_czk": "22399"}),
        [E],
        id="[004] salary below the 2026 minimum wage of CZK 22,400",
    ),
    pytest.param(
        "employee_card.minimum_wage",
        make_facts("employee_card", {"monthly_salary_czk": "22400"}),
        [],
        id="[004] salary at the 2026 minimum wage",
    ),
    pytest.param(
        "employee_card.minimum_wage",
        make_facts("employee_card", {"monthly_salary_czk": "20000"}, on=date(2025, 6, 2)),
        [E],
        id="[004] salary below the 2025 minimum wage of CZK 20,800",
    ),
    pytest.param(
        "employee_card.minimum_wage",
        make_facts("employee_card", {"monthly_salary_czk": "19000"}, on=date(2024, 6, 3)),
        [],
        id="[004] salary above the 2024 minimum wage of CZK 18,900",
    ),
    pytest.param(
        "employee_card.minimum_wage",
        make_facts("employee_card", {"monthly_salary_czk": "17000"}, on=date(2023, 9, 1)),
        [E],
        id="[004] salary below the 2023 minimum wage of CZK 17,300",
    ),
    pytest.param(
        "employee_card.minimum_wage",
        make_facts("employee_card", {}),
        [W],
        id="[004] salary not stated: warning, the contract is checked",
    ),
    pytest.param(
        "employee_card.minimum_wage",
        make_facts("employee_card", {"monthly_salary_czk": "a lot"}),
        [],
        id="[004] unreadable salary is left to answers.complete",
    ),
    pytest.param(
        "employee_card.weekly_hours",
        make_facts("employee_card", {"weekly_hours": "14.5"}),
        [E],
        id="[004] fewer than 15 hours a week",
    ),
    pytest.param(
        "employee_card.weekly_hours",
        make_facts("employee_card", {"weekly_hours": "15"}),
        [],
        id="[004] 15 hours a week",
    ),
    pytest.param(
        "employee_card.weekly_hours",
        make_facts("employee_card", {}),
        [W],
        id="[004] hours not stated: warning",
    ),
    pytest.param(
        "employee_card.statutory_body_member",
        make_facts("employee_card", {"statutory_body_member": True}),
        [E],
        id="[004] statutory body member doing the company's business",
    ),
    pytest.param(
        "employee_card.statutory_body_member",
        make_facts("employee_card", {"statutory_body_member": False}),
        [],
        id="[004] not a statutory body member",
    ),
    pytest.param(
        "employee_card.seasonal_permit",
        make_facts("employee_card", {"seasonal_permit_holder": True}),
        [E],
        id="[004] seasonal employment permit holder",
    ),
    pytest.param(
        "employee_card.seasonal_permit",
        make_facts("employee_card", {}),
        [],
        id="[004] no seasonal employment permit",
    ),
    # --- Blue Card [001] ---
    pytest.param(
        "blue_card.contract_length",
        make_facts("blue_card", {"contract_months": 5}),
        [E],
        id="[001] contract shorter than 6 months",
    ),
    pytest.param(
        "blue_card.contract_length",
        make_facts("blue_card", {"contract_months": 6}),
        [],
        id="[001] a 6-month contract is sufficient",
    ),
    pytest.param(
        "blue_card.contract_length",
        make_facts("blue_card", {}),
        [W],
        id="[001] contract length not stated: warning",
    ),
    pytest.param(
        "blue_card.max_validity",
        make_facts("blue_card", {"requested_validity_months": 37}),
        [E],
        id="[001] Blue Card asked for longer than 3 years",
    ),
    pytest.param(
        "blue_card.max_validity",
        make_facts("blue_card", {"requested_validity_months": 36}),
        [],
        id="[001] Blue Card asked for 3 years",
    ),
    pytest.param(
        "blue_card.max_validity",
        make_facts("ltr_extension", {"extends_blue_card": True, "requested_validity_months": 48}),
        [E],
        id="[001] Blue Card extension longer than 3 years",
    ),
    pytest.param(
        "blue_card.max_validity",
        make_facts("ltr_extension", {"requested_validity_months": 48}),
        [],
        id="[001] extension of another permit is not capped by the Blue Card rule",
    ),
    # --- Permanent residence [003][001][002][004] ---
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence", {"residence_periods": periods((LTR, "2021-01-01", "2027-12-31"))}
        ),
        [],
        id="[003] more than 5 years on long-term residence",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence", {"residence_periods": periods((LTR, "2022-01-01", "2027-12-31"))}
        ),
        [E],
        id="[003] 4 years on long-term residence",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence",
            {
                "residence_periods": periods(
                    ("study", "2016-09-01", "2021-08-31"), (LTR, "2021-09-01", "2027-12-31")
                )
            },
        ),
        [],
        id="[003] 5 years of study count 2.5, with 4.5 years of residence enough",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence",
            {
                "residence_periods": periods(
                    ("study", "2019-03-02", "2024-03-01"), (LTR, "2024-03-02", "2027-12-31")
                )
            },
        ),
        [E],
        id="[003] study time counts only half",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence",
            {
                "residence_periods": periods(
                    (LTR, "2019-01-01", "2022-12-31"),
                    ("short_term", "2023-01-01", "2023-03-31"),
                    (LTR, "2023-04-01", "2027-12-31"),
                )
            },
        ),
        [E, W],
        id="[003] short-term visa time does not count and breaks the continuity",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence",
            {"residence_periods": periods((LTR, "2015-01-01", "2025-12-31"))},
            abroad=True,
        ),
        [],
        id="[002] met the condition, files abroad within 6 months of the permit's end",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence",
            {"residence_periods": periods((LTR, "2015-01-01", "2025-12-31"))},
            abroad=True,
            on=date(2026, 7, 1),
        ),
        [E],
        id="[002] files abroad more than 6 months after the permit's end",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence",
            {"residence_periods": periods((LTR, "2019-01-01", "2025-11-30"))},
            abroad=True,
            on=date(2026, 6, 1),
        ),
        [],
        id="[002] 6 months from 30 Nov end Saturday 30 May, moved to Monday 1 June",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence",
            {"residence_periods": periods((LTR, "2019-01-01", "2025-11-30"))},
            abroad=True,
            on=date(2026, 6, 2),
        ),
        [E],
        id="[002] 6 months from 30 Nov: Tuesday 2 June is too late",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence",
            {
                "residence_periods": periods(
                    (LTR, "2010-01-01", "2015-12-31"), (LTR, "2023-01-01", "2027-12-31")
                )
            },
        ),
        [E, W],
        id="[003] five years that ended before a break do not count",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence",
            {
                "residence_periods": periods(
                    (LTR, "2010-01-01", "2015-12-31"), (LTR, "2023-01-01", "2025-12-31")
                )
            },
            abroad=True,
        ),
        [E, W, I],
        id="[002] at an embassy, five years that ended before a break do not count",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence",
            {
                "residence_periods": periods(
                    (LTR, "2010-01-01", "2012-12-31"), (LTR, "2016-01-01", "2025-12-31")
                )
            },
            abroad=True,
        ),
        [],
        id="[002] at an embassy, the stretch current when the permit ended counts",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence",
            {"residence_periods": periods((LTR, "2021-06-01", "2027-12-31"))},
            abroad=True,
        ),
        [E, I],
        id="[002] at an embassy with a valid permit, five years are needed by the filing",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence",
            {"residence_periods": periods((LTR, "2021-03-02", "2027-12-31"))},
            on=date(2026, 2, 28),
        ),
        [E],
        id="[003] five calendar years from 2 March 2021 are not complete on 28 February 2026",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence",
            {"residence_periods": periods((LTR, "2021-03-02", "2027-12-31"))},
            on=date(2026, 3, 1),
        ),
        [],
        id="[003] five calendar years from 2 March 2021 are complete on 1 March 2026",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence",
            {"residence_periods": periods((LTR, "2020-01-01", "2027-12-31"))},
            on=date(2024, 12, 30),
        ),
        [E],
        id="[003] five years holding two 29 Februaries are not complete a day early",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence",
            {"residence_periods": periods((LTR, "2020-01-01", "2027-12-31"))},
            on=date(2024, 12, 31),
        ),
        [],
        id="[003] five years holding two 29 Februaries are complete on 31 December 2024",
    ),
    pytest.param(
        "permanent.five_years",
        make_facts(
            "permanent_residence_waiver",
            {
                "ground": "humanitarian",
                "residence_periods": periods((LTR, "2025-01-01", "2027-12-31")),
            },
        ),
        [],
        id="[002][004] a waiver ground lifts the 5-year condition",
    ),
    pytest.param(
        "permanent.czech_a2",
        make_facts("permanent_residence", {"czech_a2": False}),
        [E],
        id="[003] no A2 Czech",
    ),
    pytest.param(
        "permanent.czech_a2",
        make_facts("permanent_residence", {"czech_a2": True}),
        [],
        id="[003] A2 Czech passed",
    ),
    pytest.param(
        "permanent.interim_visa",
        make_facts("permanent_residence", {"interim_visa": True}),
        [E],
        id="[001] staying only on an interim visa",
    ),
    pytest.param(
        "permanent.interim_visa",
        make_facts("permanent_residence", {"interim_visa": False}),
        [],
        id="[001] not on an interim visa",
    ),
    pytest.param(
        "permanent.interim_visa",
        make_facts("permanent_residence", {"interim_visa": True, "eu_family_member": True}),
        [],
        id="[001] interim visa, but an EU citizen's family member",
    ),
    pytest.param(
        "permanent.interim_visa",
        make_facts(
            "permanent_residence_waiver",
            {"interim_visa": True, "ground": "minor_child_of_permanent_resident"},
        ),
        [],
        id="[001] interim visa, but a child joining a permanent-resident parent",
    ),
    pytest.param(
        "permanent.interim_visa",
        make_facts("permanent_residence_waiver", {"interim_visa": True, "ground": "humanitarian"}),
        [E],
        id="[001] interim visa on the waiver type, humanitarian ground",
    ),
    pytest.param(
        "permanent.waiver_czech_a2",
        make_facts("permanent_residence_waiver", {"ground": "minor_child_of_permanent_resident"}),
        [I],
        id="[002] e) a child joining a permanent resident needs no A2 certificate",
    ),
    pytest.param(
        "permanent.waiver_czech_a2",
        make_facts("permanent_residence_waiver", {}),
        [],
        id="[002] no waiver ground chosen yet: the A2 certificate stays on the list",
    ),
    # --- Visas over 90 days [004][003] ---
    pytest.param(
        "visa.travel_health_insurance_after_grant",
        make_facts("long_term_visa", abroad=True),
        [I],
        id="[004][003] travel health insurance is brought once the visa is granted",
    ),
    pytest.param(
        "visa.travel_health_insurance_after_grant",
        make_facts("ltr_job_seeking"),
        [],
        id="[004] job seeking after study: health insurance with the application",
    ),
    # --- Family reunification [001][004] ---
    pytest.param(
        "family.who_may_apply",
        make_facts("ltr_family", {"relationship": "adult_dependent_child"}),
        [E],
        id="[001] an adult not provided for may no longer apply",
    ),
    pytest.param(
        "family.who_may_apply",
        make_facts("ltr_family", {"relationship": "asylum_child"}),
        [],
        id="[004] an asylum holder's dependent adult child may apply",
    ),
    pytest.param(
        "family.child_is_minor",
        make_facts("ltr_family", {"relationship": "spouse_minor_child"}),
        [E],
        id="[001] a spouse's child must be under 18",
    ),
    pytest.param(
        "family.child_is_minor",
        make_facts("ltr_family", {"relationship": "spouse_minor_child"}, born=date(2012, 1, 1)),
        [],
        id="[001] a spouse's child under 18",
    ),
    pytest.param(
        "family.asylum_holder_parent_deadline",
        make_facts(
            "ltr_family",
            {"relationship": "parent_of_adult_asylum_holder", "asylum_granted_on": "2025-11-30"},
            on=date(2026, 3, 3),
        ),
        [E],
        id="[001] parent of an adult asylum holder, later than 3 months",
    ),
    pytest.param(
        "family.asylum_holder_parent_deadline",
        make_facts(
            "ltr_family",
            {"relationship": "parent_of_adult_asylum_holder", "asylum_granted_on": "2025-11-30"},
            on=date(2026, 3, 2),
        ),
        [],
        id="[001] 3 months from 30 Nov end Saturday 28 Feb, moved to Monday 2 March",
    ),
    pytest.param(
        "family.asylum_holder_parent_deadline",
        make_facts(
            "ltr_family",
            {"relationship": "parent_of_adult_asylum_holder", "asylum_granted_on": "2025-12-15"},
        ),
        [],
        id="[001] parent of an adult asylum holder, within 3 months",
    ),
    pytest.param(
        "family.asylum_holder_parent_deadline",
        make_facts("ltr_family", {"relationship": "parent_of_adult_asylum_holder"}),
        [E],
        id="[001] parent of an adult asylum holder, date of asylum not stated",
    ),
    # --- Change of purpose [003] ---
    pytest.param(
        "purpose_change.business_after_five_years",
        make_facts(
            "purpose_change",
            {
                "current_purpose": "employment",
                "years_resident": "4.5",
                "new_purpose_business": True,
            },
        ),
        [E],
        id="[003] to business before 5 years",
    ),
    pytest.param(
        "purpose_change.business_after_five_years",
        make_facts(
            "purpose_change",
            {"current_purpose": "employment", "years_resident": "5", "new_purpose_business": True},
        ),
        [],
        id="[003] to business after 5 years",
    ),
    pytest.param(
        "purpose_change.business_after_five_years",
        make_facts(
            "purpose_change",
            {"current_purpose": "family", "years_resident": "1", "new_purpose_business": True},
        ),
        [],
        id="[003] to business from family reunification: no 5 years needed",
    ),
    pytest.param(
        "purpose_change.family_after_three_years_or_adult",
        make_facts(
            "purpose_change",
            {"current_purpose": "family", "years_resident": "2"},
            born=date(2010, 1, 1),
        ),
        [E],
        id="[003] family reunification: a 16-year-old after 2 years",
    ),
    pytest.param(
        "purpose_change.family_after_three_years_or_adult",
        make_facts(
            "purpose_change",
            {"current_purpose": "family", "years_resident": "3"},
            born=date(2010, 1, 1),
        ),
        [],
        id="[003] family reunification: after 3 years",
    ),
    pytest.param(
        "purpose_change.family_after_three_years_or_adult",
        make_facts("purpose_change", {"current_purpose": "family", "years_resident": "1"}),
        [],
        id="[003] family reunification: at 18 or older",
    ),
    pytest.param(
        "purpose_change.after_divorce",
        make_facts(
            "purpose_change",
            {
                "current_purpose": "family",
                "years_resident": "1.5",
                "divorced": True,
                "marriage_years": "6",
            },
        ),
        [E],
        id="[003] divorce: less than 2 years' residence",
    ),
    pytest.param(
        "purpose_change.after_divorce",
        make_facts(
            "purpose_change",
            {
                "current_purpose": "family",
                "years_resident": "4",
                "divorced": True,
                "marriage_years": "4",
            },
        ),
        [E],
        id="[003] divorce: marriage shorter than 5 years",
    ),
    pytest.param(
        "purpose_change.after_divorce",
        make_facts(
            "purpose_change",
            {
                "current_purpose": "family",
                "years_resident": "2",
                "divorced": True,
                "marriage_years": "5",
            },
        ),
        [],
        id="[003] divorce: 2 years' residence and a 5-year marriage",
    ),
    pytest.param(
        "purpose_change.after_divorce",
        make_facts(
            "purpose_change", {"current_purpose": "family", "years_resident": "2", "divorced": True}
        ),
        [E],
        id="[003] divorce: length of the marriage not stated",
    ),
    # --- Filed abroad [001] ---
    pytest.param(
        "abroad.two_years_residence",
        make_facts(
            "employee_card",
            {"files_in_state_of_residence": True, "years_legal_residence_abroad": "1.5"},
            abroad=True,
        ),
        [E],
        id="[001] filed in the state of residence after 1.5 years there",
    ),
    pytest.param(
        "abroad.two_years_residence",
        make_facts(
            "employee_card",
            {"files_in_state_of_residence": True, "years_legal_residence_abroad": "2"},
            abroad=True,
        ),
        [I],
        id="[001] filed in the state of residence after 2 years there",
    ),
    pytest.param(
        "abroad.two_years_residence",
        make_facts("employee_card", {"files_in_state_of_residence": True}, abroad=True),
        [E],
        id="[001] filed in the state of residence, years not stated",
    ),
    pytest.param(
        "abroad.two_years_residence",
        make_facts("employee_card", {"files_in_state_of_residence": False}, abroad=True),
        [],
        id="[001] filed abroad in the country of nationality",
    ),
    pytest.param(
        "abroad.two_years_residence",
        make_facts(
            "employee_card",
            {"files_in_state_of_residence": True, "years_legal_residence_abroad": "1"},
        ),
        [],
        id="[001] filed in the Czech Republic",
    ),
    # --- Minors [002][004] ---
    pytest.param(
        "minor.legal_representative",
        make_facts("card_replacement", born=date(2010, 1, 1)),
        [E],
        id="[002] a 16-year-old without a named legal representative",
    ),
    pytest.param(
        "minor.legal_representative",
        make_facts(
            "card_replacement", {"legal_representative": "Olena K., mother"}, born=date(2010, 1, 1)
        ),
        [],
        id="[002] a 16-year-old with a named legal representative",
    ),
    pytest.param(
        "minor.legal_representative",
        make_facts("card_replacement", born=date(2016, 1, 1)),
        [E],
        id="[002] a 10-year-old without a named legal representative",
    ),
    pytest.param(
        "minor.legal_representative",
        make_facts("card_replacement", born=date(2016, 1, 1), represented=True),
        [],
        id="[002] a child whose record a representing parent keeps",
    ),
    pytest.param(
        "minor.legal_representative",
        make_facts("card_replacement"),
        [],
        id="[002] an adult needs no representative",
    ),
    pytest.param(
        "minor.parental_consent",
        make_facts("card_replacement", born=date(2010, 1, 1)),
        [I],
        id="[004] a minor brings parental consent",
    ),
    pytest.param(
        "minor.parental_consent",
        make_facts("card_replacement"),
        [],
        id="[004] an adult brings no parental consent",
    ),
    # --- Completeness [002] ---
    pytest.param(
        "answers.complete",
        make_facts("ltr_family", {}),
        [E],
        id="[002] a required question unanswered",
    ),
    pytest.param(
        "answers.complete",
        make_facts("employee_card", {"vacancy_number": "12-34"}),
        [E],
        id="[002] an unreadable answer",
    ),
    pytest.param(
        "answers.complete",
        make_facts("ltr_family", {"relationship": "spouse"}),
        [],
        id="[002] every required question answered",
    ),
]


@pytest.mark.parametrize(("rule", "facts", "expected"), CASES)
def test_rule(rule, facts, expected):
    assert severities(rule, facts) == expected


def test_every_rule_has_a_case_that_triggers_it_and_one_that_does_not():
    from permits.rules import REGISTRY

    triggered: dict[str, set[bool]] = {}
    for case in CASES:
        rule, _facts, expected = case.values
        triggered.setdefault(rule, set()).add(bool(expected))
    tested_elsewhere = {
        # document waivers, fees and the versions are tested below and in test_rules_engine.py
        "employee_card.vacancy_number",
        "blue_card.eu_holder_criminal_record",
        "blue_card.eu_holder_qualification",
        "permanent.waiver_ground",
        "fee.card_replacement",
        "fee.card_data_change",
    }
    for code in set(REGISTRY.codes()) - tested_elsewhere:
        assert triggered.get(code) == {True, False}, code


# --- Findings that add or lift documents ------------------------------------------------------


def only(rule: str, facts: Facts) -> Finding:
    (finding,) = findings_of(rule, facts)
    return finding


def test_typed_vacancy_number_lifts_the_vacancy_document():
    """[001] It is not necessary to submit such a document, if the number is stated directly."""
    finding = only("employee_card.vacancy_number", make_facts("employee_card", EMPLOYEE_OK))
    assert finding.waives == {"vacancy_number"}
    assert finding.requires == frozenset()
    assert not finding.blocks_filing


@pytest.mark.parametrize(
    "answers",
    [{}, {"vacancy_number": "12-34"}],
    ids=["[001] not typed", "[001] typed in a wrong form"],
)
def test_without_a_valid_typed_number_the_vacancy_document_is_required(answers):
    finding = only("employee_card.vacancy_number", make_facts("employee_card", answers))
    assert finding.requires == {"vacancy_number"}
    assert finding.waives == frozenset()


def test_an_uploaded_vacancy_document_is_acknowledged():
    facts = make_facts("employee_card", uploaded=frozenset({"vacancy_number"}))
    finding = only("employee_card.vacancy_number", facts)
    assert finding.requires == {"vacancy_number"}
    with translation.override("en"):
        assert "attached document" in str(finding.message)


@pytest.mark.parametrize(
    ("answers", "waived"),
    [
        pytest.param({"eu_blue_card_holder": True}, set(), id="[001] EU holder"),
        pytest.param({"eu_blue_card_holder": False}, set(), id="[001] not an EU holder"),
        pytest.param(
            {"eu_blue_card_holder": True, "eu_blue_card_work_years": "2"},
            {"university_qualification"},
            id="[001] EU holder with 2 years' Blue Card work",
        ),
        pytest.param(
            {"eu_blue_card_holder": True, "eu_blue_card_work_years": "1.5"},
            set(),
            id="[001] EU holder with 1.5 years' Blue Card work",
        ),
        pytest.param(
            {"eu_blue_card_holder": False, "eu_blue_card_work_years": "3"},
            set(),
            id="[001] Blue Card work but not an EU holder",
        ),
    ],
)
def test_blue_card_holder_of_another_member_state_is_spared_documents(answers, waived):
    findings = evaluate(make_facts("blue_card", answers))
    assert {code for f in findings for code in f.waives} == waived


def test_blue_card_holder_is_spared_only_the_extract_of_the_state_that_issued_the_card():
    """[001] "does not need to submit a document equivalent to an Extract from the Criminal
    Record ... issued by a country where s/he has been living during the previous 3 years ...
    (i.e. from the country that issued the Blue Card)": the other states' extracts stay."""
    holder = only(
        "blue_card.eu_holder_criminal_record",
        make_facts("blue_card", {"eu_blue_card_holder": True}),
    )
    assert holder.requires == {"criminal_record"}
    assert holder.waives == frozenset()
    assert not holder.blocks_filing
    assert "(i.e. from the country that issued the Blue Card)" in holder.citation
    with translation.override("en"):
        message = str(holder.message)
    assert "the EU state that issued your Blue Card" in message
    assert "other states" in message
    assert not findings_of(
        "blue_card.eu_holder_criminal_record",
        make_facts("blue_card", {"eu_blue_card_holder": False}),
    )


@pytest.mark.parametrize(
    ("answers", "waived"),
    [
        pytest.param(
            {"ground": "state_interest"},
            {"continuous_residence", "family_relationship"},
            id="[002] d) interest of the state: no family proof",
        ),
        pytest.param(
            {"ground": "humanitarian", "family_based": True},
            {"continuous_residence"},
            id="[004] humanitarian, as an asylum holder's spouse: family proof",
        ),
        pytest.param(
            {"ground": "minor_child_of_permanent_resident"},
            {"continuous_residence"},
            id="[002] e) child of a permanent resident: family proof",
        ),
        pytest.param({}, set(), id="[002] no ground chosen yet"),
    ],
)
def test_waiver_ground_lifts_the_five_year_condition_and_the_proofs_it_makes_moot(answers, waived):
    findings = findings_of(
        "permanent.waiver_ground", make_facts("permanent_residence_waiver", answers)
    )
    assert {code for f in findings for code in f.waives} == waived
    assert not any(f.blocks_filing for f in findings)


@pytest.mark.parametrize(
    "ground",
    [
        "minor_child_of_permanent_resident",
        "humanitarian",
        "special_consideration",
        "state_interest",
    ],
)
def test_no_waiver_ground_demands_the_a2_certificate(ground):
    """[002] e) and every other ground of the type without the 5-year condition: the A2
    certificate goes with the 5-year application only (Act No. 326/1999 Coll., § 70, outside
    the seeds); the office decides whether it asks about Czech."""
    finding = only(
        "permanent.waiver_czech_a2", make_facts("permanent_residence_waiver", {"ground": ground})
    )
    assert finding.waives == {"czech_a2"}
    assert not finding.blocks_filing
    with translation.override("en"):
        assert "the office decides" in str(finding.message)


def test_the_five_year_type_still_demands_a2_czech():
    facts = make_facts("permanent_residence", {"czech_a2": False})
    assert severities("permanent.czech_a2", facts) == [E]
    assert not findings_of("permanent.waiver_czech_a2", facts)


def test_waiver_ground_is_named_in_the_finding():
    finding = only(
        "permanent.waiver_ground",
        make_facts("permanent_residence_waiver", {"ground": "humanitarian"}),
    )
    with translation.override("en"):
        assert str(finding.message).endswith("Humanitarian reasons.")


VISAS = ["long_term_visa", "extraordinary_work_visa", "seasonal_work_visa", "tolerated_stay_visa"]


@pytest.mark.parametrize("code", VISAS)
def test_travel_health_insurance_is_not_demanded_before_the_visa_is_granted(code):
    """[004] "prior to the issuance of the visa, proof of travel health insurance"; [003] "If
    your visa is granted ... You must then provide proof of travel health insurance." """
    finding = only("visa.travel_health_insurance_after_grant", make_facts(code, abroad=True))
    assert finding.waives == {"travel_health_insurance"}
    assert finding.severity == I
    assert finding.citation.startswith("[004]")
    with translation.override("en"):
        assert "once the visa is granted" in str(finding.message)


@pytest.mark.parametrize("code", ["ltr_job_seeking", "ltr_study", "employee_card"])
def test_travel_health_insurance_waiver_concerns_only_visas(code):
    findings = evaluate(make_facts(code))
    assert "travel_health_insurance" not in {kind for f in findings for kind in f.waives}


def test_the_insurance_rule_covers_every_type_whose_catalogue_leaves_it_to_a_rule():
    from permits.catalogue import PERMIT_TYPES

    left_to_a_rule = {
        entry["code"]
        for entry in PERMIT_TYPES
        if ("travel_health_insurance", "rule") in entry.get("requirements", [])
    }
    assert left_to_a_rule == set(VISAS)


def test_abroad_filing_asks_for_proof_of_the_two_years():
    facts = make_facts(
        "blue_card",
        {"files_in_state_of_residence": True, "years_legal_residence_abroad": "3"},
        abroad=True,
    )
    assert only("abroad.two_years_residence", facts).requires == {"continuous_residence"}


def test_a_minor_is_asked_for_parental_consent_even_where_the_type_lacks_it():
    """[004] Parental consent in the case of minor applicants; card replacement lacks it."""
    facts = make_facts("card_replacement", born=date(2010, 1, 1))
    assert only("minor.parental_consent", facts).requires == {"parental_consent"}


def test_a_child_under_15_is_told_the_representative_files():
    finding = only(
        "minor.legal_representative", make_facts("card_replacement", born=date(2016, 1, 1))
    )
    with translation.override("en"):
        assert "under 15 is represented" in str(finding.message)


# --- Fees [001] ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "answers", "born", "fee"),
    [
        pytest.param("card_replacement", {}, ADULT, "CZK 2,500", id="[001] card replacement"),
        pytest.param(
            "card_replacement",
            {"protection_status": "asylum"},
            ADULT,
            "CZK 2,000",
            id="[001] card replacement, asylum",
        ),
        pytest.param(
            "card_replacement",
            {"protection_status": "subsidiary"},
            ADULT,
            "CZK 2,000",
            id="[001] card replacement, subsidiary protection",
        ),
        pytest.param(
            "card_replacement",
            {},
            date(2010, 1, 1),
            "CZK 1,000",
            id="[001] card replacement, minor",
        ),
        pytest.param(
            "card_replacement",
            {"protection_status": "asylum"},
            date(2010, 1, 1),
            "CZK 1,000",
            id="[001] card replacement, minor with asylum: the lower fee",
        ),
        pytest.param(
            "card_data_change",
            {"protection_status": "subsidiary"},
            ADULT,
            "CZK 500",
            id="[001] card data change, subsidiary protection",
        ),
        pytest.param(
            "card_data_change",
            {},
            date(2012, 1, 1),
            "CZK 500",
            id="[001] card data change, under 15",
        ),
        pytest.param(
            "card_data_change",
            {},
            date(2010, 1, 1),
            "standard",
            id="[001] card data change, 16-year-old",
        ),
    ],
)
def test_fee_statement(code, answers, born, fee):
    (finding,) = [
        f for f in evaluate(make_facts(code, answers, born=born)) if f.rule.startswith("fee.")
    ]
    assert finding.severity == Severity.INFO
    with translation.override("en"):
        assert fee in str(finding.message)


def test_fees_concern_only_the_card_types():
    findings = evaluate(make_facts("employee_card", EMPLOYEE_OK))
    assert not [f for f in findings if f.rule.startswith("fee.")]


# --- Messages -----------------------------------------------------------------------------------


def test_minimum_wage_error_states_the_figures_and_cites_the_regulation():
    finding = only(
        "employee_card.minimum_wage", make_facts("employee_card", {"monthly_salary_czk": "20000"})
    )
    with translation.override("en"):
        message = str(finding.message)
    assert "CZK 22,400" in message
    assert "CZK 20,000" in message
    assert finding.citation.startswith("[004]")
    assert "285/2024" in finding.citation


def test_minimum_wage_table_is_ordered_and_dated():
    starts = [wage.valid_from for wage in MINIMUM_WAGES]
    assert starts == sorted(starts)
    assert minimum_wage_on(date(2025, 1, 1)).monthly_czk == 20_800
    assert minimum_wage_on(date(2024, 12, 31)).monthly_czk == 18_900
    assert minimum_wage_on(date(2023, 1, 1)).monthly_czk == 17_300
    assert minimum_wage_on(date(2021, 12, 31)) is None


def test_five_year_error_states_the_counted_days():
    facts = make_facts(
        "permanent_residence", {"residence_periods": periods((LTR, "2022-01-01", "2027-12-31"))}
    )
    (error,) = [f for f in findings_of("permanent.five_years", facts) if f.blocks_filing]
    with translation.override("en"):
        message = str(error.message)
    # 1 January 2022 to 2 March 2026, both days counting; five calendar years from 1 January
    # 2022 are 1826 days (29 February 2024).
    assert "1,522 days" in message
    assert "1,826" in message


def test_five_year_error_counts_the_calendar_days_of_the_current_stretch():
    facts = make_facts(
        "permanent_residence",
        {
            "residence_periods": periods(
                (LTR, "2010-01-01", "2015-12-31"), (LTR, "2024-01-01", "2027-12-31")
            )
        },
    )
    (error,) = [f for f in findings_of("permanent.five_years", facts) if f.blocks_filing]
    with translation.override("en"):
        message = str(error.message)
    # Only the stretch since 1 January 2024 counts: 366 + 365 + 61 days to 2 March 2026. Its five
    # calendar years hold two 29 Februaries (2024 and 2028): 1827 days.
    assert "792 days" in message
    assert "1,827" in message


def test_abroad_filing_too_late_names_the_last_day():
    facts = make_facts(
        "permanent_residence",
        {"residence_periods": periods((LTR, "2019-01-01", "2025-11-30"))},
        abroad=True,
        on=date(2026, 6, 2),
    )
    (error,) = findings_of("permanent.five_years", facts)
    with translation.override("en"):
        assert "that is by 1\u00a0June\u00a02026" in str(error.message)
    assert error.citation.startswith("[002]")


def test_interruption_warning_names_the_gap():
    facts = make_facts(
        "permanent_residence",
        {
            "residence_periods": periods(
                (LTR, "2019-01-01", "2022-12-31"),
                ("short_term", "2023-01-01", "2023-03-31"),
                (LTR, "2023-04-01", "2027-12-31"),
            )
        },
    )
    (gap,) = [f for f in findings_of("permanent.five_years", facts) if f.severity == W]
    with translation.override("en"):
        assert "1\u00a0January\u00a02023" in str(gap.message)
        assert "31\u00a0March\u00a02023" in str(gap.message)


def test_a_well_answered_employee_card_has_no_error_or_warning():
    findings = evaluate(make_facts("employee_card", EMPLOYEE_OK))
    assert {f.severity for f in findings} == {Severity.INFO}
