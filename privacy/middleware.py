"""Denied requests into the access log."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from privacy.constants import Action
from privacy.services import DENIAL_RECORDED, record_access


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

    A 404 on an address that matches no page is a typo or a scanner, not an access to anyone's
    data, and is not logged. Anonymous requests are logged too: the address is the lead.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        denied = status == 403 or (status == 404 and _names_an_object(request))
        if denied and not getattr(request, DENIAL_RECORDED, False):
            match = request.resolver_match
            record_access(
                request,
                Action.ACCESS_DENIED,
                object_type=match.view_name if match else "",
                object_id=_object_id(request),
                detail={"status": status, "method": (request.method or "")[:10]},
            )
        return response
