"""Signal receivers of the accounts app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axes.models import AccessAttempt

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User


def clear_account_failures(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """After a successful log-in, forget the failed attempts on this account, and only those:
    the failures counted against the client address stay until the cool-off ends."""
    AccessAttempt.objects.filter(username=user.email.lower()).delete()
