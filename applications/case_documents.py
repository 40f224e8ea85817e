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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from applications import case_watch, guards
from applications.audit import AuditAction, audit_record
from applications.constants import Status
from applications.models import Application, AuditEntry, ChangeReport, Interruption
from core import clock
from core.errors import ApplicationError, ConcurrentChange, NotPermitted
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
    item_number: int | None = None,
    page: int = 1,
) -> Document:
    """File ``file`` in the case's record under the next number of its file, as page ``page`` of
    the document ``item_number`` (by default a document of its own). The caller holds the case's
    row lock."""
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
        item_number=item_number,
        page=page,
    )


@dataclass(frozen=True)
class RefusedFile:
    """A file of an upload that was not filed: its name and why, fit to show."""

    name: str
    reason: str


@dataclass(frozen=True)
class PagesUpload:
    """What became of the files of one upload: the pages filed, in order, and the files refused."""

    stored: list[Document]
    refused: list[RefusedFile]


def document_upload(
    *,
    application: Application,
    kind: DocumentKind,
    upload: UploadedFile,
    actor: User,
) -> Document:
    """Add one file as evidence of ``kind`` (``document_upload_pages`` with one file); a refused
    file raises its ``UploadRefused``."""
    result = document_upload_pages(
        application=application, kind=kind, uploads=[upload], actor=actor
    )
    if result.refused:
        raise UploadRefused(result.refused[0].reason)
    return result.stored[0]


def document_upload_pages(
    *,
    application: Application,
    kind: DocumentKind,
    uploads: Sequence[UploadedFile],
    actor: User,
) -> PagesUpload:
    """Add evidence of ``kind`` to a case, one file per page (a passport photographed page by
    page). Each file is checked on its own (``inspect_upload``): a refused file is reported by its
    name and reason, and the others are filed all the same.

    In a draft the files are added as the last pages of the kind's document (a new document when
    there is none). Once filed, what is in the record is never rewritten: the files are the pages
    of a new document, during an interruption filed against it, and the case is marked as having
    documents to check (``case_watch.mark_arrived``).
    """
    if not guards.may_act_as_applicant(application, actor) and not actor.has_perm(
        "applications.process_application"
    ):
        raise NotPermitted()
    if not uploads:
        raise UploadRefused(_("Choose a file to upload."))
    files: list[FileContent] = []
    refused: list[RefusedFile] = []
    for upload in uploads:
        try:
            files.append(inspect_upload(upload, default_name="document"))
        except UploadRefused as refusal:
            refused.append(RefusedFile(name=upload.name or "", reason=refusal.message))
    if not files:
        return PagesUpload(stored=[], refused=refused)
    with transaction.atomic():
        status = _lock_case(application)
        guards.check_documents_open(status)
        interruption = application.interruptions.filter(ended_on__isnull=True).first()
        item_number: int | None = None
        last_page = 0
        if status == Status.DRAFT:
            last = (
                application.documents.filter(kind=kind, role=Role.EVIDENCE, is_current=True)
                .order_by("-page", "-sub_number")
                .values_list("item_number", "page")
                .first()
            )
            if last is not None:
                item_number, last_page = last
        stored = []
        for file in files:
            document = case_document_store(
                application=application,
                file=file,
                role=Role.EVIDENCE,
                kind=kind,
                actor=actor,
                interruption=interruption,
                item_number=item_number,
                page=last_page + 1,
            )
            item_number, last_page = document.item_number, document.page
            stored.append(document)
        if status != Status.DRAFT:
            _audit_pages(
                application, actor=actor, change="added", item_number=stored[0].item_number
            )
        if status in (Status.FILED, Status.INTERRUPTED):
            case_watch.mark_arrived(application, actor=actor)
    return PagesUpload(stored=stored, refused=refused)


def _audit_pages(application: Application, *, actor: User, change: str, item_number: int) -> None:
    """The audit row of a change to a filed case's document: which document and its pages
    after it, by their numbers in the file, in order.

    A draft's pages are not audited: a draft is the person's working copy, not yet proceedings,
    and it may be deleted with everything in it (an audit row, which is never deleted, would
    keep it). What is filed is the record; every change after filing is audited."""
    pages = Document.objects.filter(
        application=application, item_number=item_number, is_current=True
    ).order_by("page")
    audit_record(
        application,
        actor=actor,
        action=AuditAction.DOCUMENT_PAGES_CHANGED,
        data={
            "change": change,
            "item_number": item_number,
            "pages": list(pages.values_list("sub_number", flat=True)),
        },
    )


