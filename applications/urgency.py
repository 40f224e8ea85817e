"""How urgent a case is for the office: the working days left to the statutory decision deadline
(D2), "paused" while the proceedings are interrupted, or how many days it is overdue.

Pure: no database. The queues compute it for every row of a page from the row itself, and the
case page for its case. Working days are the Czech ones of ``permits.deadlines``: no Saturday,
Sunday or public holiday (Administrative Procedure Code, Act No. 500/2004 Coll., § 40(1)(c),
outside the seeds). The office must decide "within 60 days" of filing [002]; a deadline the
office missed is counted in calendar days, the days a person waits past it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.utils.translation import gettext, ngettext

from applications.constants import Status
from permits.deadlines import is_working_day


class Level:
    OVERDUE = "overdue"
    SOON = "soon"
    RUNNING = "running"
    PAUSED = "paused"
    NONE = "none"


@lru_cache(maxsize=4096)  # the rows of a page share their due dates and today
def working_days_between(start: date, end: date) -> int:
    """The working days after ``start`` up to and including ``end``; 0 when ``end`` is not
    after ``start``."""
    if end <= start:
        return 0
    days = (end - start).days
    return sum(1 for offset in range(1, days + 1) if is_working_day(start + timedelta(offset)))


@dataclass(frozen=True)
class Urgency:
    """A case's place against its decision deadline, said in words (never by colour alone)."""

    level: str
    due: date | None = None
    working_days_left: int | None = None
    days_overdue: int = 0

    @property
    def is_marked(self) -> bool:
        """Overdue or due soon: the queues mark the row and show a badge."""
        return self.level in (Level.OVERDUE, Level.SOON)

    @property
    def css_class(self) -> str:
        return f"urgency-{self.level}"

    @property
    def text(self) -> str:
        if self.level == Level.OVERDUE:
            return ngettext(
                "Overdue by %(days)s day", "Overdue by %(days)s days", self.days_overdue
            ) % {"days": self.days_overdue}
        if self.level == Level.PAUSED:
            return gettext("Paused")
        if self.level == Level.NONE or self.working_days_left is None:
            return ""
        if self.due is not None and self.working_days_left == 0:
            return gettext("Due today")
        return ngettext(
            "%(days)s working day left", "%(days)s working days left", self.working_days_left
        ) % {"days": self.working_days_left}

    def __str__(self) -> str:
        return self.text


def decision_urgency(*, status: str, due: date | None, today: date, soon_within: int) -> Urgency:
    """The urgency of a case in ``status`` whose decision is due on ``due``: the clock runs only
    while the case is filed and waits for a decision; an interruption stops it (D2). A case due
    within ``soon_within`` calendar days is due soon (the queues' "due within 7 days" tab)."""
    if status == Status.INTERRUPTED:
        return Urgency(Level.PAUSED)
    if status != Status.FILED or due is None:
        return Urgency(Level.NONE)
    if due < today:
        return Urgency(Level.OVERDUE, due=due, working_days_left=0, days_overdue=(today - due).days)
    left = working_days_between(today, due)
    level = Level.SOON if (due - today).days <= soon_within else Level.RUNNING
    return Urgency(level, due=due, working_days_left=left)
