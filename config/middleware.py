"""Response headers the whole site shares."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control

# Methods whose answer may echo what the person just sent (a form with their data, refused).
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class PersonalDataNoStoreMiddleware:
    """Keep pages with personal data out of every cache: ``Cache-Control: no-store, private``.

    Every answer to a signed-in person can show personal data (a case, a document, a decision,
    a data export), and so can the page answering a form someone sent. A view that sets its own
    ``Cache-Control`` keeps it. Public pages for anonymous visitors (the permit catalogue) stay
    cacheable, and static files never reach this far (WhiteNoise serves them earlier).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.has_header("Cache-Control") or _is_static(request):
            return response
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.method not in _SAFE_METHODS:
            patch_cache_control(response, no_store=True, private=True)
        return response


def _is_static(request: HttpRequest) -> bool:
    static_url = settings.STATIC_URL or ""
    prefix = static_url if static_url.startswith("/") else f"/{static_url}"
    return request.path_info.startswith(prefix)
