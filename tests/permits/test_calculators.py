"""Self-check calculators [003]: the 90/180 rule and time counted toward permanent residence.

Worked examples were counted by hand on a calendar; the properties check the rules on random plans.
"""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from permits.calculators import (
    ResidenceKind,
    ResidencePeriod,
    Stay,
    TripCheck,
    check_trip,
    continuity_breaks,
    counted_days,
    current_run_start,
    days_remaining,
    days_used,
    first_violation,
    five_year_condition_met_on,
    five_years_in_days,
    latest_exit,
)

DAY = timedelta(days=1)
LTR = ResidenceKind.LONG_TERM_RESIDENCE
quick = settings(max_examples=60, deadline=None)


# --- Schengen 90/180: worked examples -------------------------------------------------------------


def test_stay_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Stay(date(2025, 3, 2), date(2025, 3, 1))


def test_one_day_stay_uses_one_day():
    stays = [Stay(date(2025, 3, 1), date(2025, 3, 1))]

    assert days_used(stays, date(2025, 3, 1)) == 1
    assert days_remaining(stays, date(2025, 3, 1)) == 89


def test_ninety_day_stay_is_exactly_allowed():
    # 1 January to 31 March 2025: 31 + 28 + 31 = 90 days.
    stays = [Stay(date(2025, 1, 1), date(2025, 3, 31))]

    assert first_violation(stays) is None
    assert days_used(stays, date(2025, 3, 31)) == 90
    assert days_remaining(stays, date(2025, 3, 31)) == 0


def test_ninety_one_day_stay_is_refused_on_day_91():
    planned = Stay(date(2025, 1, 1), date(2025, 4, 1))

    result = check_trip([], planned)

    assert first_violation([planned]) == date(2025, 4, 1)
    assert result == TripCheck(
        allowed=False,
        first_violation=date(2025, 4, 1),
        latest_exit=date(2025, 3, 31),
        days_remaining_on_entry=90,
    )


def test_days_fall_out_of_the_window_after_180_days():
    stays = [Stay(date(2025, 1, 1), date(2025, 3, 31))]

    # The window ending 29 June starts on 1 January; the one ending 30 June no longer holds it.
    assert days_used(stays, date(2025, 6, 29)) == 90
    assert days_used(stays, date(2025, 6, 30)) == 89
    assert days_remaining(stays, date(2025, 6, 30)) == 1
    # 31 March, the last day of the stay, leaves the window on 27 September.
    assert days_used(stays, date(2025, 9, 26)) == 1
    assert days_used(stays, date(2025, 9, 27)) == 0
    assert days_remaining(stays, date(2025, 9, 27)) == 90


def test_days_before_a_stay_use_nothing():
    stays = [Stay(date(2025, 5, 1), date(2025, 5, 10))]

    assert days_used(stays, date(2025, 4, 30)) == 0
    assert days_used(stays, date(2025, 5, 5)) == 5


def test_overlapping_stays_count_each_day_once():
    stays = [
        Stay(date(2025, 1, 1), date(2025, 1, 10)),
        Stay(date(2025, 1, 5), date(2025, 1, 15)),
        Stay(date(2025, 1, 15), date(2025, 1, 15)),
    ]

    assert days_used(stays, date(2025, 1, 31)) == 15


def test_latest_exit_uses_the_days_left_in_the_window():
    # 60 days used (1 January to 1 March); all of them stay in the window until 29 June.
    stays = [Stay(date(2025, 1, 1), date(2025, 3, 1))]

    assert latest_exit(stays, date(2025, 5, 1)) == date(2025, 5, 30)
    result = check_trip(stays, Stay(date(2025, 5, 1), date(2025, 5, 30)))
    assert result.allowed
    assert result.first_violation is None
    assert result.days_remaining_on_entry == 30
    refused = check_trip(stays, Stay(date(2025, 5, 1), date(2025, 5, 31)))
    assert not refused.allowed
    assert refused.first_violation == date(2025, 5, 31)
    assert refused.latest_exit == date(2025, 5, 30)


