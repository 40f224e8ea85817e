"""Organisations in the back office: read, corrected (name, IČO, kind), verified by an action
that calls the service; their members and their log read-only.

Organisations register themselves (``services.organisation_register``), so none is added here.
Verification goes through ``services.organisation_verify`` (its permission, its lock, its log
row): the verification fields are never edited on the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.http import signed_in_user
from core.errors import ApplicationError
from organisations import services
from organisations.models import Membership, Organisation, OrganisationEvent
from organisations.validators import normalise_ico
from privacy.admin import ReadOnlyAdmin, ReadOnlyInline


class VerifiedFilter(admin.SimpleListFilter):
    title = _("verified")
    parameter_name = "verified"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Verified")), ("no", _("Waiting for verification"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(verified_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(verified_at__isnull=True)
        return queryset


class MembershipInline(ReadOnlyInline):
    """Members are added and leave in the organisation's own pages (``services.member_add``,
    ``services.member_leave``), which log each change."""

    model = Membership
    fields = readonly_fields = ("user", "role", "joined_at", "left_at")
    ordering = ["joined_at", "pk"]
    # Memberships have no admin page of their own.
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return super().get_queryset(request).select_related("user")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "ico", "kind", "verified_at")
    list_filter = ("kind", VerifiedFilter)
    # The IČO is matched exactly: a part of one finds unrelated organisations.
    search_fields = ("name", "=ico")
    fields = (
        "name",
        "ico",
        "kind",
        "registered_at",
        "registered_by",
        "verified_at",
        "verified_by",
    )
    # The IČO is what the office verified: it is not changed here (a different organisation
    # registers anew).
    readonly_fields = ("ico", "registered_at", "registered_by", "verified_at", "verified_by")
    inlines = [MembershipInline]
    actions = ["verify"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Organisation], search_term: str
    ) -> tuple[QuerySet[Organisation], bool]:
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # An IČO as it is often written, in groups ("255 96 641"), is found too.
        number = normalise_ico(search_term)
        if number != search_term.strip() and len(number) == 8 and number.isdigit():
            results |= queryset.filter(ico=number)
        return results, may_have_duplicates

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Organisations register themselves, and their registrant becomes their administrator.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Its log keeps the organisation (``OrganisationEvent.organisation`` protects it).
        return False

    def has_verify_permission(self, request: HttpRequest) -> bool:
        return signed_in_user(request).has_perm("organisations.verify_organisation")

    @admin.action(description=_("Verify the selected organisations"), permissions=["verify"])
    def verify(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        actor = signed_in_user(request)
        verified = 0
        for organisation in queryset:
            try:
                services.organisation_verify(organisation=organisation, actor=actor)
            except ApplicationError as refusal:
                self.message_user(request, f"{organisation}: {refusal}", messages.ERROR)
            else:
                verified += 1
        if verified:
            self.message_user(
                request,
                ngettext(
                    "%(count)d organisation verified.",
                    "%(count)d organisations verified.",
                    verified,
                )
                % {"count": verified},
                messages.SUCCESS,
            )


@admin.register(OrganisationEvent)
class OrganisationEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "organisation", "kind", "actor", "member")
    list_filter = ("kind",)
    list_select_related = ("organisation", "actor", "member")
    fields = readonly_fields = ("organisation", "kind", "actor", "member", "at")
    ordering = ["-at", "-pk"]
