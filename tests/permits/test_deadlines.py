"""The statutory deadline engine (SPEC §3). Pure functions: no Django, no database.

Every expected date below was checked by hand against the calendar. Czech public holidays in 2026:
Jan 1 (Thu), Apr 3 Good Friday, Apr 6 Easter Monday, May 1 (Fri), May 8 (Fri), Jul 5 (Sun),
Jul 6 (Mon), Sep 28 (Mon), Oct 28 (Wed), Nov 17 (Tue), Dec 24 (Thu), Dec 25 (Fri), Dec 26 (Sat).
"""

from datetime import UTC, date, datetime, timedelta, timezone

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.clock import local_date
from permits.deadlines import (
    APPEAL_PERIOD_DAYS,
    BIOMETRICS_AFTER_ENTRY_DAYS,
    CARD_PICKUP_DAYS,
    DEFAULT_DOCUMENT_DEADLINE_DAYS,
    DELIVERY_FICTION_DAYS,
    RESUMPTION_FLOOR_DAYS,
    appeal_due,
    biometrics_due,
    card_pickup_due,
    decision_due,
    decision_due_raw,
    delivery_date,
    document_deadline,
    halted_days,
    is_working_day,
    next_working_day,
    period_end,
    period_end_months,
)

D = date


def test_constants_match_the_sources():
    assert APPEAL_PERIOD_DAYS == 15  # [002] "within 15 days of delivering the decision"
    assert DELIVERY_FICTION_DAYS == 10
    assert RESUMPTION_FLOOR_DAYS == 15
    assert DEFAULT_DOCUMENT_DEADLINE_DAYS == 30
    assert CARD_PICKUP_DAYS == 60  # [002][003]
    assert BIOMETRICS_AFTER_ENTRY_DAYS == 30  # [003]


# --- SPEC §3 worked examples -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filed_on", "period_days", "interruptions", "raw", "due"),
    [
        pytest.param(D(2026, 1, 5), 60, [], D(2026, 3, 6), D(2026, 3, 6), id="plain"),
        pytest.param(
            D(2026, 1, 5),
            60,
            [(D(2026, 1, 20), D(2026, 2, 3))],  # 14 days halted
            D(2026, 3, 20),
            D(2026, 3, 20),
            id="one-interruption",
        ),
        pytest.param(D(2026, 2, 2), 60, [], D(2026, 4, 3), D(2026, 4, 7), id="easter-good-friday"),
        pytest.param(
            D(2026, 3, 10), 270, [], D(2026, 12, 5), D(2026, 12, 7), id="270-days-family-[003]"
        ),
        pytest.param(
            D(2026, 9, 1),
            60,
            [(D(2026, 9, 10), D(2026, 9, 25)), (D(2026, 10, 5), D(2026, 10, 12))],  # 15 + 7
            D(2026, 11, 22),  # Sunday
            D(2026, 11, 23),
            id="two-interruptions",
        ),
        pytest.param(
            D(2026, 5, 4), 180, [], D(2026, 10, 31), D(2026, 11, 2), id="embassy-180-days-[002]"
        ),
        pytest.param(
            D(2026, 1, 5),
            60,
            [(D(2026, 3, 1), D(2026, 3, 2))],  # 61 days -> Sat 03-07, but floor 03-02 + 15
            D(2026, 3, 17),
            D(2026, 3, 17),
            id="15-days-after-resuming",
        ),
    ],
)
def test_decision_due_worked_examples(filed_on, period_days, interruptions, raw, due):
    assert decision_due_raw(filed_on, period_days, interruptions) == raw
    assert decision_due(filed_on, period_days, interruptions) == due


def test_appeal_over_christmas_worked_example():
    # Raw 2026-12-24 Christmas Eve; 25th holiday; 26th Saturday and holiday; 27th Sunday.
    assert appeal_due(D(2026, 12, 9)) == D(2026, 12, 28)


def test_delivery_fiction_worked_example():
    delivered_on = delivery_date(D(2026, 6, 1), opened_on=None)
    assert delivered_on == D(2026, 6, 11)
    assert appeal_due(delivered_on) == D(2026, 6, 26)


