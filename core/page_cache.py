"""Whole public pages, rendered once per language and kept in each web process's memory.

The pages everyone reads before logging in (home, the permit catalogue, a permit type's page, the
log-in form) are the same for every anonymous visitor but for two values: the CSRF token of the
language switcher's form (and of the log-in form), and the nonce that lets the page's scripts run
under the Content Security Policy. Django's ``cache_page`` would store both, and hand one
visitor's token and nonce to the next, so it cannot be used here; no well-kept library caches a
page with such holes. This module does the few lines it takes: the page is rendered with a
placeholder for the token (the view's context overrides the ``csrf`` context processor) and the
nonce replaced by a placeholder after rendering; each request then gets its own token and nonce
put back in — two string replacements instead of a template render and its queries.

Only a plain GET is cached: an anonymous visitor, no query string, no messages waiting to be
shown (they belong to one visitor), and a 200 answer that sets no cookie of its own. The key
holds the path and the language. Entries live ``PUBLIC_PAGE_CACHE_SECONDS`` (a minute by
default): what the admin changes in the catalogue shows within that time in every process, and
at once in the process that saved it (``clear``, called from the catalogue's signals).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_vary_headers

CACHE_ALIAS = "pages"
# Characters no template, translation or token ever holds, so a replacement cannot hit text.
CSRF_HOLE = "\x00csrf\x00"
NONCE_HOLE = "\x00nonce\x00"

View = Callable[..., HttpResponseBase]


def _cache() -> Any:
    return caches[CACHE_ALIAS]


def _cacheable(request: HttpRequest) -> bool:
    if request.method != "GET" or request.META.get("QUERY_STRING"):
        return False
    if request.user.is_authenticated:
        return False
    # Messages are one visitor's (e.g. "you were logged out"): such a page is rendered afresh,
    # and the messages stay unread until the template shows them.
    # len() reads them without marking them shown.
    return len(get_messages(request)) == 0


def _key(request: HttpRequest) -> str:
    return f"{request.path}|{getattr(request, 'LANGUAGE_CODE', settings.LANGUAGE_CODE)}"


def _nonce(request: HttpRequest) -> str:
    # django-csp's lazy nonce: reading it puts it in the response's policy header.
    return str(getattr(request, "csp_nonce", ""))


def _fill(html: str, request: HttpRequest) -> str:
    return html.replace(CSRF_HOLE, get_token(request)).replace(NONCE_HOLE, _nonce(request))


def _render_with_holes(view: View, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
    """The view's answer, and its page with holes and its headers when it can be kept
    (``None`` otherwise). The headers are the view's own (the log-in page's ``never_cache``);
    the middleware adds its own to every answer."""
    response = view(request, *args, **kwargs)
    if not isinstance(response, SimpleTemplateResponse) or response.status_code != 200:
        return response, None
    context = dict(response.context_data or {})
    context["csrf_token"] = CSRF_HOLE
    response.context_data = context
    response.render()
    if response.cookies:
        return response, None
    html = response.content.decode(response.charset)
    return response, (html.replace(_nonce(request), NONCE_HOLE), dict(response.items()))


def public_page(view: View) -> View:
    """Serve ``view``'s page for anonymous visitors from the process's page cache."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        page = _cache().get(key)
        if page is None:
            response, page = _render_with_holes(view, request, *args, **kwargs)
            if page is None:
                return response
            _cache().set(key, page, seconds)
        html, headers = page
        response = HttpResponse(_fill(html, request), headers=headers)
        # What LocaleMiddleware adds to a rendered page: the language comes from the cookie
        # or the browser's languages.
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return wrapped


def clear() -> None:
    """Forget every kept page of this process (the catalogue changed)."""
    _cache().clear()
