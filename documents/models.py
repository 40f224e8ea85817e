from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.constants import Role, Verification
from documents.query import DocumentQuerySet
from encryption.fields import EncryptedCharField, EncryptedTextField, RowKeyField


def _storage_path(instance: Document, filename: str) -> str:
    # The stored name carries no personal data: the original name is kept in the row only.
    return f"documents/{instance.application_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A file in the case's record: evidence, a decision, a letter or an appeal attachment.

    Files are never served from a public URL; a view streams them after checking who asks.
    """

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("application"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EVIDENCE)
    kind = models.ForeignKey(
        "permits.DocumentKind",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("document kind"),
    )
    interruption = models.ForeignKey(
        "applications.Interruption",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("supplied for interruption"),
    )
    sub_number = models.PositiveIntegerField(
        _("sub-number"), help_text=_("The document's number in the file: OAM-4217-3/DP-2026.")
    )
    # A document of the checklist may have several files (a passport photographed page by page):
    # its pages share the sub-number of the item's first file and are numbered from 1.
    item_number = models.PositiveIntegerField(
        _("item"),
        help_text=_("The sub-number of the document this file is a page of."),
    )
    page = models.PositiveSmallIntegerField(
        _("page"), default=1, help_text=_("The file's place among the pages of its document.")
    )
    file = models.FileField(_("file"), upload_to=_storage_path, max_length=255)
    # Encrypted: a name often says whose document it is ("passport_Olena_Kovalenko.pdf").
    original_name = EncryptedCharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    is_current = models.BooleanField(
        _("current"),
        default=True,
        help_text=_("Off once replaced or removed; the record keeps it."),
    )
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices, default=Verification.PENDING
    )
    # Encrypted: a reason may say what is wrong with the person's papers.
    rejection_reason = EncryptedTextField(_("reason for rejection"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    row_key = RowKeyField()

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["application", "sub_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "sub_number"], name="document_sub_number_unique"
            ),
            models.CheckConstraint(
                condition=~Q(verification=Verification.REJECTED) | ~Q(rejection_reason=""),
                name="document_rejection_has_reason",
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
            # Page 0 is only a parking place while two pages swap, inside one transaction.
            models.UniqueConstraint(
                fields=["application", "item_number", "page"],
                condition=Q(is_current=True),
                name="document_page_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["application", "kind", "is_current"], name="document_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sub_number}: {self.original_name}"

    def validate_constraints(self, exclude: Any = None) -> None:
        # The reason is encrypted and cannot be compared in a query: "a rejection has a reason"
        # is checked by the database alone, on the stored value (an empty one stays empty).
        super().validate_constraints(exclude={*(exclude or ()), "rejection_reason"})

    @property
    def item_pages(self) -> list[Document]:
        """The pages of the document this file heads, in order (``group_item_pages``); the file
        alone when it was not grouped."""
        return getattr(self, "_item_pages", None) or [self]

    @property
    def preview(self) -> str | None:
        """How the file can be shown in the page: an image, a PDF, or not at all."""
        if self.content_type.startswith("image/"):
            return "image"
        if self.content_type == "application/pdf":
            return "pdf"
        return None

    @property
    def file_reference(self) -> str:
        """The document's number in the Ministry's style: OAM-4217-3/DP-2026."""
        return file_reference(self.application.reference_number, self.sub_number)


def group_item_pages(documents: Iterable[Document]) -> list[Document]:
    """The documents as items: the first page of each (in the order given), carrying all its
    pages in order (``item_pages``). Pages of an item share its ``item_number``; current pages and
    the ones taken out of it are separate items. Reads nothing: the caller loaded the rows."""
    groups: dict[tuple[int, bool], list[Document]] = {}
    for document in documents:
        groups.setdefault((document.item_number, document.is_current), []).append(document)
    heads = []
    for pages in groups.values():
        pages.sort(key=lambda page: (page.page, page.sub_number))
        head = pages[0]
        head._item_pages = pages  # type: ignore[attr-defined]
        heads.append(head)
    return heads


def case_reference(*, sequence: int, short_code: str, year: int) -> str:
    """A case's reference number in the Ministry's style: OAM-4217/DP-2026 (the year's sequence
    number, the permit type's short code, the year). ``file_reference`` numbers the file's
    submissions inside it."""
    return f"OAM-{sequence}/{short_code}-{year}"


def file_reference(reference_number: str | None, sub_number: int) -> str:
    """A number in the case's file in the Ministry's style: OAM-4217-3/DP-2026. Documents and
    reported changes (``applications.ChangeReport``) share the file's sub-numbers."""
    if not reference_number or "/" not in reference_number:
        return str(sub_number)
    head, tail = reference_number.split("/", 1)
    return f"{head}-{sub_number}/{tail}"
