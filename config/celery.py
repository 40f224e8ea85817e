"""The Celery application.

Without ``REDIS_URL`` tasks run in-process (``task_always_eager``) so the local run needs nothing
installed; with it, Redis is the broker and the result backend. See ``config/settings.py``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("residence_permits")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
