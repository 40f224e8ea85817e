"""What the office sends from the file as PDF: the decision, and the resolution interrupting
the proceedings. Each is assembled here from the case, rendered by ``documents.pdf`` and filed in
the case's record; the outbox calls the two services by id (``applications/apps.py``).

The decision (rozhodnutí) has the parts the Administrative Procedure Code §§ 67-69 (outside the
seeds) requires: the authority, the reference number, the place and date of issue, the party
identified (name, date of birth, nationality, address), the operative part (výrok) with its legal
basis, the reasoning (odůvodnění), the instructions on remedies (poučení) and the name, surname and
function of the official who issued it. It is filed in the case (role DECISION) and then made
available (D3).

The resolution (usnesení) interrupting the proceedings (přerušení řízení, § 64 of that Code) also
invites the applicant to supply the missing documents by the deadline and says that the
proceedings are stopped if they do not [002]. It is a PDF in the case's record (role LETTER)
linked to its interruption through ``Document.interruption``: one per interruption.

Neither document states a date the applicant's own acts could move: the remedies' period runs
from delivery, and delivery in the portal is the first opening or the 10th day (D3), so the
documents give the rule and the portal shows the date once it is known.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import translation

from applications import remedies
from applications.case_documents import document_store_generated
from applications.constants import Delivery, Outcome
from applications.models import Application, Decision, Interruption
from applications.services import STOP_LEGAL_BASIS, decision_make_available
from documents.constants import Role
from documents.models import Document
from documents.pdf import render_pdf
from permits import deadlines
from permits.models import PhrasePurpose
from permits.phrases import current_versions

DECISION_TEMPLATE = "documents/decision.html"
RESOLUTION_TEMPLATE = "documents/letters/resolution.html"

# The seat of the department where its decisions are issued: the place of issue (§ 69(1)).
PLACE_OF_ISSUE = "Praha"

# Proceedings on an application whose defects keep them from going on are interrupted while the
# applicant is invited to remove them (Administrative Procedure Code § 64(1)(a) with § 45(2),
# outside the seeds); the office gives "an adequate deadline for this and informing you of the
# consequences of not removing the discrepancies within the deadline, at the same time the
# proceedings for such an application can be halted" [002].
INTERRUPTION_LEGAL_BASIS = (
    "§ 64 odst. 1 písm. a) a § 45 odst. 2 zákona č. 500/2004 Sb., správní řád"
)


def pdf_name(what: str, application: Application, *suffix: object) -> str:
    """A generated file's name: what it is and the case's reference number, "/" made safe."""
    reference = (application.reference_number or str(application.pk)).replace("/", "-")
    return "-".join([what, reference, *map(str, suffix)]) + ".pdf"


def _delivery_route(application: Application) -> str:
    """How the office's documents reach the party (SPEC D3): ``portal``, ``post`` (to the
    address in the Czech Republic), ``embassy`` or ``office`` (in person).

    A person who gave no address in the Czech Republic (typically one who applied at an
    embassy) cannot be written to by post (``services._check_delivery``); the party is then
    identified by name, date of birth and nationality, the address line says that none was
    given, and this route tells where the document is to be had: in the portal when the person
    has an account, otherwise in person, through the embassy where the application was filed
    ("the embassy will contact you" [002]) or at the office."""
    if application.delivers_in_portal:
        return "portal"
    if application.delivery == Delivery.POST:
        return "post"
    return "embassy" if application.is_abroad else "office"


def party_context(application: Application) -> dict[str, Any]:
    """The party as filed (SPEC §2: the office decides on what was filed) and how the document
    reaches them (Administrative Procedure Code § 68(2), outside the seeds)."""
    return {
        "application": application,
        "applicant": application.party,
        "permit_type": application.permit_type,
        "filed_abroad": application.is_abroad,
        "delivery_route": _delivery_route(application),
        "place_of_issue": PLACE_OF_ISSUE,
    }


def second_language_of(language: str | None) -> str | None:
    """The applicant's language when it is not Czech, the language of record."""
    return language if language and language != "cs" else None


# --- The decision ----------------------------------------------------------------------------


