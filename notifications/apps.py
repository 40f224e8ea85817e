from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # The side effects this app delivers from the outbox (core/outbox.py).
        from core import outbox

        outbox.register(
            "notifications.application_event", "notifications.services.notify_application_event"
        )
        outbox.register("notifications.assignment", "notifications.services.notify_assignment")
        outbox.register(
            "notifications.change_reported", "notifications.services.notify_change_reported"
        )
