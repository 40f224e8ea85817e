"""The access log in the back office: read and filtered, never written or removed; and the
one read-only base every record of proceedings is shown with (``ReadOnlyAdmin``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role
from privacy.constants import Action
from privacy.models import AccessEvent, DeniedRequestCount, RetentionRecord
from privacy.services import record_access


class AccessAuditedAdmin:
    """For the admins of models that hold a person's data: opening an object's change page or
    its history is recorded in the access log, as ``audit_action``."""

    audit_action: Action = Action.CASE_VIEWED

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        self._record_view(request, response, "original")
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)  # type: ignore[misc]
        self._record_view(request, response, "object")
        return response

    def _record_view(self, request: HttpRequest, response: HttpResponse, key: str) -> None:
        # Only a page that showed the object: a redirect after saving, or for a missing id,
        # showed nothing.
        shown = getattr(response, "context_data", None) or {}
        if response.status_code == 200 and shown.get(key) is not None:
            record_access(request, self.audit_action, target=shown[key])


class CaseAccessAudited(AccessAuditedAdmin):
    audit_action = Action.CASE_VIEWED


class ApplicantAccessAudited(AccessAuditedAdmin):
    audit_action = Action.APPLICANT_VIEWED


class DocumentAccessAudited(AccessAuditedAdmin):
    audit_action = Action.DOCUMENT_VIEWED


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record that only the services write (the proceedings, their documents and permits, the
    audit trail, the access log): read and filtered here, never added, changed or removed, one
    by one or in bulk, by anyone, superusers included. Django then shows the change page with
    every field read-only and no save or delete button. What staff may do to such a record is
    a button that calls its service (``applications.admin.ServiceActionsAdmin``), so every
    change has its guards and its audit row.
    """

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # No bulk deletion (delete_selected), whatever permissions an account holds.
        return {}

    # Should a page ever let a form through, nothing is written around the services.
    def save_model(self, request: HttpRequest, obj: Model, form: Form, change: bool) -> None:
        raise PermissionDenied

    def save_related(self, request: HttpRequest, form: Form, formsets: Any, change: bool) -> None:
        raise PermissionDenied

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        raise PermissionDenied

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        raise PermissionDenied


class ReadOnlyInline(admin.TabularInline):
    """The related records shown on a read-only record's page, read-only in the same way."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


STAFF_ROLES = [Role.SUPPORT, Role.CASEWORKER, Role.SUPERVISOR, Role.ADMIN]


class ActorFilter(admin.SimpleListFilter):
    """Who acted, by kind: a list of every account in the log would be as long as the log. One
    person's events are found by searching their e-mail address."""

    title = _("who")
    parameter_name = "who"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("staff", _("Staff")),
            ("others", _("Applicants")),
            ("nobody", _("Not logged in, or the system")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        staff = get_user_model().objects.filter(Q(is_staff=True) | Q(groups__name__in=STAFF_ROLES))
        if self.value() == "staff":
            return queryset.filter(actor__in=staff.values("pk"))
        if self.value() == "others":
            return queryset.filter(actor__isnull=False).exclude(actor__in=staff.values("pk"))
        if self.value() == "nobody":
            return queryset.filter(actor__isnull=True)
        return queryset


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "action",
        "actor_email",
        "reference_number",
        "object_type",
        "object_id",
        "ip_address",
        "path",
    ]
    # No filter on object type: listing its values would read the whole log on every page.
    list_filter = ["action", ActorFilter]
    date_hierarchy = "created_at"
    # Exact matches, so the indexes serve them.
    search_fields = ["=reference_number", "=actor_email", "=ip_address"]
    search_help_text = _("An exact reference number, e-mail address of who acted, or IP address.")
    show_full_result_count = False
    readonly_fields = [
        "created_at",
        "action",
        "actor",
        "actor_email",
        "application",
        "reference_number",
        "object_type",
        "object_id",
        "ip_address",
        "user_agent",
        "path",
        "detail",
    ]
    raw_id_fields = ["actor", "application"]


@admin.register(DeniedRequestCount)
class DeniedRequestCountAdmin(ReadOnlyAdmin):
    """Requests refused to visitors who were not logged in, counted per kind, address, page and
    hour. The retention purge removes them with the access log."""

    list_display = ["hour", "kind", "ip_address", "path", "count"]
    list_filter = ["kind"]
    date_hierarchy = "hour"
    search_fields = ["=ip_address"]
    search_help_text = _("An exact IP address.")
    show_full_result_count = False
    readonly_fields = ["hour", "kind", "ip_address", "path", "count"]


@admin.register(RetentionRecord)
class RetentionRecordAdmin(ReadOnlyAdmin):
    list_display = [
        "anonymised_at",
        "application",
        "closed_on",
        "documents_deleted",
        "applicant_anonymised",
    ]
    list_select_related = ["application"]
    list_filter = ["applicant_anonymised"]
    date_hierarchy = "anonymised_at"
    search_fields = ["=application__reference_number"]
