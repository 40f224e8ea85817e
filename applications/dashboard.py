"""The supervisor's numbers: backlog, deadlines, workload, decisions on time, processing times.

Every count of cases is a link to the list of those cases, which shows the same count
(``Figure``): a queue tab where the tab lists exactly that set (``queues.tab_condition``),
otherwise the search over all cases (``applications.search``, its GET parameters). A share or
a median is no list's count and links nowhere; neither are the counts of decisions (a case
returned on appeal and decided again has two decisions, and the search finds cases).

"This week" is the queues' own: the filed cases due from today to today + ``DUE_SOON_DAYS``,
the "Due within 7 days" tab, under the tab's label.

The cases in proceedings are read in one grouped query (by state, permit type and assignee,
with the due-soon and overdue counts as conditional aggregates), from which the backlog, the
deadline tiles and the workload table are summed; the counts are kept for a minute (see "Kept
figures" below). "On time" needs the due date that applied on
the day of each decision. That date is not stored (the Application keeps the current
proceedings' ``decision_due``, cleared by the decision), so it is recomputed with the deadline
engine (D2) from ``clock_started_on``, ``period_days`` and the interruptions: one query for the
last 90 days' decisions (grouped), one for their interruptions, whatever their number.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db.models import Case, Count, Exists, F, OuterRef, Q, When
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from applications import charts
from applications.constants import OPEN_STATUSES, Outcome, Status
from applications.models import Application, Decision, Interruption
from applications.queues import DUE_SOON_DAYS, TABS, Tab, caseworkers
from applications.search import NOBODY, OPEN
from permits import deadlines
from permits.models import PermitType

WINDOWS = (30, 90)

# The states whose queue tab lists exactly the cases in that state (``queues.tab_condition``).
TAB_OF_STATE = {Status.INTERRUPTED: Tab.INTERRUPTED, Status.APPEALED: Tab.APPEALS}


# --- Numbers as the interface language writes them -------------------------------------------


def number(value: float) -> str:
    """A count or a decimal in the active language: "1,234" and "67.5", "1 234" and "67,5"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return formats.number_format(value, force_grouping=True)


def percent(value: int | None) -> str:
    return "—" if value is None else _("%(percent)s %%") % {"percent": number(value)}


def days(value: float) -> str:
    """A number of days with its unit: "1 day", "60 days", "67.5 days" ("67,5 dne")."""
    if float(value).is_integer():
        count = int(value)
        return ngettext("%(days)s day", "%(days)s days", count) % {"days": number(count)}
    # Czech takes the genitive singular after a fraction ("2,5 dne"): a message of its own.
    return pgettext("a fractional number of days", "%(days)s days") % {"days": number(value)}


# --- Counts that link to their list ------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A count of cases and the list of exactly those cases."""

    count: int
    url: str

    @property
    def shown(self) -> str:
        return number(self.count)


def queue_url(tab: str) -> str:
    return reverse("caseworker:queue_tab", args=[tab])


def search_url(**params: Any) -> str:
    """The search (``applications.search.CaseSearch``) with these GET parameters; dates ISO."""
    query = {
        name: value.isoformat() if isinstance(value, date) else str(value)
        for name, value in params.items()
        if value not in (None, "")
    }
    return f"{reverse('caseworker:search')}?{urlencode(query)}"


@dataclass(frozen=True)
class Window:
    """The queues' "due within 7 days": filed cases due from ``first`` to ``last`` inclusive."""

    first: date
    last: date

    @classmethod
    def from_today(cls, today: date) -> Window:
        return cls(first=today, last=today + timedelta(days=DUE_SOON_DAYS))

    @property
    def label(self) -> str:
        return str(TABS[Tab.DUE_SOON])

    def due_soon(self) -> Q:
        return Q(status=Status.FILED, decision_due__gte=self.first, decision_due__lte=self.last)

    def overdue(self) -> Q:
        return Q(status=Status.FILED, decision_due__lt=self.first)


# --- The figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StateCount:
    status: str
    label: str
    figure: Figure


@dataclass(frozen=True)
class TypeCount:
    permit_type_id: int
    name: str
    figure: Figure


@dataclass(frozen=True)
class Backlog:
    total: Figure
    by_state: list[StateCount]
    by_type: list[TypeCount]


@dataclass(frozen=True)
class Workload:
    """One caseworker's cases in proceedings (``user_id`` None: nobody's)."""

    user_id: int | None
    name: str
    open: Figure
    due_soon: Figure
    overdue: Figure


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

    @property
    def decided_shown(self) -> str:
        return number(self.decided)

    @property
    def on_time_shown(self) -> str:
        return number(self.on_time)

    @property
    def percent_shown(self) -> str:
        return percent(self.percent)


@dataclass(frozen=True)
class ProcessingTime:
    permit_type: str
    decisions: int
    median_days: float

    @property
    def decisions_shown(self) -> str:
        return number(self.decisions)

    @property
    def median_shown(self) -> str:
        return number(self.median_days)


