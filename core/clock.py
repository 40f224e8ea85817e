"""The one clock of the project: the instant, and the calendar day in Prague.

Statutory days are Prague days (the office's seat; SPEC §3): a case filed at 23:30 UTC on a
Friday in winter was filed on Saturday. Every "today" in the product comes from :func:`today`,
so a test pins one instant (time-machine) and every layer sees the same day.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

PRAGUE = ZoneInfo("Europe/Prague")


def now() -> datetime:
    """The present instant, aware (UTC)."""
    return timezone.now()


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
