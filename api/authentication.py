"""Who is calling: a personal access token, or an OAuth 2.0 access token (django-oauth-toolkit).

Both are sent as ``Authorization: Bearer <token>``. A personal access token starts with
``rpat_`` and is checked here; any other bearer token is left to django-oauth-toolkit. There is
no session authentication on the API: a browser's cookies never act through it, so the API
needs no CSRF token and a page's session is never an API credential.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from api.models import PAT_MARK, PREFIX_LENGTH, PersonalAccessToken

# "last used" is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def bearer_token(request: Request) -> str | None:
    parts = get_authorization_header(request).split()
    if len(parts) != 2 or parts[0].lower() != b"bearer":
        return None
    try:
        return parts[1].decode("ascii")
    except UnicodeDecodeError:
        return None


class PersonalAccessTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, PersonalAccessToken] | None:
        token = bearer_token(request)
        if token is None or not token.startswith(PAT_MARK):
            return None
        prefix = token[len(PAT_MARK) : len(PAT_MARK) + PREFIX_LENGTH]
        now = timezone.now()
        found = PersonalAccessToken.objects.select_related("user").filter(prefix=prefix).first()
        if found is None or not found.matches(token):
            raise exceptions.AuthenticationFailed(_("The access token is not valid."))
        if not found.is_usable(now=now):
            raise exceptions.AuthenticationFailed(_("The access token has expired or was revoked."))
        if not found.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account is not active."))
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
            PersonalAccessToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found.user, found

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class OAuthAuthentication(OAuth2Authentication):
    """django-oauth-toolkit's, answering 401 with a ``WWW-Authenticate`` header, and refusing
    a token whose account was deactivated since it was issued."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        token = bearer_token(request)
        if token is None or token.startswith(PAT_MARK):
            return None
        result = super().authenticate(request)
        if result is None:
            raise exceptions.AuthenticationFailed(
                _("The access token is not valid, has expired or was revoked.")
            )
        if not result[0].is_active:
            raise exceptions.AuthenticationFailed(_("The account is not active."))
        return result

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


def token_scopes(auth: Any) -> set[str]:
    """The scopes of either kind of token (``request.auth``)."""
    if isinstance(auth, PersonalAccessToken):
        return set(auth.scopes)
    scope = getattr(auth, "scope", None)
    if isinstance(scope, str):
        return set(scope.split())
    return set()
