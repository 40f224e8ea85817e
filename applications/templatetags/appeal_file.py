"""The attachments filed with a remedy, picked from the case's documents the page already has
(no query): ``{% load appeal_file %}{% appeal_attachments documents appeal appeals as files %}``.

An attachment is filed only while its remedy is pending (``document_upload_appeal_attachment``),
so a remedy's attachments are the appeal documents from its lodging to the next remedy's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from applications.models import Appeal
from documents.constants import Role
from documents.models import Document

register = template.Library()


def _document(item: Any) -> Document:
    """A document, or a caseworker page's row holding one (``{"document": ...}``)."""
    return item["document"] if isinstance(item, dict) else item


@register.simple_tag
def appeal_attachments(
    documents: Iterable[Any], appeal: Appeal | None, appeals: Iterable[Appeal] = ()
) -> list[Document]:
    if appeal is None:
        return []
    later = [other.lodged_at for other in appeals if other.lodged_at > appeal.lodged_at]
    until = min(later) if later else None
    return [
        document
        for document in map(_document, documents)
        if document.role == Role.APPEAL
        and document.uploaded_at >= appeal.lodged_at
        and (until is None or document.uploaded_at < until)
    ]