def test_latest_exit_rolls_with_the_window():
    # 90 days used; from 30 June each new day in the trip replaces an old day leaving the window,
    # so the trip may last the full 90 days.
    stays = [Stay(date(2025, 1, 1), date(2025, 3, 31))]

    assert latest_exit(stays, date(2025, 6, 30)) == date(2025, 9, 27)


def test_no_trip_possible_while_the_window_is_full():
    stays = [Stay(date(2025, 1, 1), date(2025, 3, 31))]

    result = check_trip(stays, Stay(date(2025, 6, 29), date(2025, 7, 5)))

    assert latest_exit(stays, date(2025, 6, 29)) is None
    assert result == TripCheck(
        allowed=False,
        first_violation=date(2025, 6, 29),
        latest_exit=None,
        days_remaining_on_entry=0,
    )


def test_a_planned_later_stay_shortens_the_trip():
    # 60 planned days in July-August; every window ending in late August also holds May.
    stays = [Stay(date(2025, 7, 1), date(2025, 8, 29))]

    assert latest_exit(stays, date(2025, 5, 1)) == date(2025, 5, 30)
    result = check_trip(stays, Stay(date(2025, 5, 1), date(2025, 6, 5)))
    assert not result.allowed
    # 36 days in May-June, so the 55th day of the later stay is day 91.
    assert result.first_violation == date(2025, 8, 24)
    assert result.days_remaining_on_entry == 90


# --- Schengen 90/180: properties ------------------------------------------------------------------

BASE = date(2024, 1, 1)

stay_strategy = st.builds(
    lambda start, length: Stay(BASE + start * DAY, BASE + (start + length) * DAY),
    st.integers(0, 400),
    st.integers(0, 70),
)
stays_strategy = st.lists(stay_strategy, max_size=5)
day_strategy = st.integers(-30, 500).map(lambda offset: BASE + offset * DAY)


def presence(stays: list[Stay]) -> set[date]:
    return {
        stay.entry + offset * DAY
        for stay in stays
        for offset in range((stay.exit - stay.entry).days + 1)
    }


def naive_days_used(stays: list[Stay], on: date) -> int:
    return sum(1 for day in presence(stays) if on - 179 * DAY <= day <= on)


def naive_first_violation(stays: list[Stay]) -> date | None:
    present = presence(stays)
    if not present:
        return None
    first = min(present)
    flags = [first + offset * DAY in present for offset in range((max(present) - first).days + 1)]
    for offset in range(len(flags)):
        if sum(flags[max(0, offset - 179) : offset + 1]) > 90:
            return first + offset * DAY
    return None


@quick
@given(stays_strategy, day_strategy)
def test_days_used_counts_presence_in_the_window(stays, on):
    assert days_used(stays, on) == naive_days_used(stays, on)


@quick
@given(stays_strategy)
def test_first_violation_is_the_first_day_over_90(stays):
    assert first_violation(stays) == naive_first_violation(stays)


@quick
@given(stays_strategy, day_strategy)
def test_remaining_days_stay_between_0_and_90(stays, on):
    assert 0 <= days_remaining(stays, on) <= 90


@quick
@given(stays_strategy, stay_strategy, day_strategy)
def test_adding_a_stay_never_gives_days_back(stays, extra, on):
    assert days_used([*stays, extra], on) >= days_used(stays, on)
    assert days_remaining([*stays, extra], on) <= days_remaining(stays, on)


@quick
@given(stays_strategy, stay_strategy)
def test_an_allowed_trip_breaks_no_rule(stays, planned):
    result = check_trip(stays, planned)

    if result.allowed:
        assert first_violation([*stays, planned]) is None
    # The latest exit tells the whole answer: the trip is allowed exactly when it ends by then.
    assert result.allowed == (result.latest_exit is not None and planned.exit <= result.latest_exit)


@quick
@given(stays_strategy, day_strategy)
def test_latest_exit_is_the_last_safe_day(stays, entry):
    last = latest_exit(stays, entry)

    if last is None:
        assert first_violation([*stays, Stay(entry, entry)]) is not None
    else:
        assert entry <= last <= entry + 89 * DAY
        assert first_violation([*stays, Stay(entry, last)]) is None
        assert first_violation([*stays, Stay(entry, last + DAY)]) is not None


# --- Permanent residence: worked examples ---------------------------------------------------------


