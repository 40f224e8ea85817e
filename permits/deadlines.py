"""Statutory deadlines for residence-permit proceedings (SPEC §3).

Pure Python: no Django, no database. Every function takes and returns calendar dates in
Europe/Prague; convert timestamps with :func:`local_date` first.

The law, briefly:

* **Counting (D1).** A period of N days triggered by an event on day E ends on E + N (the day of
  the event itself is not counted). A period that would end on a Saturday, a Sunday or a Czech
  public holiday ends on the next working day. A period of months ends on the day of the month
  with the same number as E, or on the last day of the month where it has no such day, and moves
  to the next working day the same way (Administrative Procedure Code, Act No. 500/2004 Coll.,
  § 40(1)(c) and (d), outside the seeds).
* **Decision deadline (D2).** The Ministry must decide within 60 days of an application filed in
  the Czech Republic and 180 days of one filed at an embassy [002]; within 270 days for family
  reunification [003]; a long-term-visa re-assessment is answered within 60 days [003]. "If the
  procedure is interrupted, the deadline for making a decision is also halted" [002]: an
  interruption of proceedings (přerušení řízení) stops the clock, and the days it lasted are added
  to the period. After proceedings resume the deadline never ends sooner than 15 days later (the
  Ministry's own pages on interruption). While an interruption is still open there is no due date.
* **Delivery (D3).** A decision made available in the portal is delivered on the day the applicant
  first opens it, or, if not opened earlier, on the 10th day after it was made available: the
  delivery fiction (fikce doručení). That day is not shifted for weekends or holidays.
* **Appeal (D4).** An appeal lies "within 15 days of delivering the decision" [002][003].
* **Missing documents (D5).** The caseworker sets a deadline when interrupting, 30 days by default.
* **The applicant's own clocks (D6).** Biometrics "within thirty days of entering the Czech
  Republic" when the application was filed abroad, and the card collected "no later than 60 days"
  after biometrics [002][003].
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise

import holidays
from dateutil.relativedelta import relativedelta

APPEAL_PERIOD_DAYS = 15  # [002] "within 15 days of delivering the decision"
DELIVERY_FICTION_DAYS = 10  # fikce doručení: delivered on the 10th day if not opened earlier
RESUMPTION_FLOOR_DAYS = 15  # at least 15 days to decide once proceedings resume
DEFAULT_DOCUMENT_DEADLINE_DAYS = 30  # D5: the caseworker may set another figure
CARD_PICKUP_DAYS = 60  # [002][003] "no later than 60 days after providing the biometric data"
BIOMETRICS_AFTER_ENTRY_DAYS = 30  # [003] "within thirty days of entering the Czech Republic"

# (interrupted_on, resumed_on); resumed_on is None while the interruption is still open.
Interruption = tuple[date, date | None]


@lru_cache(maxsize=256)  # one small entry per year; bounded so odd inputs cannot grow it
def _holidays_in(year: int) -> frozenset[date]:
    # One frozen set per year: a `holidays` object built for some years silently grows when asked
    # about another year, so we never share one across years, and the cache keeps lookups cheap.
    return frozenset(holidays.country_holidays("CZ", years=year))


def _require_date(value: date, name: str) -> None:
    # A datetime is a date subclass, so it would slip through and carry its UTC day into the
    # count; near midnight that is the wrong Prague day. Make the caller convert explicitly.
    if isinstance(value, datetime):
        raise TypeError(f"{name} must be a date, not a datetime; convert it with local_date()")


def is_working_day(day: date) -> bool:
    """True unless ``day`` is a Saturday, a Sunday or a Czech public holiday."""
    return day.weekday() < 5 and day not in _holidays_in(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def period_end(start: date, days: int) -> date:
    """D1: the last day of a period of ``days`` days triggered by an event on ``start``."""
    _require_date(start, "start")
    if days < 0:
        raise ValueError(f"a period cannot be negative (got {days} days)")
    return next_working_day(start + timedelta(days=days))


def period_end_months(start: date, months: int) -> date:
    """D1 for a period of ``months`` months triggered by an event on ``start``.

    "A period determined in weeks, months or years ends on the day that by its designation
    corresponds to the day on which the event triggering the period occurred; if there is no such
    day in the month, the period ends on the last day of the month. If the last day of a period
    falls on a Saturday, a Sunday or a public holiday, the last day is the next working day."
    (Administrative Procedure Code, Act No. 500/2004 Coll., § 40(1)(c) and (d), outside the
    seeds.) So 31 January + 1 month is 28 (29) February, then moved off a weekend or holiday.
    """
    _require_date(start, "start")
    if months < 0:
        raise ValueError(f"a period cannot be negative (got {months} months)")
    return next_working_day(start + relativedelta(months=months))


def _validated(interruptions: Iterable[Interruption], filed_on: date | None) -> list[Interruption]:
    """The interruptions sorted by start, after checking they make sense together."""
    # An open interruption sorts last among those starting the same day, so the overlap check
    # below does not depend on the order the caller passed them in.
    ordered = sorted(interruptions, key=lambda item: (item[0], item[1] or date.max))
    for interrupted_on, resumed_on in ordered:
        _require_date(interrupted_on, "interrupted_on")
        if resumed_on is not None:
            _require_date(resumed_on, "resumed_on")
            if resumed_on < interrupted_on:
                raise ValueError(
                    f"an interruption cannot end ({resumed_on}) before it starts ({interrupted_on})"
                )
        if filed_on is not None and interrupted_on < filed_on:
            raise ValueError(
                f"proceedings cannot be interrupted ({interrupted_on}) "
                f"before the application was filed ({filed_on})"
            )
    # Half-open intervals [interrupted_on, resumed_on): an interruption may start on the day the
    # previous one ended without counting that day twice. An open one must be the last.
    for (start, end), (next_start, _) in pairwise(ordered):
        if end is None or next_start < end:
            raise ValueError(
                f"interruptions overlap: the one from {start} "
                f"{'is still open' if end is None else f'lasts until {end}'} "
                f"but another starts on {next_start}"
            )
    return ordered


def halted_days(interruptions: Iterable[Interruption]) -> int:
    """Days the decision clock stood still: the sum of (resumed_on - interrupted_on).

    Only closed interruptions count; an open one has no length yet.
    """
    return sum(
        (resumed_on - interrupted_on).days
        for interrupted_on, resumed_on in _validated(interruptions, filed_on=None)
        if resumed_on is not None
    )


def decision_due_raw(
    filed_on: date, period_days: int, interruptions: Iterable[Interruption]
) -> date | None:
    """D2 before the weekend/holiday shift; None while an interruption is open."""
    _require_date(filed_on, "filed_on")
    if period_days < 0:
        raise ValueError(f"a decision period cannot be negative (got {period_days} days)")
    ordered = _validated(interruptions, filed_on=filed_on)
    closed = [(start, end) for start, end in ordered if end is not None]
    if len(closed) < len(ordered):
        return None  # the clock is stopped: the UI shows "paused"
    halted = sum((resumed_on - interrupted_on).days for interrupted_on, resumed_on in closed)
    raw = filed_on + timedelta(days=period_days + halted)
    if closed:
        # The authority keeps at least 15 days after resuming, even if the halted clock says less.
        last_resumed_on = max(resumed_on for _, resumed_on in closed)
        raw = max(raw, last_resumed_on + timedelta(days=RESUMPTION_FLOOR_DAYS))
    return raw


def decision_due(
    filed_on: date, period_days: int, interruptions: Iterable[Interruption]
) -> date | None:
    """D2: the day by which the Ministry must decide; None while proceedings are interrupted."""
    raw = decision_due_raw(filed_on, period_days, interruptions)
    return None if raw is None else next_working_day(raw)


def delivery_date(made_available_on: date, opened_on: date | None) -> date:
    """D3: the day a decision made available in the portal counts as delivered.

    Not shifted for weekends: the delivery fiction is a fixed day, not a period to be met.
    """
    _require_date(made_available_on, "made_available_on")
    fiction_day = made_available_on + timedelta(days=DELIVERY_FICTION_DAYS)
    if opened_on is None:
        return fiction_day
    _require_date(opened_on, "opened_on")
    if opened_on < made_available_on:
        raise ValueError(
            f"a decision cannot be opened ({opened_on}) before it is made available "
            f"({made_available_on})"
        )
    return min(opened_on, fiction_day)


def appeal_due(delivered_on: date) -> date:
    """D4: the last day to appeal a decision delivered on ``delivered_on``."""
    return period_end(delivered_on, APPEAL_PERIOD_DAYS)


def document_deadline(interrupted_on: date, days: int = DEFAULT_DOCUMENT_DEADLINE_DAYS) -> date:
    """D5: the last day to supply the documents requested when proceedings were interrupted."""
    return period_end(interrupted_on, days)


def biometrics_due(entered_on: date) -> date:
    """D6: the last day to give biometrics after entering the country (filed abroad) [003]."""
    return period_end(entered_on, BIOMETRICS_AFTER_ENTRY_DAYS)


def card_pickup_due(biometrics_on: date) -> date:
    """D6: the last day to collect the residence card after giving biometrics [002][003]."""
    return period_end(biometrics_on, CARD_PICKUP_DAYS)
