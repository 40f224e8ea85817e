from django.contrib import admin

from documents.models import Document
from privacy.admin import DocumentAccessAudited, ReadOnlyAdmin


@admin.register(Document)
class DocumentAdmin(DocumentAccessAudited, ReadOnlyAdmin):
    """The file's documents, decisions and letters included: read here, written only by the
    document services (uploads, verification, the rendered PDFs), each with its audit row."""

    list_display = [
        "__str__",
        "application",
        "role",
        "kind",
        "content_type",
        "size",
        "verification",
        "is_current",
        "uploaded_at",
    ]
    list_select_related = ["application", "kind"]
    list_filter = ["role", "verification", "is_current", "content_type"]
    # Not by the original name: it is stored encrypted.
    search_fields = ["application__reference_number", "sha256"]
    readonly_fields = ["sha256", "size", "content_type", "file", "original_name", "sub_number"]