def legal_basis_cited(basis: str) -> str:
    """A legal basis as the operative part cites it, after "podle" (under): a section governs the
    Act in the genitive already ("§ 42i zákona č. 326/1999 Sb."), while an Act named alone is in
    the nominative in the catalogue ("zákon č. 326/1999 Sb.", as the guidance pages show it) and
    takes the genitive here ("podle zákona č. 326/1999 Sb."). The Act's title stays as it is."""
    if basis.startswith("zákon "):
        return "zákona " + basis.removeprefix("zákon ")
    return basis


def decision_document_context(decision: Decision) -> dict[str, Any]:
    """What the decision's PDF says: the decision, the party, the remedy it allows and the
    official who signs it.

    The instructions give the periods as rules (15 days from delivery; delivery on the first
    opening or the 10th day, or on receipt on paper) and never a computed date: a date
    printed at issue would be wrong as soon as the applicant opened the decision earlier."""
    application = decision.application
    return {
        **party_context(application),
        "decision": decision,
        "issued_on": decision.decided_on,
        "legal_basis": legal_basis_cited(decision.legal_basis),
        "is_visa": remedies.is_visa(application.permit_type),
        "remedy": decision.remedy,
        # A grant in full needs no reasoning (Administrative Procedure Code § 68(4), outside
        # the seeds); a refusal and a stop always give theirs.
        "show_reasoning": bool(decision.reasoning) or decision.outcome != Outcome.GRANTED,
        "delivered_in_portal": application.delivers_in_portal,
        # The appeal and the request for re-assessment have the same 15 days (D4) [002][003].
        "remedy_days": deadlines.APPEAL_PERIOD_DAYS,
        "delivery_days": deadlines.DELIVERY_FICTION_DAYS,
        "reassessment_answer_days": remedies.REASSESSMENT_ANSWER_DAYS,
        "signed_name": decision.signed_name,
        "signed_function": decision.signed_function,
        "second_language": second_language_of(decision.language),
        # What follows a grant of a card (biometrics, collecting the card within 60 days
        # [002][003]), from the office's catalogue in each language of the document. The PDF is
        # rendered once and kept, so it keeps the versions current on the day of issue.
        "next_steps": (
            list(current_versions(PhrasePurpose.GRANT_NEXT_STEPS))
            if decision.outcome == Outcome.GRANTED and not remedies.is_visa(application.permit_type)
            else []
        ),
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
            name=pdf_name("decision", decision.application),
            role=Role.DECISION,
        )
        locked.document = document
        locked.save(update_fields=["document"])
        decision_make_available(decision=locked)
    return document


# --- The resolution interrupting the proceedings ---------------------------------------------


def interruption_letter(interruption: Interruption) -> Document | None:
    """The resolution (with its invitation to supply documents) already stored for this
    interruption, if any."""
    return Document.objects.filter(interruption=interruption, role=Role.LETTER).first()


def interruption_letter_context(interruption: Interruption) -> dict[str, Any]:
    """What the resolution interrupting the proceedings says: the party, the documents asked
    for, the deadline the office set (a fixed date, unlike the remedies' periods), what follows
    if it passes, the remedies and the official who signs it."""
    application = interruption.application
    return {
        **party_context(application),
        "body_template": "documents/letters/_interruption_body.html",
        "issued_on": interruption.started_on,
        "interruption": interruption,
        "requested_kinds": list(interruption.requested_kinds.all()),
        "interruption_legal_basis": INTERRUPTION_LEGAL_BASIS,
        "stop_legal_basis": STOP_LEGAL_BASIS,
        "appeal_days": deadlines.APPEAL_PERIOD_DAYS,
        "signed_name": interruption.signed_name,
        "signed_function": interruption.signed_function,
        "second_language": second_language_of(application.party.preferred_language),
    }


def interruption_letter_render(interruption: Interruption) -> bytes:
    """The resolution as PDF bytes, Czech first and then the applicant's language."""
    with translation.override("cs"):
        return render_pdf(RESOLUTION_TEMPLATE, interruption_letter_context(interruption))


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
            name=pdf_name("interruption", interruption.application, interruption.pk),
            role=Role.LETTER,
        )
        document.interruption = interruption
        document.save(update_fields=["interruption"])
    return document


def interruption_letter_file(*, interruption_id: int) -> Document | None:
    """Render the resolution interrupting the proceedings, with its invitation to supply the
    documents, and file it (D5) [002].

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
