"""Everything the portal holds about a person, as a zip: ``data.json`` and their files.

The person is the account and the applicant records it holds (the account holder and the
children they represent [002]). Files are read through the storage (``document.file.open``),
which hands back the plain bytes whatever the storage keeps at rest. The archive is built in a
spooled temporary file: in memory while small, on disk beyond ``DATA_EXPORT_SPOOL_BYTES``.

Staff-internal notes on a case (``CaseNote``) and the names of the staff who worked on it are
not part of this export; docs/privacy.md says why and how a person gets them.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from tempfile import SpooledTemporaryFile
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import timezone

from applications.audit import APPLICANT_NOTES, APPLICANT_VISIBLE
from applications.constants import Status
from applications.models import (
    Applicant,
    Application,
    AuditEntry,
    ChangeReport,
    Decision,
    Interruption,
)
from documents.models import Document
from notifications.models import Notification, NotificationPreference
from privacy.constants import Action
from privacy.models import AccessEvent

if TYPE_CHECKING:
    from accounts.models import User

FORMAT = "residence-permits/personal-data/1"
# The account's own events: its log-ins and exports, not staff reading its cases.
ACCOUNT_EVENT_ACTIONS = (
    Action.LOGIN,
    Action.LOGIN_FAILED,
    Action.LOGOUT,
    Action.LOCKED_OUT,
    Action.OTP_FAILED,
    Action.DATA_EXPORT,
)
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_UNSAFE_IN_REFERENCE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ExportSummary:
    people: int
    cases: int
    files: int


# --- Reading ---------------------------------------------------------------------------------


def applicants_for_export(*, user: User) -> list[Applicant]:
    """The applicant records on the account with everything about their cases, in a fixed
    number of queries whatever the number of cases."""
    applications = (
        Application.objects.select_related("permit_type", "permit")
        .prefetch_related(
            Prefetch(
                "interruptions",
                queryset=Interruption.objects.prefetch_related("requested_kinds", "extensions"),
            ),
            "decisions",
            "appeals",
            Prefetch("documents", queryset=Document.objects.select_related("kind")),
            Prefetch("audit_entries", queryset=AuditEntry.objects.order_by("created_at", "pk")),
            Prefetch(
                "change_reports",
                queryset=ChangeReport.objects.prefetch_related("attachments").order_by(
                    "sub_number"
                ),
            ),
        )
        .order_by("created_at", "pk")
    )
    return list(
        Applicant.objects.filter(account=user)
        .prefetch_related(Prefetch("applications", queryset=applications))
        .order_by("relation", "pk")
    )


def _file_reference_folder(application: Application) -> str:
    reference = application.reference_number or f"draft-{application.pk}"
    return _UNSAFE_IN_REFERENCE.sub("_", reference)


def _file_path(application: Application, document: Document, *, pages: int = 1) -> str:
    """Where a file goes in the archive: by its number in the file; a page of a document of
    several files by the document's number and its page, so that the pages sort in order
    (``7-page-01-front.jpg``, ``7-page-02-back.jpg``)."""
    name = _UNSAFE_IN_NAME.sub("_", document.original_name).strip(" .") or "file"
    folder = f"files/{_file_reference_folder(application)}"
    if pages > 1:
        return f"{folder}/{document.item_number}-page-{document.page:02d}-{name}"
    return f"{folder}/{document.sub_number}-{name}"


def _permit(application: Application) -> dict[str, Any] | None:
    try:
        permit = application.permit
    except ObjectDoesNotExist:
        return None
    return {
        "card_number": permit.number,
        "valid_from": permit.valid_from,
        "valid_to": permit.valid_to,
        "entered_on": permit.entered_on,
        "biometrics_due": permit.biometrics_due,
        "biometrics_on": permit.biometrics_on,
        "pickup_due": permit.pickup_due,
        "picked_up_on": permit.picked_up_on,
    }


def _document(document: Document) -> dict[str, Any]:
    return {
        "sub_number": document.sub_number,
        "file_reference": document.file_reference,
        # The document the file is a page of (its first file's sub-number), and which page.
        "item_number": document.item_number,
        "page": document.page,
        "role": document.role,
        "kind": document.kind.code if document.kind else None,
        "original_name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "uploaded_at": document.uploaded_at,
        "current": document.is_current,
        "verification": document.verification,
        "rejection_reason": document.rejection_reason,
        # Filled in by the writer: the file's path in the archive, or None if it is not stored.
        "file": None,
    }


def _received(decision: Decision) -> bool:
    """Whether the person has the decision: opened in the portal or delivered by the fiction.
    Until then the portal shows neither its outcome nor its text, and neither does the export:
    reading it here would be a delivery the office never recorded (the appeal clock runs from
    delivery)."""
    return decision.opened_on is not None or decision.delivered_on is not None


def exported_documents(application: Application) -> list[Document]:
    """The case's documents the person may have: all but the PDFs of decisions not received. In
    the file's order, the pages of a document together and in their order."""
    withheld = {
        decision.document_id for decision in application.decisions.all() if not _received(decision)
    }
    return sorted(
        (document for document in application.documents.all() if document.pk not in withheld),
        key=lambda document: (document.item_number, document.page, document.sub_number),
    )


