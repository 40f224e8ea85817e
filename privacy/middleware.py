"""Denied requests into the access log, or, for visitors who are not logged in, into its counts."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from privacy.constants import Action, DeniedRequestKind
from privacy.services import DENIAL_RECORDED, denied_request_count, record_access

# Set on the request by the CSRF failure page (privacy.views.csrf_failure).
CSRF_FAILED = "_privacy_csrf_failed"


def _names_an_object(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and bool(match.kwargs)


def _object_id(request: HttpRequest) -> str:
    # Only numeric ids: other URL parameters may be tokens (e-mail verification, reset links).
    kwargs = request.resolver_match.kwargs if request.resolver_match else {}
    for key in ("pk", "document_pk"):
        value = str(kwargs.get(key, ""))
        if value.isdigit():
            return value
    return ""


class DeniedAccessMiddleware:
    """Logs every 403, and every 404 on a page that names an object (a case, a document, a
    person): that is how the portal answers someone asking for what is not theirs (SPEC §1).

    Refused to someone logged in, each is an event of its own in the access log: evidence
    about a person. Refused to a visitor who is not logged in, it is counted instead, per
    client address, page and hour (``DeniedRequestCount``), CSRF failures apart: a scanner or
    a flood adds to a count rather than a row per request, and the address is still the lead.
    A 404 on an address that matches no page is a typo or a scanner, not an access to anyone's
    data, and is not logged.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        denied = status == 403 or (status == 404 and _names_an_object(request))
        if not denied or getattr(request, DENIAL_RECORDED, False):
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            denied_request_count(request, _kind(request, status))
            return response
        match = request.resolver_match
        record_access(
            request,
            Action.ACCESS_DENIED,
            object_type=match.view_name if match else "",
            object_id=_object_id(request),
            detail={"status": status, "method": (request.method or "")[:10]},
        )
        return response


def _kind(request: HttpRequest, status: int) -> DeniedRequestKind:
    if getattr(request, CSRF_FAILED, False):
        return DeniedRequestKind.CSRF_FAILED
    return DeniedRequestKind.NOT_FOUND if status == 404 else DeniedRequestKind.FORBIDDEN
