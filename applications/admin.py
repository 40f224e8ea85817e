"""The back office: every model, with the state machine's transitions as buttons.

Transitions run through ``applications.services`` like everywhere else, so the admin cannot do
what the services would refuse, and each leaves its audit row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_fsm.admin import FSMAdminMixin

from applications import services
from applications.constants import AppealResult, Outcome, Status
from applications.errors import ApplicationError
from applications.models import (
    Appeal,
    Applicant,
    Application,
    AuditEntry,
    CaseNote,
    Decision,
    Interruption,
    travel_document_indexes,
)
from permits import deadlines
from permits.models import DocumentKind
from privacy.admin import ApplicantAccessAudited, CaseAccessAudited, ReadOnlyAdmin

# --- Transition forms ----------------------------------------------------------------------


class InterruptForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)
    document_kinds = forms.ModelMultipleChoiceField(
        label=_("Requested documents"), queryset=DocumentKind.objects.all()
    )
    deadline_days = forms.IntegerField(
        label=_("Days to supply them"),
        min_value=1,
        max_value=365,
        initial=deadlines.DEFAULT_DOCUMENT_DEADLINE_DAYS,
    )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (Outcome.GRANTED, Outcome.GRANTED.label),
            (Outcome.REJECTED, Outcome.REJECTED.label),
        ],
    )
    reasoning = forms.CharField(label=_("Reasoning"), widget=forms.Textarea, required=False)
    valid_from = forms.DateField(label=_("Valid from"), required=False)
    valid_to = forms.DateField(label=_("Valid to"), required=False)


class StopForm(forms.Form):
    reasoning = forms.CharField(label=_("Reasoning"), widget=forms.Textarea, required=False)


class AppealForm(forms.Form):
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea)


class ResolveAppealForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=AppealResult.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)


_Service = Callable[..., Any]

# Transition name → the service that runs it. Keyword arguments come from the forms above.
TRANSITION_SERVICES: Mapping[str, _Service] = {
    "file": services.application_file,
    "interrupt": services.application_interrupt,
    "resume": services.application_resume,
    "decide": services.application_decide,
    "stop": services.application_stop,
    "appeal": services.application_appeal,
    "finalize": services.application_finalize,
    "resolve_appeal": services.application_resolve_appeal,
    "withdraw": services.application_withdraw,
}


# --- Inlines -------------------------------------------------------------------------------


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditEntryInline(ReadOnlyInline):
    model = AuditEntry
    fields = ["created_at", "actor", "action", "from_status", "to_status", "note"]
    readonly_fields = fields
    ordering = ["created_at", "pk"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("actor")


class InterruptionInline(ReadOnlyInline):
    model = Interruption
    fields = ["started_on", "deadline", "ended_on", "end_reason", "reason"]
    readonly_fields = fields


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = [
        "decided_on",
        "outcome",
        "made_available_on",
        "delivered_on",
        "appeal_due",
        "document",
    ]
    readonly_fields = fields


# --- Model admins --------------------------------------------------------------------------


@admin.register(Application)
class ApplicationAdmin(CaseAccessAudited, FSMAdminMixin, admin.ModelAdmin):
    fsm_fields = ["status"]
    fsm_forms = {
        "interrupt": InterruptForm,
        "decide": DecideForm,
        "stop": StopForm,
        "appeal": AppealForm,
        "resolve_appeal": ResolveAppealForm,
    }
    list_display = [
        "reference_number",
        "applicant",
        "permit_type",
        "status",
        "outcome",
        "channel",
        "decision_due",
        "assigned_to",
        "filed_on",
    ]
    list_select_related = ["applicant", "permit_type", "assigned_to"]
    list_filter = ["status", "outcome", "channel", "permit_type", "assigned_to"]
    # The travel document number is encrypted: found by its blind index (get_search_results).
    search_fields = ["reference_number", "applicant__surname"]
    date_hierarchy = "filed_on"
    ordering = ["decision_due", "-filed_at"]
    inlines = [InterruptionInline, DecisionInline, AuditEntryInline]
    readonly_fields = [
        "reference_number",
        "applicant",
        "permit_type",
        "channel",
        "delivery",
        "status",
        "outcome",
        "assigned_to",
        "created_by",
        "answers",
        "declarations_confirmed_at",
        "filed_at",
        "filed_on",
        "clock_started_on",
        "period_days",
        "decision_due",
        "decided_on",
        "closed_on",
        "withdrawn_on",
        "version",
        "created_at",
        "updated_at",
    ]
    exclude = ["reference_year", "reference_sequence"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Application], search_term: str
    ) -> tuple[QuerySet[Application], bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        indexes = travel_document_indexes(search_term)
        if indexes:
            found |= queryset.filter(applicant__travel_document_index__in=indexes)
        return found, may_have_duplicates

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Applications start in the portal or at a support centre, through their services.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Application | None = None) -> bool:
        return (
            obj is not None
            and obj.status == Status.DRAFT
            and super().has_delete_permission(request, obj)
        )

    def save_model(self, request: HttpRequest, obj: Application, form: Any, change: bool) -> None:
        # Every field is read-only here: a transition button must not write a stale copy back.
        if not change or form.changed_data:
            super().save_model(request, obj, form, change)

    def _apply_fsm_transition(
        self,
        *,
        obj: Application,
        transition_name: str,
        request: HttpRequest,
        kwargs: Mapping[str, Any] | None = None,
    ) -> bool:
        service = TRANSITION_SERVICES.get(transition_name)
        if service is None:
            self.message_user(request, _("Unknown action."), level=messages.ERROR)
            return False
        try:
            service(application=obj, actor=request.user, **(kwargs or {}))
        except ApplicationError as error:
            self.message_user(request, str(error), level=messages.ERROR)
            return False
        self.message_user(
            request, _("Done: %(action)s.") % {"action": transition_name}, messages.SUCCESS
        )
        return True


@admin.register(Applicant)
class ApplicantAdmin(ApplicantAccessAudited, admin.ModelAdmin):
    list_display = ["surname", "given_names", "born", "nationality", "account", "relation"]
    list_select_related = ["account"]
    list_filter = ["nationality", "relation", "preferred_language"]
    # The travel document number is encrypted: found by its blind index (get_search_results).
    search_fields = ["surname", "given_names", "email"]
    raw_id_fields = ["account", "created_by"]

    @admin.display(description=_("date of birth"))
    def born(self, obj: Applicant) -> date:
        # Not sortable: the column holds ciphertext.
        return obj.date_of_birth

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Applicant], search_term: str
    ) -> tuple[QuerySet[Applicant], bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        indexes = travel_document_indexes(search_term)
        if indexes:
            found |= queryset.filter(travel_document_index__in=indexes)
        return found, may_have_duplicates


@admin.register(Interruption)
class InterruptionAdmin(admin.ModelAdmin):
    list_display = ["application", "started_on", "deadline", "ended_on", "end_reason"]
    list_select_related = ["application"]
    list_filter = ["end_reason"]
    search_fields = ["application__reference_number"]
    date_hierarchy = "started_on"
    raw_id_fields = ["application", "created_by"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = [
        "application",
        "outcome",
        "decided_on",
        "made_available_on",
        "delivered_on",
        "appeal_due",
    ]
    list_select_related = ["application"]
    list_filter = ["outcome"]
    search_fields = ["application__reference_number"]
    date_hierarchy = "decided_on"
    raw_id_fields = ["application", "decided_by", "document"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["application", "lodged_on", "result", "result_recorded_at"]
    list_select_related = ["application"]
    list_filter = ["result"]
    search_fields = ["application__reference_number"]
    raw_id_fields = ["application", "decision", "lodged_by", "recorded_by"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "application", "actor", "action", "from_status", "to_status"]
    list_select_related = ["application", "actor"]
    list_filter = ["action", "to_status"]
    search_fields = ["application__reference_number", "actor__email"]
    date_hierarchy = "created_at"


@admin.register(CaseNote)
class CaseNoteAdmin(admin.ModelAdmin):
    """Internal notes are append-only: written on the case page, read here."""

    list_display = ["created_at", "application", "author", "text"]
    list_select_related = ["application", "author"]
    search_fields = ["application__reference_number", "author__email"]
    date_hierarchy = "created_at"
    raw_id_fields = ["application", "author"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
