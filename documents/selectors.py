"""Reads of the case's documents, scoped to who is asking."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

from applications.models import Application
from documents.models import Document

if TYPE_CHECKING:
    from accounts.models import User


def document_for_download(*, user: User, pk: int) -> Document:
    """A document of a case ``user`` may see, or 404: the applicant's side (the owner, the
    support-centre worker who created it) and staff who process applications
    (``Application.objects.visible_to``)."""
    visible = Application.objects.visible_to(user).values("pk")
    return get_object_or_404(
        Document.objects.select_related("application__applicant").filter(application__in=visible),
        pk=pk,
    )
