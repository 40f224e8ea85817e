"""The supervisor dashboard: its numbers on a small dataset worked out by hand, every count a
link to a list of as many cases, its numbers in the interface language, and its charts."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from accounts.constants import Role
from applications.charts import LABEL_CHARS, Bar, bar_chart, wrap
from applications.constants import OPEN_STATUSES, Outcome, Status
from applications.dashboard import (
    dashboard_stats,
    days,
    due_at_decision,
    forget_kept_figures,
    number,
    percent,
)
from applications.demo import CasePlan
from applications.models import Application
from applications.queues import Tab
from applications.tasks import refresh_dashboard_figures
from permits.models import PermitType
from tests.accounts.factories import UserFactory
from tests.applications.test_queues import MIX, bulk_cases, employee_card

pytestmark = pytest.mark.django_db

# Four for any staff page (session, user, second factor, the unread notifications in the
# header; the permissions are kept, accounts.backends), then the dashboard's two that shape the
# kept counts: the permit types' names and the caseworkers. Counting adds three: the cases in
# proceedings (one grouped query: backlog, deadlines, workload), the decisions of the last 90
# days (grouped) and their interruptions.
DASHBOARD_QUERIES = 6
# The page rendered from kept counts is kept too: only the four of any staff page.
KEPT_PAGE_QUERIES = 4
COUNTING_QUERIES = 3

# Every test here runs on a Friday morning in Prague (the issue was reported on one).
MOMENT = datetime(2026, 12, 4, 10, tzinfo=ZoneInfo("Europe/Prague"))


@pytest.fixture(autouse=True)
def _friday_in_prague():
    with time_machine.travel(MOMENT, tick=False):
        yield


# Employee Card: 60 days to decide (filed in the Czech Republic).
PLANS = [
    # In proceedings
    (CasePlan(Status.FILED, filed_days_ago=3, assigned=False), False),  # 0
    (CasePlan(Status.FILED, filed_days_ago=20), True),  # 1: made due today below
    (CasePlan(Status.FILED, filed_days_ago=90), True),  # 2: overdue
    (CasePlan(Status.INTERRUPTED, filed_days_ago=30, open_interruption_days_ago=2), True),  # 3
    (  # 4: decided on day 60 after filing: on the due date at the latest, so on time
        CasePlan(
            Status.APPEALED,
            filed_days_ago=80,
            decided_days_ago=20,
            outcome=Outcome.REJECTED,
            opened=True,
            appealed=True,
        ),
        True,
    ),
    # Decided
    (CasePlan(Status.DECIDED, filed_days_ago=45, decided_days_ago=5), True),  # 5: day 40, on time
    (CasePlan(Status.DECIDED, filed_days_ago=100, decided_days_ago=10), True),  # 6: day 90, late
    (  # 7: day 75, on time only because the 30-day interruption moved the deadline to day 90
        CasePlan(Status.DECIDED, filed_days_ago=80, past_interruption=(5, 30), decided_days_ago=5),
        True,
    ),
    (  # 8: 60 days ago, day 40: on time, in the 90-day window only
        CasePlan(
            Status.CLOSED,
            filed_days_ago=100,
            decided_days_ago=60,
            outcome=Outcome.GRANTED,
            opened=True,
        ),
        True,
    ),
    (  # 9: stopped proceedings are left out
        CasePlan(Status.DECIDED, filed_days_ago=100, decided_days_ago=3, outcome=Outcome.STOPPED),
        True,
    ),
    # 10: decided 120 days ago: outside both windows
    (
        CasePlan(
            Status.CLOSED,
            filed_days_ago=200,
            decided_days_ago=120,
            outcome=Outcome.GRANTED,
            opened=True,
        ),
        True,
    ),
    (CasePlan(Status.WITHDRAWN, filed_days_ago=30), False),  # 11
]


@pytest.fixture
def dataset(caseworker):
    cases = bulk_cases(
        len(PLANS),
        caseworker=caseworker,
        plans=PLANS,
        permit_type=PermitType.objects.get(code="employee_card"),
    )
    Application.objects.filter(pk=cases[1].pk).update(decision_due=timezone.localdate())
    return cases


def test_dashboard_numbers_for_a_known_dataset(dataset, caseworker):
    today = timezone.localdate()
    stats = dashboard_stats(today)

    assert [(item.status, item.figure.count) for item in stats.backlog.by_state] == [
        (Status.FILED, 3),
        (Status.INTERRUPTED, 1),
        (Status.APPEALED, 1),
    ]
    assert stats.backlog.total.count == 5
    assert [item.figure.count for item in stats.backlog.by_type] == [5]
    # "This week" is the queues' "due within 7 days": today to today + 7.
    assert (stats.window.first, stats.window.last) == (today, today + timedelta(days=7))
    assert stats.due_soon.count == 1
    assert stats.overdue.count == 1

    # Case 0 is nobody's, 1-4 are the caseworker's (1 due today, 2 overdue).
    rows = {row.user_id: row for row in stats.workload}
    mine = rows[caseworker.pk]
    assert (mine.open.count, mine.due_soon.count, mine.overdue.count) == (4, 1, 1)
    assert (rows[None].open.count, rows[None].due_soon.count, rows[None].overdue.count) == (1, 0, 0)
    assert stats.workload[-1].user_id is None

    windows = {share.days: share for share in stats.on_time}
    assert (windows[30].decided, windows[30].on_time, windows[30].percent) == (4, 3, 75)
    assert (windows[90].decided, windows[90].on_time, windows[90].percent) == (5, 4, 80)

    # Days from filing to decision: 60, 40, 90, 75, 40 -> median 60.
    (processing,) = stats.processing
    assert (processing.decisions, processing.median_days) == (5, 60)


def test_due_at_decision_counts_the_interruptions_of_those_proceedings():
    filed = date(2026, 1, 5)
    # SPEC D2 worked example: interrupted 01-20, resumed 02-03 -> due 2026-03-20.
    assert due_at_decision(
        decided_on=date(2026, 3, 19),
        clock_started_on=filed,
        filed_on=filed,
        period_days=60,
        interruptions=[(date(2026, 1, 20), date(2026, 2, 3))],
    ) == date(2026, 3, 20)
    # An interruption after the decision (new proceedings after an appeal) does not count,
    # and a clock restarted after the decision falls back to the filing day.
    assert due_at_decision(
        decided_on=date(2026, 3, 1),
        clock_started_on=date(2026, 5, 1),
        filed_on=filed,
        period_days=60,
        interruptions=[(date(2026, 5, 10), date(2026, 5, 20))],
    ) == date(2026, 3, 6)


def test_dashboard_page_shows_charts_and_tables(dataset, supervisor, client_for):
    response = client_for(supervisor).get(reverse("caseworker:dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="bar-chart" role="img"') == 4
    assert "<title" in html and "<desc" in html
    overdue = reverse("caseworker:queue_tab", args=[Tab.OVERDUE])
    due_soon = reverse("caseworker:queue_tab", args=[Tab.DUE_SOON])
    assert f'data-stat="overdue"><a href="{overdue}" data-count="1">1</a>' in html
    assert f'data-stat="due-soon"><a href="{due_soon}" data-count="1">1</a>' in html
    # One "this week", named as the queue tab names it; no "Due by Sunday" beside it.
    # (Each workload cell repeats its column's name in data-label, for the phone's cards.)
    shown = html.count("Due within 7 days") - html.count('data-label="Due within 7 days"')
    assert shown == 2  # the tile and the workload column
    assert "Sunday" not in html
    assert "Workload by caseworker" in html and "Unassigned" in html
    assert 'data-window="30"' in html and "75 %" in html
    assert "cdn" not in html.lower() and '<script src="http' not in html


# --- Every count opens a list of as many cases ------------------------------------------------


class _CountedLinks(HTMLParser):
    """The links of a page that carry a count (``data-count``): (href, count, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, int, str]] = []
        self._open: tuple[str, int] | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and "data-count" in values:
            self._open = (values["href"], int(values["data-count"]))
            self._text = ""

    def handle_data(self, data):
        if self._open:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            self.links.append((*self._open, self._text.strip()))
            self._open = None


