"""Typed access to the person behind a request."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user of a view that requires log-in. The view's login check has already
    sent anyone else away; should a view ever be reached anonymously, this refuses (403)
    rather than acting for nobody."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
