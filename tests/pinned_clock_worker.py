"""``python -m tests.pinned_clock_worker -A config worker …``: a Celery worker on the test's
clock. A test that pins its instant (time_machine) and runs real workers starts them with
``PINNED_CLOCK`` (the test's instant, ISO 8601) and ``PINNED_AT`` (the machine's time when it was
read): the worker's clock starts where the test's is now and ticks with it, so both sides of the
test read one clock, as production's processes do. ``tests.workers.WorkerFactory.pin_clock``."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta

import time_machine
from celery.__main__ import main

# Before Celery forks its pool: the children inherit the travelled clock.
_instant = datetime.fromisoformat(os.environ["PINNED_CLOCK"]) + timedelta(
    seconds=time.time() - float(os.environ["PINNED_AT"])
)
time_machine.travel(_instant, tick=True).start()


if __name__ == "__main__":
    main()