def counted_links(html: str) -> list[tuple[str, int, str]]:
    parser = _CountedLinks()
    parser.feed(html)
    return parser.links


def _digits(text: str) -> int:
    # "1,234" in English, "1 234" in Czech: the digits are the number.
    return int(re.sub(r"\D", "", text))


def listed(client, href: str) -> tuple[int, int]:
    """Open a list a count links to: the count the list states, and the cases it shows."""
    response = client.get(href)
    assert response.status_code == 200, href
    html = response.content.decode()
    path = urlsplit(href).path
    if path.startswith("/caseworker/queue/"):
        tab = path.split("/")[3]
        stated = re.search(rf'data-tab-count="{tab}">([^<]*)<', html)
    else:
        assert path == reverse("caseworker:search"), href
        stated = re.search(r"data-search-count>\(([^)]*)\)", html)
    assert stated, href
    assert "+" not in stated.group(1), href  # an exact count, not a lower bound
    shown = set(re.findall(r'href="/caseworker/cases/(\d+)/[?"]', html))
    return _digits(stated.group(1)), len(shown)


@pytest.fixture
def every_kind_of_case(caseworker, other_caseworker):
    """Cases in every state, over every permit type that is filed here, assigned to two
    caseworkers, to someone who has left, and to nobody; filed cases due on the edges of the
    "within 7 days" window."""
    today = timezone.localdate()
    cases = bulk_cases(2 * len(MIX), caseworker=caseworker, other=other_caseworker, plans=MIX)
    cases += bulk_cases(len(PLANS), caseworker=other_caseworker, plans=PLANS, seed=3)
    filed = [case for case in cases if case.status == Status.FILED]
    for case, offset in zip(filed, (-1, 0, 7, 8, 3), strict=False):
        Application.objects.filter(pk=case.pk).update(decision_due=today + timedelta(days=offset))
    gone = UserFactory(role=Role.CASEWORKER, is_active=False, first_name="Left", last_name="Us")
    Application.objects.filter(pk=filed[2].pk).update(assigned_to=gone)
    return cases


