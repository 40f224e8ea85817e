"""What the whole site shares: response headers, and the size limit of request bodies."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.conf import settings
from django.core.handlers.wsgi import get_path_info
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

from applications.constants import CHANGE_REPORT_MAX_ATTACHMENTS

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


# --- Request bodies: refused before they are read ------------------------------------------------

# The pages that take files, by URL name, and how many documents one request to each carries.
# Every other page accepts REQUEST_BODY_MAX_BYTES; these accept that many documents of
# DOCUMENT_MAX_UPLOAD_BYTES on top, for their other fields and the multipart framing.
# tests/security/test_body_limits.py fails when a view that reads request.FILES is not listed.
UPLOAD_URLS: dict[str, int] = {
    # The documents checklist, one file per form: for a draft, and the documents the office
    # asked for during an interruption (přerušení řízení).
    "applications:documents": 1,
    # The appeal and its attachments, several files in one form.
    "applications:appeal": settings.APPEAL_MAX_ATTACHMENTS,
    # A reported change of data and the documents handed in with it (the new passport).
    "applications:report_change": CHANGE_REPORT_MAX_ATTACHMENTS,
    # The scanned proof that a decision on paper was received (the caseworker's case page).
    "caseworker:record_receipt": 1,
    # The API's upload of a document to a draft or for an interruption: one file a request.
    "api:case-documents": 1,
    # A representative's signed power of attorney for one application.
    "representation:power_upload": 1,
}

# Set in the WSGI environ by RequestBodyLimit when it refused a body: the limit it exceeded.
BODY_TOO_LARGE = "portal.request_body_too_large"
_READ_BLOCK = 64 * 1024


def request_body_limit(path_info: str) -> int:
    """The largest request body the page at ``path_info`` accepts, in bytes."""
    try:
        documents = UPLOAD_URLS.get(resolve(path_info).view_name, 0)
    except Resolver404:
        documents = 0
    return settings.REQUEST_BODY_MAX_BYTES + documents * settings.DOCUMENT_MAX_UPLOAD_BYTES


def _content_length(environ: dict[str, Any]) -> int | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None


def body_limit_exceeded(environ: dict[str, Any]) -> int | None:
    """The limit a request's body exceeds, by its ``Content-Length``; None when within it."""
    if BODY_TOO_LARGE in environ:
        return environ[BODY_TOO_LARGE]
    length = _content_length(environ)
    # Most requests are small: the URL is resolved only for a body above the general limit.
    if length is None or length <= settings.REQUEST_BODY_MAX_BYTES:
        return None
    limit = request_body_limit(get_path_info(environ))
    return limit if length > limit else None


class RequestBodyLimitMiddleware:
    """Answers 413, in the visitor's language, a request whose body is larger than its page
    accepts (``request_body_limit``), before anything reads the body.

    Behind ``config.wsgi`` the body has not been read at all (``RequestBodyLimit`` below);
    this middleware recognises it, and checks ``Content-Length`` itself where the WSGI wrapper
    is not in front (the test client). Its place, after LocaleMiddleware: no middleware above
    reads the body, and the CSRF check, which does, reads it only once every middleware has
    seen the request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        limit = body_limit_exceeded(request.META)
        if limit is not None:
            return request_too_large(request, limit)
        return self.get_response(request)


def request_too_large(request: HttpRequest, limit: int) -> HttpResponseBase:
    documents = (limit - settings.REQUEST_BODY_MAX_BYTES) // settings.DOCUMENT_MAX_UPLOAD_BYTES
    return render(
        request,
        "413.html",
        {
            "limit": limit,
            "documents": documents,
            "document_limit": settings.DOCUMENT_MAX_UPLOAD_BYTES,
            "documents_limit": documents * settings.DOCUMENT_MAX_UPLOAD_BYTES,
        },
        status=413,
    )


class RequestBodyLimit:
    """WSGI middleware (``config.wsgi``, what gunicorn runs): no request body larger than its
    page accepts is ever read, to memory or to disk.

    A body announced by ``Content-Length`` above the limit is not read at all: the request
    goes on with an empty body, marked, and RequestBodyLimitMiddleware answers 413. A body
    without a length (``Transfer-Encoding: chunked``) is read up to the limit into a temporary
    file (in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, then in FILE_UPLOAD_TEMP_DIR): once it
    passes the limit the reading stops and it is refused the same way; within it, Django gets
    the body with its length, as from a client that sent one (Django alone reads nothing of a
    body without a length).
    """

    def __init__(self, application: Callable[..., Iterable[bytes]]) -> None:
        self.application = application

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if _content_length(environ) is None and _is_chunked(environ):
            spooled = _read_chunked(environ, request_body_limit(get_path_info(environ)))
            if spooled is not None:
                return _ClosingIterable(self.application(environ, start_response), spooled)
        elif (limit := body_limit_exceeded(environ)) is not None:
            _refuse_body(environ, limit)
        return self.application(environ, start_response)


def _is_chunked(environ: dict[str, Any]) -> bool:
    return "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()


def _refuse_body(environ: dict[str, Any], limit: int) -> None:
    environ[BODY_TOO_LARGE] = limit
    environ["wsgi.input"] = io.BytesIO()
    environ["CONTENT_LENGTH"] = "0"


def _read_chunked(environ: dict[str, Any], limit: int) -> IO[bytes] | None:
    """Read a body without a length, at most ``limit`` + 1 bytes of it. Within the limit, put
    it back in the environ with its length and return the file that holds it; beyond, refuse
    the body and return None."""
    spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 -- closed with the response
        max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, dir=settings.FILE_UPLOAD_TEMP_DIR
    )
    stream = environ["wsgi.input"]
    size = 0
    while size <= limit:
        block = stream.read(min(_READ_BLOCK, limit + 1 - size))
        if not block:
            break
        spool.write(block)
        size += len(block)
    if size > limit:
        spool.close()
        _refuse_body(environ, limit)
        return None
    spool.seek(0)
    environ["wsgi.input"] = spool
    environ["CONTENT_LENGTH"] = str(size)
    return spool


class _ClosingIterable:
    """The response, which also closes the file holding the request body when the server
    closes the response."""

    def __init__(self, response: Iterable[bytes], spooled: IO[bytes]) -> None:
        self.response = response
        self.spooled = spooled

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.response)

    def close(self) -> None:
        try:
            if hasattr(self.response, "close"):
                self.response.close()
        finally:
            self.spooled.close()
