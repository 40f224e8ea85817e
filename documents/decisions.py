"""The decision's document: assembled from the decision, rendered to PDF, filed in the case."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import translation

from applications.models import Decision
from applications.services import decision_make_available
from core import clock
from documents.constants import Role
from documents.models import Document
from documents.pdf import render_pdf
from documents.services import document_store_generated
from permits import deadlines


def decision_document_context(decision: Decision) -> dict[str, Any]:
    """What the decision's PDF says besides the decision itself (Administrative Procedure Code
    § 68, outside the seeds: the instruction on appeal names its period and where to lodge it)."""
    today = clock.local_date(decision.decided_at)
    # If the applicant never opens it, delivery is on the 10th day (D3) and the appeal deadline
    # follows from that (D4): the latest date the letter can promise.
    latest_delivery = deadlines.delivery_date(today, None)
    return {
        "decision": decision,
        "application": decision.application,
        # The parties as filed (SPEC §2): the office decides on what was filed.
        "applicant": decision.application.party,
        "permit_type": decision.application.permit_type,
        # On paper (post, in person: SPEC D3) the portal's delivery rules do not apply: the
        # day of receipt is the delivery, and nothing later can be promised in advance.
        "delivered_in_portal": decision.application.delivers_in_portal,
        "latest_delivery": latest_delivery,
        "latest_appeal_due": deadlines.appeal_due(latest_delivery),
        "appeal_days": deadlines.APPEAL_PERIOD_DAYS,
        "delivery_days": deadlines.DELIVERY_FICTION_DAYS,
        "second_language": decision.language if decision.language != "cs" else None,
    }


def decision_document_render(*, decision_id: int) -> Document | None:
    """Render a decision to PDF, file it in the case and make it available (D3).

    Safe to run twice, also at once: the row lock and the ``document`` check store one PDF.
    """
    decision = (
        Decision.objects.select_related(
            "document", "application__applicant", "application__permit_type"
        )
        .filter(pk=decision_id)
        .first()
    )
    if decision is None or decision.document_id is not None:
        return decision.document if decision else None
    # Czech is the language of record; the template adds the applicant's language itself.
    with translation.override("cs"):
        content = render_pdf("documents/decision.html", decision_document_context(decision))
    with transaction.atomic():
        # No join here: PostgreSQL cannot lock the nullable side of an outer join.
        locked = Decision.objects.select_for_update().get(pk=decision_id)
        if locked.document_id is not None:
            return locked.document
        document = document_store_generated(
            application=decision.application,
            content=content,
            name=f"decision-{decision.application.reference_number.replace('/', '-')}.pdf",
            role=Role.DECISION,
        )
        locked.document = document
        locked.save(update_fields=["document"])
        decision_make_available(decision=locked)
    return document
