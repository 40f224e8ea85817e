"""Background work on documents: rendering decisions to PDF."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils import translation

from applications.models import Decision
from documents.constants import Role
from documents.pdf import render_pdf
from documents.services import document_store_generated
from permits import deadlines


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def render_decision_pdf(decision_id: int) -> int | None:
    """Render a decision to PDF, store it in the case's record and make it available (D3).

    Safe to run twice, also at once: the row lock and the ``document`` check store one PDF.
    """
    decision = (
        Decision.objects.select_related("application__applicant", "application__permit_type")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None or decision.document_id is not None:
        return decision.document_id if decision else None
    from applications.services import decision_make_available

    today = deadlines.local_date(decision.decided_at)
    context = {
        "decision": decision,
        "application": decision.application,
        "applicant": decision.application.applicant,
        "permit_type": decision.application.permit_type,
        # If the applicant never opens it, delivery is on the 10th day (D3) and the appeal
        # deadline follows from that (D4): the latest date the letter can promise.
        "latest_delivery": deadlines.delivery_date(today, None),
        "latest_appeal_due": deadlines.appeal_due(deadlines.delivery_date(today, None)),
        "appeal_days": deadlines.APPEAL_PERIOD_DAYS,
        "delivery_days": deadlines.DELIVERY_FICTION_DAYS,
        "second_language": decision.language if decision.language != "cs" else None,
    }
    with translation.override("cs"):
        content = render_pdf("documents/decision.html", context)
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision_id)
        if locked.document_id is not None:
            return locked.document_id
        document = document_store_generated(
            application=decision.application,
            content=content,
            name=f"decision-{decision.application.reference_number.replace('/', '-')}.pdf",
            role=Role.DECISION,
        )
        locked.document = document
        locked.save(update_fields=["document"])
        decision_make_available(decision=locked)
    return document.pk


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def render_interruption_letter(interruption_id: int) -> int | None:
    """Render the invitation to supply documents for an interruption and file it (D5) [002].

    Safe to run twice, also at once: a letter already filed is returned as it is, and the store
    re-checks under the case's row lock, so an interruption has one letter.
    """
    from applications.models import Interruption
    from documents.letters import (
        interruption_letter,
        interruption_letter_render,
        interruption_letter_store,
    )

    interruption = (
        Interruption.objects.select_related("application__applicant", "application__permit_type")
        .filter(pk=interruption_id)
        .first()
    )
    if interruption is None:
        return None
    existing = interruption_letter(interruption)
    if existing is not None:
        return existing.pk
    content = interruption_letter_render(interruption)
    return interruption_letter_store(interruption=interruption, content=content).pk