# --- D1 counting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        pytest.param(D(2026, 1, 31), 30, D(2026, 3, 2), id="jan-31-plus-30-common-year"),
        pytest.param(D(2028, 1, 31), 30, D(2028, 3, 1), id="jan-31-plus-30-leap-year"),
        pytest.param(D(2028, 1, 30), 30, D(2028, 2, 29), id="ends-on-leap-day"),
        pytest.param(D(2028, 2, 15), 15, D(2028, 3, 1), id="crosses-leap-day"),
        pytest.param(D(2027, 2, 15), 15, D(2027, 3, 2), id="same-dates-common-year"),
        pytest.param(D(2028, 2, 29), 15, D(2028, 3, 15), id="starts-on-leap-day"),
        pytest.param(D(2026, 12, 11), 15, D(2026, 12, 28), id="sat-dec-26-holiday-to-monday"),
        pytest.param(D(2026, 12, 17), 15, D(2027, 1, 4), id="fri-new-year-to-monday"),
        pytest.param(D(2028, 12, 15), 15, D(2029, 1, 2), id="sat-dec-30-over-new-year-monday"),
        pytest.param(D(2026, 4, 16), 15, D(2026, 5, 4), id="fri-may-1"),
        pytest.param(D(2026, 4, 23), 15, D(2026, 5, 11), id="fri-may-8"),
        pytest.param(D(2026, 4, 30), 0, D(2026, 4, 30), id="thu-before-may-1-is-working"),
        pytest.param(D(2026, 3, 20), 15, D(2026, 4, 7), id="sat-between-good-fri-easter-mon"),
        pytest.param(D(2026, 3, 22), 15, D(2026, 4, 7), id="easter-monday"),
        pytest.param(D(2026, 6, 19), 15, D(2026, 7, 7), id="sat-before-jul-5-sun-jul-6-mon"),
        pytest.param(D(2026, 9, 13), 15, D(2026, 9, 29), id="mon-sep-28"),
        pytest.param(D(2026, 10, 13), 15, D(2026, 10, 29), id="wed-oct-28-midweek"),
        pytest.param(D(2026, 11, 2), 15, D(2026, 11, 18), id="tue-nov-17-midweek"),
        pytest.param(D(2015, 3, 19), 15, D(2015, 4, 3), id="good-friday-2015-not-yet-holiday"),
        pytest.param(D(2016, 3, 10), 15, D(2016, 3, 29), id="good-friday-2016-first-year"),
        pytest.param(D(2026, 3, 9), 0, D(2026, 3, 9), id="zero-days-on-working-day"),
        pytest.param(D(2026, 3, 7), 0, D(2026, 3, 9), id="zero-days-on-saturday"),
    ],
)
def test_period_end(start, days, expected):
    assert period_end(start, days) == expected


# --- D1 counting in months (Administrative Procedure Code § 40(1)(c)-(d), outside the seeds) -----


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param(D(2026, 2, 7), 1, D(2026, 3, 9), id="ends-saturday-mar-7-to-monday"),
        pytest.param(D(2026, 7, 28), 3, D(2026, 10, 29), id="ends-wed-oct-28-holiday-to-thursday"),
        pytest.param(D(2026, 1, 31), 1, D(2026, 3, 2), id="jan-31-plus-1-is-sat-feb-28-to-monday"),
        pytest.param(D(2028, 1, 31), 1, D(2028, 2, 29), id="jan-31-plus-1-leap-year-tuesday"),
        pytest.param(D(2026, 3, 31), 1, D(2026, 4, 30), id="mar-31-plus-1-last-day-of-april"),
        pytest.param(D(2026, 5, 31), 1, D(2026, 6, 30), id="may-31-plus-1-is-tue-jun-30"),
        pytest.param(D(2026, 6, 10), 1, D(2026, 7, 10), id="same-numbered-day-friday"),
        pytest.param(D(2025, 11, 30), 3, D(2026, 3, 2), id="asylum-3-months-sat-feb-28-[001]"),
        pytest.param(D(2025, 11, 30), 6, D(2026, 6, 1), id="embassy-6-months-sat-may-30-[002]"),
        pytest.param(D(2025, 12, 31), 6, D(2026, 6, 30), id="embassy-6-months-tuesday-[002]"),
        pytest.param(D(2026, 6, 24), 6, D(2026, 12, 28), id="christmas-eve-to-monday-dec-28"),
        pytest.param(D(2026, 3, 9), 0, D(2026, 3, 9), id="zero-months-on-working-day"),
    ],
)
def test_period_end_months(start, months, expected):
    assert period_end_months(start, months) == expected


