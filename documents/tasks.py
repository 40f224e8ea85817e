"""Background work on documents: rendering decisions and letters to PDF. Services record this
work in the outbox (``core/outbox.py``), which calls the same functions; these tasks serve the
demo seed and whoever wants one rendered by id."""

from __future__ import annotations

from celery import shared_task

from documents.decisions import decision_document_render
from documents.letters import interruption_letter_file


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def render_decision_pdf(decision_id: int) -> int | None:
    """Render a decision to PDF and make it available; safe to run twice."""
    document = decision_document_render(decision_id=decision_id)
    return document.pk if document else None


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def render_interruption_letter(interruption_id: int) -> int | None:
    """Render and file an interruption's letter; safe to run twice."""
    document = interruption_letter_file(interruption_id=interruption_id)
    return document.pk if document else None
