"""Permanent residence: five years' continuous residence, A2 Czech, the interim visa, waivers.

The residence count is ``permits.calculators`` (long-term visa and residence in full, study half,
short-term visas not at all [003]); this module only decides what the count means for a case.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from math import floor

from django.utils.translation import gettext_lazy as _

from permits.calculators import (
    ResidenceKind,
    ResidencePeriod,
    continuity_breaks,
    counted_days,
    current_run_start,
    five_year_condition_met_on,
    five_years_in_days,
)
from permits.deadlines import period_end_months
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


def _judged_on(facts: Facts, periods: list[ResidencePeriod]) -> date:
    """The day the continuous residence must reach: the filing day, or, for an application filed
    at an embassy after the last permit ran out, that permit's last day.

    "An application for permanent residence can also be filed by a foreign national that met the
    conditions at the time but now resides outside of the Czech Republic. If the foreign
    national's long-term residency permit becomes invalid whilst he/she is not present in the
    Czech Republic, this application must be filed within 6 months of this permit becoming
    invalid" [002]: "at the time" is the day the permit became invalid, so the stretch current
    then is the one that counts, not one that ended before an earlier break.
    """
    day = facts.proceedings_began_on
    permits_end = [p.end for p in periods if p.kind != ResidenceKind.SHORT_TERM]
    if not facts.filed_abroad or not permits_end:
        return day
    return min(day, max(permits_end))


@rule("permanent.five_years", citation=citations.FIVE_YEARS, types={"permanent_residence"})
def five_years(facts: Facts) -> Iterator[Finding]:
    """Five years' continuous residence, current on the day the proceedings begin [003].

    Only the stretch still unbroken on that day counts; one that ended before a break does not,
    however long it was. At an embassy, after the last permit ran out, the stretch current on its
    last day counts, and the application comes within 6 months of it [002]. The waiver type has
    no such rule: its grounds lift the condition [002][004].
    """
    periods: list[ResidencePeriod] | None = facts.answer("residence_periods")
    if not periods:
        return  # the answers.complete rule reports the missing answer
    day = _judged_on(facts, periods)
    if five_year_condition_met_on(periods, on=day) is not None:
        yield from _filed_in_time_from_abroad(facts, day)
        return
    start = current_run_start(periods, on=day)
    yield error(
        _(
            "Permanent residence needs 5 years' continuous residence (%(needed)s counted days); "
            "on %(day)s your continuous residence counts %(days)s days. Long-term visa and "
            "long-term residence count in full, study half, short-term visas not at all. If a "
            "ground for waiving the condition applies to you, apply for permanent residence "
            "without the 5-year condition."
        ),
        needed=five_years_in_days(start or day),
        day=day,
        days=floor(counted_days(periods, day, max_gap_days=0)),
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


def _filed_in_time_from_abroad(facts: Facts, judged_on: date) -> Iterator[Finding]:
    """The 6 months after the last permit's end [002], when the residence was judged on that end
    (``_judged_on``) because it came before the filing day.

    The period runs from the permit's last day of validity and, like every period in months,
    ends on the same-numbered day (or the month's last day) and moves off a weekend or holiday
    (Administrative Procedure Code § 40(1)(c)-(d), outside the seeds; ``period_end_months``).
    """
    if judged_on >= facts.proceedings_began_on:
        return
    permit_end = judged_on
    last_day = period_end_months(permit_end, _MONTHS_TO_FILE_FROM_ABROAD)
    if facts.proceedings_began_on > last_day:
        yield error(
            _(
                "You met the 5-year condition while your permit was valid, but an application "
                "from abroad is filed within 6 months of the end of your last permit "
                "(%(end)s), that is by %(last_day)s."
            ),
            end=permit_end,
            last_day=last_day,
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


@rule(
    "permanent.waiver_czech_a2",
    citation=citations.WAIVER_CZECH_A2,
    types={"permanent_residence_waiver"},
)
def waiver_czech_a2(facts: Facts) -> Iterator[Finding]:
    """No ground of the type without the 5-year condition demands the A2 certificate.

    [003] asks for A2 Czech where it describes permanent residence after 5 years; it names no
    case of the waiver grounds [002][004], ground e) being a child joining a parent. The Act asks
    for the proof of Czech with the 5-year application (§ 68) and not with one under § 66, where
    every waiver ground belongs (Act No. 326/1999 Coll., § 70, outside the seeds). So the
    certificate is not required to file; the office decides whether it asks about Czech. Until a
    ground is chosen, the catalogue's "rule" requirement keeps the certificate on the list.
    """
    if facts.answer("ground") is None:
        return  # the answers.complete rule reports the missing answer
    yield info(
        _(
            "Permanent residence without the 5-year condition needs no Czech language "
            "certificate (A2) to file; the office decides whether it asks about your Czech."
        ),
        waives={"czech_a2"},
    )
