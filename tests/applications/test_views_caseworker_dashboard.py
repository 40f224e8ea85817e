"""The supervisor dashboard: its numbers on a small dataset worked out by hand, and its charts."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.charts import Bar, bar_chart
from applications.constants import Outcome, Status
from applications.dashboard import dashboard_stats, due_at_decision
from applications.demo import CasePlan
from applications.models import Application
from permits.models import PermitType
from tests.applications.test_queues import bulk_cases

pytestmark = pytest.mark.django_db

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


def test_dashboard_numbers_for_a_known_dataset(dataset):
    today = timezone.localdate()
    stats = dashboard_stats(today)

    assert [(status, count) for status, _label, count in stats.backlog.by_state] == [
        (Status.FILED, 3),
        (Status.INTERRUPTED, 1),
        (Status.APPEALED, 1),
    ]
    assert stats.backlog.total == 5
    assert [count for _name, count in stats.backlog.by_type] == [5]
    assert stats.due_this_week == 1
    assert stats.overdue == 1
    assert stats.week_ends_on.weekday() == 6 and 0 <= (stats.week_ends_on - today).days <= 6

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


def test_dashboard_page_shows_charts_and_tables(
    dataset, supervisor, django_assert_max_num_queries, client_for
):
    client = client_for(supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("caseworker:dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="bar-chart" role="img"') == 4
    assert "<title" in html and "<desc" in html
    assert 'data-stat="overdue">1<' in html
    assert 'data-stat="due-this-week">1<' in html
    assert 'data-window="30"' in html and "75 %" in html
    assert "cdn" not in html.lower() and '<script src="http' not in html


def test_dashboard_query_count_does_not_grow_with_the_data(
    caseworker, supervisor, django_assert_num_queries, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(supervisor)
    bulk_cases(len(PLANS), caseworker=caseworker, plans=PLANS)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("caseworker:dashboard"))
    bulk_cases(len(PLANS) * 10, caseworker=caseworker, plans=PLANS, seed=5)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("caseworker:dashboard"))


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