def _application(application: Application) -> dict[str, Any]:
    subs = {document.pk: document.sub_number for document in application.documents.all()}
    received = [decision for decision in application.decisions.all() if _received(decision)]
    return {
        "reference_number": application.reference_number,
        "permit_type": {
            "code": application.permit_type.code,
            "name": str(application.permit_type.name),
        },
        "channel": application.channel,
        "status": application.status,
        "outcome": application.outcome if received else "",
        # The person's data as it stood at filing: what the office decides on (SPEC §2). A draft
        # has none yet; it reads the person's record above.
        "filed_data": application.party.stored() if application.status != Status.DRAFT else None,
        "reported_changes": [
            {
                "file_reference": report.file_reference,
                "kind": report.kind,
                "reported_at": report.reported_at,
                "data": report.data,
                "attachments": sorted(document.sub_number for document in report.attachments.all()),
                "acknowledged_at": report.acknowledged_at,
            }
            for report in application.change_reports.all()
        ],
        "answers": application.answers,
        "declarations_confirmed_at": application.declarations_confirmed_at,
        "filed_at": application.filed_at,
        "decision_due": application.decision_due,
        "decided_on": application.decided_on,
        "closed_on": application.closed_on,
        "withdrawn_on": application.withdrawn_on,
        "created_at": application.created_at,
        # The steps of the proceedings as the case page shows them: the office's internal steps
        # and staff reasoning are left out, as is who on the staff took each step.
        "timeline": [
            {
                "when": entry.created_at,
                "action": entry.action,
                "from": entry.from_status,
                "to": entry.to_status,
                "note": entry.note if entry.action in APPLICANT_NOTES else "",
            }
            for entry in application.audit_entries.all()
            if entry.action in APPLICANT_VISIBLE
        ],
        "interruptions": [
            {
                "started_on": interruption.started_on,
                "deadline": interruption.deadline,
                "ended_on": interruption.ended_on,
                "end_reason": interruption.end_reason,
                "reason": interruption.reason,
                "requested_documents": [kind.code for kind in interruption.requested_kinds.all()],
                # Requests for more time and the office's answers (§ 39, outside the seeds).
                "extensions": [
                    {
                        "requested_on": extension.requested_on,
                        "reason": extension.reason,
                        "requested_until": extension.requested_until,
                        "deadline_before": extension.deadline_before,
                        "result": extension.result,
                        "new_deadline": extension.new_deadline,
                        "answer_reason": extension.answer_reason,
                        "answered_on": extension.answered_on,
                    }
                    for extension in interruption.extensions.all()
                ],
            }
            for interruption in application.interruptions.all()
        ],
        "decisions": [
            {
                "outcome": decision.outcome,
                "reasoning": decision.reasoning,
                "legal_basis": decision.legal_basis,
                "valid_from": decision.valid_from,
                "valid_to": decision.valid_to,
                "decided_on": decision.decided_on,
                "made_available_on": decision.made_available_on,
                "opened_on": decision.opened_on,
                "delivered_on": decision.delivered_on,
                "remedy": decision.remedy,
                "appeal_due": decision.appeal_due,
                "document_sub_number": (
                    subs.get(decision.document_id) if decision.document_id is not None else None
                ),
            }
            for decision in received
        ],
        "appeals": [
            {
                "kind": appeal.kind,
                "lodged_on": appeal.lodged_on,
                "answer_due": appeal.answer_due,
                "grounds": appeal.grounds,
                "result": appeal.result,
                "result_note": appeal.result_note,
                "result_recorded_at": appeal.result_recorded_at,
            }
            for appeal in application.appeals.all()
        ],
        "documents": [_document(document) for document in exported_documents(application)],
        "permit": _permit(application),
    }


