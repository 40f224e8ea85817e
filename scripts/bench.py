#!/usr/bin/env python
"""`make bench`: the main pages under load, side by side with a bare Django view.

    make bench                  # 1,000,000 cases (seeded once, then reused)
    make bench CASES=20000      # a smaller database

1. A PostgreSQL database ``permits_bench_<CASES>`` (on BENCH_DATABASE_URL, this machine's by
   default) is reused when its comment says it holds the demo data and CASES bulk cases;
   otherwise it is made afresh: ``migrate``, ``seed_demo``, ``seed_demo --applications CASES``
   (timed), then the comment is written, last, so a seed cut short is never reused.
2. The portal runs under gunicorn, 2 sync workers, with a Celery worker and beat beside it as in
   production, and production settings exactly as
   `.env.example` writes them, but for what must point at this machine (the database, Redis
   database 12, the host name 127.0.0.1, the console for e-mail, no virus scanner, folders under
   var/bench/) and fixed bench-only keys, the data being made up. The bare project
   (scripts/bench_bare.py) runs under the same gunicorn settings.
3. Each page is loaded with wrk (2 threads, 16 connections, 10 s) right after the bare view, so
   each page's share is of the bare run next to it; a 2 s run of each comes first, unrecorded.
   Every request says it came over HTTPS through the proxy (X-Forwarded-Proto), as
   `.env.example` has it; signed-in pages carry a session made for the demo account.
4. docs/performance.md gets the table between its markers; the rest of it is left alone.

A benchmark, not a test: it reports, and fails only when it cannot measure (a page that does
not answer 200, a server that does not start).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "scripts"))
from smoke import read_env_example  # noqa: E402

PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
WORK = BASE_DIR / "var" / "bench"
DOC = BASE_DIR / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

POSTGRES_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = "redis://127.0.0.1:6379/12"
PORTAL_PORT, BARE_PORT = 8301, 8302
WORKERS = 2
THREADS, CONNECTIONS, SECONDS, WARM_UP_SECONDS = 2, 16, 10, 2


def _bench_key(name: str) -> str:
    # Fixed, so a reused database stays readable; the data is made up.
    return base64.b64encode(hashlib.sha256(f"permits-bench-{name}".encode()).digest()).decode()


SECRETS = {
    "DJANGO_SECRET_KEY": "bench-" + hashlib.sha256(b"permits-bench-secret").hexdigest(),
    "FIELD_ENCRYPTION_KEYS": f"bench:{_bench_key('field')}",
    "BLIND_INDEX_KEY": _bench_key("blind-index"),
}


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    who: str | None  # the demo account signed in, or nobody
    goal: float  # the share of bare Django the page should reach


APPLICANT = "applicant1@example.com"
CASEWORKER = "caseworker1@example.com"
SUPERVISOR = "supervisor@example.com"


def pages(ids: dict[str, int]) -> list[Page]:
    return [
        Page("home", "/", None, 0.40),
        Page("login", "/accounts/login/", None, 0.40),
        Page("permit catalogue", "/permits/", None, 0.40),
        Page("permit type page", "/permits/employee_card/", None, 0.40),
        Page("applicant dashboard", "/applications/", APPLICANT, 0.20),
        Page("applicant case page", f"/applications/{ids['applicant_case']}/", APPLICANT, 0.15),
        Page("caseworker queue", "/caseworker/", CASEWORKER, 0.10),
        Page(
            "caseworker case page", f"/caseworker/cases/{ids['caseworker_case']}/", CASEWORKER, 0.15
        ),
        # A surname prefix borne by about 4 % of the people (the bulk seed draws from 24
        # surnames): the search counts and sorts tens of thousands of matches at a million
        # cases, as a common name does (docs/search.md).
        Page("search", "/caseworker/search/?q=Rey", CASEWORKER, 0.10),
        Page("supervisor dashboard", "/caseworker/dashboard/", SUPERVISOR, 0.05),
    ]


def say(line: str) -> None:
    print(line, flush=True)


# --- The database -------------------------------------------------------------------------------


def database_url(cases: int) -> str:
    return urlsplit(POSTGRES_URL)._replace(path=f"/permits_bench_{cases}").geturl()


def psql(sql: str, database: str = "postgres") -> str:
    parts = urlsplit(POSTGRES_URL)
    command = ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    command += ["-U", parts.username or "postgres", "-d", database, "-Atqc", sql]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()  # noqa: S603


def seeded_marker(cases: int) -> str:
    return f"seed_demo + {cases} bulk cases"


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)  # noqa: S603


def seed_environment(cases: int) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(WORK)),
        "LANG": "C.UTF-8",
        # Demo data is made only with debug on; the keys are the server's.
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": database_url(cases),
        "REDIS_URL": "",
        "DJANGO_PRIVATE_MEDIA_ROOT": str(WORK / "private"),
        "DJANGO_LOG_LEVEL": "WARNING",
        **SECRETS,
    }


def prepare_database(cases: int) -> str:
    """Reuse or seed the database; returns how (for the report)."""
    name = f"permits_bench_{cases}"
    comments = psql("SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database")
    comment = dict(line.split("|", 1) for line in comments.splitlines()).get(name)
    env = seed_environment(cases)
    if comment == seeded_marker(cases):
        say(f"Reusing {name} ({comment}).")
        manage(env, "migrate", "--noinput", "-v", "0")
        return "reused"
    say(f"Seeding {name} afresh.")
    # FORCE: a connection left by a seed that was cut short must not keep the database.
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {name}")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo")
    started = time.monotonic()
    manage(env, "seed_demo", "--applications", str(cases))
    took = time.monotonic() - started
    psql("VACUUM ANALYZE", database=name)
    psql(f"COMMENT ON DATABASE {name} IS '{seeded_marker(cases)}'")
    return f"seeded in this run: `seed_demo --applications {cases}` took {took:.0f} s"


# --- The servers --------------------------------------------------------------------------------


def server_environment(cases: int) -> dict[str, str]:
    env = read_env_example()
    env.pop("CLAMD_URL", None)  # nothing is uploaded
    env.update(SECRETS)
    env.update(
        DATABASE_URL=database_url(cases),
        REDIS_URL=REDIS_URL,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://127.0.0.1",
        EMAIL_URL="consolemail://",
        DJANGO_PRIVATE_MEDIA_ROOT=str(WORK / "private"),
        DJANGO_STATIC_ROOT=str(WORK / "static"),
        DJANGO_LOG_LEVEL="WARNING",
        PATH=os.environ.get("PATH", "/usr/bin:/bin"),
        HOME=os.environ.get("HOME", str(WORK)),
        LANG="C.UTF-8",
    )
    return env


def check_port_free(port: int) -> None:
    """Refuse a port something already listens on: gunicorn would retry binding for a while,
    and meanwhile the start-up probe, and then wrk, would reach the other server (another
    `make bench`, say) and measure it."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(
                f"127.0.0.1:{port} is already in use (another `make bench` running?); "
                "nothing was measured."
            )


