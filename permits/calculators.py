"""Self-check calculators for applicants: the Schengen 90/180 rule and permanent-residence time.

Pure Python (no Django, no database) so views, forms, the rules engine and tests can all call them.
They answer "what do the rules say about these dates?"; the Ministry of the Interior decides
the case.

Sources [003] (Prague integration portal, "Third-Country Nationals", updated 4 March 2025):

* "you may remain in the Schengen Area for a maximum of 90 days within any 180-day period. This is
  known as the 90/180 rule."
* "you may apply for a permanent residence permit after 5 years of continuous residence in the
  Czech Republic. Time spent on a long-term visa or a long-term residence permit counts toward this
  period, but time on a short-term visa does not."
* "only half of the time spent studying in the Czech Republic counts toward the required period of
  residence for the purpose of applying for permanent residence."
* "Until you are granted a permanent residence permit, you may not spend even a single day in the
  territory of the Czech Republic without fulfilling the approved purpose of your stay."

Dates are whole calendar days; a period's first and last day both count.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from itertools import pairwise

from dateutil.relativedelta import relativedelta

# --- Schengen 90/180 [003] ------------------------------------------------------------------------

SCHENGEN_MAX_DAYS = 90
SCHENGEN_WINDOW_DAYS = 180


@dataclass(frozen=True)
class Stay:
    """A stay in the Schengen Area; the days of entry and of exit are both days of presence."""

    entry: date
    exit: date

    def __post_init__(self) -> None:
        if self.exit < self.entry:
            raise ValueError(f"A stay cannot end ({self.exit}) before it starts ({self.entry}).")


@dataclass(frozen=True)
class TripCheck:
    """The answer to "may I make this trip?" for a planned stay, given the other stays."""

    allowed: bool
    # First day on which the 90/180 rule is broken once the trip is added (None when allowed).
    first_violation: date | None
    # Last day the trip may last until (None when even the day of entry breaks the rule).
    latest_exit: date | None
    # Days left in the 180-day window ending on the day of entry, counting the other stays only;
    # the day of entry itself uses one of them.
    days_remaining_on_entry: int


def _presence_days(stays: Iterable[Stay]) -> list[int]:
    # A set of day ordinals merges overlapping stays: a day of presence counts once.
    days: set[int] = set()
    for stay in stays:
        days.update(range(stay.entry.toordinal(), stay.exit.toordinal() + 1))
    return sorted(days)


def _first_violation_in(days: list[int]) -> date | None:
    # The count in the window can only grow on a day of presence, so only those days need checking.
    for index, day in enumerate(days):
        window_start = bisect_left(days, day - (SCHENGEN_WINDOW_DAYS - 1))
        if index - window_start + 1 > SCHENGEN_MAX_DAYS:
            return date.fromordinal(day)
    return None


def days_used(stays: Iterable[Stay], on: date) -> int:
    """Days of presence in the 180-day window ending on ``on`` (``on`` - 179 … ``on``) [003]."""
    days = _presence_days(stays)
    last = on.toordinal()
    return bisect_right(days, last) - bisect_left(days, last - (SCHENGEN_WINDOW_DAYS - 1))


def days_remaining(stays: Iterable[Stay], on: date) -> int:
    """Days still free in the 180-day window ending on ``on``: 90 - days used, within 0 … 90."""
    return max(0, min(SCHENGEN_MAX_DAYS, SCHENGEN_MAX_DAYS - days_used(stays, on)))


def first_violation(stays: Iterable[Stay]) -> date | None:
    """The first day with more than 90 days of presence in its 180-day window, or None.

    Pass planned stays too: a future trip can make a plan break the rule.
    """
    return _first_violation_in(_presence_days(stays))


def latest_exit(stays: Iterable[Stay], entry: date) -> date | None:
    """The last day a trip starting on ``entry`` may last until without breaking the 90/180 rule.

    ``stays`` are the person's other stays, past and planned; the rule must hold for all of them
    together with the trip. None when even a one-day trip on ``entry`` would break it (which is also
    the case when ``stays`` already break the rule on their own).
    """
    existing = set(_presence_days(stays))
    start = entry.toordinal()

    def fits(last_offset: int) -> bool:
        trip = range(start, start + last_offset + 1)
        return _first_violation_in(sorted(existing.union(trip))) is None

    if not fits(0):
        return None
    # A longer trip only adds days, so "fits" is monotone and a binary search finds the longest.
    # No trip can last more than 90 days: that alone fills a window.
    known_to_fit, longest_possible = 0, SCHENGEN_MAX_DAYS - 1
    while known_to_fit < longest_possible:
        middle = (known_to_fit + longest_possible + 1) // 2
        if fits(middle):
            known_to_fit = middle
        else:
            longest_possible = middle - 1
    return entry + timedelta(days=known_to_fit)


def check_trip(stays: Iterable[Stay], planned: Stay) -> TripCheck:
    """Check a planned trip against the person's other stays under the 90/180 rule [003].

    The trip is allowed only if the rule holds on every day for all stays together.
    """
    existing = list(stays)
    violation = first_violation([*existing, planned])
    return TripCheck(
        allowed=violation is None,
        first_violation=violation,
        latest_exit=latest_exit(existing, planned.entry),
        days_remaining_on_entry=days_remaining(existing, planned.entry),
    )


# --- Permanent residence: 5 years' continuous residence [003] -------------------------------------

# "5 years of continuous residence" [003] are five calendar years: they are complete on the eve of
# the fifth anniversary of the stretch's first day (the anniversary of 29 February being 1 March
# in a common year). A stretch beginning on 1 March 2021 completes them on 28 February 2026, one
# beginning on 1 January 2020 on 31 December 2024 (1827 days, two leap days), one beginning on
# 1 March 2023 on 29 February 2028. Study days count half [003], so a stretch holding study needs
# more calendar days: its counted days must reach the days of the five calendar years beginning on
# its first day.
FIVE_YEARS = relativedelta(years=5)


def five_years_in_days(start: date) -> int:
    """The days of the five calendar years of residence beginning on ``start`` (1826 or 1827)."""
    anniversary = start + FIVE_YEARS
    if (start.month, start.day) == (2, 29) and anniversary.day == 28:
        anniversary += timedelta(days=1)  # 29 February's anniversary in a common year: 1 March
    return (anniversary - start).days


class ResidenceKind(StrEnum):
    """The residence title a period was spent on; it decides how the period counts [003]."""

    LONG_TERM_VISA = "long_term_visa"
    LONG_TERM_RESIDENCE = "long_term_residence"
    STUDY = "study"
    SHORT_TERM = "short_term"


# How much one day on each title counts toward the five years [003], in half-days so that study
# time adds up exactly in integers. Short-term visa time counts nothing and is treated as a gap in
# residence: it does not bridge two long-term periods.
_HALF_DAYS_PER_DAY: dict[ResidenceKind, int] = {
    ResidenceKind.LONG_TERM_VISA: 2,
    ResidenceKind.LONG_TERM_RESIDENCE: 2,
    ResidenceKind.STUDY: 1,
    ResidenceKind.SHORT_TERM: 0,
}


@dataclass(frozen=True)
class ResidencePeriod:
    """A stretch of residence on one title; the first and last day both count."""

    kind: ResidenceKind
    start: date
    end: date

    def __post_init__(self) -> None:
        # Accept the plain string values too (form data, JSON); reject anything else early.
        object.__setattr__(self, "kind", ResidenceKind(self.kind))
        if self.end < self.start:
            raise ValueError(f"A period cannot end ({self.end}) before it starts ({self.start}).")


def _day_weights(periods: Iterable[ResidencePeriod]) -> dict[int, int]:
    # Overlapping periods are merged day by day: a day counts once, at the best weight (a day on a
    # long-term residence permit that is also a study day counts in full).
    weights: dict[int, int] = {}
    for period in periods:
        weight = _HALF_DAYS_PER_DAY[period.kind]
        if not weight:
            continue
        for day in range(period.start.toordinal(), period.end.toordinal() + 1):
            if weights.get(day, 0) < weight:
                weights[day] = weight
    return weights


def _check_max_gap(max_gap_days: int) -> None:
    if max_gap_days < 0:
        raise ValueError("max_gap_days cannot be negative.")


def _continuous_runs(qualifying_days: list[int], max_gap_days: int) -> list[list[int]]:
    # A run is a stretch of qualifying days in which no gap is longer than max_gap_days; the count
    # toward the five years restarts with each run.
    runs: list[list[int]] = []
    for day in qualifying_days:
        if runs and day - runs[-1][-1] - 1 <= max_gap_days:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _current_run(weights: dict[int, int], on: date | None, max_gap_days: int) -> list[int]:
    """The days of the continuous run current on ``on``, up to ``on``; with ``on=None``, the last
    run of all. Empty when no run is current: none has begun, or a longer gap than
    ``max_gap_days`` has passed since the last counted day."""
    _check_max_gap(max_gap_days)
    days = sorted(weights)
    if on is not None:
        days = [day for day in days if day <= on.toordinal()]
    runs = _continuous_runs(days, max_gap_days)
    if not runs or (on is not None and on.toordinal() - runs[-1][-1] > max_gap_days):
        return []
    return runs[-1]


def counted_days(
    periods: Iterable[ResidencePeriod], until: date, *, max_gap_days: int | None = None
) -> Fraction:
    """Days that count toward permanent residence up to and including ``until`` [003].

    Long-term visa and long-term residence days count in full, study days count half, short-term
    visa days not at all. With ``max_gap_days=None`` every counted day up to ``until`` is added up;
    with a number, only the continuous run still unbroken on ``until`` is (0 once a gap longer than
    ``max_gap_days`` has passed), which is the total ``five_year_condition_met_on`` compares.
    """
    weights = _day_weights(periods)
    if max_gap_days is None:
        return Fraction(sum(w for day, w in weights.items() if day <= until.toordinal()), 2)
    return Fraction(sum(weights[day] for day in _current_run(weights, until, max_gap_days)), 2)


def current_run_start(
    periods: Iterable[ResidencePeriod], *, on: date | None = None, max_gap_days: int = 0
) -> date | None:
    """The first day of the continuous residence current on ``on`` (with None, of the last
    stretch of residence); None when no stretch is current on ``on``."""
    run = _current_run(_day_weights(periods), on, max_gap_days)
    return date.fromordinal(run[0]) if run else None


def five_year_condition_met_on(
    periods: Iterable[ResidencePeriod], *, on: date | None = None, max_gap_days: int = 0
) -> date | None:
    """The first day on which the current continuous residence reaches five years, or None [003].

    Only the stretch that is current counts: the one still unbroken on ``on`` (the filing day, or
    the day a permit ran out), judged up to ``on``; with ``on=None``, the last stretch entered, up
    to its end. A stretch that ended before a break never counts again, however long it was.
    Continuity: a gap between counted periods (days on no long-term visa, long-term residence
    permit or study, short-term visa days included) longer than ``max_gap_days`` breaks it, and the
    count restarts on the first day after the gap. The default 0 follows [003]: a foreign national
    "may not spend even a single day" without a purpose of stay. Days in a tolerated gap count
    nothing but keep the run going. Five years are five calendar years (``five_years_in_days``).
    """
    weights = _day_weights(periods)
    run = _current_run(weights, on, max_gap_days)
    if not run:
        return None
    needed_half_days = 2 * five_years_in_days(date.fromordinal(run[0]))
    half_days = 0
    for day in run:
        half_days += weights[day]
        if half_days >= needed_half_days:
            return date.fromordinal(day)
    return None


def continuity_breaks(
    periods: Iterable[ResidencePeriod], *, max_gap_days: int = 0
) -> list[tuple[date, date]]:
    """The gaps that break continuous residence, as (first day, last day) of each gap, in order.

    Only gaps between counted periods are breaks; time before the first or after the last counted
    day is not. Short-term visa time does not fill a gap [003].
    """
    _check_max_gap(max_gap_days)
    runs = _continuous_runs(sorted(_day_weights(periods)), max_gap_days)
    return [
        (date.fromordinal(before[-1] + 1), date.fromordinal(after[0] - 1))
        for before, after in pairwise(runs)
    ]
