from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        # Every change to a case writes an audit entry: the queues' kept counts go stale.
        from django.db.models.signals import post_save

        from applications.models import AuditEntry
        from applications.queues import KEPT_COUNTS

        post_save.connect(KEPT_COUNTS.bump, sender=AuditEntry, dispatch_uid="queue-counts")

        # The side effects this app delivers from the outbox (core/outbox.py). The topics keep
        # their "documents." names: messages already in the outbox carry them.
        from core import outbox

        outbox.register("documents.decision_pdf", "applications.letters.decision_document_render")
        outbox.register(
            "documents.interruption_letter", "applications.letters.interruption_letter_file"
        )
        outbox.register(
            "documents.extension_resolution", "applications.extensions.extension_resolution_file"
        )
        # Notices about cases; the topics keep their "notifications." names for the same reason.
        outbox.register(
            "notifications.application_event", "applications.notices.notify_application_event"
        )
        outbox.register("notifications.assignment", "applications.notices.notify_assignment")
        outbox.register(
            "notifications.change_reported", "applications.notices.notify_change_reported"
        )
        outbox.register(
            "notifications.extension_requested", "applications.notices.notify_extension_requested"
        )
        outbox.register(
            "notifications.extension_answered", "applications.notices.notify_extension_answered"
        )
        # The assigned caseworker: others' work on their case, documents arrived (case_watch).
        outbox.register("notifications.case_activity", "applications.notices.notify_case_activity")
        outbox.register(
            "notifications.documents_arrived", "applications.notices.notify_documents_arrived"
        )
        # The sweeps queue their tasks by name (applications.tasks imports applications.sweeps);
        # this import registers the tasks in every process, the web process and tests included,
        # where Celery's autodiscovery (a worker's start) has not run.
        from applications import tasks  # noqa: F401
