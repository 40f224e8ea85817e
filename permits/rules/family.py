"""Family reunification [001][004] and the change of purpose of stay [003]."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from permits.deadlines import period_end_months
from permits.rules import citations
from permits.rules.engine import (
    AMENDMENT_2023,
    Facts,
    Finding,
    error,
    new_in_amendment_2023,
    rule,
    stated,
)

# The relationships [001] and [004] define by the child's minority.
_MINOR_RELATIONSHIPS = frozenset(
    {"minor_child", "spouse_minor_child", "minor_in_care", "asylum_minor_in_care"}
)
# "within 3 months of the day he or she was granted asylum" [001]
_ASYLUM_PARENT_MONTHS = 3

# Change of purpose [003]
_YEARS_BEFORE_BUSINESS = 5
_FAMILY_YEARS_BEFORE_CHANGE = 3
_ADULT_AGE = 18
_DIVORCE_MINIMUM_RESIDENCE_YEARS = 2
_DIVORCE_MINIMUM_MARRIAGE_YEARS = 5

# --- Family reunification -------------------------------------------------------------------------


@rule(
    "family.who_may_apply",
    citation=citations.FAMILY_WHO_MAY_APPLY,
    types={"ltr_family"},
    valid_from=AMENDMENT_2023,
)
def family_who_may_apply(facts: Facts) -> Iterator[Finding]:
    """An adult "not provided for" (a dependent adult child of a foreign national with
    a residence permit) may no longer apply [001]; an asylum holder's dependent adult child
    still may [004], and has a choice of its own."""
    if facts.answer("relationship") == "adult_dependent_child":
        yield error(
            _(
                "Since 1 July 2023 an adult child who is not provided for cannot apply for "
                "family reunification with a foreign national who holds a residence permit."
            )
        )


# Under the previous wording an adult not provided for could apply [001].
new_in_amendment_2023("family.who_may_apply", types={"ltr_family"})


@rule("family.child_is_minor", citation=citations.FAMILY_CHILD_UNDER_18, types={"ltr_family"})
def family_child_is_minor(facts: Facts) -> Iterator[Finding]:
    if facts.answer("relationship") in _MINOR_RELATIONSHIPS and not facts.is_minor:
        yield error(
            _(
                "You applied as a minor child, but you are %(age)s on the day the proceedings "
                "begin; a child joins as a minor only while under 18."
            ),
            age=facts.age,
        )


@rule(
    "family.asylum_holder_parent_deadline",
    citation=citations.FAMILY_ASYLUM_PARENT,
    types={"ltr_family"},
    valid_from=AMENDMENT_2023,
)
def family_asylum_holder_parent_deadline(facts: Facts) -> Iterator[Finding]:
    if facts.answer("relationship") != "parent_of_adult_asylum_holder":
        return
    granted_on = yield from stated(
        facts,
        "asylum_granted_on",
        if_unanswered=error(_("State the date on which asylum was granted.")),
    )
    if granted_on is None:
        return
    # A period in months: the same-numbered day (or the month's last day), moved off a weekend or
    # holiday (Administrative Procedure Code § 40(1)(c)-(d), outside the seeds).
    last_day = period_end_months(granted_on, _ASYLUM_PARENT_MONTHS)
    if facts.proceedings_began_on > last_day:
        yield error(
            _(
                "A parent or relative of an adult asylum holder applies within 3 months of the "
                "day asylum was granted, that is by %(last_day)s."
            ),
            last_day=last_day,
        )


# --- Change of purpose of stay [003] --------------------------------------------------------------


def _resident_fewer_years_than(facts: Facts, years: int) -> Decimal | None:
    """The years of residence the applicant states, when fewer than ``years``; else None."""
    stated_years: Decimal | None = facts.answer("years_resident")
    return stated_years if stated_years is not None and stated_years < years else None


@rule(
    "purpose_change.business_after_five_years",
    citation=citations.PURPOSE_CHANGE_BUSINESS,
    types={"purpose_change"},
)
def purpose_change_business(facts: Facts) -> Iterator[Finding]:
    years = _resident_fewer_years_than(facts, _YEARS_BEFORE_BUSINESS)
    if (
        years is not None
        and facts.answer("new_purpose_business")
        and facts.answer("current_purpose") != "family"
    ):
        yield error(
            _(
                "You may change the purpose of your stay to business only after 5 years of "
                "residence (you state %(years)s), unless you stay for family reunification."
            ),
            years=years,
        )


@rule(
    "purpose_change.family_after_three_years_or_adult",
    citation=citations.PURPOSE_CHANGE_FAMILY,
    types={"purpose_change"},
)
def purpose_change_family(facts: Facts) -> Iterator[Finding]:
    """After a divorce the stricter divorce rule applies instead."""
    years = _resident_fewer_years_than(facts, _FAMILY_YEARS_BEFORE_CHANGE)
    if (
        years is not None
        and facts.answer("current_purpose") == "family"
        and not facts.answer("divorced")
        and facts.age < _ADULT_AGE
    ):
        yield error(
            _(
                "A holder of a permit for family reunification may change its purpose after 3 "
                "years of residence or on reaching 18; you state %(years)s years."
            ),
            years=years,
        )


@rule(
    "purpose_change.after_divorce",
    citation=citations.PURPOSE_CHANGE_DIVORCE,
    types={"purpose_change"},
)
def purpose_change_after_divorce(facts: Facts) -> Iterator[Finding]:
    if facts.answer("current_purpose") != "family" or not facts.answer("divorced"):
        return
    marriage_years = yield from stated(
        facts,
        "marriage_years",
        if_unanswered=error(_("State how many years the marriage lasted.")),
    )
    if marriage_years is None:
        return
    if (
        _resident_fewer_years_than(facts, _DIVORCE_MINIMUM_RESIDENCE_YEARS) is not None
        or marriage_years < _DIVORCE_MINIMUM_MARRIAGE_YEARS
    ):
        yield error(
            _(
                "After a divorce the purpose of a stay for family reunification may change only "
                "after at least 2 years' continuous residence and a marriage that lasted at "
                "least 5 years."
            )
        )
