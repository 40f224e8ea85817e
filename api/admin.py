"""Personal access tokens in the back office: read-only, with "revoke" (``api.tokens``).

The digest is never shown. OAuth applications, their tokens and grants are registered by
django-oauth-toolkit itself (``oauth2_provider.admin``); the office registers applications there.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api import tokens
from api.models import PAT_MARK, PersonalAccessToken


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "name",
        "shown_as",
        "scopes",
        "created_at",
        "expires_at",
        "revoked_at",
    ]
    list_select_related = ["user"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["user__email", "name", "prefix"]
    ordering = ["-created_at", "-id"]
    # Everything but the digest, and nothing editable.
    fields = readonly_fields = (
        "user",
        "name",
        "shown_as",
        "scopes",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    actions = ["revoke"]

    @admin.display(description=_("token"), ordering="prefix")
    def shown_as(self, obj: PersonalAccessToken) -> str:
        return f"{PAT_MARK}{obj.prefix}…"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Made by their owners only, in a session that passed the second factor.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A token is never edited; the change permission allows the "revoke" action.
        if obj is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoked, not deleted: the list keeps what existed and when it stopped.
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[PersonalAccessToken]) -> None:
        revoked = sum(
            tokens.revoke_token(token=token, request=request)
            for token in queryset.select_related("user")
        )
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )
