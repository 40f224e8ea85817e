"""Throttling of log-ins by account, across client addresses (docs/security.md).

django-axes locks a client address after ``AXES_FAILURE_LIMIT`` failed log-ins, whatever
accounts they were for; that stops guessing and password spraying from one address, and never
touches the account's owner at theirs. What it cannot stop is guessing at one account from
many addresses. So failed password checks are also counted per e-mail address, from all client
addresses together (``LoginFailureCount``), since the last successful log-in or new password.
Once they reach ``LOGIN_ACCOUNT_FAILURE_LIMIT``, the password for that address is checked only
from a browser that has logged in to the account before, which carries a cookie saying so
(OWASP's "device cookies"); other browsers are refused without a check, and a new password set
by the e-mailed link lifts it. The owner is therefore never locked out of a browser they use,
and a botnet gets ``LOGIN_ACCOUNT_FAILURE_LIMIT`` guesses, not so many per address.

Counted for every address typed, with an account or without, so that the refusal tells nobody
whether an address has one.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import LoginFailureCount

if TYPE_CHECKING:
    from accounts.models import User

# Set on the request once a log-in attempt has passed the lock-out checks and goes on to the
# password check: only such failures are counted against the account (a refused attempt is
# not a guess).
PASSWORD_CHECKED = "_accounts_password_checked"  # noqa: S105 -- an attribute's name
# Set on the request when the per-account throttle refused it: the lock-out page says why.
ACCOUNT_THROTTLED = "_accounts_account_throttled"

RECOGNISED_BROWSER_COOKIE = "login_browser"
# How many accounts one browser is remembered for (a family's shared computer).
_RECOGNISED_ACCOUNTS_MAX = 5


def _digest(salt: str, value: str) -> str:
    return salted_hmac(salt, value, algorithm="sha256").hexdigest()


def name_digest(name: str) -> str:
    """The keyed hash the failures of an e-mail address (in ``login_username``'s one spelling)
    are counted under."""
    return _digest("accounts.login-failures", name)


def _counting_since() -> datetime:
    return timezone.now() - settings.LOGIN_ACCOUNT_FAILURE_PERIOD


def account_failures(name: str) -> int:
    """Failed password checks for ``name`` since its last successful log-in or new password,
    forgotten after ``LOGIN_ACCOUNT_FAILURE_PERIOD`` without one."""
    count = (
        LoginFailureCount.objects.filter(
            name_digest=name_digest(name), last_failure_at__gte=_counting_since()
        )
        .values_list("failures", flat=True)
        .first()
    )
    return count or 0


def account_failure_record(name: str) -> None:
    """One more failed password check for ``name``: raised in the database, so attempts at the
    same moment each count (the pattern of ``privacy.services.denied_request_count``)."""
    now = timezone.now()
    rows = LoginFailureCount.objects.filter(name_digest=name_digest(name))
    current = rows.filter(last_failure_at__gte=_counting_since())
    if current.update(failures=F("failures") + 1, last_failure_at=now):
        return
    # A count past its period starts again.
    if rows.update(failures=1, last_failure_at=now):
        return
    try:
        with transaction.atomic():
            LoginFailureCount.objects.create(
                name_digest=name_digest(name), failures=1, last_failure_at=now
            )
    except IntegrityError:
        current.update(failures=F("failures") + 1, last_failure_at=now)
        return
    # New rows are rare (the first failure for an address in a period): the moment to drop the
    # counts that have run out.
    LoginFailureCount.objects.filter(last_failure_at__lt=_counting_since()).delete()


def account_failures_clear(email: str) -> None:
    """The account's owner logged in, or set a new password by the e-mailed link."""
    LoginFailureCount.objects.filter(name_digest=name_digest(email.strip().lower())).delete()


# --- Browsers that have logged in to an account ------------------------------------------------


def _browser_token(user: User) -> str:
    # Bound to the password hash: a new password forgets every browser (an intruder's too).
    return _digest("accounts.recognised-browser", f"{user.pk}:{user.password}")[:32]


def _tokens(request: HttpRequest) -> list[str]:
    value = request.COOKIES.get(RECOGNISED_BROWSER_COOKIE, "")
    return [token for token in value.split(".") if token]


def browser_recognised(request: HttpRequest, user: User) -> bool:
    """Whether this browser has logged in to ``user``'s account (since its last new password)."""
    expected = _browser_token(user)
    return any(constant_time_compare(token, expected) for token in _tokens(request))


def browser_remember(request: HttpRequest, response: HttpResponseBase, user: User) -> None:
    """After a successful log-in: this browser may log in to the account while it is throttled.

    The cookie holds keyed hashes only: it names no account, and cannot be made for another.
    """
    token = _browser_token(user)
    tokens = [token, *(other for other in _tokens(request) if other != token)]
    response.set_cookie(
        RECOGNISED_BROWSER_COOKIE,
        ".".join(tokens[:_RECOGNISED_ACCOUNTS_MAX]),
        max_age=settings.LOGIN_RECOGNISED_BROWSER_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def account_throttled(request: HttpRequest, name: str) -> bool:
    """Whether a log-in to ``name`` from this browser is refused just now: the address has had
    ``LOGIN_ACCOUNT_FAILURE_LIMIT`` failed log-ins and this browser has not logged in to it
    before. Marks the request for the lock-out page."""
    if account_failures(name) < settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
        return False
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    try:
        user = user_model._default_manager.get_by_natural_key(name)
    except user_model.DoesNotExist:
        user = None
    if user is not None and browser_recognised(request, user):
        return False
    setattr(request, ACCOUNT_THROTTLED, True)
    return True
