"""Letters the office sends from the file: the invitation to supply documents.

When proceedings are interrupted (přerušení řízení) the applicant is invited, by a letter in the
file, to supply the missing documents by the deadline, and told that the proceedings may be
stopped if they do not [002]. The letter is a PDF in the case's record (role LETTER) linked to
its interruption through ``Document.interruption``: one letter per interruption.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import translation

from applications.models import Application, Interruption
from core import clock
from documents.constants import Role
from documents.models import Document
from documents.pdf import render_pdf
from documents.services import document_store_generated

INTERRUPTION_LETTER_TEMPLATE = "documents/letters/interruption.html"


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
        application = interruption.application
        reference = (application.reference_number or str(application.pk)).replace("/", "-")
        document = document_store_generated(
            application=application,
            content=content,
            name=f"interruption-{reference}-{interruption.pk}.pdf",
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