def test_negative_months_are_rejected():
    with pytest.raises(ValueError, match="negative"):
        period_end_months(D(2026, 1, 5), -1)
    with pytest.raises(TypeError, match="local_date"):
        period_end_months(datetime(2026, 3, 31, 23, 30, tzinfo=UTC), 1)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 3, 9), True),  # Monday
        (D(2026, 3, 7), False),  # Saturday
        (D(2026, 3, 8), False),  # Sunday
        (D(2026, 11, 17), False),  # Tuesday holiday
        (D(2026, 12, 31), True),  # New Year's Eve is not a holiday
        (D(2000, 12, 26), False),
        (D(2100, 1, 1), False),  # far years are looked up too
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


def test_next_working_day_keeps_a_working_day_and_skips_the_rest():
    assert next_working_day(D(2026, 12, 23)) == D(2026, 12, 23)
    assert next_working_day(D(2026, 12, 24)) == D(2026, 12, 28)


def test_negative_period_is_rejected():
    with pytest.raises(ValueError, match="negative"):
        period_end(D(2026, 1, 5), -1)


def test_datetime_is_rejected_so_the_utc_day_cannot_slip_in():
    with pytest.raises(TypeError, match="local_date"):
        period_end(datetime(2026, 3, 31, 23, 30, tzinfo=UTC), 15)


# --- D2 decision deadline ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filed_on", "interruptions", "raw", "due"),
    [
        pytest.param(
            D(2026, 3, 2),
            [(D(2026, 4, 3), D(2026, 5, 8))],  # Good Friday -> Victory Day: 35 calendar days
            D(2026, 6, 5),
            D(2026, 6, 5),
            id="from-holiday-to-holiday-counts-calendar-days",
        ),
        pytest.param(
            D(2026, 10, 1),
            [(D(2026, 10, 28), D(2026, 11, 17))],  # 20 days, both holidays -> Sun 12-20
            D(2026, 12, 20),
            D(2026, 12, 21),
            id="from-holiday-to-holiday-ends-on-sunday",
        ),
        pytest.param(
            D(2026, 10, 1),
            [(D(2026, 11, 17), D(2026, 12, 9))],  # 22 days -> 12-22; floor 12-09 + 15 = 12-24
            D(2026, 12, 24),
            D(2026, 12, 28),
            id="floor-lands-on-christmas-eve",
        ),
        pytest.param(
            D(2026, 1, 5),
            [(D(2026, 3, 2), D(2026, 3, 2))],  # halted 0 days, the floor still applies
            D(2026, 3, 17),
            D(2026, 3, 17),
            id="resumed-the-same-day",
        ),
        pytest.param(
            D(2026, 1, 5),
            [(D(2026, 1, 5), D(2026, 1, 19))],  # interrupted on the day of filing
            D(2026, 3, 20),
            D(2026, 3, 20),
            id="interrupted-on-filing-day",
        ),
        pytest.param(
            D(2026, 9, 1),
            [(D(2026, 9, 10), D(2026, 9, 25)), (D(2026, 9, 25), D(2026, 10, 2))],  # 15 + 7
            D(2026, 11, 22),
            D(2026, 11, 23),
            id="second-starts-the-day-the-first-resumed",
        ),
    ],
)
def test_decision_due_with_interruptions(filed_on, interruptions, raw, due):
    assert decision_due_raw(filed_on, 60, interruptions) == raw
    assert decision_due(filed_on, 60, interruptions) == due


def test_interruptions_in_any_order_and_from_a_generator():
    first = (D(2026, 9, 10), D(2026, 9, 25))
    second = (D(2026, 10, 5), D(2026, 10, 12))
    assert decision_due(D(2026, 9, 1), 60, [second, first]) == D(2026, 11, 23)
    assert decision_due(D(2026, 9, 1), 60, (i for i in [second, first])) == D(2026, 11, 23)


@pytest.mark.parametrize(
    "interruptions",
    [
        pytest.param([(D(2026, 1, 20), None)], id="open"),
        pytest.param([(D(2026, 1, 20), D(2026, 2, 3)), (D(2026, 2, 10), None)], id="open-last"),
    ],
)
def test_open_interruption_pauses_the_clock(interruptions):
    assert decision_due_raw(D(2026, 1, 5), 60, interruptions) is None
    assert decision_due(D(2026, 1, 5), 60, interruptions) is None


