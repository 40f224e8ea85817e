from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Building blocks every other app stands on; it imports none of them."""

    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The outbox queues its delivery task by name (core.tasks imports core.outbox); this
        # import registers the task in every process, the web process and tests included, where
        # Celery's autodiscovery (a worker's start) has not run.
        from core import tasks  # noqa: F401
