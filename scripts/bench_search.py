#!/usr/bin/env python
"""Time the search over every case (``/caseworker/search/``) and show its query plans.

Run against a seeded database (``seed_demo --applications 1000000``), e.g.::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search DJANGO_DEBUG=1 \\
        .venv/bin/python scripts/bench_search.py                  # 30 requests per search
    ... scripts/bench_search.py --runs 50
    ... scripts/bench_search.py --explain > /tmp/plans.txt         # EXPLAIN (ANALYZE, BUFFERS)

Each search is timed twice over: the whole page as caseworker1@example.com sees it (Django's
test client: middleware, session, permissions, form, template) and ``search_page`` alone (the
three queries and the rows). Every run searches a different value of the same kind (another
reference, another person), so the timings are not those of one cached row; one untimed run
warms each search up. Prints the median and the 95th percentile per search.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

# The verified staff session of the queues' benchmark (scripts/ is on the path when a script
# runs).
from bench_queues import verified_client  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from applications.constants import Channel, Status  # noqa: E402
from applications.demo import (  # noqa: E402
    BulkCase,
    CasePlan,
    bulk_create_cases,
    bulk_insert,
    filed_year,
    random_applicant,
    random_plan,
)
from applications.management.commands.seed_demo import reserve_references  # noqa: E402
from applications.models import Applicant, Application  # noqa: E402
from applications.search import search_page  # noqa: E402
from applications.views.search import CaseSearchForm  # noqa: E402
from core import clock  # noqa: E402
from permits.models import PermitType  # noqa: E402

EMAIL = "caseworker1@example.com"
Query = dict[str, str]


def percentile_95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def sample_cases(count: int, seed: int) -> list[Application]:
    """``count`` filed cases picked at random over the whole table (by id, not by scanning)."""
    rng = random.Random(seed)  # noqa: S311  # which rows to time, not a secret
    top = Application.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked: list[Application] = []
    while len(picked) < count:
        ids = [rng.randint(1, top) for _ in range(count * 3)]
        picked += (
            Application.objects.filter(pk__in=ids)
            .exclude(status=Status.DRAFT)
            .select_related("applicant")[: count - len(picked)]
        )
    return picked


# The bulk seed draws every surname from 24 (each ~4 % of the people): a rare one is added.
RARE_SURNAME = "Szabó-Kertész"
RARE_CASES = 12


def ensure_rare_people() -> int:
    """Cases of people with a surname nobody else has, added the way ``seed_demo
    --applications`` adds cases (once; later runs find them)."""
    filed = Application.objects.filter(applicant__surname=RARE_SURNAME).exclude(status=Status.DRAFT)
    if filed.exists():
        return filed.count()
    today = clock.today()
    rng = random.Random(RARE_CASES)  # noqa: S311  # made-up people, not a secret
    support = User.objects.get(email="support@example.com")
    caseworker = User.objects.get(email=EMAIL)
    types = [t for t in PermitType.objects.fileable() if t.can_file_in_country]
    with transaction.atomic():
        people = []
        for _ in range(RARE_CASES):
            person = random_applicant(rng, created_by=support)
            person.surname = RARE_SURNAME
            people.append(person)
        people = bulk_insert(Applicant, people)
        plans = [random_plan(rng) for _ in people]
        plans = [p if p.status != Status.DRAFT else CasePlan(Status.WITHDRAWN) for p in plans]
        years = [filed_year(plan, today) for plan in plans]
        numbers = {year: iter(reserve_references(year, years.count(year))) for year in set(years)}
        bulk_create_cases(
            [
                BulkCase(
                    plan=plan,
                    applicant=person,
                    permit_type=rng.choice(types),
                    caseworker=caseworker,
                    channel=Channel.IN_PERSON,
                    reference=next(numbers[year]),
                )
                for plan, person, year in zip(plans, people, years, strict=True)
            ],
            today=today,
            actor=support,
        )
    print(f"added {RARE_CASES} cases of people named {RARE_SURNAME!r}")
    return RARE_CASES


def searches(runs: int) -> list[tuple[str, list[Query]]]:
    """Each search with one query per run (and one more for the warm-up)."""
    n = runs + 1
    cases = sample_cases(n, seed=1)
    rare: dict[str, Any] = {"surname": RARE_SURNAME, "n": ensure_rare_people()}
    common: Any = (
        Applicant.objects.filter(applications__filed_on__isnull=False)
        .values("surname")
        .annotate(n=Count("id"))
        .order_by("-n", "surname")
        .first()
    )
    if common is None:
        raise SystemExit("No filed cases: run seed_demo --applications N first.")
    print(
        f"rare surname: {rare['surname']!r} ({rare['n']} cases); "
        f"most common: {common['surname']!r} ({common['n']:,} cases)"
    )
    types = list(
        Application.objects.filter(status=Status.CLOSED)
        .values("permit_type")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("permit_type", flat=True)[:n]
    )
    references = [case.reference_number or "" for case in cases]
    return [
        ("reference, exact", [{"q": ref} for ref in references]),
        # "OAM-4217" of "OAM-42171/DP-2026": this number and the ten after it.
        ("reference, prefix", [{"q": ref.split("/")[0][:-1]} for ref in references]),
        ("surname prefix, rare", [{"q": rare["surname"][:4], "search_in": "surname"}] * n),
        ("surname, most common", [{"q": common["surname"], "search_in": "surname"}] * n),
        (
            "surname prefix, common (3 letters)",
            [{"q": common["surname"][:3], "search_in": "surname"}] * n,
        ),
        (
            "travel document",
            [
                {"q": case.applicant.travel_document_number, "search_in": "document"}
                for case in cases
            ],
        ),
        ("date of birth", [{"born": case.applicant.date_of_birth.isoformat()} for case in cases]),
        (
            "closed + permit type",
            [{"status": "closed", "permit_type": str(types[i % len(types)])} for i in range(n)],
        ),
        ("state closed (all)", [{"status": "closed"}] * n),
    ]


def logged_in_client() -> Client:
    return verified_client(EMAIL)


def filters_of(query: Query) -> Any:
    from applications.search import CaseSearch

    form = CaseSearchForm(query, assignees=[])
    if not form.is_valid():
        raise SystemExit(f"{query}: {form.errors.as_text()}")
    return CaseSearch.from_cleaned(form.cleaned_data)


def timed(run: Callable[[Query], Any], queries: list[Query]) -> list[float]:
    run(queries[0])  # warm-up: not timed
    samples = []
    for query in queries[1:]:
        started = time.perf_counter()
        run(query)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def bench(runs: int) -> None:
    client = logged_in_client()
    url = reverse("caseworker:search")
    total = Application.objects.count()
    print(f"{total:,} applications, {connection.vendor}, {runs} runs per search\n")

    def page(query: Query) -> None:
        response = client.get(url, query)
        # The count is shown only when the search ran (the form was right).
        if response.status_code != 200 or b"data-search-count" not in response.content:
            raise SystemExit(f"{url} {query} answered {response.status_code} without results")

    def selector(query: Query) -> None:
        result = search_page(filters_of(query), today=clock.today(), page_number=1)
        if not result.rows:
            raise SystemExit(f"{query} found nothing")

    header = f"{'search':36} {'page median':>11} {'page p95':>9} {'search median':>13} {'p95':>7}"
    print(header)
    for label, queries in searches(runs):
        whole = timed(page, queries)
        alone = timed(selector, queries)
        print(
            f"{label:36} {statistics.median(whole):11.1f} {percentile_95(whole):9.1f}"
            f" {statistics.median(alone):13.1f} {percentile_95(alone):7.1f}"
        )


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def plans() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("EXPLAIN (ANALYZE, BUFFERS) needs PostgreSQL.")
    for label, queries in searches(1):
        query = queries[-1]
        filters = filters_of(query)
        search_page(filters, today=clock.today(), page_number=1)  # warm, as a page view is
        with CaptureQueriesContext(connection) as captured:
            search_page(filters, today=clock.today(), page_number=1)
        print(f"### {label}: `{query}`\n")
        for title, statement in zip(
            ("the capped count", "the page's ids", "the 50 cases"),
            captured.captured_queries,
            strict=False,
        ):
            print(f"{title}:\n\n```\n{explain(statement['sql'])}\n```\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--explain", action="store_true", help="print the query plans instead")
    args = parser.parse_args()
    if args.runs < 2:
        parser.error("--runs must be at least 2")
    if args.explain:
        plans()
    else:
        bench(args.runs)


if __name__ == "__main__":
    main()