def test_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        ResidencePeriod(ResidenceKind.STUDY, date(2020, 1, 2), date(2020, 1, 1))


def test_period_accepts_the_plain_kind_value():
    period = ResidencePeriod("study", date(2020, 1, 1), date(2020, 1, 1))

    assert period.kind is ResidenceKind.STUDY
    with pytest.raises(ValueError):
        ResidencePeriod("tourist", date(2020, 1, 1), date(2020, 1, 1))


def test_negative_gap_allowance_is_refused():
    with pytest.raises(ValueError):
        five_year_condition_met_on([], max_gap_days=-1)


def test_long_term_visa_then_residence_meets_five_years_on_the_last_day_of_year_five():
    # Five calendar years from 1 March 2021 end on 28 February 2026: 1826 days (29 February 2024).
    periods = [
        ResidencePeriod(ResidenceKind.LONG_TERM_VISA, date(2021, 3, 1), date(2022, 2, 28)),
        ResidencePeriod(ResidenceKind.LONG_TERM_RESIDENCE, date(2022, 3, 1), date(2027, 12, 31)),
    ]

    assert five_year_condition_met_on(periods) == date(2026, 2, 28)
    assert counted_days(periods, date(2026, 2, 28)) == five_years_in_days(date(2021, 3, 1)) == 1826
    assert continuity_breaks(periods) == []


def test_five_years_holding_two_leap_days_are_five_calendar_years():
    # 1 January 2020 to 31 December 2024 are five calendar years of 1827 days (29 February 2020
    # and 2024): the condition is met on 31 December 2024, not a day early.
    periods = [ResidencePeriod(LTR, date(2020, 1, 1), date(2025, 12, 31))]

    assert five_years_in_days(date(2020, 1, 1)) == 1827
    assert five_year_condition_met_on(periods) == date(2024, 12, 31)
    assert counted_days(periods, date(2024, 12, 30)) == 1826


def fifth_anniversary_eve(start: date) -> date:
    """An oracle independent of the module: the day before the fifth anniversary of ``start``
    (29 February's anniversary in a common year is 1 March)."""
    try:
        anniversary = start.replace(year=start.year + 5)
    except ValueError:
        anniversary = date(start.year + 5, 3, 1)
    return anniversary - DAY


@pytest.mark.parametrize(
    ("start", "met_on", "days"),
    [
        pytest.param(date(2024, 2, 29), date(2029, 2, 28), 1827, id="from-29-february"),
        pytest.param(date(2024, 3, 1), date(2029, 2, 28), 1826, id="from-1-march-after-leap-day"),
        pytest.param(date(2023, 3, 1), date(2028, 2, 29), 1827, id="ends-on-a-leap-day"),
        pytest.param(date(2015, 1, 1), date(2019, 12, 31), 1826, id="one-leap-day"),
        pytest.param(date(2021, 7, 1), date(2026, 6, 30), 1826, id="mid-year"),
    ],
)
def test_five_years_end_on_the_eve_of_the_fifth_anniversary(start, met_on, days):
    periods = [ResidencePeriod(LTR, start, date(2031, 12, 31))]

    assert five_year_condition_met_on(periods) == met_on == fifth_anniversary_eve(start)
    assert five_years_in_days(start) == days == (met_on - start).days + 1


def test_only_the_current_stretch_counts_not_one_that_ended_years_ago():
    # 2010-2015 on long-term residence, a break 2016-2022, back since 2023: the six years before
    # the break count nothing now; the count restarted on 1 January 2023 [003].
    periods = [
        ResidencePeriod(LTR, date(2010, 1, 1), date(2015, 12, 31)),
        ResidencePeriod(LTR, date(2023, 1, 1), date(2026, 12, 31)),
    ]

    assert five_year_condition_met_on(periods) is None
    assert five_year_condition_met_on(periods, on=date(2026, 3, 2)) is None
    assert current_run_start(periods) == date(2023, 1, 1)


def test_a_current_stretch_of_five_years_meets_the_condition_after_an_old_break():
    periods = [
        ResidencePeriod(LTR, date(2010, 1, 1), date(2012, 12, 31)),
        ResidencePeriod(LTR, date(2016, 1, 1), date(2027, 12, 31)),
    ]

    assert five_year_condition_met_on(periods) == date(2020, 12, 31)
    assert five_year_condition_met_on(periods, on=date(2026, 3, 2)) == date(2020, 12, 31)


