#!/usr/bin/env python
"""Fuzz the API with schemathesis against a live server, signed in as an applicant.

``make fuzz-api`` (and ``.ci/run``): a fresh SQLite database in ``var/fuzz-api/`` with the demo
data, a personal access token with every scope for applicant1 (``demo_api_token``), the
development server on a free port, then ``schemathesis run`` on ``/api/v1/schema/`` with the
checks that say the API keeps its word: no server error, every status code, content type,
header and body as the schema documents them. All four phases run: the schema's examples,
the coverage phase (edge values), fuzzing, and the stateful phase, which follows the schema's
links (create a draft, then read it, change it, remove it…). Request limits are lifted for the
run (``API_RATE_PER_*``): a 429 is documented, but it would stop the run from reaching the rest.

Exits non-zero when schemathesis finds anything; its summary is printed, and its JUnit report
is in ``var/fuzz-api/report/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORK = BASE_DIR / "var" / "fuzz-api"
PYTHON = sys.executable
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
MAX_EXAMPLES = os.environ.get("FUZZ_MAX_EXAMPLES", "100")
SEED = os.environ.get("FUZZ_SEED", "20261205")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{WORK / 'db.sqlite3'}",
        REDIS_URL="",
        DJANGO_PRIVATE_MEDIA_ROOT=str(WORK / "private"),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="ERROR",
        API_RATE_PER_ADDRESS="1000000/min",
        API_RATE_PER_TOKEN="1000000/min",  # noqa: S106  # a rate, not a secret
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    done = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
    )
    return (done.stdout or "").strip()


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            # Our own server on 127.0.0.1, over http.
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310  # nosec B310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server did not answer {url} within {seconds:.0f} s.")


def main() -> int:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    env = environment()
    print("Preparing a database with the demo data…", flush=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo", "-v", "0")
    token = manage(env, "demo_api_token", "applicant1@example.com", capture=True).splitlines()[-1]
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
        cwd=BASE_DIR,
        env=env,
        stdout=(WORK / "server.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        schema = f"http://127.0.0.1:{port}/api/v1/schema/"
        wait_for(schema)
        command = [
            str(Path(PYTHON).parent / "schemathesis"),
            "run",
            schema,
            "--header",
            f"Authorization: Bearer {token}",
            "--header",
            "Accept-Language: en",
            "--checks",
            CHECKS,
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--max-examples",
            MAX_EXAMPLES,
            "--seed",
            SEED,
            "--workers",
            "1",
            "--request-timeout",
            "30",
            "--report",
            "junit",
            "--report-dir",
            str(WORK / "report"),
            "--no-color",
            # Each run starts from the seed alone: no examples remembered between runs.
            "--generation-database",
            "none",
        ]
        print("$ schemathesis run", schema, "…", flush=True)
        return subprocess.run(command, cwd=BASE_DIR, check=False).returncode  # noqa: S603
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
