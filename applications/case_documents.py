"""The case's documents: who may add, remove and verify them, and when; which one a person may
download.

What an upload may contain is checked by ``documents.inspection.validate_upload`` before
anything is written; its ``UploadRefused`` is also the error of the actions here. Once a decision
or a withdrawal froze the case's file, people's changes to its evidence are refused by one rule,
``applications.guards.check_documents_open``; generated documents are still filed. Every action
takes the case's row lock first, numbers the document in the file under it and stores it with
``documents.services.document_store``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from applications import guards
from applications.audit import AuditAction, audit_record
from applications.constants import Status
from applications.models import Application, ChangeReport, Interruption
from core import clock
from core.errors import ApplicationError, NotPermitted
from documents.constants import Role, Verification
from documents.inspection import UploadRefused, validate_upload
from documents.models import Document
from documents.services import document_store, document_top_sub_number

if TYPE_CHECKING:
    from accounts.models import User
    from permits.models import DocumentKind


def _lock_case(application: Application) -> str:
    """Serialise writes to one case's record (sub-numbers and "current" flags stay consistent);
    return the case's status as it is now."""
    return (
        Application.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=application.pk)
    )


def next_sub_number(*, application: Application) -> int:
    """The number the next submission gets in the case's file (OAM-4217-3/DP-2026: the 3).

    Called with the case row locked, so two submissions cannot take the same number. Documents
    and changes reported after filing (``ChangeReport``) are numbered in one sequence: they are
    submissions in one file.
    """
    reports = ChangeReport.objects.filter(application=application).aggregate(top=Max("sub_number"))[
        "top"
    ]
    return max(document_top_sub_number(application_id=application.pk), reports or 0) + 1


@dataclass(frozen=True)
class FileContent:
    """A file to file in a case: what an upload held once inspected (``inspect_upload``), or
    what the office generated."""

    content: bytes
    content_type: str
    name: str


def inspect_upload(upload: UploadedFile, *, default_name: str) -> FileContent:
    """Check what an upload contains (``validate_upload``; ``UploadRefused``) before the case's
    row lock is taken: a scan can take a while. ``default_name`` names a file sent without one."""
    content, content_type = validate_upload(upload)
    return FileContent(content=content, content_type=content_type, name=upload.name or default_name)


def case_document_store(
    *,
    application: Application,
    file: FileContent,
    role: Role,
    actor: User | None,
    kind: DocumentKind | None = None,
    interruption: Interruption | None = None,
) -> Document:
    """File ``file`` in the case's record under the next number of its file. The caller holds
    the case's row lock."""
    return document_store(
        application_id=application.pk,
        sub_number=next_sub_number(application=application),
        content=file.content,
        name=file.name,
        content_type=file.content_type,
        role=role,
        kind=kind,
        actor=actor,
        interruption_id=interruption.pk if interruption else None,
    )


def document_upload(
    *,
    application: Application,
    kind: DocumentKind,
    upload: UploadedFile,
    actor: User,
) -> Document:
    """Add evidence to a case. In a draft it replaces the earlier file of the same kind; during
    an interruption it is filed against the interruption; later, it adds to the record."""
    if not guards.may_act_as_applicant(application, actor) and not actor.has_perm(
        "applications.process_application"
    ):
        raise NotPermitted()
    file = inspect_upload(upload, default_name="document")
    with transaction.atomic():
        status = _lock_case(application)
        guards.check_documents_open(status)
        interruption = application.interruptions.filter(ended_on__isnull=True).first()
        if status == Status.DRAFT:
            application.documents.filter(kind=kind, role=Role.EVIDENCE, is_current=True).update(
                is_current=False
            )
        return case_document_store(
            application=application,
            file=file,
            role=Role.EVIDENCE,
            kind=kind,
            actor=actor,
            interruption=interruption,
        )


def document_remove(*, document: Document, actor: User) -> Document:
    """Take a document out of a draft: it no longer counts, and its stored file is deleted.

    The row stays (not current) so the draft's sub-numbers are never reused; the file is
    deleted once the change is committed, so a rollback cannot leave a row without its file.
    """
    application = document.application
    if not guards.may_file(application, actor):
        raise NotPermitted()
    with transaction.atomic():
        status = _lock_case(application)
        guards.check_documents_open(status)
        if status != Status.DRAFT:
            raise UploadRefused(_("Documents can be removed only before the application is filed."))
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.role != Role.EVIDENCE or not locked.is_current:
            raise UploadRefused(_("This document has already been removed or replaced."))
        locked.is_current = False
        locked.save(update_fields=["is_current"])
        storage, name = locked.file.storage, locked.file.name
        if name:
            transaction.on_commit(lambda: storage.delete(name))
    return locked


def document_upload_appeal_attachment(
    *, application: Application, upload: UploadedFile, actor: User
) -> Document:
    """Add an attachment to the appeal the applicant has lodged (role APPEAL)."""
    if not guards.may_act_as_applicant(application, actor):
        raise NotPermitted()
    file = inspect_upload(upload, default_name="attachment")
    with transaction.atomic():
        status = _lock_case(application)
        if status != Status.APPEALED:
            raise UploadRefused(_("Attachments can be added only to an appeal that was lodged."))
        return case_document_store(
            application=application, file=file, role=Role.APPEAL, actor=actor
        )


def document_store_generated(
    *, application: Application, content: bytes, name: str, role: Role
) -> Document:
    """Store a file the office generated (a decision, a letter) in the case's record."""
    file = FileContent(content=content, content_type="application/pdf", name=name)
    with transaction.atomic():
        _lock_case(application)
        return case_document_store(application=application, file=file, role=role, actor=None)


def document_verify(
    *, document: Document, actor: User, accepted: bool, reason: str = ""
) -> Document:
    """A caseworker accepts a document or rejects it with a reason the applicant will see.

    Not once the case's file is frozen by a decision or a withdrawal (``guards.documents_frozen``).
    """
    if not actor.has_perm("applications.process_application"):
        raise NotPermitted()
    if not accepted and not reason.strip():
        raise ApplicationError(_("Say why the document is rejected."))
    with transaction.atomic():
        # The case row first, as every writer to the case takes it: a decision cannot slip in
        # between the state check and the verification.
        guards.check_documents_open(_lock_case(document.application))
        locked = (
            Document.objects.select_for_update().select_related("application").get(pk=document.pk)
        )
        locked.verification = Verification.ACCEPTED if accepted else Verification.REJECTED
        locked.rejection_reason = "" if accepted else reason.strip()
        locked.verified_by = actor
        locked.verified_at = clock.now()
        locked.save(
            update_fields=["verification", "rejection_reason", "verified_by", "verified_at"]
        )
        audit_record(
            locked.application,
            actor=actor,
            action=AuditAction.DOCUMENT_VERIFIED if accepted else AuditAction.DOCUMENT_REJECTED,
            note=locked.rejection_reason,
            data={"document": locked.pk, "sub_number": locked.sub_number},
        )
    return locked


def document_for_download(*, user: User, pk: int) -> Document:
    """A document of a case ``user`` may see, or 404: the applicant's side (the owner, the
    support-centre worker who created it) and staff who process applications
    (``Application.objects.visible_to``)."""
    visible = Application.objects.visible_to(user).values("pk")
    return get_object_or_404(
        Document.objects.select_related("application__applicant").filter(application__in=visible),
        pk=pk,
    )