def gunicorn(app: str, port: int, env: dict[str, str], log: Path, *extra: str) -> subprocess.Popen:
    check_port_free(port)
    command = [GUNICORN, app, "--workers", str(WORKERS), "--worker-class", "sync"]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", *extra]
    process = background(command, env, log)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"{app} did not start:\n{log.read_text()[-3000:]}")
            try:
                get(port, "/healthz" if port == PORTAL_PORT else "/", {})
                return process
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"{app} did not answer within 60 s")
    except BaseException:
        # The caller has no handle on it yet, so its finally cannot stop it.
        stop(process)
        raise


def celery(*args: str) -> list[str]:
    return [PYTHON, "-m", "celery", "-A", "config", *args, "--loglevel=WARNING"]


def background(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(  # noqa: S603 - fixed commands of this project
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https", **headers})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


SESSIONS = r"""
import json, sys, time
import django
django.setup()
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from accounts.models import User
from accounts.sessions import LOGIN_AT, SEEN_AT
from applications.models import Application

store = import_module(settings.SESSION_ENGINE).SessionStore
cookies = {}
for email in sys.argv[1:]:
    user = User.objects.get(email=email)
    session = store()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[LOGIN_AT] = session[SEEN_AT] = time.time()
    session.create()
    cookies[email] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
mine = Application.objects.filter(applicant__account__email=sys.argv[1])
case = mine.filter(status="interrupted").first() or mine.exclude(status="draft").first()
assigned = Application.objects.filter(assigned_to__email=sys.argv[2], status="filed")
print(json.dumps({"cookies": cookies, "ids": {
    "applicant_case": case.pk, "caseworker_case": assigned.order_by("pk").first().pk}}))
"""


def sessions(env: dict[str, str]) -> dict:
    """Signed-in sessions of the demo accounts (second factor verified, as after a log-in with
    a code), and the cases the case pages show."""
    out = subprocess.run(  # noqa: S603
        [PYTHON, "-c", SESSIONS, APPLICANT, CASEWORKER, SUPERVISOR],
        cwd=BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- Loading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(output: str) -> Run:
    """requests/s, the 50th and 99th percentile latency (ms) and the answers that were not 2xx
    or 3xx, or failed, from ``wrk --latency``'s report."""

    def latency(percent: int) -> float:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        if match is None:
            raise ValueError(f"no {percent}% latency in wrk's output:\n{output}")
        return float(match.group(1)) * UNITS[match.group(2)]

    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if rate is None:
        raise ValueError(f"no Requests/sec in wrk's output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(n) for n in socket.groups()) if socket else 0
    return Run(float(rate.group(1)), latency(50), latency(99), errors)


def wrk(port: int, path: str, cookie: str | None, seconds: int) -> Run:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    command += ["-H", "X-Forwarded-Proto: https"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return parse_wrk(out)


def answers_200(page: Page, cookie: str | None, when: str) -> None:
    status, _body = get(PORTAL_PORT, page.path, {"Cookie": cookie} if cookie else {})
    if status != 200:
        signed_in = f", signed in as {page.who}" if page.who else ""
        raise SystemExit(
            f"{page.name} ({page.path}{signed_in}) answered {status} {when}, not 200: "
            "a redirect is the log-in or second-factor page; nothing was written."
        )


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def single_requests(port: int, path: str, cookie: str, count: int = 20) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        status, _body = get(port, path, {"Cookie": cookie})
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    return times


# --- The report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    page: Page
    bare: Run
    run: Run
    load: str

    @property
    def share(self) -> float:
        return self.run.requests_per_second / self.bare.requests_per_second

    @property
    def met(self) -> bool:
        return self.share >= self.page.goal and self.run.p99_ms < 150 and not self.run.errors


def table(rows: list[Row]) -> str:
    lines = [
        "| page | path | req/s | bare req/s | share of bare | goal | p50 | p99 | load avg | met |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        errors = f" ({row.run.errors} failed)" if row.run.errors else ""
        lines.append(
            f"| {row.page.name} | `{row.page.path}` | {row.run.requests_per_second:,.0f}{errors}"
            f" | {row.bare.requests_per_second:,.0f} | {row.share:.1%} | ≥ {row.page.goal:.0%}"
            f" | {row.run.p50_ms:.1f} ms | {row.run.p99_ms:.1f} ms | {row.load}"
            f" | {'yes' if row.met else 'no'} |"
        )
    return "\n".join(lines)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return f"{os.cpu_count()} cores ({cpu}), {int(memory) / 1024 / 1024:.0f} GiB"


def versions(cases: int) -> str:
    import django
    import gunicorn

    postgres = psql("SHOW server_version", database=f"permits_bench_{cases}")
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]  # noqa: S607
    return (
        f"Python {platform.python_version()}, Django {django.get_version()}, gunicorn "
        f"{gunicorn.__version__} ({WORKERS} sync workers), PostgreSQL {postgres}, wrk {wrk_version}"
    )


def write_report(body: str) -> None:
    text = DOC.read_text() if DOC.exists() else f"# Performance\n\n{START}\n{END}\n"
    if START not in text or END not in text:
        text = f"{text.rstrip()}\n\n{START}\n{END}\n"
    before, rest = text.split(START, 1)
    _old, after = rest.split(END, 1)
    DOC.write_text(f"{before}{START}\n{body}\n{END}{after}")


def report(cases: int, how: str, rows: list[Row], single: list[float], commit: str) -> str:
    name = f"permits_bench_{cases}"
    size = psql(f"SELECT pg_size_pretty(pg_database_size('{name}'))", database=name)
    counted = int(psql("SELECT count(*) FROM applications_application", database=name))
    now = datetime.now(ZoneInfo("Europe/Prague")).strftime("%Y-%m-%d %H:%M %Z")
    single_median, single_max = statistics.median(single), max(single)
    return "\n".join(
        [
            f"Measured {now} at commit `{commit}` by `make bench CASES={cases}`.",
            "",
            f"- Data: {counted:,} cases in the database ({size}); {how}.",
            f"- Machine: {machine()}; load average before the run {rows[0].load}.",
            f"- Software: {versions(cases)}.",
            f"- Load: `wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s`, each page right after the "
            "bare Django view (scripts/bench_bare.py) under the same gunicorn settings.",
            "",
            table(rows),
            "",
            f"The supervisor dashboard as one request at a time ({len(single)} requests): median "
            f"{single_median:.1f} ms, slowest {single_max:.1f} ms (goal: under 150 ms; "
            f"{'met' if single_max < 150 else 'not met'}).",
        ]
    )


def main() -> None:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    if shutil.which("wrk") is None:
        raise SystemExit(
            "wrk is missing: `apt-get install wrk` (the Makefile's bench target does)."
        )
    # Before the seed, which can take minutes; checked again as each server starts.
    for port in (PORTAL_PORT, BARE_PORT):
        check_port_free(port)
    WORK.mkdir(parents=True, exist_ok=True)
    how = prepare_database(cases)
    env = server_environment(cases)
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    made = sessions(env)
    cookies, ids = made["cookies"], made["ids"]
    commit = (
        subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
        ).stdout.strip()
        or "unknown"
    )
    portal = bare = None
    jobs: list[subprocess.Popen] = []
    try:
        # A worker and beat, as production runs them: beat refreshes the supervisor's figures
        # every minute (applications.tasks.refresh_dashboard_figures).
        jobs = [
            background(
                celery("worker", "--concurrency=1", "--queues=default"), env, WORK / "worker.log"
            ),
            background(
                celery("beat", f"--schedule={WORK / 'celerybeat-schedule'}"), env, WORK / "beat.log"
            ),
        ]
        portal = gunicorn("config.wsgi", PORTAL_PORT, env, WORK / "portal.log")
        bare = gunicorn(
            "bench_bare:application",
            BARE_PORT,
            {"PATH": env["PATH"], "LANG": "C.UTF-8"},
            WORK / "bare.log",
            "--chdir",
            str(BASE_DIR / "scripts"),
        )
        rows = []
        for page in pages(ids):
            cookie = cookies.get(page.who) if page.who else None
            answers_200(page, cookie, "before its run")
            wrk(BARE_PORT, "/", None, WARM_UP_SECONDS)
            wrk(PORTAL_PORT, page.path, cookie, WARM_UP_SECONDS)
            load = load_average()
            bare_run = wrk(BARE_PORT, "/", None, SECONDS)
            run = wrk(PORTAL_PORT, page.path, cookie, SECONDS)
            # wrk counts a redirect as a success: a session that ended during the run (sent to
            # the log-in page) would pass for a fast page.
            answers_200(page, cookie, "after its run")
            rows.append(Row(page, bare_run, run, load))
            say(
                f"{page.name:22} {run.requests_per_second:8.0f}/s  bare "
                f"{bare_run.requests_per_second:6.0f}/s  {rows[-1].share:6.1%}  p50 "
                f"{run.p50_ms:6.1f} ms  p99 {run.p99_ms:6.1f} ms  load {load}"
            )
        dashboard = next(page for page in pages(ids) if page.name == "supervisor dashboard")
        single = single_requests(PORTAL_PORT, dashboard.path, cookies[SUPERVISOR])
    finally:
        stop(portal)
        stop(bare)
        for job in jobs:
            stop(job)
    body = report(cases, how, rows, single, commit)
    write_report(body)
    say("")
    say(body)
    say(f"\nWritten to {DOC.relative_to(BASE_DIR)}.")


if __name__ == "__main__":
    main()
