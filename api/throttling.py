"""Request limits per token and per client address, counted in the shared cache (Redis in
production: every web process sees the same counts), answered with 429 and ``Retry-After``
(DRF's throttles). Rates in ``settings.API_RATES`` (``API_RATE_PER_TOKEN``,
``API_RATE_PER_ADDRESS`` in the environment), read at each request; counts in the cache named
by ``settings.API_RATE_CACHE``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from accounts.network import client_ip


class _Throttle(SimpleRateThrottle):
    @property
    def cache(self) -> BaseCache:
        return caches[settings.API_RATE_CACHE]

    def get_rate(self) -> str | None:
        return settings.API_RATES.get(self.scope)


class PerAddressThrottle(_Throttle):
    """Every request, signed in or not, counts for the address it came from (the address as
    the lock-out reads it: ``REMOTE_ADDR`` unless trusted proxies are configured)."""

    scope = "address"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        address = client_ip(request._request) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": address}


class PerTokenThrottle(_Throttle):
    """Requests with a token count for that token (so a script cannot use up a whole office's
    shared address, nor one address hide many tokens' load)."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.auth is None:
            return None
        kind = type(request.auth).__name__
        return self.cache_format % {"scope": self.scope, "ident": f"{kind}:{request.auth.pk}"}