def test_the_stretch_is_judged_as_it_stood_on_the_day_asked_about():
    periods = [
        ResidencePeriod(LTR, date(2010, 1, 1), date(2015, 12, 31)),
        ResidencePeriod(LTR, date(2023, 1, 1), date(2027, 12, 31)),
    ]

    # The day the first permit ran out, its stretch was current and long enough.
    assert five_year_condition_met_on(periods, on=date(2015, 12, 31)) == date(2014, 12, 31)
    assert current_run_start(periods, on=date(2015, 12, 31)) == date(2010, 1, 1)
    # During the break no stretch is current.
    assert five_year_condition_met_on(periods, on=date(2016, 6, 30)) is None
    assert current_run_start(periods, on=date(2016, 6, 30)) is None
    # Not met before the day the current stretch reaches five years.
    assert five_year_condition_met_on(periods, on=date(2027, 12, 30)) is None
    assert five_year_condition_met_on(periods, on=date(2027, 12, 31)) == date(2027, 12, 31)


def test_four_years_of_study_count_two():
    # Study 1 September 2018 to 31 August 2022: 1461 days (29 February 2020), counted 730½.
    # Residence from 1 September 2022 then needs 1095½ more: day 1096 is 31 August 2025.
    periods = [
        ResidencePeriod(ResidenceKind.STUDY, date(2018, 9, 1), date(2022, 8, 31)),
        ResidencePeriod(ResidenceKind.LONG_TERM_RESIDENCE, date(2022, 9, 1), date(2025, 8, 31)),
    ]

    assert counted_days(periods, date(2022, 8, 31)) == Fraction(1461, 2)
    assert counted_days(periods, date(2025, 8, 30)) == Fraction(3651, 2)  # 1825½
    assert five_year_condition_met_on(periods) == date(2025, 8, 31)


def test_study_alone_for_seven_years_is_not_enough():
    periods = [ResidencePeriod(ResidenceKind.STUDY, date(2015, 9, 1), date(2022, 8, 31))]

    assert five_year_condition_met_on(periods) is None


def test_overlapping_periods_count_a_day_once_at_the_best_weight():
    periods = [
        ResidencePeriod(ResidenceKind.STUDY, date(2024, 1, 1), date(2024, 1, 10)),
        ResidencePeriod(ResidenceKind.LONG_TERM_RESIDENCE, date(2024, 1, 6), date(2024, 1, 15)),
        ResidencePeriod(ResidenceKind.LONG_TERM_VISA, date(2024, 1, 15), date(2024, 1, 15)),
    ]

    # 1-5 January half (2½), 6-15 January in full (10).
    assert counted_days(periods, date(2024, 1, 31)) == Fraction(25, 2)
    assert counted_days(periods, date(2024, 1, 3)) == Fraction(3, 2)
    assert counted_days(periods, date(2023, 12, 31)) == 0


def test_short_term_visa_time_does_not_count():
    periods = [
        ResidencePeriod(ResidenceKind.SHORT_TERM, date(2021, 1, 1), date(2021, 3, 31)),
        ResidencePeriod(ResidenceKind.LONG_TERM_RESIDENCE, date(2021, 4, 1), date(2027, 12, 31)),
    ]

    assert counted_days(periods, date(2021, 3, 31)) == 0
    # Five calendar years from 1 April 2021 end on 31 March 2026.
    assert five_year_condition_met_on(periods) == date(2026, 3, 31)
    # Time before the first counted day is not a break.
    assert continuity_breaks(periods) == []


def test_short_term_visa_between_long_term_periods_breaks_continuity():
    periods = [
        ResidencePeriod(ResidenceKind.LONG_TERM_RESIDENCE, date(2018, 1, 1), date(2020, 12, 31)),
        ResidencePeriod(ResidenceKind.SHORT_TERM, date(2021, 1, 1), date(2021, 2, 28)),
        ResidencePeriod(ResidenceKind.LONG_TERM_RESIDENCE, date(2021, 3, 1), date(2024, 12, 31)),
    ]

    assert continuity_breaks(periods) == [(date(2021, 1, 1), date(2021, 2, 28))]
    assert five_year_condition_met_on(periods) is None


