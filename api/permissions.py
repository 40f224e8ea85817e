"""The scope a method needs (``required_scopes`` on the view, per HTTP method)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from api.authentication import token_scopes


class HasScope(BasePermission):
    """A signed-in caller whose token carries the scopes the view names for the method.

    ``required_scopes = {"GET": [CASES_READ], "POST": [CASES_WRITE]}``; a method the map does
    not name needs no scope beyond a valid token (HEAD and OPTIONS follow GET).
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.user is None or not request.user.is_authenticated or request.auth is None:
            raise exceptions.NotAuthenticated()
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        wanted = getattr(view, "required_scopes", {}).get(method, [])
        missing = sorted(set(wanted) - token_scopes(request.auth))
        if missing:
            raise exceptions.PermissionDenied(
                _("The access token does not allow this: it needs the scope %(scopes)s.")
                % {"scopes": ", ".join(missing)}
            )
        return True