def _draft_page_for_change(document: Document, actor: User, *, refusal: str) -> Document:
    """Lock the case and the page: the checks every change to a draft's pages shares. Only a
    draft's pages change; what is filed is never rewritten."""
    application = document.application
    if not guards.may_file(application, actor):
        raise NotPermitted()
    status = _lock_case(application)
    guards.check_documents_open(status)
    if status != Status.DRAFT:
        raise UploadRefused(refusal)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.role != Role.EVIDENCE or not locked.is_current:
        raise UploadRefused(_("This document has already been removed or replaced."))
    return locked


def document_remove(*, document: Document, actor: User) -> Document:
    """Take a page out of a draft's document (the whole document, when it has one page): it no
    longer counts, its stored file is deleted and the pages after it move up by one.

    The row stays (not current) so the draft's sub-numbers are never reused; the file is
    deleted once the change is committed, so a rollback cannot leave a row without its file.
    """
    with transaction.atomic():
        locked = _draft_page_for_change(
            document,
            actor,
            refusal=_("Documents can be removed only before the application is filed."),
        )
        locked.is_current = False
        locked.save(update_fields=["is_current"])
        later = Document.objects.select_for_update().filter(
            application_id=locked.application_id,
            item_number=locked.item_number,
            is_current=True,
            page__gt=locked.page,
        )
        # One by one from the lowest: each takes the place freed before it (the page numbers
        # of an item's current files are unique).
        for page in later.order_by("page"):
            page.page -= 1
            page.save(update_fields=["page"])
        storage, name = locked.file.storage, locked.file.name
        if name:
            transaction.on_commit(lambda: storage.delete(name))
    return locked