def _person(applicant: Applicant) -> dict[str, Any]:
    return {
        "relation": applicant.relation,
        "given_names": applicant.given_names,
        "surname": applicant.surname,
        "date_of_birth": applicant.date_of_birth,
        "nationality": str(applicant.nationality),
        "travel_document_number": applicant.travel_document_number,
        "address": applicant.address,
        "email": applicant.email,
        "phone": applicant.phone,
        "preferred_language": applicant.preferred_language,
        "created_at": applicant.created_at,
        "updated_at": applicant.updated_at,
        "applications": [_application(a) for a in applicant.applications.all()],
    }


def _account(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "consent_given_at": user.consent_given_at,
        "email_verified_at": user.email_verified_at,
    }


def personal_data(*, user: User, applicants: list[Applicant]) -> dict[str, Any]:
    """The JSON document of the export, without the files."""
    notifications = Notification.objects.filter(recipient=user).select_related("application")
    preferences = NotificationPreference.objects.filter(user=user).order_by("kind")
    events = AccessEvent.objects.filter(actor=user, action__in=ACCOUNT_EVENT_ACTIONS)
    return {
        "format": FORMAT,
        "generated_at": timezone.now(),
        "account": _account(user),
        "people": [_person(applicant) for applicant in applicants],
        "notifications": [
            {
                "created_at": notification.created_at,
                "kind": notification.kind,
                "channel": notification.channel,
                "case": notification.application.reference_number
                if notification.application
                else None,
                "subject": notification.subject,
                "text": notification.body,
                "sent_at": notification.sent_at,
                "read_at": notification.read_at,
            }
            for notification in notifications
        ],
        "notification_preferences": [
            {"kind": preference.kind, "email": preference.email_enabled}
            for preference in preferences
        ],
        "account_events": [
            {
                "when": event.created_at,
                "action": event.action,
                "ip_address": event.ip_address,
                "browser": event.user_agent,
            }
            for event in events
        ],
    }


# --- Writing ---------------------------------------------------------------------------------


def _add_file(archive: zipfile.ZipFile, document: Document, path: str) -> bool:
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        # A document taken out of a draft keeps its row but not its file.
        return False
    with handle, archive.open(path, "w") as target:
        shutil.copyfileobj(handle, target)
    return True


def write_export(*, user: User, target: Any) -> ExportSummary:
    """Write the zip of everything held about ``user`` into the binary file ``target``."""
    applicants = applicants_for_export(user=user)
    data = personal_data(user=user, applicants=applicants)
    files = cases = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for applicant, person in zip(applicants, data["people"], strict=True):
            for application, case in zip(
                applicant.applications.all(), person["applications"], strict=True
            ):
                cases += 1
                documents = exported_documents(application)
                pages = Counter(
                    (document.item_number, document.is_current) for document in documents
                )
                for document, entry in zip(documents, case["documents"], strict=True):
                    path = _file_path(
                        application,
                        document,
                        pages=pages[(document.item_number, document.is_current)],
                    )
                    if _add_file(archive, document, path):
                        entry["file"] = path
                        files += 1
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
    return ExportSummary(people=len(applicants), cases=cases, files=files)


def build_export(*, user: User) -> tuple[SpooledTemporaryFile, ExportSummary]:
    """The archive, rewound and ready to stream, and what is in it."""
    spool = SpooledTemporaryFile(max_size=settings.DATA_EXPORT_SPOOL_BYTES)  # noqa: SIM115
    try:
        summary = write_export(user=user, target=spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool, summary


def export_filename(today: date | datetime) -> str:
    return f"personal-data-{today:%Y-%m-%d}.zip"
