"""Lock-out after repeated failed log-ins (django-axes): the backend and two helpers for forms."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lock-out check, for log-ins that come over the web.

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
        return super().authenticate(request, username=username, password=password, **kwargs)


def login_locked_out(request: HttpRequest | None, username: str) -> bool:
    """Whether log-ins for ``username`` from this client are locked out just now.

    For a log-in refused before ``authenticate()`` is reached. Marks the request, so
    django-axes' middleware answers with the lock-out page, as for any refused log-in.
    """
    if request is None or AxesProxyHandler.is_allowed(request, {"username": username}):
        return False
    request.axes_locked_out = True
    return True


def login_failure_record(request: HttpRequest | None, username: str) -> None:
    """Count a failed log-in that did not go through ``authenticate()``, as it would have.

    Sends Django's ``user_login_failed`` signal, which django-axes counts and the audit hears.
    """
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
