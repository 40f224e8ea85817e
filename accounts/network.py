"""Who is asking: the client's address and the account a log-in attempt is for.

django-axes counts failed log-ins by both (``AXES_CLIENT_IP_CALLABLE`` and
``AXES_USERNAME_CALLABLE`` point here).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, as far as we can trust it.

    Without a reverse proxy (``TRUSTED_PROXY_COUNT = 0``, the default) that is ``REMOTE_ADDR``
    alone: ``X-Forwarded-For`` and ``X-Real-IP`` are written by the client and are ignored, so
    forging them changes nothing. Behind ``n`` proxies, each of which appends the address it
    received the request from to ``X-Forwarded-For`` (nginx: ``proxy_add_x_forwarded_for``),
    the client is the ``n``-th entry from the right; whatever lies further left the client
    wrote itself. A header with fewer entries did not pass all the proxies, and counts as
    ``REMOTE_ADDR``.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry
        ]
        if len(forwarded) >= proxies:
            return _valid_address(forwarded[-proxies]) or _valid_address(remote_addr)
    return _valid_address(remote_addr)


def login_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The e-mail address a log-in attempt is for, in one spelling.

    Addresses log in in any letter case; without this, ``Anna@Example.com`` and
    ``anna@example.com`` would count as two accounts and double the attempts allowed.
    """
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username")
    if not isinstance(username, str) or not username.strip():
        return None
    return username.strip().lower()
