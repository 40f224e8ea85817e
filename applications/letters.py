"""What the office sends from the file as PDF: the decision, and the invitation to supply
documents. Each is assembled here from the case, rendered by ``documents.pdf`` and filed in the
case's record; the outbox calls the two services by id (``applications/apps.py``).

The decision's document: what the decision says, with the instruction on appeal (Administrative
Procedure Code § 68), filed in the case (role DECISION) and then made available (D3).

The invitation letter: when proceedings are interrupted (přerušení řízení) the applicant is
invited, by a letter in the file, to supply the missing documents by the deadline, and told that
the proceedings may be stopped if they do not [002]. The letter is a PDF in the case's record
(role LETTER) linked to its interruption through ``Document.interruption``: one letter per
interruption.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import translation

from applications.case_documents import document_store_generated
from applications.models import Application, Decision, Interruption
from applications.services import decision_make_available
from core import clock
from documents.constants import Role
from documents.models import Document
from documents.pdf import render_pdf
from permits import deadlines

DECISION_TEMPLATE = "documents/decision.html"
INTERRUPTION_LETTER_TEMPLATE = "documents/letters/interruption.html"


def _pdf_name(what: str, application: Application, *suffix: object) -> str:
    """A generated file's name: what it is and the case's reference number, "/" made safe."""
    reference = (application.reference_number or str(application.pk)).replace("/", "-")
    return "-".join([what, reference, *map(str, suffix)]) + ".pdf"


# --- The decision ----------------------------------------------------------------------------


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
        content = render_pdf(DECISION_TEMPLATE, decision_document_context(decision))
    with transaction.atomic():
        # No join here: PostgreSQL cannot lock the nullable side of an outer join.
        locked = Decision.objects.select_for_update().get(pk=decision_id)
        if locked.document_id is not None:
            return locked.document
        document = document_store_generated(
            application=decision.application,
            content=content,
            name=_pdf_name("decision", decision.application),
            role=Role.DECISION,
        )
        locked.document = document
        locked.save(update_fields=["document"])
        decision_make_available(decision=locked)
    return document


# --- The invitation to supply documents ------------------------------------------------------


def interruption_letter(interruption: Interruption) -> Document | None:
    """The invitation letter already stored for this interruption, if any."""
    return Document.objects.filter(interruption=interruption, role=Role.LETTER).first()


def interruption_letter_context(interruption: Interruption) -> dict[str, Any]:
    application = interruption.application
    # The person as filed (SPEC §2): a change since is a reported change in the file.
    party = application.party
    language = party.preferred_language
    return {
        "interruption": interruption,
        "application": application,
        "applicant": party,
        "permit_type": application.permit_type,
        "requested_kinds": list(interruption.requested_kinds.all()),
        "letter_date": clock.today(),
        "second_language": language if language and language != "cs" else None,
    }


def interruption_letter_render(interruption: Interruption) -> bytes:
    """The letter as PDF bytes, Czech first and then the applicant's language."""
    with translation.override("cs"):
        return render_pdf(INTERRUPTION_LETTER_TEMPLATE, interruption_letter_context(interruption))


def interruption_letter_store(*, interruption: Interruption, content: bytes) -> Document:
    """Put the rendered letter in the file, once: a second call returns the first letter.

    The case row is locked first (the lock every write to a case's record takes, in the same
    order as the services), then the letter is looked for again, so two workers rendering the
    same interruption store one letter.
    """
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=interruption.application_id).first()
        existing = interruption_letter(interruption)
        if existing is not None:
            return existing
        document = document_store_generated(
            application=interruption.application,
            content=content,
            name=_pdf_name("interruption", interruption.application, interruption.pk),
            role=Role.LETTER,
        )
        document.interruption = interruption
        document.save(update_fields=["interruption"])
    return document


def interruption_letter_file(*, interruption_id: int) -> Document | None:
    """Render the invitation to supply documents for an interruption and file it (D5) [002].

    Safe to run twice, also at once: a letter already filed is returned as it is, and the store
    re-checks under the case's row lock, so an interruption has one letter.
    """
    interruption = (
        Interruption.objects.select_related("application__applicant", "application__permit_type")
        .filter(pk=interruption_id)
        .first()
    )
    if interruption is None:
        return None
    existing = interruption_letter(interruption)
    if existing is not None:
        return existing
    return interruption_letter_store(
        interruption=interruption, content=interruption_letter_render(interruption)
    )