def test_every_count_on_the_dashboard_opens_a_list_of_as_many_cases(
    every_kind_of_case, supervisor, client_for
):
    client = client_for(supervisor)
    stats = dashboard_stats(timezone.localdate())
    html = client.get(reverse("caseworker:dashboard")).content.decode()
    links = counted_links(html)

    # Every tile, every state and permit type, three cells for each workload row (the person
    # who left holds a case and has a row); no other count is a link.
    types = len(stats.backlog.by_type)
    assert types >= 5
    names = {row.name for row in stats.workload}
    assert {"Left Us (no longer a caseworker)", "Unassigned"} <= names
    assert "Left Us (no longer a caseworker)" in html
    assert len(links) == 3 + len(OPEN_STATUSES) + types + 3 * len(stats.workload)
    # Due today and in 7 days are in the window, in 8 days not; yesterday is overdue.
    assert stats.due_soon.count >= 3 and stats.overdue.count >= 2

    for href, count, text in links:
        assert _digits(text) == count, href
        stated, shown = listed(client, href)
        assert stated == count, href
        assert shown == count, href  # fewer than a page: every case is on it


def test_workload_adds_up_to_the_backlog(every_kind_of_case):
    stats = dashboard_stats(timezone.localdate())

    rows = stats.workload
    assert sum(row.open.count for row in rows) == stats.backlog.total.count
    assert sum(row.due_soon.count for row in rows) == stats.due_soon.count
    assert sum(row.overdue.count for row in rows) == stats.overdue.count
    unassigned = rows[-1]
    assert unassigned.user_id is None
    assert (
        unassigned.open.count
        == Application.objects.filter(status__in=OPEN_STATUSES, assigned_to__isnull=True).count()
    )


def test_dashboard_query_count_is_the_same_for_5_and_200_cases(
    caseworker, supervisor, django_assert_num_queries, client_for
):
    client = client_for(supervisor)
    bulk_cases(5, caseworker=caseworker, plans=MIX)
    with django_assert_num_queries(DASHBOARD_QUERIES + COUNTING_QUERIES):
        client.get(reverse("caseworker:dashboard"))
    bulk_cases(195, caseworker=caseworker, plans=MIX, seed=5)
    assert Application.objects.count() == 200
    with django_assert_num_queries(KEPT_PAGE_QUERIES):
        kept = client.get(reverse("caseworker:dashboard"))
    forget_kept_figures(timezone.localdate())
    with django_assert_num_queries(DASHBOARD_QUERIES + COUNTING_QUERIES):
        response = client.get(reverse("caseworker:dashboard"))
    assert len(counted_links(response.content.decode())) > 10
    # The kept page showed the 5 cases' figures; counting again shows the 200.
    assert stat(kept, "backlog") != stat(response, "backlog")


def stat(response, name: str) -> str:
    match = re.search(rf'data-stat="{name}">(.*?)</p>', response.content.decode(), re.S)
    assert match is not None
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_the_kept_figures_are_counted_again_when_too_old_and_say_when(
    caseworker, supervisor, client_for
):
    client = client_for(supervisor)
    bulk_cases(5, caseworker=caseworker, plans=MIX)
    first = client.get(reverse("caseworker:dashboard"))
    bulk_cases(20, caseworker=caseworker, plans=MIX, seed=5)

    # Two minutes: the beat counts every minute, a page only when the beat has not.
    with time_machine.travel(MOMENT + timedelta(seconds=119), tick=False):
        within_the_minute = client.get(reverse("caseworker:dashboard"))
    with time_machine.travel(MOMENT + timedelta(seconds=121), tick=False):
        after_it = client.get(reverse("caseworker:dashboard"))

    assert stat(within_the_minute, "backlog") == stat(first, "backlog")
    assert stat(after_it, "backlog") != stat(first, "backlog")
    # When they were counted, in Prague's time (the date's spaces do not break).
    assert "Figures as of 4\u00a0Dec\u00a02026, 10:00." in first.content.decode()
    assert "Figures as of 4\u00a0Dec\u00a02026, 10:02." in after_it.content.decode()


