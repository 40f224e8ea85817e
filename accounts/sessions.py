"""When a session logged in and when it was last used, for the session timeouts.

Both are kept in the session itself (Unix time), so they work with any session engine.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest

LOGIN_AT = "accounts_login_at"
SEEN_AT = "accounts_seen_at"


def session_login_stamp(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Receiver of ``user_logged_in``: start both clocks, whichever way the log-in happened.

    Not business logic but session bookkeeping, like django-otp's own receiver: every log-in
    path (the form, the verification link, the admin, tests' ``force_login``) calls ``login()``.
    """
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now


def session_seen(request: HttpRequest) -> None:
    """The person is here: the idle clock starts again from now (the "Stay logged in" button)."""
    request.session[SEEN_AT] = time.time()


def idle_seconds_left(request: HttpRequest) -> float:
    """Seconds until the idle timeout ends the session, by the session's own last-seen time:
    the truth for every tab the person has open, since all of them share the session."""
    seen_at = request.session.get(SEEN_AT, time.time())
    return max(0.0, settings.SESSION_IDLE_TIMEOUT - (time.time() - seen_at))
