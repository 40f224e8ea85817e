"""Permanent residence: five years' continuous residence, A2 Czech, the interim visa, waivers.

The residence count is ``permits.calculators`` (long-term visa and residence in full, study half,
short-term visas not at all [003]); this module only decides what the count means for a case.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from math import floor

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

from permits.calculators import (
    FIVE_YEARS_IN_DAYS,
    ResidencePeriod,
    continuity_breaks,
    counted_days,
    five_year_condition_met_on,
)
from permits.questions import PERMANENT_RESIDENCE_TYPES, question_for
from permits.rules import citations
from permits.rules.engine import (
    AMENDMENT_2023,
    Facts,
    Finding,
    error,
    info,
    new_in_amendment_2023,
    rule,
    warning,
)

# "this application must be filed within 6 months of this permit becoming invalid" [002]
_MONTHS_TO_FILE_FROM_ABROAD = 6


def _last_break_before(periods: list[ResidencePeriod], day: date) -> tuple[date, date] | None:
    breaks = [gap for gap in continuity_breaks(periods) if gap[0] <= day]
    return breaks[-1] if breaks else None


def _met_from_abroad(periods: list[ResidencePeriod], day: date) -> bool:
    """Met the five years at some time, and files within 6 months of the last permit's end."""
    met_on = five_year_condition_met_on(periods)
    if met_on is None or met_on > day:
        return False
    last_end = max(p.end for p in periods)
    return day <= last_end + relativedelta(months=_MONTHS_TO_FILE_FROM_ABROAD)


@rule("permanent.five_years", citation=citations.FIVE_YEARS, types={"permanent_residence"})
def five_years(facts: Facts) -> Iterator[Finding]:
    """Five years' continuous residence on the day the proceedings begin [003].

    At an embassy, having met the condition earlier is enough if the application comes within
    6 months of the last permit's end [002]. The waiver type has no such rule: its grounds lift
    the condition [002][004].
    """
    periods: list[ResidencePeriod] | None = facts.answer("residence_periods")
    if not periods:
        return  # the answers.complete rule reports the missing answer
    day = facts.proceedings_began_on
    if facts.filed_abroad and _met_from_abroad(periods, day):
        return
    counted = counted_days(periods, day, max_gap_days=0)
    if counted >= FIVE_YEARS_IN_DAYS:
        return
    yield error(
        _(
            "Permanent residence needs 5 years' continuous residence (%(needed)s counted days); "
            "on %(day)s your continuous residence counts %(days)s days. Long-term visa and "
            "long-term residence count in full, study half, short-term visas not at all. If a "
            "ground for waiving the condition applies to you, apply for permanent residence "
            "without the 5-year condition."
        ),
        needed=FIVE_YEARS_IN_DAYS,
        day=day,
        days=floor(counted),
    )
    gap = _last_break_before(periods, day)
    if gap is not None:
        yield warning(
            _(
                "Your residence was interrupted from %(start)s to %(end)s; the count starts "
                "again after that."
            ),
            start=gap[0],
            end=gap[1],
        )
    if facts.filed_abroad:
        yield info(
            _(
                "From abroad you may apply if you met the condition while living here and "
                "apply within 6 months of the end of your last permit."
            ),
            citation=citations.FIVE_YEARS_FROM_ABROAD,
        )


@rule("permanent.czech_a2", citation=citations.CZECH_A2, types={"permanent_residence"})
def czech_a2(facts: Facts) -> Iterator[Finding]:
    if not facts.answer("czech_a2"):
        yield error(
            _(
                "Permanent residence needs Czech at level A2: confirm that you have passed the "
                "A2 test and attach the certificate."
            )
        )


def _interim_visa_exempt(facts: Facts) -> bool:
    # "EU citizens and their family members" and children joining a parent with permanent
    # residence, which on the waiver type is the ground "minor child of a permanent resident".
    return bool(facts.answer("eu_family_member")) or (
        facts.answer("ground") == "minor_child_of_permanent_resident"
    )


@rule(
    "permanent.interim_visa",
    citation=citations.INTERIM_VISA,
    types=PERMANENT_RESIDENCE_TYPES,
    valid_from=AMENDMENT_2023,
)
def interim_visa(facts: Facts) -> Iterator[Finding]:
    if facts.answer("interim_visa") and not _interim_visa_exempt(facts):
        yield error(
            _(
                "You cannot apply for permanent residence while you stay only on an interim "
                "visa (a residence permit that has expired and is deemed valid until a final "
                "decision). Family members of EU citizens and children joining a parent with "
                "permanent residence are exempt."
            )
        )


# The previous wording did not bar applicants on an interim visa: the bar is one of the
# amendment's changes [001], so proceedings begun by 30 June 2023 are not affected.
new_in_amendment_2023("permanent.interim_visa", types=PERMANENT_RESIDENCE_TYPES)


@rule("permanent.waiver_ground", citation=citations.WAIVERS, types={"permanent_residence_waiver"})
def waiver_ground(facts: Facts) -> Iterator[Finding]:
    """A waiver ground lifts the 5-year condition [002][004].

    The proof of family relationship stays required only where the ground rests on a family
    tie: ground e) (child of a permanent resident) or an applicant who says they apply as
    someone's spouse or child (e.g. of an asylum holder or of a Czech compatriot [003][004]).
    """
    ground = facts.answer("ground")
    if ground is None:
        return  # the answers.complete rule reports the missing answer
    waives = {"continuous_residence"}
    if ground != "minor_child_of_permanent_resident" and not facts.answer("family_based"):
        waives.add("family_relationship")
    question = question_for(facts.permit_type_code, "ground")
    label = question.choice_label(ground) if question else ground
    yield info(
        _("The 5-year residence condition does not apply on the ground: %(ground)s."),
        ground=label,
        waives=waives,
    )
