"""Storing a file in a case's record: the storage primitive every document action ends in.

Who may add a document, and when, is the case's business (``applications.case_documents``):
those services lock the case, check its guards, number the document in the file and then call
:func:`document_store`. What an upload may contain is checked before, by
``documents.inspection.validate_upload``.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import models

from documents.constants import Role, Verification
from documents.models import Document

if TYPE_CHECKING:
    from accounts.models import User
    from permits.models import DocumentKind


def document_store(
    *,
    application_id: int,
    sub_number: int,
    content: bytes,
    name: str,
    content_type: str,
    role: Role,
    kind: DocumentKind | None,
    actor: User | None,
    interruption_id: int | None = None,
    item_number: int | None = None,
    page: int = 1,
) -> Document:
    """File ``content`` in the record of case ``application_id`` as its document number
    ``sub_number``, answering interruption ``interruption_id`` if given.

    The caller holds the case's row lock and chose ``sub_number`` under it (the unique
    constraint refuses a number taken twice). Only the base name of ``name`` is kept; the
    stored file name carries no personal data. Evidence waits for a caseworker's verification;
    what the office files itself (decisions, letters, receipts, appeal attachments) counts as
    accepted.

    A file is page ``page`` of the document numbered ``item_number`` (a passport photographed
    page by page); by default it is the first page of a document of its own.
    """
    document = Document(
        application_id=application_id,
        role=role,
        kind=kind,
        interruption_id=interruption_id,
        sub_number=sub_number,
        item_number=item_number or sub_number,
        page=page,
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


def document_top_sub_number(*, application_id: int) -> int:
    """The highest sub-number a document in the case's file carries; 0 for an empty file.

    The file's numbering may count other submissions too (the case decides that); this is the
    documents' part of it.
    """
    documents = Document.objects.filter(application_id=application_id)
    return documents.aggregate(top=models.Max("sub_number"))["top"] or 0
