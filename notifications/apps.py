from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Sending is queued by task name (notifications.tasks imports notifications.sending);
        # this import registers the task in every process, the web process and tests included,
        # where Celery's autodiscovery (a worker's start) has not run.
        from notifications import tasks  # noqa: F401