def test_a_gap_breaks_continuity_and_the_count_restarts():
    periods = [
        ResidencePeriod(ResidenceKind.LONG_TERM_RESIDENCE, date(2015, 1, 1), date(2018, 12, 31)),
        ResidencePeriod(ResidenceKind.LONG_TERM_RESIDENCE, date(2019, 2, 1), date(2025, 12, 31)),
    ]

    assert continuity_breaks(periods) == [(date(2019, 1, 1), date(2019, 1, 31))]
    # The count restarts on 1 February 2019; five calendar years on, 31 January 2024.
    assert five_year_condition_met_on(periods) == date(2024, 1, 31)
    assert counted_days(periods, date(2019, 1, 15), max_gap_days=0) == 0
    assert counted_days(periods, date(2019, 2, 10), max_gap_days=0) == 10
    assert counted_days(periods, date(2019, 2, 10)) == 1461 + 10


def test_a_tolerated_gap_keeps_the_run_but_counts_nothing():
    periods = [
        ResidencePeriod(ResidenceKind.LONG_TERM_RESIDENCE, date(2015, 1, 1), date(2018, 12, 31)),
        ResidencePeriod(ResidenceKind.LONG_TERM_RESIDENCE, date(2019, 2, 1), date(2025, 12, 31)),
    ]

    # The 31-day gap is one day too long for a 30-day allowance.
    assert continuity_breaks(periods, max_gap_days=30) == [(date(2019, 1, 1), date(2019, 1, 31))]
    assert continuity_breaks(periods, max_gap_days=31) == []
    # 1461 days before the gap (29 February 2016); 365 more from 1 February 2019.
    assert five_year_condition_met_on(periods, max_gap_days=31) == date(2020, 1, 31)
    assert counted_days(periods, date(2019, 1, 15), max_gap_days=31) == 1461


def test_nothing_counted_means_never_met():
    assert five_year_condition_met_on([]) is None
    assert continuity_breaks([]) == []
    assert counted_days([], date(2025, 1, 1)) == 0


# --- Permanent residence: properties --------------------------------------------------------------

RESIDENCE_BASE = date(2015, 1, 1)


def period_strategy(kinds: list[ResidenceKind]) -> st.SearchStrategy[ResidencePeriod]:
    return st.builds(
        lambda kind, start, length: ResidencePeriod(
            kind, RESIDENCE_BASE + start * DAY, RESIDENCE_BASE + (start + length) * DAY
        ),
        st.sampled_from(kinds),
        st.integers(0, 2500),
        st.integers(0, 900),
    )


kinds_mostly_long_term = st.sampled_from(
    [
        ResidenceKind.LONG_TERM_VISA,
        ResidenceKind.LONG_TERM_RESIDENCE,
        ResidenceKind.LONG_TERM_RESIDENCE,
        ResidenceKind.LONG_TERM_RESIDENCE,
        ResidenceKind.STUDY,
        ResidenceKind.SHORT_TERM,
    ]
)


@st.composite
def residence_history(draw: st.DrawFn) -> list[ResidencePeriod]:
    # Periods one after another, with gaps (or overlaps) around the gap allowances tested, and long
    # enough that five years are sometimes reached.
    periods = []
    start = RESIDENCE_BASE
    for _ in range(draw(st.integers(0, 5))):
        start += draw(st.one_of(st.just(0), st.just(0), st.integers(-20, 45))) * DAY
        end = start + draw(st.integers(0, 1500)) * DAY
        periods.append(ResidencePeriod(draw(kinds_mostly_long_term), start, end))
        start = end + DAY
    return periods


any_periods = residence_history()
gap_allowance = st.integers(0, 40)


def covered_days(periods: list[ResidencePeriod]) -> set[date]:
    return {
        period.start + offset * DAY
        for period in periods
        for offset in range((period.end - period.start).days + 1)
    }


