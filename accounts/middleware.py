"""Session timeouts and the second factor, enforced on every request."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import selectors
from accounts.sessions import LOGIN_AT, SEEN_AT


def _with_next(url: str, request: HttpRequest) -> str:
    """``url`` with the page asked for as ``next``, for a GET; other methods start afresh."""
    if request.method not in ("GET", "HEAD"):
        return url
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


class SessionTimeoutMiddleware:
    """Logs out a session idle for ``SESSION_IDLE_TIMEOUT`` seconds, or older than
    ``SESSION_ABSOLUTE_TIMEOUT`` seconds since its log-in, and sends it to the log-in page.

    Django alone has an idle timeout (``SESSION_COOKIE_AGE`` with ``SESSION_SAVE_EVERY_REQUEST``)
    but no absolute one, and no well-kept library does both on the server
    (django-session-security times out in the browser, with JavaScript), so these few lines do.
    Both times live in the session (``accounts.sessions``), stamped at log-in.

    A session still naming an account that can no longer log in (deactivated, deleted) is
    emptied too: Django already treats it as logged out, and emptying it means re-activating
    the account does not bring it back.
    """

    # The last-seen time is written at most once a minute, not on every request: the idle
    # timeout is exact to a minute, and a busy session is not saved again for every page.
    SEEN_RESOLUTION = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def background_paths(self) -> tuple[str, ...]:
        # What the idle warning's script asks (static/js/idle-timeout.js): resolved on first
        # use, as the URLconf is not loaded when middleware is built.
        return (reverse("accounts:session_status"), reverse("accounts:keep_alive"))

    @cached_property
    def passive_paths(self) -> tuple[str, ...]:
        # Asking how long is left is not activity: a tab left open must not keep a session
        # alive by asking.
        return (reverse("accounts:session_status"),)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and SESSION_KEY in request.session:
            request.session.flush()
        elif request.user.is_authenticated:
            session = request.session
            now = time.time()
            # Sessions from before the timeouts were introduced start counting now.
            login_at = session.setdefault(LOGIN_AT, now)
            seen_at = session.setdefault(SEEN_AT, now)
            timed_out = _timed_out(logged_in_for=now - login_at, idle_for=now - seen_at)
            if timed_out is not None:
                return self._end(request, timed_out)
            if now - seen_at >= self.SEEN_RESOLUTION and request.path not in self.passive_paths:
                session[SEEN_AT] = now
        return self.get_response(request)

    def _end(self, request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        messages.info(request, message)
        if request.path in self.background_paths:
            # The script asked, not the person: no log-in page for it to swallow, with the
            # message meant for the person. The script then opens the log-in page itself.
            return HttpResponse(status=401)
        return HttpResponseRedirect(_with_next(resolve_url(settings.LOGIN_URL), request))


def _timed_out(*, logged_in_for: float, idle_for: float) -> str | None:
    """Why a session has ended (seconds since log-in and since the last request), or None."""
    if logged_in_for > settings.SESSION_ABSOLUTE_TIMEOUT:
        return _(
            "You were logged out because you had been logged in for %(hours)d "
            "hours. Please log in again."
        ) % {"hours": settings.SESSION_ABSOLUTE_TIMEOUT // 3600}
    if idle_for > settings.SESSION_IDLE_TIMEOUT:
        return _(
            "You were logged out after %(minutes)d minutes without activity. Please log in again."
        ) % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60}
    return None


class SecondFactorMiddleware:
    """Sends a logged-in user who owes a second factor to the step that asks for it.

    Staff always owe one; applicants once they have turned it on. Until a one-time code has
    verified the session (django-otp's ``user.is_verified()``), every path answers with a
    redirect to that step: the case queues, the support centre, the admin and any page added
    later alike. Only the step itself, the set-up of a first device, log-out, the language
    switch, static files and the health check answer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def open_paths(self) -> tuple[str, ...]:
        # Resolved on first use: the URLconf is not loaded when middleware is built.
        return (
            reverse("accounts:two_factor_verify"),
            reverse("accounts:two_factor_setup_app"),
            reverse("accounts:logout"),
        )

    @cached_property
    def open_prefixes(self) -> tuple[str, ...]:
        return (
            reverse("set_language").rsplit("setlang/", 1)[0],
            settings.STATIC_URL,
            "/healthz",
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not self._is_open(request.path)
            and not self._is_verified(user)
            and selectors.second_factor_required(user)
        ):
            return HttpResponseRedirect(_with_next(reverse("accounts:two_factor_verify"), request))
        return self.get_response(request)

    def _is_open(self, path: str) -> bool:
        return path in self.open_paths or path.startswith(self.open_prefixes)

    @staticmethod
    def _is_verified(user: object) -> bool:
        is_verified = getattr(user, "is_verified", None)
        return bool(is_verified and is_verified())
