"""Writes to the case's documents: upload, verification, generated files.

What an upload may contain is checked by ``documents.inspection.validate_upload`` before
anything is written; its ``UploadRefused`` is also the error of the actions here. Once a decision
or a withdrawal froze the case's file, people's changes to its evidence are refused by one rule,
``applications.guards.check_documents_open``; generated documents are still filed.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.constants import Status
from core.errors import ApplicationError, NotPermitted
from documents.constants import Role, Verification
from documents.inspection import UploadRefused, validate_upload
from documents.models import Document

if TYPE_CHECKING:
    from accounts.models import User
    from applications.models import Application, Interruption
    from permits.models import DocumentKind


def _lock_case(application: Application) -> str:
    """Serialise writes to one case's record (sub-numbers and "current" flags stay consistent);
    return the case's status as it is now."""
    from applications.models import Application

    return (
        Application.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=application.pk)
    )


def _next_sub_number(application: Application) -> int:
    # Called with the case row locked, so two uploads cannot take the same number. Documents and
    # changes reported after filing (applications.ChangeReport) are numbered in one sequence:
    # they are submissions in one file.
    from applications.models import ChangeReport

    documents = application.documents.aggregate(top=Max("sub_number"))["top"] or 0
    reports = ChangeReport.objects.filter(application=application).aggregate(top=Max("sub_number"))[
        "top"
    ]
    return max(documents, reports or 0) + 1


def _store(
    *,
    application: Application,
    content: bytes,
    name: str,
    content_type: str,
    role: Role,
    kind: DocumentKind | None,
    actor: User | None,
    interruption: Interruption | None = None,
) -> Document:
    document = Document(
        application=application,
        role=role,
        kind=kind,
        interruption=interruption,
        sub_number=_next_sub_number(application),
        original_name=PurePath(name).name[:255] or "document",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content_type=content_type,
        uploaded_by=actor,
        verification=Verification.PENDING if role == Role.EVIDENCE else Verification.ACCEPTED,
    )
    document.file.save(document.original_name, ContentFile(content), save=False)
    document.save()
    return document


def document_upload(
    *,
    application: Application,
    kind: DocumentKind,
    upload: UploadedFile,
    actor: User,
) -> Document:
    """Add evidence to a case. In a draft it replaces the earlier file of the same kind; during
    an interruption it is filed against the interruption; later, it adds to the record."""
    from applications import guards

    if not guards.may_act_as_applicant(application, actor) and not actor.has_perm(
        "applications.process_application"
    ):
        raise NotPermitted()
    content, content_type = validate_upload(upload)
    with transaction.atomic():
        status = _lock_case(application)
        guards.check_documents_open(status)
        interruption = application.interruptions.filter(ended_on__isnull=True).first()
        if status == Status.DRAFT:
            application.documents.filter(kind=kind, role=Role.EVIDENCE, is_current=True).update(
                is_current=False
            )
        return _store(
            application=application,
            content=content,
            name=upload.name or "document",
            content_type=content_type,
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
    from applications import guards

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
        transaction.on_commit(lambda: storage.delete(name))
    return locked


def document_upload_appeal_attachment(
    *, application: Application, upload: UploadedFile, actor: User
) -> Document:
    """Add an attachment to the appeal the applicant has lodged (role APPEAL)."""
    from applications import guards

    if not guards.may_act_as_applicant(application, actor):
        raise NotPermitted()
    content, content_type = validate_upload(upload)
    with transaction.atomic():
        status = _lock_case(application)
        if status != Status.APPEALED:
            raise UploadRefused(_("Attachments can be added only to an appeal that was lodged."))
        return _store(
            application=application,
            content=content,
            name=upload.name or "attachment",
            content_type=content_type,
            role=Role.APPEAL,
            kind=None,
            actor=actor,
        )


def document_store_generated(
    *, application: Application, content: bytes, name: str, role: Role
) -> Document:
    """Store a file the office generated (a decision, a letter) in the case's record."""
    with transaction.atomic():
        _lock_case(application)
        return _store(
            application=application,
            content=content,
            name=name,
            content_type="application/pdf",
            role=role,
            kind=None,
            actor=None,
        )


def document_verify(
    *, document: Document, actor: User, accepted: bool, reason: str = ""
) -> Document:
    """A caseworker accepts a document or rejects it with a reason the applicant will see.

    Not once the case's file is frozen by a decision or a withdrawal (``guards.documents_frozen``).
    """
    from applications import guards
    from applications.audit import AuditAction, audit_record

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
        locked.verified_at = timezone.now()
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
