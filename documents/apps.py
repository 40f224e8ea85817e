from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        # The side effects this app delivers from the outbox (core/outbox.py).
        from core import outbox

        outbox.register("documents.decision_pdf", "documents.decisions.decision_document_render")
        outbox.register(
            "documents.interruption_letter", "documents.letters.interruption_letter_file"
        )
