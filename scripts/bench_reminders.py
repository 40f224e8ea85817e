"""Benchmark of the document-deadline reminder sweep on a large PostgreSQL database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/notif_bench \\
    REDIS_URL=redis://127.0.0.1:6379/14 \\
    DJANGO_SECRET_KEY=bench .venv/bin/python scripts/bench_reminders.py --due 10000

The database should hold a realistic load first (``DJANGO_DEBUG=1 manage.py seed_demo
--applications 1000000``: demo data is made only in a debug run).
The script then:

1. makes exactly N open interruptions due for a reminder (deadline in 7, 3 or 1 days) with one
   bulk UPDATE of interruption deadlines, all other open interruptions due later, and gives those
   N applicants an e-mail address (the bulk-seeded ones have none);
2. times the sweep as beat runs it: one indexed query for what is due, one lookup of what was
   notified already, and one task queued per item on Redis (on a queue of its own, purged after);
3. repeats the selection at several numbers of due items, with EXPLAIN ANALYZE, to show that its
   cost follows the number of due items, not the size of the tables;
4. starts a real worker on the queued tasks and times the per-item work (render the reminder
   in the recipient's language, insert its rows, queue and "send" its e-mail to a dummy
   backend), then runs the sweep again: nothing is queued twice.

It changes the data of the database it runs on: use a database of its own.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-insecure-key")
os.environ.setdefault("EMAIL_URL", "dummymail://")

import django  # noqa: E402

django.setup()

from datetime import date, timedelta  # noqa: E402

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from applications.models import Application, Interruption  # noqa: E402
from applications.sweeps import REMINDER_SWEEPS, document_deadline_query, queue_due  # noqa: E402
from config.celery import app  # noqa: E402
from core import clock  # noqa: E402
from notifications.constants import REMINDER_DAYS_BEFORE, Kind  # noqa: E402
from notifications.models import Notification  # noqa: E402

BENCH_QUEUE = "bench-reminders"
KOMBU_BINDINGS = ("_kombu.binding", "_kombu.binding_permanent")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--due", type=int, default=10_000, help="due items for the timed sweep")
    parser.add_argument(
        "--steps", default="100,1000,10000", help="due-item counts for the scaling table"
    )
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument("--timeout", type=int, default=1200, help="seconds to wait for them")
    return parser.parse_args()


def make_due(count: int, today: date) -> int:
    """Exactly ``count`` open interruptions due for a reminder today; the others due later."""
    reminder_days = [today + timedelta(days=n) for n in REMINDER_DAYS_BEFORE]
    later = today + timedelta(days=20)
    with connection.cursor() as cursor:
        # Nothing else due on a reminder day: move those deadlines out of the way.
        cursor.execute(
            "UPDATE applications_interruption SET deadline = %s "
            "WHERE ended_on IS NULL AND deadline = ANY(%s)",
            [later, reminder_days],
        )
        # N open interruptions, spread over the three reminder days.
        cursor.execute(
            """
            WITH chosen AS (
                SELECT id, row_number() OVER (ORDER BY id) AS n
                FROM applications_interruption WHERE ended_on IS NULL ORDER BY id LIMIT %s
            )
            UPDATE applications_interruption AS i
            SET deadline = (ARRAY[%s, %s, %s]::date[])[1 + chosen.n %% 3],
                started_on = LEAST(i.started_on, %s)
            FROM chosen WHERE i.id = chosen.id
            """,
            [count, *reminder_days, today],
        )
        made = cursor.rowcount
        # The bulk-seeded applicants have no e-mail address; these ones get one.
        cursor.execute(
            """
            UPDATE applications_applicant AS p SET email = 'bench+' || p.id || '@example.com'
            FROM applications_application AS a JOIN applications_interruption AS i
                ON i.application_id = a.id
            WHERE a.applicant_id = p.id AND i.ended_on IS NULL AND i.deadline = ANY(%s)
                AND p.email = ''
            """,
            [reminder_days],
        )
    # Start from no reminders, so the sweep has all N to queue.
    Notification.objects.filter(kind=Kind.DOCUMENT_DEADLINE_REMINDER).delete()
    with connection.cursor() as cursor:
        # As autovacuum would: the UPDATEs above leave dead index entries behind.
        cursor.execute("VACUUM ANALYZE applications_interruption")
    return made


def explain(today: date) -> str:
    dates = [today + timedelta(days=n) for n in REMINDER_DAYS_BEFORE]
    return document_deadline_query(dates).explain(analyze=True, buffers=True)


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def start_worker(concurrency: int) -> subprocess.Popen:
    """A real worker for the queued reminders (and the e-mails they queue, sent to nowhere)."""
    (BASE_DIR / "var").mkdir(exist_ok=True)
    log = open(BASE_DIR / "var" / "bench-worker.log", "wb")  # noqa: SIM115 - kept for the run
    process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-P",
            "prefork",
            "-c",
            str(concurrency),
            "--without-gossip",
            "--without-mingle",
            "-Q",
            f"{BENCH_QUEUE},default",
            "-n",
            "bench@%h",
            "--loglevel=WARNING",
        ],
        cwd=BASE_DIR,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    time.sleep(8)  # start-up; the queued tasks wait for it in Redis meanwhile
    return process


def stop_worker(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def reminders_made() -> int:
    return (
        Notification.objects.filter(kind=Kind.DOCUMENT_DEADLINE_REMINDER)
        .values("event_key")
        .distinct()
        .count()
    )


def main() -> None:
    options = arguments()
    if connection.vendor != "postgresql":
        sys.exit("Run it on PostgreSQL: set DATABASE_URL (see the docstring).")
    # The sweep's tasks go to a queue of the benchmark's own; it is purged at the end.
    app.conf.task_routes = {
        "applications.tasks.send_reminders": {"queue": BENCH_QUEUE},
        "notifications.tasks.*": {"queue": BENCH_QUEUE},
    }
    app.conf.task_always_eager = False
    broker = redis.Redis.from_url(settings.REDIS_URL)
    today = clock.today()

    applications = Application.objects.count()
    interruptions = Interruption.objects.count()
    open_interruptions = Interruption.objects.filter(ended_on__isnull=True).count()
    print(f"Database: {connection.settings_dict['NAME']} on PostgreSQL")
    print(
        f"  {applications:,} applications, {interruptions:,} interruptions "
        f"({open_interruptions:,} open), {Notification.objects.count():,} notifications"
    )
    print(f"Today (Europe/Prague): {today}; reminders {REMINDER_DAYS_BEFORE} days before.\n")

    # --- Cost follows the due items -----------------------------------------------------------
    steps = [int(n) for n in options.steps.split(",") if int(n) <= open_interruptions]
    print("The sweep's query (one indexed query), by number of due items:")
    print(f"  {'due':>8}  {'rows':>8}  {'select ms':>10}")
    for count in steps:
        make_due(count, today)
        dates = [today + timedelta(days=n) for n in REMINDER_DAYS_BEFORE]
        best = None
        for _ in range(3):
            rows, seconds = timed(lambda d=dates: list(document_deadline_query(d)))
            best = seconds if best is None else min(best, seconds)
        print(f"  {count:>8,}  {len(rows):>8,}  {best * 1000:>10.1f}")
    print()

    # --- The timed sweep ----------------------------------------------------------------------
    made = make_due(options.due, today)
    broker.delete(BENCH_QUEUE)
    print(f"EXPLAIN ANALYZE of the sweep's query with {made:,} due items:")
    print("  " + explain(today).replace("\n", "\n  "))
    print()
    sweep = next(s for s in REMINDER_SWEEPS if s.kind == Kind.DOCUMENT_DEADLINE_REMINDER)
    items, select_seconds = timed(sweep.due, today)
    queued, queue_seconds = timed(queue_due, items)
    total = select_seconds + queue_seconds
    print(f"The sweep with {len(items):,} due items, as beat runs it (tasks queued on Redis):")
    print(f"  select what is due             {select_seconds:8.2f} s")
    tasks = broker.llen(BENCH_QUEUE)
    print(f"  skip what was sent, queue      {queue_seconds:8.2f} s", end="")
    print(f"  ({queued:,} items, {tasks} tasks)")
    print(f"  total                          {total:8.2f} s  (target < 10 s)\n")

    # --- The per-item work, by real workers ---------------------------------------------------
    print(
        f"The per-item work (render, insert, queue and send the e-mail) on one worker with "
        f"{options.concurrency} processes:"
    )
    worker = start_worker(options.concurrency)
    started = time.perf_counter()
    emails = Notification.objects.filter(kind=Kind.DOCUMENT_DEADLINE_REMINDER, channel="email")
    try:
        deadline = started + options.timeout
        while time.perf_counter() < deadline:
            if reminders_made() >= queued and not emails.filter(sent_at__isnull=True).exists():
                break
            time.sleep(1)
        drained = time.perf_counter() - started
    finally:
        stop_worker(worker)
    done = reminders_made()
    print(
        f"  {done:,} of {queued:,} reminders made and their e-mails sent in {drained:.0f} s "
        f"({done / max(drained, 0.001):.0f} a second, the worker's start-up included)"
    )
    rows = Notification.objects.filter(kind=Kind.DOCUMENT_DEADLINE_REMINDER)
    print(
        f"  {rows.count():,} notifications, {emails.filter(sent_at__isnull=False).count():,} "
        "e-mails sent\n"
    )

    # --- Run again: nothing is sent twice -----------------------------------------------------
    again, again_seconds = timed(lambda: queue_due(sweep.due(today)))
    print(
        f"The same sweep again: {again:,} items queued in {again_seconds:.2f} s "
        f"(each reminder was made once)"
    )
    broker.delete(BENCH_QUEUE, "default", *(f"{k}.{BENCH_QUEUE}" for k in KOMBU_BINDINGS))


if __name__ == "__main__":
    main()
