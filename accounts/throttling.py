"""Limits on requests that make the portal send e-mail to an address someone typed.

A password reset mails whatever address is typed, if it has an account: without a limit, the
form is a way to flood someone's mailbox, and to guess at accounts by volume. django-ratelimit
counts in the cache (Redis in production), in fixed windows of an hour.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from accounts.network import client_ip

logger = logging.getLogger(__name__)

# Enough for someone who mistyped or lost the first mail; the sixth in an hour sends nothing.
RESET_REQUESTS_PER_ADDRESS = "5/h"
# One office behind one address may help several people; a script gets no further than this.
RESET_REQUESTS_PER_CLIENT = "30/h"


def password_reset_limited(request: HttpRequest, email: str) -> bool:
    """Count this request against the address asked for and against the client; True when
    either is over its limit. Both are always counted, so a limited answer takes as long as
    any other. When the counter cannot be reached, nothing is sent (closed, not open)."""
    address = email.strip().lower()
    client = client_ip(request) or ""
    try:
        per_address = _counted_over(
            request, "password-reset:address", address, RESET_REQUESTS_PER_ADDRESS
        )
        per_client = _counted_over(
            request, "password-reset:client", client, RESET_REQUESTS_PER_CLIENT
        )
    except Exception:
        logger.warning("Password reset limits could not be counted; nothing is sent.")
        return True
    return per_address or per_client


def _counted_over(request: HttpRequest, group: str, key: str, rate: str) -> bool:
    """Count one request for ``key`` in ``group``; True when that is over ``rate``."""
    return is_ratelimited(
        request, group=group, key=lambda _group, _request: key, rate=rate, increment=True
    )