def test_halted_days_counts_closed_interruptions_only():
    interruptions = [(D(2026, 9, 10), D(2026, 9, 25)), (D(2026, 10, 5), D(2026, 10, 12))]
    assert halted_days(interruptions) == 22
    assert halted_days([*interruptions, (D(2026, 10, 20), None)]) == 22
    assert halted_days([]) == 0


@pytest.mark.parametrize(
    ("interruptions", "message"),
    [
        pytest.param([(D(2026, 2, 3), D(2026, 1, 20))], "cannot end", id="ends-before-start"),
        pytest.param(
            [(D(2026, 1, 4), D(2026, 1, 20))],
            "before the application was filed",
            id="starts-before-filing",
        ),
        pytest.param(
            [(D(2026, 1, 20), D(2026, 2, 3)), (D(2026, 2, 1), D(2026, 2, 10))],
            "overlap",
            id="overlapping",
        ),
        pytest.param(
            [(D(2026, 2, 1), D(2026, 2, 10)), (D(2026, 1, 20), D(2026, 2, 3))],
            "overlap",
            id="overlapping-passed-out-of-order",
        ),
        pytest.param(
            [(D(2026, 1, 20), None), (D(2026, 2, 1), D(2026, 2, 10))],
            "still open",
            id="open-one-followed-by-another",
        ),
        pytest.param([(D(2026, 1, 20), None), (D(2026, 1, 20), None)], "overlap", id="two-open"),
    ],
)
def test_invalid_interruptions_are_rejected(interruptions, message):
    with pytest.raises(ValueError, match=message):
        decision_due(D(2026, 1, 5), 60, interruptions)


def test_negative_decision_period_is_rejected():
    with pytest.raises(ValueError, match="negative"):
        decision_due(D(2026, 1, 5), -60, [])


# --- D3 delivery, D4 appeal --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opened_on", "delivered_on"),
    [
        pytest.param(D(2026, 6, 1), D(2026, 6, 1), id="opened-the-day-made-available"),
        pytest.param(D(2026, 6, 6), D(2026, 6, 6), id="opened-on-day-5"),
        pytest.param(D(2026, 6, 11), D(2026, 6, 11), id="opened-on-day-10"),
        pytest.param(D(2026, 6, 13), D(2026, 6, 11), id="opened-on-day-12-fiction-wins"),
        pytest.param(None, D(2026, 6, 11), id="never-opened"),
    ],
)
def test_delivery_date(opened_on, delivered_on):
    assert delivery_date(D(2026, 6, 1), opened_on) == delivered_on


def test_delivery_fiction_is_not_shifted_but_the_appeal_period_is():
    # Made available Wed 2026-06-03: delivered Sat 06-13; appeal raw Sun 06-28 -> Mon 06-29.
    delivered_on = delivery_date(D(2026, 6, 3), opened_on=None)
    assert delivered_on == D(2026, 6, 13)
    assert appeal_due(delivered_on) == D(2026, 6, 29)


def test_opened_before_made_available_is_rejected():
    with pytest.raises(ValueError, match="before it is made available"):
        delivery_date(D(2026, 6, 1), D(2026, 5, 31))


# --- D5, D6 ------------------------------------------------------------------------------------


def test_document_deadline_defaults_to_30_days():
    assert document_deadline(D(2026, 11, 26)) == D(2026, 12, 28)  # raw Sat Dec 26
    assert document_deadline(D(2026, 3, 2), days=10) == D(2026, 3, 12)


def test_biometrics_and_card_pickup_deadlines():
    # Raw Sun 2026-07-05 (holiday), Mon 07-06 (holiday) -> Tue 07-07.
    assert biometrics_due(D(2026, 6, 5)) == D(2026, 7, 7)
    # Raw Sat 2026-05-09 -> Mon 05-11.
    assert card_pickup_due(D(2026, 3, 10)) == D(2026, 5, 11)


