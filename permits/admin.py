"""The permit catalogue in the back office: permit types, their requirements and document kinds,
edited by staff. Issued permits are records of proceedings: their admin is the case's
(``applications.admin``)."""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from permits.models import DocumentKind, PermitRequirement, PermitType


class PermitRequirementInline(admin.TabularInline):
    model = PermitRequirement
    extra = 0
    autocomplete_fields = ["document_kind"]


@admin.register(PermitType)
class PermitTypeAdmin(TabbedTranslationAdmin):
    list_display = [
        "code",
        "short_code",
        "name",
        "purpose",
        "decision_period_days",
        "decision_period_days_abroad",
        "max_validity_months",
        "fee_czk",
        "handled_by_office",
        "is_active",
    ]
    list_filter = ["purpose", "handled_by_office", "is_active", "can_file_at_embassy"]
    search_fields = ["code", "short_code", "name"]
    list_editable = ["decision_period_days", "decision_period_days_abroad", "is_active"]
    inlines = [PermitRequirementInline]


@admin.register(DocumentKind)
class DocumentKindAdmin(TabbedTranslationAdmin):
    list_display = ["code", "name", "sort_order"]
    search_fields = ["code", "name"]