@dataclass
class DashboardStats:
    today: date
    at: datetime
    window: Window
    backlog: Backlog
    due_soon: Figure
    overdue: Figure
    workload: list[Workload]
    on_time: list[OnTime] = field(default_factory=list)
    processing: list[ProcessingTime] = field(default_factory=list)


def _type_names() -> dict[int, str]:
    # Instances, not values_list(): the translated name falls back to another language.
    return {permit_type.pk: str(permit_type.name) for permit_type in PermitType.objects.all()}


def _person(user: Any) -> str:
    return user.get_full_name() or user.email


def _open_case_groups(window: Window) -> list[dict[str, Any]]:
    """The cases in proceedings counted by state, permit type and assignee, with how many of
    each group are due within the window and overdue: one grouped query."""
    groups = (
        Application.objects.filter(status__in=OPEN_STATUSES)
        .values("status", "permit_type_id", "assigned_to_id")
        .annotate(
            n=Count("pk"),
            due_soon=Count("pk", filter=window.due_soon()),
            overdue=Count("pk", filter=window.overdue()),
        )
        .order_by()
    )
    return [dict(group) for group in groups]


def _backlog(groups: list[dict[str, Any]], type_names: dict[int, str]) -> Backlog:
    by_state: dict[str, int] = defaultdict(int)
    by_type: dict[int, int] = defaultdict(int)
    for group in groups:
        by_state[group["status"]] += group["n"]
        by_type[group["permit_type_id"]] += group["n"]
    states = []
    for status in OPEN_STATUSES:
        tab = TAB_OF_STATE.get(status)
        url = queue_url(tab) if tab else search_url(status=status)
        states.append(
            StateCount(status, str(Status(status).label), Figure(by_state.get(status, 0), url))
        )
    types = [
        TypeCount(
            pk, type_names.get(pk, str(pk)), Figure(n, search_url(status=OPEN, permit_type=pk))
        )
        for pk, n in by_type.items()
    ]
    types.sort(key=lambda item: (-item.figure.count, item.name))
    return Backlog(
        total=Figure(sum(by_state.values()), search_url(status=OPEN)),
        by_state=states,
        by_type=types,
    )


def _workload(groups: list[dict[str, Any]], window: Window) -> list[Workload]:
    """Every caseworker (``queues.caseworkers``, those without cases too), then anyone else who
    still holds cases (someone who left, in one more query only then), then the unassigned."""
    totals: dict[int | None, list[int]] = defaultdict(lambda: [0, 0, 0])
    for group in groups:
        sums = totals[group["assigned_to_id"]]
        sums[0] += group["n"]
        sums[1] += group["due_soon"]
        sums[2] += group["overdue"]
    people = list(caseworkers())
    known = {user.pk for user in people}
    others = [pk for pk in totals if pk is not None and pk not in known]
    if others:
        people += list(
            get_user_model().objects.filter(pk__in=others).order_by("last_name", "first_name")
        )

    def row(user_id: int | None, name: str) -> Workload:
        open_count, due_soon, overdue = totals.get(user_id, (0, 0, 0))
        assignee = NOBODY if user_id is None else user_id
        return Workload(
            user_id=user_id,
            name=name,
            open=Figure(open_count, search_url(status=OPEN, assignee=assignee)),
            due_soon=Figure(
                due_soon,
                search_url(
                    status=Status.FILED,
                    assignee=assignee,
                    due_from=window.first,
                    due_to=window.last,
                ),
            ),
            overdue=Figure(
                overdue,
                search_url(
                    status=Status.FILED,
                    assignee=assignee,
                    due_to=window.first - timedelta(days=1),
                ),
            ),
        )

    def name(user: Any) -> str:
        if user.pk in known:
            return _person(user)
        return _("%(name)s (no longer a caseworker)") % {"name": _person(user)}

    return [row(user.pk, name(user)) for user in people] + [row(None, _("Unassigned"))]


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


