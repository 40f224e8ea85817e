"""The Celery application.

Without ``REDIS_URL`` tasks run in-process (``task_always_eager``) so the local run needs nothing
installed; with it, Redis is the broker and the result backend. See ``config/settings.py``: tasks
are acknowledged late, given back when their worker dies, and the periodic sweeps are in
``CELERY_BEAT_SCHEDULE``.
"""

import os
from typing import Any

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("residence_permits")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_ready.connect
@signals.heartbeat_sent.connect
def _record_worker_heartbeat(**kwargs: Any) -> None:
    # /healthz reports a worker up while this key is fresh (config/health.py).
    from config.health import record_worker_heartbeat

    record_worker_heartbeat()
