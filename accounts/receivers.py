"""Signal receivers of the accounts app: the lock-out's counts (docs/security.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axes.models import AccessAttempt

from accounts.lockout import PASSWORD_CHECKED, account_failure_record, account_failures_clear
from accounts.network import client_ip, login_username
from accounts.signals import SecurityChange

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User


def clear_account_failures(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """After a successful log-in, forget the failed attempts on this account from this client
    address, and the account's count across addresses. Failures from this address for other
    accounts stay until the cool-off ends (a log-in to one's own account between guesses at
    others does not reset them), and so do failures for this account from other addresses: an
    attacker's address stays locked however often the owner logs in."""
    email = user.email.lower()
    AccessAttempt.objects.filter(username=email, ip_address=client_ip(request)).delete()
    account_failures_clear(email)


def count_account_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A failed password check counts against the account, from whatever address; an attempt
    the lock-out refused before any check does not."""
    if request is None or not getattr(request, PASSWORD_CHECKED, False):
        return
    name = login_username(request, credentials)
    if name is not None:
        account_failure_record(name)


def clear_failures_after_new_password(
    sender: Any, request: HttpRequest | None, user: User, change: str, **kwargs: Any
) -> None:
    """A new password set by the e-mailed link lifts the per-account throttle: whoever opened
    the link holds the mailbox, and the guesses were at the old password."""
    if change == SecurityChange.PASSWORD_RESET:
        account_failures_clear(user.email)
