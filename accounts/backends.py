"""Lock-out after repeated failed log-ins: the backend and two helpers for forms.

Two checks, in this order (docs/security.md): django-axes' lock-out of the client address, and
the per-account throttle of ``accounts.lockout``.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest

from accounts.lockout import PASSWORD_CHECKED, account_throttled
from accounts.network import login_username
from core.generations import Generations


def _axes_lock_out(request: HttpRequest) -> None:
    """Mark ``request`` as refused, as django-axes does: its middleware then answers with the
    lock-out page (``AXES_LOCKOUT_CALLABLE``)."""
    # An attribute django-axes reads from the request; HttpRequest does not declare it.
    setattr(request, "axes_locked_out", True)  # noqa: B010


class LockoutBackend(AxesStandaloneBackend):
    """The lock-out checks, for log-ins that come over the web: the client address locked by
    django-axes, then the account throttled (``accounts.lockout``). A refused attempt raises,
    so no later backend checks the password, and django-axes' middleware shows the lock-out
    page.

    ``authenticate()`` without a request comes from our own code (a management command, a
    script, the test client's ``login()``): there is no client to count attempts for, and axes
    would raise. Such calls pass on to the next backend; every log-in form passes its request.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        name = login_username(request, {"username": username})
        if name is not None and account_throttled(request, name):
            _axes_lock_out(request)
            raise AxesBackendPermissionDenied("Log-ins to this account are throttled.")
        setattr(request, PASSWORD_CHECKED, True)
        return None


def login_locked_out(request: HttpRequest | None, username: str) -> bool:
    """Whether log-ins for ``username`` from this client are refused just now, by either check.

    For a log-in refused before ``authenticate()`` is reached. Marks the request, so
    django-axes' middleware answers with the lock-out page, as for any refused log-in.
    """
    if request is None:
        return False
    name = login_username(request, {"username": username}) or ""
    if AxesProxyHandler.is_allowed(request, {"username": name}) and not account_throttled(
        request, name
    ):
        return False
    _axes_lock_out(request)
    return True


def login_failure_record(request: HttpRequest | None, username: str) -> None:
    """Count a failed password check that did not go through ``authenticate()``, as it would
    have been.

    Sends Django's ``user_login_failed`` signal, which django-axes and the per-account throttle
    count and the audit hears.
    """
    if request is not None:
        setattr(request, PASSWORD_CHECKED, True)
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


# --- Permissions kept between requests ----------------------------------------------------------
#
# Every signed-in page asks what the person may do (the menu, the views' checks): Django's
# ModelBackend reads it with two queries per request. The set is kept in the shared cache per
# account (``core.generations``): any change to groups, permissions or an account's membership
# (``accounts.apps``) starts a new generation, so no kept set outlives a change, and saving an
# account drops its own set. One cache round trip instead of two queries.

PERMISSIONS = Generations("permissions", "permissions:generation")


def _key(user_pk: int) -> str:
    return f"permissions:{user_pk}"


def permissions_changed(**kwargs: Any) -> None:
    """A group or a permission changed: every kept set is read again."""
    PERMISSIONS.bump()


def membership_changed(
    instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """Accounts joined or left a group, or were given or refused a permission: their kept sets
    are read again (all of them when a group or permission lost every account at once)."""
    if not action.startswith("post_"):
        return
    if not reverse:
        PERMISSIONS.forget(_key(instance.pk))
    elif pk_set:
        for user_pk in pk_set:
            PERMISSIONS.forget(_key(user_pk))
    else:
        PERMISSIONS.bump()


def account_changed(instance: Any, **kwargs: Any) -> None:
    """An account was saved (made superuser, say): its kept set is read again."""
    PERMISSIONS.forget(_key(instance.pk))


class PermissionsKeptBackend(ModelBackend):
    """Django's ModelBackend, with each account's permission set kept in the shared cache."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            generation, kept = PERMISSIONS.read(_key(user_obj.pk))
            if kept is not None:
                user_obj._perm_cache = set(kept)
            else:
                permissions = super().get_all_permissions(user_obj)
                PERMISSIONS.keep(_key(user_obj.pk), generation, sorted(permissions), timeout=3600)
        return user_obj._perm_cache