@quick
@given(st.lists(period_strategy([ResidenceKind.SHORT_TERM]), max_size=4))
def test_only_short_term_time_counts_nothing(periods):
    assert counted_days(periods, date(2030, 1, 1)) == 0
    assert five_year_condition_met_on(periods) is None


@quick
@given(st.lists(period_strategy([ResidenceKind.STUDY]), min_size=1, max_size=4))
def test_study_counts_exactly_half(periods):
    assert counted_days(periods, date(2030, 1, 1)) == Fraction(len(covered_days(periods)), 2)


@quick
@given(any_periods, gap_allowance)
def test_five_years_are_met_on_the_first_day_the_current_run_reaches_them(periods, max_gap_days):
    met_on = five_year_condition_met_on(periods, max_gap_days=max_gap_days)
    start = current_run_start(periods, max_gap_days=max_gap_days)

    if start is None:
        assert met_on is None
        return
    needed = five_years_in_days(start)
    if met_on is None:
        last = max(p.end for p in periods if p.kind != ResidenceKind.SHORT_TERM)
        assert counted_days(periods, last, max_gap_days=max_gap_days) < needed
    else:
        assert counted_days(periods, met_on, max_gap_days=max_gap_days) >= needed
        assert counted_days(periods, met_on - DAY, max_gap_days=max_gap_days) < needed


@quick
@given(any_periods, st.integers(30, 3000), st.integers(1, 3000))
def test_residence_before_a_break_never_counts(periods, gap, length):
    counted = [p for p in periods if p.kind != ResidenceKind.SHORT_TERM]
    first = min((p.start for p in periods), default=RESIDENCE_BASE)
    before_the_break = ResidencePeriod(LTR, first - (gap + length) * DAY, first - (gap + 1) * DAY)

    with_old_stretch = [before_the_break, *periods]

    if counted:
        assert five_year_condition_met_on(with_old_stretch) == five_year_condition_met_on(periods)
        assert current_run_start(with_old_stretch) == current_run_start(periods)


@quick
@given(
    st.lists(
        st.tuples(
            st.sampled_from([ResidenceKind.LONG_TERM_VISA, ResidenceKind.LONG_TERM_RESIDENCE]),
            st.integers(-30, 0),
            st.integers(0, 700),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_unbroken_long_term_residence_meets_five_years_after_five_calendar_years(pieces):
    # Long-term periods back to back or overlapping, the last one reaching past five years.
    periods = []
    start = RESIDENCE_BASE
    for kind, shift, length in pieces:
        start = max(RESIDENCE_BASE, start + shift * DAY)
        periods.append(ResidencePeriod(kind, start, start + length * DAY))
        start = periods[-1].end + DAY
    periods.append(ResidencePeriod(ResidenceKind.LONG_TERM_RESIDENCE, start, date(2022, 12, 31)))

    # 1 January 2015 + five calendar years: 31 December 2019.
    assert five_year_condition_met_on(periods) == date(2019, 12, 31)
    assert continuity_breaks(periods) == []


@quick
@given(st.dates(min_value=date(1996, 1, 1), max_value=date(2095, 12, 31)))
def test_five_years_of_long_term_residence_are_five_calendar_years(start):
    periods = [ResidencePeriod(LTR, start, start + 2000 * DAY)]

    met_on = five_year_condition_met_on(periods)

    assert met_on == fifth_anniversary_eve(start)
    assert counted_days(periods, met_on) == five_years_in_days(start) == (met_on - start).days + 1


@quick
@given(any_periods, gap_allowance)
def test_breaks_are_uncounted_gaps_longer_than_allowed(periods, max_gap_days):
    counted = covered_days([period for period in periods if period.kind != "short_term"])

    for first, last in continuity_breaks(periods, max_gap_days=max_gap_days):
        assert (last - first).days + 1 > max_gap_days
        assert first - DAY in counted
        assert last + DAY in counted
        assert not any(first + offset * DAY in counted for offset in range((last - first).days + 1))


@quick
@given(any_periods, gap_allowance, st.integers(0, 4000))
def test_the_continuous_run_never_counts_more_than_everything(periods, max_gap_days, offset):
    until = RESIDENCE_BASE + offset * DAY

    run = counted_days(periods, until, max_gap_days=max_gap_days)

    assert 0 <= run <= counted_days(periods, until)
