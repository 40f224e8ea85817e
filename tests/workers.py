"""Real Celery workers for tests: separate processes reading the test database (the SQLite
file, or the PostgreSQL test database) and the machine's Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from kombu import pools


def database_url_for_worker() -> str:
    """The database this test runs on, as a URL the worker's settings read."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "localhost"
        port = db["PORT"] or 5432
        return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"
    raise NotImplementedError(connection.vendor)


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        """SIGKILL the worker and its pool: a machine losing power, an OOM kill."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


@dataclass
class WorkerFactory:
    redis_url: str
    queue: str
    tmp_path: Path
    env: dict[str, str]
    started: list[Worker]
    # The module run as ``python -m``: celery itself, or a wrapper that changes the worker.
    module: str = "celery"
    extra: list[str] = field(default_factory=list)

    def pin_clock(self) -> None:
        """Start the next workers on this process's clock, travelled or not (a test that pinned
        its instant with time_machine): ``tests.pinned_clock_worker``."""
        self.module = "tests.pinned_clock_worker"
        self.env.update(
            PINNED_CLOCK=datetime.now(UTC).isoformat(),
            PINNED_AT=str(time_machine.escape_hatch.time.time()),
        )

    def start(self) -> Worker:
        number = len(self.started) + 1
        log = self.tmp_path / f"worker-{number}.log"
        env = {
            **os.environ,
            "DATABASE_URL": database_url_for_worker(),
            "REDIS_URL": self.redis_url,
            "DJANGO_PRIVATE_MEDIA_ROOT": str(self.tmp_path / "private"),
            **self.env,
        }
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
                [
                    sys.executable,
                    "-m",
                    self.module,
                    "-A",
                    "config",
                    "worker",
                    "-P",
                    "prefork",
                    "-c",
                    "1",
                    "--without-gossip",
                    "--without-mingle",
                    "-Q",
                    self.queue,
                    "-n",
                    f"{self.queue}-{number}@%h",
                    "--loglevel=INFO",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(process, log)
        self.started.append(worker)
        wait_for(lambda: "ready." in worker.output(), timeout=60, worker=worker, what="ready")
        return worker


def wait_for(
    condition: Callable[[], bool], *, timeout: float, worker: Worker | None, what: str
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if worker is not None and worker.process.poll() is not None:
            pytest.fail(f"The worker exited before {what}:\n{worker.output()}")
        time.sleep(0.2)
    log = worker.output() if worker is not None else ""
    pytest.fail(f"Not {what} within {timeout} s. Worker log:\n{log}")


@contextmanager
def broker_at(url: str, *, eager: bool = False, queue: str | None = None) -> Iterator[None]:
    """Point this process's Celery app at the broker ``url`` (``eager``: run tasks in-process;
    ``queue``: the default queue tasks go to), as a web server configured with it would be, and
    back again afterwards."""
    from config.celery import app
    from core import queueing

    def reconnect() -> None:
        # kombu keeps connection and producer pools per broker, process-wide: start afresh.
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None
        queueing.reset_broker_backoff()

    previous = app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.broker_url, app.conf.task_always_eager = url, eager
    app.conf.task_default_queue = queue or previous[2]
    reconnect()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue = previous
        reconnect()
