from django.contrib import admin

from documents.models import Document
from privacy.admin import DocumentAccessAudited


@admin.register(Document)
class DocumentAdmin(DocumentAccessAudited, admin.ModelAdmin):
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
    raw_id_fields = ["application", "interruption", "uploaded_by", "verified_by"]
    readonly_fields = ["sha256", "size", "content_type", "file", "original_name", "sub_number"]
