#!/usr/bin/env python
"""Time the caseworker queue pages, as a caseworker sees them, and show their query plans.

Run against a seeded database (``seed_demo --applications 1000000``), e.g.::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cw_bench DJANGO_DEBUG=1 \\
        .venv/bin/python scripts/bench_queues.py                 # 20 requests per tab
    ... scripts/bench_queues.py --runs 50 --extra                 # also searches and filters
    ... scripts/bench_queues.py --explain > /tmp/plans.txt        # EXPLAIN (ANALYZE, BUFFERS)

It logs in as caseworker1@example.com through the Django test client (the whole stack:
middleware, session, permissions, template), requests each tab ``--runs`` times after one
untimed warm-up request, and prints the median and the 95th percentile per tab.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.models import User  # noqa: E402
from applications import queues  # noqa: E402
from applications.models import Application  # noqa: E402
from core import clock  # noqa: E402

EMAIL = "caseworker1@example.com"

# Searches and filters a caseworker uses, timed with --extra: (label, tab, query string).
EXTRA = [
    ("new, page 100", "new", {"page": "100"}),
    ("mine, reversed", "mine", {"order": "desc"}),
    ("interrupted, past deadline", "interrupted", {"past_deadline": "on"}),
    ("new, surname 'Kov'", "new", {"q": "Kov"}),
    ("mine, reference prefix", "mine", {"q": "OAM-12345"}),
    ("overdue, permit type", "overdue", {"permit_type": "__type__"}),
    ("mine, state interrupted", "mine", {"status": "interrupted"}),
    ("new, channel embassy", "new", {"channel": "embassy"}),
    ("overdue, travel document", "overdue", {"q": "UA1234567", "search_in": "document"}),
]


def percentile_95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def timed(client: Client, url: str, query: dict[str, str], runs: int) -> list[float]:
    response = client.get(url, query)  # warm-up: not timed
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, query)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return samples


def verified_client(email: str) -> Client:
    """A test client signed in as ``email`` with its second factor verified. Staff pages answer
    only such a session; the benchmarks measure the pages, not the log-in, so they open one
    directly (scripts/bench_search.py uses it too)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    user = User.objects.filter(email=email).first()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if user is None or device is None:
        raise SystemExit(f"No {email} with an authenticator app: run seed_demo first.")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def bench(runs: int, extra: bool) -> None:
    client = verified_client(EMAIL)
    total = Application.objects.count()
    print(f"{total:,} applications, {connection.vendor}, {runs} requests per page\n")
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>10} {'max ms':>10}")
    rows = [(f"tab {tab}", tab, {}) for tab in queues.TABS]
    if extra:
        permit_type = Application.objects.values_list("permit_type_id", flat=True).first()
        rows += [
            (label, tab, {k: str(permit_type) if v == "__type__" else v for k, v in q.items()})
            for label, tab, q in EXTRA
        ]
    for label, tab, query in rows:
        samples = timed(client, reverse("caseworker:queue_tab", args=[tab]), query, runs)
        print(
            f"{label:34} {statistics.median(samples):10.1f} {percentile_95(samples):10.1f}"
            f" {max(samples):10.1f}"
        )


def explain(sql: str, params: list | tuple | None) -> str:
    """The plan of a statement; ``params=None`` for SQL captured with its values inlined."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def plans() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("EXPLAIN (ANALYZE, BUFFERS) needs PostgreSQL.")
    user = User.objects.get(email=EMAIL)
    today = clock.today()
    for tab in queues.TABS:
        cases = queues.queue_for(user, tab, today=today)
        ids_query = cases.values_list("pk", flat=True)[: queues.PAGE_SIZE]
        ids = list(ids_query)
        rows_query = cases.order_by().filter(pk__in=ids)
        print(f"### Tab `{tab}`\n")
        for title, queryset in (("the page's ids", ids_query), ("the 50 cases", rows_query)):
            sql, params = queryset.query.sql_with_params()
            print(f"{title}:\n\n```\n{explain(sql, params)}\n```\n")
    sql, params, _keys, _using = queues.tab_counts_sql(user, today=today)
    print(f"### The tab counts, unfiltered (one statement)\n\n```\n{explain(sql, params)}\n```\n")
    for label, filters in (
        ("surname 'Kov'", queues.QueueFilters(q="Kov")),
        ("channel embassy", queues.QueueFilters(channel="embassy")),
    ):
        with CaptureQueriesContext(connection) as captured:
            queues.tab_counts(user, filters, today=today)
        print(
            f"### The tab counts, filtered: {label} (one statement)\n\n"
            f"```\n{explain(captured.captured_queries[-1]['sql'], None)}\n```\n"
        )
    # The alternative we did not take: one conditional aggregate over every tab.
    with CaptureQueriesContext(connection) as captured:
        Application.objects.filter(
            Q(status__in=["filed", "interrupted", "appealed"])
            | Q(decided_on__gte=today - timedelta(days=queues.RECENTLY_DECIDED_DAYS))
        ).aggregate(
            **{
                tab: Count("pk", filter=queues.tab_condition(tab, user=user, today=today))
                for tab in queues.TABS
            }
        )
    print(
        "### Not used: one COUNT(*) FILTER (WHERE ...) aggregate over every case\n\n"
        f"```\n{explain(captured.captured_queries[-1]['sql'], None)}\n```\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--extra", action="store_true", help="also time searches and filters")
    parser.add_argument("--explain", action="store_true", help="print the query plans instead")
    args = parser.parse_args()
    if args.explain:
        plans()
    else:
        bench(args.runs, args.extra)


if __name__ == "__main__":
    main()