def decision_tallies(today: date) -> DecisionTallies:
    """How many grants and rejections were made over the last 30 and 90 days, how many of them
    within the statutory deadline, and the days from filing to decision per permit type (last
    90 days): what ``decisions_on_time`` shows.

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
    return DecisionTallies(
        decided=decided,
        on_time=on_time,
        durations={type_id: dict(counts) for type_id, counts in durations.items()},
    )


def decisions_on_time(
    tallies: DecisionTallies, type_names: dict[int, str]
) -> tuple[list[OnTime], list[Any]]:
    """Share of grants and rejections made within the statutory deadline over the last 30 and
    90 days, and the median days from filing to decision per permit type (last 90 days)."""
    shares = [
        OnTime(days=days, decided=tallies.decided[days], on_time=tallies.on_time[days])
        for days in WINDOWS
    ]
    processing = sorted(
        (
            ProcessingTime(
                permit_type=type_names.get(type_id, str(type_id)),
                decisions=sum(counts.values()),
                median_days=_weighted_median(counts),
            )
            for type_id, counts in tallies.durations.items()
        ),
        key=lambda item: (-item.median_days, item.permit_type),
    )
    return shares, processing


@dataclass(frozen=True)
class DecisionTallies:
    decided: dict[int, int]
    on_time: dict[int, int]
    durations: dict[int, dict[int, int]]


@dataclass(frozen=True)
class Counted:
    """What the dashboard counts in the database, in no language: kept for a minute
    (``kept_counts``), shaped into ``DashboardStats`` per request."""

    today: date
    at: datetime
    groups: list[dict[str, Any]]
    decisions: DecisionTallies
    # Names this count, for the page rendered from it (kept until the next count).
    token: str = ""


def count(today: date) -> Counted:
    window = Window.from_today(today)
    return Counted(
        today=today,
        at=timezone.now(),
        token=uuid.uuid4().hex,
        groups=_open_case_groups(window),
        decisions=decision_tallies(today),
    )


def stats_of(counted: Counted) -> DashboardStats:
    """The figures of these counts, in the active language."""
    window = Window.from_today(counted.today)
    type_names = _type_names()
    groups = counted.groups
    shares, processing = decisions_on_time(counted.decisions, type_names)
    return DashboardStats(
        today=counted.today,
        at=counted.at,
        window=window,
        backlog=_backlog(groups, type_names),
        due_soon=Figure(sum(group["due_soon"] for group in groups), queue_url(Tab.DUE_SOON)),
        overdue=Figure(sum(group["overdue"] for group in groups), queue_url(Tab.OVERDUE)),
        workload=_workload(groups, window),
        on_time=shares,
        processing=processing,
    )


def dashboard_stats(today: date) -> DashboardStats:
    """The figures counted now."""
    return stats_of(count(today))


# --- Kept figures ----------------------------------------------------------------------------
#
# Counting reads every case in proceedings and every decision of the last 90 days: about 1.7 s
# on a million cases (docs/performance.md), too long for a page. The counts are kept in the
# shared cache and refreshed every minute by ``applications.tasks.refresh_dashboard_figures``;
# the page shows when they were counted. Without a worker (a local run), or if it falls behind,
# the first request after ``DASHBOARD_FIGURES_MAX_AGE`` seconds (two minutes: longer than the
# beat's period and a count, so no page races the beat) counts again, and one request only:
# the others meanwhile show the previous figures.


def _kept() -> Any:
    return caches["figures"]


def _kept_key(today: date) -> str:
    return f"dashboard-figures:{today.isoformat()}"


def recount(today: date) -> Counted:
    """Count now and keep the counts for the next requests."""
    counted = count(today)
    _kept().set(_kept_key(today), counted, timeout=settings.DASHBOARD_FIGURES_MAX_AGE * 10)
    return counted


def kept_counts(today: date) -> Counted:
    """The counts as last made for ``today``, made again when older than a minute."""
    counted = _kept().get(_kept_key(today))
    max_age = timedelta(seconds=settings.DASHBOARD_FIGURES_MAX_AGE)
    if counted is None or (
        timezone.now() - counted.at > max_age
        and _kept().add(
            f"{_kept_key(today)}:counting", 1, timeout=settings.DASHBOARD_FIGURES_MAX_AGE
        )
    ):
        counted = recount(today)
    return counted


def forget_kept_figures(today: date) -> None:
    _kept().delete_many([_kept_key(today), f"{_kept_key(today)}:counting"])


# --- The charts ------------------------------------------------------------------------------


def dashboard_charts(stats: DashboardStats) -> dict[str, SafeString]:
    """The dashboard's four charts (inline SVG), each beside the table with its numbers."""
    return {
        "states": charts.bar_chart(
            title=_("Backlog by state"),
            bars=[
                charts.Bar(label=item.label, value=item.figure.count, shown=item.figure.shown)
                for item in stats.backlog.by_state
            ],
            description=_("Cases in proceedings, by state."),
        ),
        "types": charts.bar_chart(
            title=_("Backlog by permit type"),
            bars=[
                charts.Bar(label=item.name, value=item.figure.count, shown=item.figure.shown)
                for item in stats.backlog.by_type
            ],
            description=_("Cases in proceedings, by permit type."),
        ),
        "on_time": charts.bar_chart(
            title=_("Decisions within the statutory deadline"),
            bars=[
                charts.Bar(
                    label=_("Last %(days)s days") % {"days": share.days},
                    value=share.percent or 0,
                    shown=share.percent_shown,
                )
                for share in stats.on_time
            ],
            maximum=100,
            description=_("Share of grants and rejections made by their due date."),
        ),
        "processing": charts.bar_chart(
            title=_("Median processing time by permit type"),
            bars=[
                charts.Bar(
                    label=item.permit_type, value=item.median_days, shown=days(item.median_days)
                )
                for item in stats.processing
            ],
            description=_("Days from filing to decision, decisions of the last 90 days."),
        ),
    }
