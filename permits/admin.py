from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TabbedTranslationAdmin

from permits.models import DocumentKind, Permit, PermitRequirement, PermitType
from permits.services import permit_record_biometrics, permit_record_entry


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


@admin.register(Permit)
class PermitAdmin(admin.ModelAdmin):
    list_display = ["number", "holder", "permit_type", "valid_from", "valid_to", "pickup_due"]
    list_select_related = ["holder", "permit_type"]
    list_filter = ["permit_type"]
    search_fields = ["number", "application__reference_number", "holder__surname"]
    date_hierarchy = "valid_from"
    raw_id_fields = ["application", "holder"]
    readonly_fields = ["biometrics_due", "pickup_due"]

    def save_model(self, request: HttpRequest, obj: Permit, form: Any, change: bool) -> None:
        if change and "entered_on" in form.changed_data:
            if obj.entered_on is None:
                obj.biometrics_due = None
            else:
                # Through the service: it sets the biometrics deadline and audits the change.
                recorded = permit_record_entry(
                    permit=obj, entered_on=obj.entered_on, actor=request.user
                )
                obj.biometrics_due = recorded.biometrics_due
        if change and "biometrics_on" in form.changed_data and obj.biometrics_on is not None:
            recorded = permit_record_biometrics(
                permit=obj, on=obj.biometrics_on, actor=request.user
            )
            obj.pickup_due = recorded.pickup_due
        super().save_model(request, obj, form, change)
