"""Employee Card [004][001] and EU Blue Card [001].

The salary, the hours and the contract length are also in the employment contract the
caseworker verifies before granting, so an unanswered question gives a warning, not a block;
an answer that shows the condition is not met blocks filing.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from permits.questions import Text
from permits.rules import citations
from permits.rules.engine import (
    AMENDMENT_2023,
    LAST_DAY_BEFORE_AMENDMENT_2023,
    Facts,
    Finding,
    error,
    info,
    new_in_amendment_2023,
    rule,
    stated,
    warning,
)
from permits.rules.wages import minimum_wage_on

# "the working time is at least 15 hours per week" [004]
MINIMUM_WEEKLY_HOURS = 15
# "an entry into a 6-months period of employment will be sufficient" [001]
BLUE_CARD_MINIMUM_CONTRACT_MONTHS = 6
# Before the amendment: one year (Directive 2009/50/EC, Article 5(1)(a)); see citations.
BLUE_CARD_MINIMUM_CONTRACT_MONTHS_BEFORE_2023 = 12
# "Blue card may be newly issued for a maximum period of 3 years" [001]
BLUE_CARD_MAXIMUM_VALIDITY_MONTHS = 36
# "s/he had been working on the basis of a Blue Card in the previous 2 years" [001]
BLUE_CARD_YEARS_INSTEAD_OF_QUALIFICATION = 2


def _contract_minimum(
    facts: Facts,
    key: str,
    minimum: Decimal | int | None,
    *,
    not_stated: Text,
    too_low: Text,
    stated_as: str,
    **extra: object,
) -> Iterator[Finding]:
    """A figure of the work contract (the answer to ``key``) against its ``minimum``.

    The caseworker verifies the figure in the contract, so an unanswered question gives the
    warning ``not_stated``; a figure below the minimum blocks filing with ``too_low``, filled
    with ``minimum``, the figure (as ``stated_as``) and ``extra``. No minimum (None), no error.
    """
    value = yield from stated(facts, key, if_unanswered=warning(not_stated))
    if value is not None and minimum is not None and value < minimum:
        yield error(too_low, minimum=minimum, **{stated_as: value}, **extra)


# --- Employee Card --------------------------------------------------------------------------------


@rule(
    "employee_card.minimum_wage",
    citation=citations.EMPLOYEE_CARD_CONTRACT,
    types={"employee_card"},
)
def employee_card_minimum_wage(facts: Facts) -> Iterator[Finding]:
    day = facts.proceedings_began_on
    wage = minimum_wage_on(day)
    return _contract_minimum(
        facts,
        "monthly_salary_czk",
        wage.monthly_czk if wage is not None else None,
        not_stated=_(
            "You have not stated the monthly salary; the office will check in the "
            "employment contract that it is at least the minimum wage."
        ),
        too_low=_(
            "An Employee Card needs a salary of at least the minimum wage, CZK %(minimum)s "
            "a month on %(day)s; you state CZK %(salary)s."
        ),
        stated_as="salary",
        day=day,
        citation=(
            f"{citations.EMPLOYEE_CARD_CONTRACT}; minimum wage: {wage.source}" if wage else ""
        ),
    )


@rule(
    "employee_card.weekly_hours",
    citation=citations.EMPLOYEE_CARD_CONTRACT,
    types={"employee_card"},
)
def employee_card_weekly_hours(facts: Facts) -> Iterator[Finding]:
    return _contract_minimum(
        facts,
        "weekly_hours",
        MINIMUM_WEEKLY_HOURS,
        not_stated=_(
            "You have not stated the weekly working hours; the office will check in "
            "the employment contract that they are at least 15."
        ),
        too_low=_(
            "An Employee Card needs at least %(minimum)s working hours a week; you state %(hours)s."
        ),
        stated_as="hours",
    )


@rule(
    "employee_card.statutory_body_member",
    citation=citations.EMPLOYEE_CARD_EXCLUSIONS,
    types={"employee_card"},
)
def employee_card_statutory_body_member(facts: Facts) -> Iterator[Finding]:
    if facts.answer("statutory_body_member"):
        yield error(
            _(
                "An Employee Card cannot be issued to a partner or a member of a company's "
                "statutory body who does the company's business."
            )
        )


@rule(
    "employee_card.seasonal_permit",
    citation=citations.EMPLOYEE_CARD_EXCLUSIONS,
    types={"employee_card"},
)
def employee_card_seasonal_permit(facts: Facts) -> Iterator[Finding]:
    if facts.answer("seasonal_permit_holder"):
        yield error(
            _("An Employee Card cannot be issued to a holder of a seasonal employment permit.")
        )


@rule(
    "employee_card.vacancy_number",
    citation=citations.VACANCY_NUMBER,
    types={"employee_card"},
    valid_from=AMENDMENT_2023,
)
def employee_card_vacancy_number(facts: Facts) -> Iterator[Finding]:
    """The vacancy number: typed in the application, or a printout from the register [001]."""
    if facts.answer("vacancy_number"):
        yield info(
            _(
                "You typed the vacancy number in the application, so no printout from the "
                "Central Register of Available Vacancies is needed."
            ),
            waives={"vacancy_number"},
        )
        return
    if "vacancy_number" in facts.uploaded_kinds:
        yield info(
            _("The vacancy number is proven by the attached document."),
            requires={"vacancy_number"},
        )
        return
    yield info(
        _(
            "Type the vacancy number from the Central Register of Available Vacancies in the "
            "application, or attach a printout from the register."
        ),
        requires={"vacancy_number"},
    )


@rule(
    "employee_card.vacancy_number",
    citation=citations.TRANSITION_2023,
    types={"employee_card"},
    valid_until=LAST_DAY_BEFORE_AMENDMENT_2023,
)
def employee_card_vacancy_number_before_amendment(facts: Facts) -> Iterator[Finding]:
    """The vacancy-number document is "the new requirement" of the amendment [001]: under the
    previous wording it is not asked for."""
    yield info(
        _("Proceedings begun before 1 July 2023 need no vacancy number."),
        waives={"vacancy_number"},
    )


# --- EU Blue Card ---------------------------------------------------------------------------------


def _contract_findings(facts: Facts, minimum_months: int) -> Iterator[Finding]:
    return _contract_minimum(
        facts,
        "contract_months",
        minimum_months,
        not_stated=_(
            "You have not stated the length of the work contract; the office will "
            "check it in the contract."
        ),
        too_low=_(
            "A Blue Card needs a work contract or pre-employment contract for at least "
            "%(minimum)s months; you state %(months)s."
        ),
        stated_as="months",
    )


@rule(
    "blue_card.contract_length",
    citation=citations.BLUE_CARD_CONTRACT,
    types={"blue_card"},
    valid_from=AMENDMENT_2023,
)
def blue_card_contract_length(facts: Facts) -> Iterator[Finding]:
    return _contract_findings(facts, BLUE_CARD_MINIMUM_CONTRACT_MONTHS)


@rule(
    "blue_card.contract_length",
    citation=citations.BLUE_CARD_CONTRACT_BEFORE_2023,
    types={"blue_card"},
    valid_until=LAST_DAY_BEFORE_AMENDMENT_2023,
)
def blue_card_contract_length_before_amendment(facts: Facts) -> Iterator[Finding]:
    return _contract_findings(facts, BLUE_CARD_MINIMUM_CONTRACT_MONTHS_BEFORE_2023)


def _extends_blue_card(facts: Facts) -> bool:
    return facts.permit_type_code == "blue_card" or bool(facts.answer("extends_blue_card"))


@rule(
    "blue_card.max_validity",
    citation=citations.BLUE_CARD_MAX_VALIDITY,
    types={"blue_card", "ltr_extension"},
    valid_from=AMENDMENT_2023,
)
def blue_card_max_validity(facts: Facts) -> Iterator[Finding]:
    """At most 3 years, extensions too [001]; the decision guard caps a grant the same way."""
    months = facts.answer("requested_validity_months")
    if (
        _extends_blue_card(facts)
        and months is not None
        and months > BLUE_CARD_MAXIMUM_VALIDITY_MONTHS
    ):
        yield error(
            _(
                "A Blue Card is issued and extended for at most 3 years (%(maximum)s months); "
                "you ask for %(months)s."
            ),
            maximum=BLUE_CARD_MAXIMUM_VALIDITY_MONTHS,
            months=months,
        )


# The 3-year maximum is "newly" set by the amendment [001]; the previous wording's limit is not in
# the sources, so the engine sets none and the caseworker applies the old Act.
new_in_amendment_2023("blue_card.max_validity", types={"blue_card", "ltr_extension"})


@rule(
    "blue_card.eu_holder_criminal_record",
    citation=citations.BLUE_CARD_CRIMINAL_RECORD,
    types={"blue_card"},
    valid_from=AMENDMENT_2023,
)
def blue_card_eu_holder_criminal_record(facts: Facts) -> Iterator[Finding]:
    """[001] spares the holder one extract only, "(i.e. from the country that issued the Blue
    Card)": the criminal-record document stays required for the other states where the
    applicant lived for at least 6 months in the previous 3 years."""
    if facts.answer("eu_blue_card_holder"):
        yield info(
            _(
                "As the holder of another EU Member State's Blue Card you need not attach the "
                "extract from the criminal record of the EU state that issued your Blue Card. "
                "Attach the extracts from the other states where you lived for at least 6 months "
                "in the previous 3 years."
            ),
            requires={"criminal_record"},
        )


@rule(
    "blue_card.eu_holder_qualification",
    citation=citations.BLUE_CARD_QUALIFICATION,
    types={"blue_card"},
    valid_from=AMENDMENT_2023,
)
def blue_card_eu_holder_qualification(facts: Facts) -> Iterator[Finding]:
    years = facts.answer("eu_blue_card_work_years")
    if (
        facts.answer("eu_blue_card_holder")
        and years is not None
        and years >= BLUE_CARD_YEARS_INSTEAD_OF_QUALIFICATION
    ):
        yield info(
            _(
                "After 2 years' work on a Blue Card you need not prove a university "
                "qualification; attach proof of that work instead."
            ),
            waives={"university_qualification"},
        )
