"""The caseworker's case page as a console: what the side panel says (the next legal step, the
next case of the queue the caseworker came from) and what the page's forms propose (the
documents to ask for, a grant once every required document is verified).

Reads only, from the case as ``queues.case_for_caseworker`` loaded it (its prefetches) and the
documents the permit type requires (``checks.required_document_kinds``); the next case is one
query on the tab's own list (``queues.queue_for``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.translation import gettext

from applications import checks
from applications.constants import Remedy, Status
from applications.queues import TABS, CaseworkerCase, queue_for
from documents.constants import Role, Verification
from documents.models import Document
from permits.models import DocumentKind

if TYPE_CHECKING:
    from accounts.models import User


def queue_tab(value: str | None) -> str | None:
    """The queue tab a link carried (``?from=<tab>``), if it is one."""
    return value if value in TABS else None


def next_case_pk(user: User, tab: str, *, current: int, today: date) -> int | None:
    """The first case of ``tab``, in the tab's order, other than ``current``: one query."""
    first_two = queue_for(user, tab, today=today).values_list("pk", flat=True)[:2]
    return next((pk for pk in first_two if pk != current), None)


def pending_documents(case: CaseworkerCase) -> list[Document]:
    """The evidence in the file still waiting for verification, in the file's order."""
    return [
        document
        for document, _preview in case.documents
        if document.role == Role.EVIDENCE
        and document.is_current
        and document.verification == Verification.PENDING
    ]


@dataclass(frozen=True)
class DocumentState:
    """The file against what the permit type requires."""

    pending: list[Document]
    # Required kinds with no current document that was not rejected.
    missing: list[DocumentKind]
    # Kinds of current documents the caseworker rejected.
    rejected: list[DocumentKind]
    # Every required kind has an accepted current document.
    all_required_verified: bool

    @property
    def to_ask_for(self) -> list[int]:
        """The kinds an interruption would ask for: rejected or missing, each once."""
        return list(dict.fromkeys(kind.pk for kind in [*self.rejected, *self.missing]))


def document_state(case: CaseworkerCase, required: list[DocumentKind]) -> DocumentState:
    evidence = [
        document
        for document, _preview in case.documents
        if document.role == Role.EVIDENCE and document.is_current and document.kind_id
    ]
    accepted = {d.kind_id for d in evidence if d.verification == Verification.ACCEPTED}
    usable = {d.kind_id for d in evidence if d.verification != Verification.REJECTED}
    rejected = {d.kind_id: d.kind for d in evidence if d.verification == Verification.REJECTED}
    return DocumentState(
        pending=pending_documents(case),
        missing=[kind for kind in required if kind.pk not in usable],
        # A kind rejected once and supplied again is no longer to ask for.
        rejected=[kind for pk, kind in rejected.items() if pk not in usable and kind is not None],
        all_required_verified=all(kind.pk in accepted for kind in required),
    )


def _day(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def next_step(case: CaseworkerCase, documents: DocumentState | None) -> str:
    """The next legal step in the case, in one sentence."""
    application = case.application
    status = application.status
    actions = case.actions
    if status == Status.FILED:
        if application.assigned_to_id is None:
            return gettext("Claim the case, then verify the documents.")
        if documents is not None and documents.pending:
            return gettext("Verify the documents, then decide.")
        if documents is not None and (documents.missing or documents.rejected):
            return gettext(
                "Ask for the missing or rejected documents (interrupt the proceedings), or decide."
            )
        return gettext("Decide: every required document is verified.")
    if status == Status.INTERRUPTED:
        interruption = case.interruption
        if interruption is None:
            return gettext("Resume the proceedings.")
        supplied = documents is not None and any(
            document.interruption_id == interruption.pk for document in documents.pending
        )
        if supplied:
            return gettext("Verify the documents supplied, then resume the proceedings.")
        if interruption.deadline < case.today:
            return gettext(
                "The deadline for the documents has passed: stop the proceedings or resume them."
            )
        return gettext("Waiting for documents until %(day)s.") % {
            "day": _day(interruption.deadline)
        }
    if status == Status.APPEALED:
        remedy = case.pending_remedy
        if remedy is not None and remedy.kind == Remedy.REASSESSMENT:
            return gettext("Record the result of the re-assessment.")
        return gettext("Record the appeal result.")
    if status == Status.DECIDED:
        if actions.get("record_receipt"):
            return gettext("Record the day the decision was received.")
        return gettext("Decided: waiting for the decision to take legal effect.")
    return gettext("Nothing left to do: the proceedings have ended.")


def required_kinds(case: CaseworkerCase) -> list[DocumentKind]:
    """The documents the case must carry, when a form on the page needs them (a few queries,
    whatever the number of documents)."""
    return checks.required_document_kinds(case.application)