def test_the_beat_task_counts_for_the_next_pages(caseworker, supervisor, client_for):
    bulk_cases(5, caseworker=caseworker, plans=MIX)
    five = dashboard_stats(timezone.localdate()).backlog.total.shown
    refresh_dashboard_figures.delay()
    bulk_cases(20, caseworker=caseworker, plans=MIX, seed=5)
    twenty_five = dashboard_stats(timezone.localdate()).backlog.total.shown

    page = client_for(supervisor).get(reverse("caseworker:dashboard"))

    assert five != twenty_five
    assert stat(page, "backlog") == five


# --- Numbers in the interface language ---------------------------------------------------------


@pytest.fixture
def median_of_67_and_a_half(caseworker):
    # 40 and 95 days from filing to decision.
    plans = [
        (CasePlan(Status.DECIDED, filed_days_ago=45, decided_days_ago=5), True),
        (CasePlan(Status.DECIDED, filed_days_ago=100, decided_days_ago=5), True),
    ]
    bulk_cases(2, caseworker=caseworker, plans=plans, permit_type=employee_card())


@pytest.mark.parametrize(
    ("language", "ours", "foreign"), [("cs", "67,5", "67.5"), ("en", "67.5", "67,5")]
)
def test_decimals_are_written_as_the_language_writes_them(
    median_of_67_and_a_half, supervisor, client_for, language, ours, foreign
):
    html = client_for(supervisor, language=language).get(reverse("caseworker:dashboard"))
    html = html.content.decode()
    text = re.sub(r"<[^>]+>", " ", html)  # what is read, not the drawing's coordinates

    assert f">{ours}<" in html  # the table
    assert f'class="value">{ours} ' in html  # the chart, with its unit
    assert foreign not in text
    assert 'data-median="67.5"' in html  # the machine-readable value stays a dot


def test_days_have_their_unit_in_words():
    with translation.override("en"):
        assert days(1) == "1 day"
        assert days(60.0) == "60 days"
        assert days(67.5) == "67.5 days"
        assert percent(75) == "75 %"
        assert number(1234) == "1,234"
    with translation.override("cs"):
        assert days(67.5).startswith("67,5 ")
        assert number(1234).replace("\xa0", " ") == "1 234"


# --- Charts ------------------------------------------------------------------------------------

# Long names that differ only at the end: cut to their first 33 characters they were the same.
LONG_NAMES = [
    "Povolení k dlouhodobému pobytu za účelem společného soužití rodiny",
    "Povolení k dlouhodobému pobytu za účelem studia",
    "Povolení k dlouhodobému pobytu za účelem ochrany na území",
    "Povolení k dlouhodobému pobytu za účelem vědeckého výzkumu",
    "Povolení k dlouhodobému pobytu za účelem investování",
]


def test_chart_labels_are_wrapped_whole_never_cut():
    svg = str(bar_chart(title="Types", bars=[Bar(label=name, value=3) for name in LONG_NAMES]))

    labels = re.findall(r'<text text-anchor="end"[^>]*>(.*?)</text>', svg)
    shown = [" ".join(re.findall(r"<tspan[^>]*>(.*?)</tspan>", label)) for label in labels]
    assert shown == LONG_NAMES
    assert "…" not in svg
    assert all(len(line) <= LABEL_CHARS for name in LONG_NAMES for line in wrap(name))
    # Rows grow with their labels: the bars do not overlap.
    ys = [float(y) for y in re.findall(r'<rect x="\d+" y="([\d.]+)"', svg)]
    assert all(later - earlier >= 18 for earlier, later in itertools.pairwise(ys))


def test_wrap_splits_a_word_longer_than_a_line():
    assert wrap("a" * 70, 32) == ["a" * 32, "a" * 32, "a" * 6]
    assert wrap("", 32) == [""]


def test_bar_chart_escapes_labels_and_labels_itself():
    svg = str(
        bar_chart(
            title="Backlog <by> type",
            bars=[Bar(label="<script>alert(1)</script>", value=3), Bar(label="B", value=0)],
        )
    )

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'role="img"' in svg and "aria-labelledby=" in svg
    assert "<title id=" in svg and "Backlog &lt;by&gt; type" in svg
    assert svg.count('<g class="bar">') == 2


def test_bar_chart_of_nothing_is_still_valid():
    svg = str(bar_chart(title="Empty", bars=[]))
    assert svg.startswith("<svg") and svg.endswith("</svg>")


@pytest.mark.parametrize(
    ("counts", "median"),
    [({5: 1}, 5.0), ({1: 1, 3: 1}, 2.0), ({40: 2, 60: 1, 75: 1, 90: 1}, 60.0), ({1: 3, 9: 1}, 1.0)],
)
def test_weighted_median(counts, median):
    from applications.dashboard import _weighted_median

    assert _weighted_median(counts) == median
