"""Log-in events into the access log: Django's auth signals, and axes' and django-otp's when
those apps are installed (``PrivacyConfig.ready`` connects them).

No password is ever recorded. For a failed log-in the attempted name is kept only as the
account it names, if one exists, and otherwise as a keyed hash: enough to see repeated attempts
at one address, without storing what strangers typed (people do type passwords into the
e-mail field).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.utils.crypto import salted_hmac

from privacy.constants import Action
from privacy.services import record_access

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

_HASH_SALT = "privacy.login-attempt"


def attempted_name_digest(name: str) -> str:
    """The keyed hash a failed log-in stores for the name typed; an admin who has an address
    can compute it to search the log."""
    return salted_hmac(_HASH_SALT, name.strip().lower(), algorithm="sha256").hexdigest()


def _account_named(name: str) -> User | None:
    if not name:
        return None
    return get_user_model()._default_manager.filter(email__iexact=name.strip()).first()


def _attempt(request: HttpRequest | None, action: Action, name: str) -> None:
    account = _account_named(name)
    detail = {} if account is not None or not name else {"name_hash": attempted_name_digest(name)}
    record_access(request, action, actor=account, detail=detail)


def on_logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_access(request, Action.LOGIN, actor=user)


def on_logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    record_access(request, Action.LOGOUT, actor=user)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already masked the password in ``credentials``; only the name is read.
    name = credentials.get("username") or credentials.get(get_user_model().USERNAME_FIELD) or ""
    _attempt(request, Action.LOGIN_FAILED, str(name))


def on_locked_out(
    sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    _attempt(request, Action.LOCKED_OUT, username or "")


def on_otp_failed(sender: Any, user: User, **kwargs: Any) -> None:
    # django-otp sends no request with this signal: the event has no address.
    record_access(None, Action.OTP_FAILED, actor=user)


def on_security_changed(
    sender: Any, request: HttpRequest | None, user: User, change: str, **kwargs: Any
) -> None:
    # Who did it is the logged-in person (the account's owner, or an admin deactivating it);
    # after a password reset by e-mail link nobody is logged in, and the account is named.
    signed_in = request is not None and request.user.is_authenticated
    record_access(
        request,
        Action.ACCOUNT_SECURITY,
        actor=None if signed_in else user,
        object_type=user._meta.label_lower,
        object_id=user.pk,
        detail={"change": str(change)},
    )
