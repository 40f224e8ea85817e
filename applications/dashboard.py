"""The supervisor's numbers: backlog, deadlines, decisions on time, processing times.

Every figure is an aggregate query, except "on time", which needs the due date that applied on
the day of each decision. That date is not stored (the Application keeps the current proceedings'
``decision_due``, cleared by the decision), so it is recomputed with the deadline engine (D2) from
``clock_started_on``, ``period_days`` and the interruptions: one query for the last 90 days'
decisions (grouped), one for their interruptions, whatever their number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Case, Count, Exists, F, OuterRef, Q, When
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from applications import charts
from applications.constants import OPEN_STATUSES, Outcome, Status
from applications.models import Application, Decision, Interruption
from permits import deadlines
from permits.models import PermitType

WINDOWS = (30, 90)


@dataclass(frozen=True)
class Backlog:
    by_state: list[tuple[str, str, int]]  # (status, label, count)
    by_type: list[tuple[str, int]]  # (permit type name, count)

    @property
    def total(self) -> int:
        return sum(count for _status, _label, count in self.by_state)


@dataclass(frozen=True)
class OnTime:
    days: int
    decided: int
    on_time: int

    @property
    def share(self) -> float | None:
        return self.on_time / self.decided if self.decided else None

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


@dataclass(frozen=True)
class ProcessingTime:
    permit_type: str
    decisions: int
    median_days: float


@dataclass
class DashboardStats:
    today: date
    week_ends_on: date
    backlog: Backlog
    due_this_week: int
    overdue: int
    on_time: list[OnTime] = field(default_factory=list)
    processing: list[ProcessingTime] = field(default_factory=list)


def _type_names() -> dict[int, str]:
    # Instances, not values_list(): the translated name falls back to another language.
    return {permit_type.pk: str(permit_type.name) for permit_type in PermitType.objects.all()}


def backlog(type_names: dict[int, str]) -> Backlog:
    """Cases in proceedings by state and by permit type: one grouped query."""
    rows = (
        Application.objects.filter(status__in=OPEN_STATUSES)
        .values("status", "permit_type_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_state: dict[str, int] = defaultdict(int)
    by_type: dict[int, int] = defaultdict(int)
    for row in rows:
        by_state[row["status"]] += row["n"]
        by_type[row["permit_type_id"]] += row["n"]
    return Backlog(
        by_state=[
            (status, str(Status(status).label), by_state.get(status, 0)) for status in OPEN_STATUSES
        ],
        by_type=sorted(
            ((type_names.get(pk, str(pk)), n) for pk, n in by_type.items()),
            key=lambda item: (-item[1], item[0]),
        ),
    )


def deadline_counts(today: date, week_ends_on: date) -> dict[str, int]:
    """Filed cases due by the end of this week, and those already overdue: one aggregate over
    the filed cases due by Sunday (the (status, decision_due) index)."""
    return Application.objects.filter(
        status=Status.FILED, decision_due__lte=week_ends_on
    ).aggregate(
        due_this_week=Count("pk", filter=Q(decision_due__gte=today)),
        overdue=Count("pk", filter=Q(decision_due__lt=today)),
    )


def due_at_decision(
    *,
    decided_on: date,
    clock_started_on: date | None,
    filed_on: date,
    period_days: int,
    interruptions: list[tuple[date, date | None]],
) -> date | None:
    """The decision deadline (D2) that applied on the day of the decision.

    The proceedings the decision ended began on ``clock_started_on``, unless an appeal later
    returned the case (then the clock restarted after this decision: fall back to filing).
    """
    start = clock_started_on if clock_started_on and clock_started_on <= decided_on else filed_on
    applied = [
        (begun, ended if ended is not None and ended <= decided_on else decided_on)
        for begun, ended in interruptions
        if start <= begun < decided_on
    ]
    return deadlines.decision_due(start, period_days, applied)


def _weighted_median(counts: dict[int, int]) -> float:
    """The median of values given as {value: how many times}."""
    total = sum(counts.values())
    ordered = sorted(counts.items())

    def nth(position: int) -> int:  # 0-based
        seen = 0
        for value, times in ordered:
            seen += times
            if position < seen:
                return value
        raise IndexError(position)

    middle = total // 2
    if total % 2:
        return float(nth(middle))
    return (nth(middle - 1) + nth(middle)) / 2


def decisions_on_time(today: date, type_names: dict[int, str]) -> tuple[list[OnTime], list[Any]]:
    """Share of grants and rejections made within the statutory deadline over the last 30 and
    90 days, and the median days from filing to decision per permit type (last 90 days).

    A stop (after a missed documents' deadline) is left out: its clock stood still.

    Two queries. The decisions are grouped by what decides their due date (the day the clock
    started, the period, the day of the decision, the type), so a thousand decisions on cases
    never interrupted come back as one row with a count; a case that was interrupted keeps its
    own row, and its interruptions come in the second query.
    """
    since = today - timedelta(days=max(WINDOWS))
    decisions = Decision.objects.filter(
        decided_on__gte=since,
        decided_on__lte=today,
        outcome__in=[Outcome.GRANTED, Outcome.REJECTED],
    )
    was_interrupted = Exists(Interruption.objects.filter(application_id=OuterRef("application_id")))
    groups = (
        decisions.annotate(
            interrupted_case=Case(When(was_interrupted, then=F("application_id")), default=None)
        )
        .values(
            "interrupted_case",
            "decided_on",
            "application__clock_started_on",
            "application__filed_on",
            "application__period_days",
            "application__permit_type_id",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    interruptions: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for application_id, started_on, ended_on in Interruption.objects.filter(
        application_id__in=decisions.values("application_id")
    ).values_list("application_id", "started_on", "ended_on"):
        interruptions[application_id].append((started_on, ended_on))

    decided = dict.fromkeys(WINDOWS, 0)
    on_time = dict.fromkeys(WINDOWS, 0)
    durations: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    # Groups differ by type and day of decision but share starts and periods: compute each
    # due date once. Without interruptions it depends on the day of the decision only when the
    # clock restarted after it (an appeal that returned the case).
    memo: dict[tuple[Any, ...], date | None] = {}
    for group in groups:
        filed_on = group["application__filed_on"]
        period_days = group["application__period_days"]
        if filed_on is None or period_days is None:
            continue
        decided_on, n = group["decided_on"], group["n"]
        clock_started_on = group["application__clock_started_on"]
        spans = interruptions.get(group["interrupted_case"], [])
        restarted = clock_started_on is not None and clock_started_on > decided_on
        key = (
            decided_on if spans or restarted else None,
            clock_started_on,
            filed_on,
            period_days,
            tuple(spans),
        )
        if key not in memo:
            memo[key] = due_at_decision(
                decided_on=decided_on,
                clock_started_on=clock_started_on,
                filed_on=filed_on,
                period_days=period_days,
                interruptions=spans,
            )
        due = memo[key]
        for days in WINDOWS:
            if decided_on >= today - timedelta(days=days):
                decided[days] += n
                if due is not None and decided_on <= due:
                    on_time[days] += n
        durations[group["application__permit_type_id"]][(decided_on - filed_on).days] += n
    shares = [OnTime(days=days, decided=decided[days], on_time=on_time[days]) for days in WINDOWS]
    processing = sorted(
        (
            ProcessingTime(
                permit_type=type_names.get(type_id, str(type_id)),
                decisions=sum(counts.values()),
                median_days=_weighted_median(counts),
            )
            for type_id, counts in durations.items()
        ),
        key=lambda item: (-item.median_days, item.permit_type),
    )
    return shares, processing


def dashboard_stats(today: date) -> DashboardStats:
    week_ends_on = today + timedelta(days=6 - today.weekday())
    type_names = _type_names()
    counts = deadline_counts(today, week_ends_on)
    shares, processing = decisions_on_time(today, type_names)
    return DashboardStats(
        today=today,
        week_ends_on=week_ends_on,
        backlog=backlog(type_names),
        due_this_week=counts["due_this_week"],
        overdue=counts["overdue"],
        on_time=shares,
        processing=processing,
    )


# --- The charts ------------------------------------------------------------------------------


def _number(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def dashboard_charts(stats: DashboardStats) -> dict[str, SafeString]:
    """The dashboard's four charts (inline SVG), each beside the table with its numbers."""
    on_time = [
        charts.Bar(
            label=_("Last %(days)s days") % {"days": share.days},
            value=share.percent or 0,
            shown="—" if share.percent is None else f"{share.percent} %",
        )
        for share in stats.on_time
    ]
    processing = [
        charts.Bar(
            label=item.permit_type,
            value=item.median_days,
            shown=_("%(days)s days") % {"days": f"{item.median_days:g}"},
        )
        for item in stats.processing
    ]
    return {
        "states": charts.bar_chart(
            title=_("Backlog by state"),
            bars=[
                charts.Bar(label=label, value=count, shown=_number(count))
                for _status, label, count in stats.backlog.by_state
            ],
            description=_("Cases in proceedings, by state."),
        ),
        "types": charts.bar_chart(
            title=_("Backlog by permit type"),
            bars=[
                charts.Bar(label=name, value=count, shown=_number(count))
                for name, count in stats.backlog.by_type
            ],
            description=_("Cases in proceedings, by permit type."),
        ),
        "on_time": charts.bar_chart(
            title=_("Decisions within the statutory deadline"),
            bars=on_time,
            maximum=100,
            description=_("Share of grants and rejections made by their due date."),
        ),
        "processing": charts.bar_chart(
            title=_("Median processing time by permit type"),
            bars=processing,
            description=_("Days from filing to decision, decisions of the last 90 days."),
        ),
    }
