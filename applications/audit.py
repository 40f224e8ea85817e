"""The record of proceedings: what happened on a case, by whom and when (SPEC §2).

Every action on a case writes one ``AuditEntry`` (its ``action`` one of :class:`AuditAction`)
through :func:`audit_record`, inside the action's own transaction. The actions and their names are
defined once here; the caseworker's timeline shows them all, the applicant's timeline and the
applicant's data export show the subset marked :data:`APPLICANT_VISIBLE`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from applications.constants import Delivery
from applications.query import powers_covering
from core import clock
from webhooks import services as webhooks

if TYPE_CHECKING:
    from accounts.models import User
    from applications.models import Application, AuditEntry


class AuditAction(models.TextChoices):
    # Transitions of the state machine (their names are the transitions' names).
    FILE = "file", _("Application filed")
    INTERRUPT = "interrupt", _("Proceedings interrupted: documents requested")
    RESUME = "resume", _("Proceedings resumed")
    DECIDE = "decide", _("Decision issued")
    STOP = "stop", _("Proceedings stopped")
    APPEAL = "appeal", _("Appeal lodged")
    RESOLVE_APPEAL = "resolve_appeal", _("Appeal decided")
    FINALIZE = "finalize", _("Decision in legal effect")
    WITHDRAW = "withdraw", _("Application withdrawn")
    # Delivery of the decision (SPEC D3).
    DECISION_AVAILABLE = "decision_available", _("Decision available in the portal")
    DECISION_DELIVERED = "decision_delivered", _("Decision delivered")
    # Documents in the file.
    DOCUMENTS_SUPPLIED = "documents_supplied", _("Requested documents supplied")
    DOCUMENT_VERIFIED = "document_verified", _("Document accepted")
    DOCUMENT_REJECTED = "document_rejected", _("A document was not accepted")
    DOCUMENT_PAGES_CHANGED = "document_pages_changed", _("Pages of a document changed")
    # More time to supply the documents (Administrative Procedure Code § 39(2), outside the seeds).
    EXTENSION_REQUESTED = "extension_requested", _("More time asked for to supply documents")
    EXTENSION_GRANTED = "extension_granted", _("More time granted: new deadline for documents")
    EXTENSION_REFUSED = "extension_refused", _("Request for more time refused")
    # Changes the person reported after filing [003].
    DATA_CHANGE_REPORTED = "data_change_reported", _("Change of personal data reported")
    ADDRESS_CHANGE_REPORTED = "address_change_reported", _("Change of address reported")
    CHANGE_ACKNOWLEDGED = "change_acknowledged", _("Reported change acknowledged by the office")
    # The permit that a grant issues [002][003].
    PERMIT_SET_ASIDE = "permit_set_aside", _("Residence permit set aside on appeal")
    ENTRY_RECORDED = "entry_recorded", _("Day of entry recorded")
    BIOMETRICS_SCHEDULED = "biometrics_scheduled", _("Appointment for biometric data booked")
    BIOMETRICS_RECORDED = "biometrics_recorded", _("Biometric data taken")
    CARD_READY = "card_ready", _("Residence card ready for collection")
    CARD_PICKED_UP = "card_picked_up", _("Residence card collected")
    # The office's own work on the case: staff only.
    CLAIM = "claim", _("Case claimed")
    RELEASE = "release", _("Case released")
    ASSIGN = "assign", _("Case assigned")
    NOTE_ADDED = "note_added", _("Internal note added")
    RETENTION = "retention", _("Anonymised after the retention period")


# What the applicant's timeline and data export show: the proceedings as the person lives them,
# not the office's internal work (who claimed the case, internal notes).
APPLICANT_VISIBLE = frozenset(
    {
        AuditAction.FILE,
        AuditAction.INTERRUPT,
        AuditAction.DOCUMENTS_SUPPLIED,
        AuditAction.RESUME,
        AuditAction.DECIDE,
        AuditAction.STOP,
        AuditAction.DECISION_AVAILABLE,
        AuditAction.DECISION_DELIVERED,
        AuditAction.APPEAL,
        AuditAction.RESOLVE_APPEAL,
        AuditAction.FINALIZE,
        AuditAction.WITHDRAW,
        AuditAction.PERMIT_SET_ASIDE,
        AuditAction.ENTRY_RECORDED,
        AuditAction.BIOMETRICS_SCHEDULED,
        AuditAction.BIOMETRICS_RECORDED,
        AuditAction.CARD_READY,
        AuditAction.CARD_PICKED_UP,
        AuditAction.DOCUMENT_REJECTED,
        AuditAction.DATA_CHANGE_REPORTED,
        AuditAction.ADDRESS_CHANGE_REPORTED,
        AuditAction.CHANGE_ACKNOWLEDGED,
        AuditAction.EXTENSION_REQUESTED,
        AuditAction.EXTENSION_GRANTED,
        AuditAction.EXTENSION_REFUSED,
    }
)

# Of those, the actions whose note the applicant is meant to read (why documents were requested
# or not accepted; a reported change's number in the file; why more time was asked for, and the
# office's reasons for its answer). The other notes are staff reasoning, shown to the applicant in
# the decision itself.
APPLICANT_NOTES = frozenset(
    {
        AuditAction.INTERRUPT,
        AuditAction.DOCUMENT_REJECTED,
        AuditAction.DATA_CHANGE_REPORTED,
        AuditAction.ADDRESS_CHANGE_REPORTED,
        AuditAction.CHANGE_ACKNOWLEDGED,
        AuditAction.EXTENSION_REQUESTED,
        AuditAction.EXTENSION_GRANTED,
        AuditAction.EXTENSION_REFUSED,
    }
)


# --- Notes the system writes ------------------------------------------------------------------

# Czech is the language of the proceedings (SPEC §7): a note the system writes by itself must not
# take the language of whoever's request caused it (an applicant's Ukrainian upload resuming the
# case). The row keeps the note in Czech, the record's language, and the key and parameters in its
# data; the staff timeline shows it in the reader's language (``note_for_reader``).
SYSTEM_NOTES = {
    "resumed_documents_supplied": _("Resumed: the applicant supplied every requested document."),
    "delivered_unopened": _("Delivered by the 10-day rule: not opened earlier."),
    "delivered_on_paper": _("Delivered %(method)s: received on %(day)s, proof %(proof)s."),
}


@dataclass(frozen=True)
class SystemNote:
    """A note of ``SYSTEM_NOTES`` with its parameters: JSON values only (a date as ISO text, a
    delivery method as its value), turned into words in the language it is read in."""

    key: str
    params: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """The note in the active language."""
        template = str(SYSTEM_NOTES[self.key])
        if not self.params:
            return template
        return template % {name: _param_text(name, value) for name, value in self.params.items()}


def _param_text(name: str, value: str) -> str:
    if name == "day":
        return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
    if name == "method":
        return str(Delivery(value).label).lower()
    return value


def note_for_reader(entry: AuditEntry) -> str:
    """An audit row's note for the person reading the timeline: a system note in their language,
    any other note as written."""
    stored = entry.data.get("system_note") if entry.note else None
    if stored:
        return SystemNote(stored["key"], stored.get("params", {})).text()
    return entry.note


def representing_organisations(application: Application) -> list[int]:
    """The organisations whose powers of attorney cover the case today (one query)."""
    return list(
        powers_covering(application)
        .filter(organisation__isnull=False)
        .values_list("organisation_id", flat=True)
        .distinct()
    )


def acting_under(application: Application, actor: User) -> int | None:
    """The power of attorney ``actor`` acts under in the case today, if any (never the person's
    own: nobody holds a power from themselves). Staff act under their office, never under a
    power: no query for them (their permissions are cached)."""
    if actor.has_perm("applications.process_application") or actor.has_perm(
        "applications.file_on_behalf"
    ):
        return None
    return (
        powers_covering(application)
        .held_by(actor)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def audit_record(
    application: Application,
    *,
    actor: User | None,
    action: AuditAction,
    from_status: str = "",
    to_status: str = "",
    note: str | SystemNote = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit row to the case, inside the caller's transaction (SPEC §2). A step
    taken by a representative names the power of attorney they acted under (``acting_under``):
    who acted for whom, read by the person's timeline."""
    data = dict(data or {})
    if actor is not None:
        power_id = acting_under(application, actor)
        if power_id is not None:
            data["acting_under"] = power_id
    if isinstance(note, SystemNote):
        data["system_note"] = {"key": note.key, "params": note.params}
        with translation.override(settings.LANGUAGE_CODE):
            note = note.text()
    entry = application.audit_entries.create(
        # The one clock's time (core.clock), as every date the action wrote.
        created_at=clock.now(),
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data,
    )
    event = webhook_event(entry)
    if event is not None:
        # Subscribers of the person's account hear of it, in this transaction (the outbox).
        webhooks.case_event(
            application_id=application.pk,
            applicant_id=application.applicant_id,
            event=event,
            status=application.status,
            version=application.version,
            # The organisations representing the person in the case hear of it too.
            organisation_ids=representing_organisations(application),
        )
    return entry


# The events webhook subscribers hear of (webhooks.models.Event), by the action that makes them.
WEBHOOK_EVENTS = {
    AuditAction.FILE: "filed",
    AuditAction.INTERRUPT: "interrupted",
    AuditAction.RESUME: "resumed",
    AuditAction.DECIDE: "decided",
    AuditAction.STOP: "decided",
    AuditAction.DECISION_DELIVERED: "delivered",
    AuditAction.APPEAL: "appealed",
    AuditAction.WITHDRAW: "withdrawn",
}


def webhook_event(entry: AuditEntry) -> str | None:
    """The webhook event an audit row makes, if any: its action's, or "closed" for any step
    that closed the proceedings (legal effect, an appeal decided for good)."""
    if entry.to_status == "closed" and entry.from_status != "closed":
        return "closed"
    return WEBHOOK_EVENTS.get(AuditAction(entry.action))
