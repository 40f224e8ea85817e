"""The one clock of the project: the instant, and the calendar day in Prague.

Statutory days are Prague days (the office's seat; SPEC §3): a case filed at 23:30 UTC on a
Friday in winter was filed on Saturday. Every "today" in the product comes from :func:`today`,
so a test pins one instant (time-machine) and every layer sees the same day.

Demo data sets the clock itself (:func:`fixed_at`): it tells each case's story through the
services, every step on the day it happened. Requests and tasks never set it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

PRAGUE = ZoneInfo("Europe/Prague")

_fixed: ContextVar[datetime | None] = ContextVar("clock_fixed_at", default=None)


def now() -> datetime:
    """The present instant, aware (UTC); inside :func:`fixed_at`, the block's instant."""
    fixed = _fixed.get()
    return timezone.now() if fixed is None else fixed


@contextmanager
def fixed_at(moment: datetime) -> Iterator[None]:
    """Read the clock as ``moment`` inside the block (this thread only).

    For demo data (``applications.demo``), which runs in ``make run`` where time-machine is no
    dependency: every date a service takes from this clock is then the story's day. What Django
    stamps by itself (``auto_now`` fields) keeps the real time.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("fixed_at() needs an aware datetime")
    token = _fixed.set(moment)
    try:
        yield
    finally:
        _fixed.reset(token)


def local_date(moment: datetime) -> date:
    """The Europe/Prague calendar day of an aware timestamp (2026-03-31T23:30Z -> 2026-04-01)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("local_date() needs an aware datetime; a naive one has no calendar day")
    return moment.astimezone(PRAGUE).date()


def today() -> date:
    """Today in Prague."""
    return local_date(now())


def now_and_today() -> tuple[datetime, date]:
    """The instant and its Prague day, read once so that both agree across midnight."""
    moment = now()
    return moment, local_date(moment)
