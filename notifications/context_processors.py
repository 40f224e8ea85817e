"""The unread badge in the page header: ``{{ notifications_unread }}``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    """One COUNT on a partial index, made only if a template shows it, once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications_unread": 0}

    # Kept on the request: the processor runs once per template rendered in the request.
    cache: Any = request

    def count() -> int:
        if not hasattr(cache, "_notifications_unread"):
            cache._notifications_unread = unread_count(user=user)
        return cache._notifications_unread

    return {"notifications_unread": SimpleLazyObject(count)}