# --- Europe/Prague calendar day ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        pytest.param(datetime(2026, 3, 31, 23, 30, tzinfo=UTC), D(2026, 4, 1), id="cest-midnight"),
        pytest.param(datetime(2026, 7, 31, 22, 30, tzinfo=UTC), D(2026, 8, 1), id="summer-time"),
        pytest.param(datetime(2026, 1, 31, 22, 59, tzinfo=UTC), D(2026, 1, 31), id="winter-+1"),
        pytest.param(datetime(2026, 1, 31, 23, 0, tzinfo=UTC), D(2026, 2, 1), id="winter-midnight"),
        pytest.param(
            datetime(2026, 4, 1, 1, 0, tzinfo=timezone(timedelta(hours=-5))),
            D(2026, 4, 1),
            id="other-offset",
        ),
    ],
)
def test_local_date(moment, expected):
    assert local_date(moment) == expected


def test_local_date_rejects_naive_datetimes():
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime(2026, 3, 31, 23, 30))  # naive on purpose


# --- properties --------------------------------------------------------------------------------

any_day = st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31))
period = st.integers(min_value=0, max_value=400)
# Worst case, verified over 2000-2101: Saturday 2001-12-22 -> Thursday 12-27, when Christmas Eve
# falls on a Monday (Sat, Sun, 24th, 25th, 26th).
MAX_SHIFT_DAYS = 5


def _is_czech_day_off(day: date) -> bool:
    # An oracle independent of the module under test.
    return day.weekday() >= 5 or day in holidays.country_holidays("CZ", years=day.year)


@settings(deadline=None)
@given(start=any_day, days=period)
def test_period_end_is_a_working_day_shortly_after_the_raw_date(start, days):
    raw = start + timedelta(days=days)
    end = period_end(start, days)
    assert not _is_czech_day_off(end)
    assert raw <= end <= raw + timedelta(days=MAX_SHIFT_DAYS)
    # No working day is skipped on the way.
    assert all(_is_czech_day_off(raw + timedelta(days=i)) for i in range((end - raw).days))


@settings(deadline=None)
@given(start=any_day, days=period, extra=st.integers(min_value=0, max_value=60))
def test_a_longer_period_never_ends_earlier(start, days, extra):
    assert period_end(start, days) <= period_end(start, days + extra)
    assert decision_due(start, days, []) <= decision_due(start, days + extra, [])


@settings(deadline=None)
@given(
    filed_on=any_day,
    days=period,
    starts_after=st.integers(min_value=0, max_value=400),
    length=st.integers(min_value=0, max_value=200),
)
def test_an_interruption_moves_the_raw_date_by_its_length_or_to_the_floor(
    filed_on, days, starts_after, length
):
    interrupted_on = filed_on + timedelta(days=starts_after)
    resumed_on = interrupted_on + timedelta(days=length)
    without = decision_due_raw(filed_on, days, [])
    with_it = decision_due_raw(filed_on, days, [(interrupted_on, resumed_on)])
    floor = resumed_on + timedelta(days=RESUMPTION_FLOOR_DAYS)
    if without + timedelta(days=length) >= floor:
        assert with_it == without + timedelta(days=length)
    else:
        assert with_it == floor
    assert decision_due(filed_on, days, [(interrupted_on, resumed_on)]) == next_working_day(with_it)


@settings(deadline=None)
@given(made_available_on=any_day, opened_after=st.none() | st.integers(0, 30))
def test_delivery_is_within_the_fiction_window(made_available_on, opened_after):
    opened_on = None if opened_after is None else made_available_on + timedelta(days=opened_after)
    delivered_on = delivery_date(made_available_on, opened_on)
    assert made_available_on <= delivered_on <= made_available_on + timedelta(days=10)
    if opened_on is not None:
        assert delivered_on <= opened_on


@settings(deadline=None)
@given(delivered_on=any_day)
def test_appeal_window_is_at_least_15_days(delivered_on):
    due = appeal_due(delivered_on)
    assert delivered_on + timedelta(days=15) <= due
    assert due <= delivered_on + timedelta(days=15 + MAX_SHIFT_DAYS)


@settings(deadline=None)
@given(start=any_day, months=st.integers(min_value=0, max_value=24))
def test_a_months_period_ends_on_the_same_numbered_day_or_month_end_then_shifts(start, months):
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    last_of_month = (D(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    raw = D(year, month, min(start.day, last_of_month))
    end = period_end_months(start, months)
    assert not _is_czech_day_off(end)
    assert raw <= end <= raw + timedelta(days=MAX_SHIFT_DAYS)
    assert all(_is_czech_day_off(raw + timedelta(days=i)) for i in range((end - raw).days))