def document_page_move(*, document: Document, actor: User, up: bool) -> Document:
    """Move a page of a draft's document one place up (towards the first page) or down: it
    swaps places with its neighbour. The first page cannot go up, nor the last one down."""
    with transaction.atomic():
        locked = _draft_page_for_change(
            document,
            actor,
            refusal=_("Pages can be reordered only before the application is filed."),
        )
        neighbour = (
            Document.objects.select_for_update()
            .filter(
                application_id=locked.application_id,
                item_number=locked.item_number,
                is_current=True,
                page=locked.page - 1 if up else locked.page + 1,
            )
            .first()
        )
        if neighbour is None:
            raise ApplicationError(
                _("This is the first page already.") if up else _("This is the last page already.")
            )
        # Through page 0, as the page numbers of an item's current files are unique.
        place, locked.page = locked.page, 0
        locked.save(update_fields=["page"])
        neighbour.page, locked.page = place, neighbour.page
        neighbour.save(update_fields=["page"])
        locked.save(update_fields=["page"])
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
    """The caseworker the case is assigned to, or a supervisor (``guards.may_act_on_case``),
    accepts a document or rejects it with a reason the applicant will see. When nothing is left
    to check on the case, it leaves the "documents arrived" queue (``case_watch``).

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
        # Who has the case, as read under its lock.
        check_may_verify(locked.application, actor)
        now = clock.now()
        # The document as a whole: every page of it (the caseworker saw them all).
        pages = [page if page.pk != locked.pk else locked for page in item_pages_for_update(locked)]
        for page in pages:
            page.verification = Verification.ACCEPTED if accepted else Verification.REJECTED
            page.rejection_reason = "" if accepted else reason.strip()
            page.verified_by = actor
            page.verified_at = now
            page.save(
                update_fields=["verification", "rejection_reason", "verified_by", "verified_at"]
            )
        entry = audit_record(
            locked.application,
            actor=actor,
            action=AuditAction.DOCUMENT_VERIFIED if accepted else AuditAction.DOCUMENT_REJECTED,
            note=locked.rejection_reason,
            data={
                "document": locked.pk,
                "sub_number": locked.sub_number,
                "pages": [page.sub_number for page in pages],
            },
        )
        case_watch.tell_assignee(locked.application, actor=actor, entry=entry)
        case_watch.clear_if_checked(locked.application)
    return locked


def item_pages_for_update(document: Document) -> list[Document]:
    """The pages of ``document``'s item (it included), locked, in order: what verification
    accepts or rejects as one document."""
    return list(
        Document.objects.select_for_update()
        .filter(
            application_id=document.application_id,
            item_number=document.item_number,
            is_current=document.is_current,
            role=document.role,
        )
        .order_by("page", "sub_number")
    )


def document_for_download(*, user: User, pk: int) -> Document:
    """A document of a case ``user`` may see, or 404: the applicant's side (the owner, the
    support-centre worker who created it) and staff who process applications
    (``Application.objects.visible_to``)."""
    visible = Application.objects.visible_to(user).values("pk")
    return get_object_or_404(
        Document.objects.select_related("application__applicant").filter(application__in=visible),
        pk=pk,
    )


# --- Verifying the documents of a case at once (the case page's documents form) --------------


def check_may_verify(application: Application, actor: User) -> None:
    """Who may accept or reject a case's documents, read under the case's lock: the one check of
    ``document_verify`` and ``documents_verify_many``."""
    guards.check_may_act_on_case(application, actor)


@dataclass(frozen=True)
class DocumentChoice:
    """What the caseworker chose for one document: accept it, or reject it with a reason the
    applicant will see."""

    document_id: int
    accepted: bool
    reason: str = ""


def documents_verify_many(
    *,
    application: Application,
    actor: User,
    choices: Sequence[DocumentChoice],
    expected_version: int,
) -> list[Document]:
    """Accept or reject several documents of one case at once, each as ``document_verify``
    would (one audit row per document, with the same actions), under one lock of the case and
    against the version of the case the form was shown with. All or nothing: a rejection
    without its reason, a document verified, replaced or removed meanwhile, or any change to
    the case since the form was shown (``ConcurrentChange``) saves nothing.

    The documents are written with one statement for the accepted ones and the audit rows with
    one insert; a rejection's reason is encrypted for its own row, so each rejection is saved on
    its own. The case's version moves on: another form shown before this one is stale.
    """
    if not actor.has_perm("applications.process_application"):
        raise NotPermitted()
    if not choices:
        raise ApplicationError(_("Choose what to do with at least one document."))
    if len({choice.document_id for choice in choices}) != len(choices):
        raise ApplicationError(_("Each document can be verified only once."))
    if any(not choice.accepted and not choice.reason.strip() for choice in choices):
        raise ApplicationError(_("Say why the document is rejected."))
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("permit_type", "applicant")
            .get(pk=application.pk)
        )
        # Optimistic locking as ``services.lock_case`` does it (services imports this module,
        # so it cannot be imported here): the form carries the version it was shown with.
        if locked.version != expected_version:
            raise ConcurrentChange()
        guards.check_documents_open(locked.status)
        check_may_verify(locked, actor)
        pending = {
            document.pk: document
            for document in Document.objects.select_for_update().filter(
                application=locked,
                pk__in=[choice.document_id for choice in choices],
                role=Role.EVIDENCE,
                is_current=True,
                verification=Verification.PENDING,
            )
        }
        if len(pending) != len(choices):
            # Verified by someone else, replaced or removed since the form was shown.
            raise ConcurrentChange()
        if len({document.item_number for document in pending.values()}) != len(pending):
            # Two pages of one document: it is verified as a whole.
            raise ApplicationError(_("Each document can be verified only once."))
        now = clock.now()
        # Each choice is for a document as a whole: all its pages (the caseworker saw them all).
        pages: dict[int, list[Document]] = {}
        for page in (
            Document.objects.select_for_update()
            .filter(
                application=locked,
                role=Role.EVIDENCE,
                is_current=True,
                item_number__in={document.item_number for document in pending.values()},
            )
            .order_by("page", "sub_number")
        ):
            pages.setdefault(page.item_number, []).append(page)
        accepted = [
            page.pk
            for choice in choices
            if choice.accepted
            for page in pages[pending[choice.document_id].item_number]
        ]
        if accepted:
            Document.objects.filter(pk__in=accepted).update(
                verification=Verification.ACCEPTED,
                rejection_reason="",
                verified_by=actor,
                verified_at=now,
            )
        entries = []
        for choice in choices:
            document = pending[choice.document_id]
            document.verification = (
                Verification.ACCEPTED if choice.accepted else Verification.REJECTED
            )
            document.rejection_reason = "" if choice.accepted else choice.reason.strip()
            document.verified_by = actor
            document.verified_at = now
            if not choice.accepted:
                for page in pages[document.item_number]:
                    if page.pk != document.pk:
                        page.verification = Verification.REJECTED
                        page.rejection_reason = document.rejection_reason
                        page.verified_by = actor
                        page.verified_at = now
                    else:
                        page = document
                    page.save(
                        update_fields=[
                            "verification",
                            "rejection_reason",
                            "verified_by",
                            "verified_at",
                        ]
                    )
            # As ``audit_record`` writes each row, in one insert for the whole form.
            entries.append(
                AuditEntry(
                    application=locked,
                    created_at=now,
                    actor=actor,
                    action=AuditAction.DOCUMENT_VERIFIED
                    if choice.accepted
                    else AuditAction.DOCUMENT_REJECTED,
                    note=document.rejection_reason,
                    data={
                        "document": document.pk,
                        "sub_number": document.sub_number,
                        "pages": [page.sub_number for page in pages[document.item_number]],
                    },
                )
            )
        entries = AuditEntry.objects.bulk_create(entries)
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        # One notice for the form, not one per document (``tell_assignee`` tells nobody of their
        # own action).
        case_watch.tell_assignee(locked, actor=actor, entry=entries[-1])
        case_watch.clear_if_checked(locked)
    application.version = locked.version
    return [pending[choice.document_id] for choice in choices]
