"""Errors as RFC 9457 problem details (``application/problem+json``), in the caller's language.

Every error the API answers goes through :func:`exception_handler`: DRF's own (validation,
authentication, permission, throttling, parsing), Django's 404 and the services' refusals
(``core.errors``). The body has ``type`` (a URI of this API naming the kind of problem,
documented at that address), ``title`` (the kind, in words), ``status``, ``detail`` (this
occurrence) and, for invalid input, ``errors``: one entry per problem with a JSON pointer to
the field (``{"pointer": "#/answers/income", "detail": "..."}``). Headers DRF sets
(``WWW-Authenticate``, ``Retry-After``, ``Allow``) are kept.

No library writes RFC 9457 for DRF as it stands (drf-standardized-errors has its own shape; the
RFC 7807 packages are unmaintained); the handler is this module.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.errors import (
    ApplicationError,
    ConcurrentChange,
    FilingBlocked,
    NotPermitted,
    TransitionRefused,
)

CONTENT_TYPE = "application/problem+json"
logger = logging.getLogger("django.request")


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = gettext_lazy(
        "Send the version you last saw in an If-Match header (the ETag of the application), "
        "so that a change made meanwhile is not overwritten."
    )
    default_code = "precondition-required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "The application changed since the version you sent in If-Match: nothing was saved. "
        "Read it again and retry if you still want to."
    )
    default_code = "precondition-failed"


class IdempotencyConflict(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = gettext_lazy(
        "This Idempotency-Key was already used for a different request. Use a new key for a "
        "new request."
    )
    default_code = "idempotency-key-reused"


class IdempotencyInProgress(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy(
        "A request with this Idempotency-Key is still being processed. Retry in a moment."
    )
    default_code = "idempotency-key-in-progress"


# code → (title, description); the type URI is /api/v1/problems/<code>/.
PROBLEM_TYPES: dict[str, tuple[Any, Any]] = {
    "validation-error": (
        gettext_lazy("The request has errors"),
        gettext_lazy("One or more values are missing or invalid; `errors` says which."),
    ),
    "not-authenticated": (
        gettext_lazy("Authentication needed"),
        gettext_lazy("Send a valid access token: Authorization: Bearer <token>."),
    ),
    "authentication-failed": (
        gettext_lazy("The access token was refused"),
        gettext_lazy("The token is unknown, expired or revoked, or its account is inactive."),
    ),
    "permission-denied": (
        gettext_lazy("Not allowed"),
        gettext_lazy("The token lacks the scope the operation needs, or the action is refused."),
    ),
    "not-found": (
        gettext_lazy("Not found"),
        gettext_lazy("There is nothing here that this caller may see."),
    ),
    "method-not-allowed": (gettext_lazy("Method not allowed"), gettext_lazy("See `Allow`.")),
    "not-acceptable": (
        gettext_lazy("Not acceptable"),
        gettext_lazy("The operation cannot answer in the media type asked for."),
    ),
    "unsupported-media-type": (
        gettext_lazy("Unsupported media type"),
        gettext_lazy("Send the body as the operation's schema says."),
    ),
    "parse-error": (
        gettext_lazy("Malformed request"),
        gettext_lazy("The body could not be read."),
    ),
    "throttled": (
        gettext_lazy("Too many requests"),
        gettext_lazy("Wait the number of seconds `Retry-After` gives, then retry."),
    ),
    "concurrent-change": (
        gettext_lazy("Changed meanwhile"),
        gettext_lazy("The application changed since the version sent; nothing was saved."),
    ),
    "precondition-required": (
        gettext_lazy("If-Match needed"),
        gettext_lazy("Send the application's ETag in If-Match with every change."),
    ),
    "precondition-failed": (
        gettext_lazy("Changed meanwhile"),
        gettext_lazy("The version in If-Match is not the application's present version."),
    ),
    "idempotency-key-reused": (
        gettext_lazy("Idempotency-Key reused"),
        gettext_lazy("The key was used before for a different request."),
    ),
    "idempotency-key-in-progress": (
        gettext_lazy("Idempotency-Key in use"),
        gettext_lazy("A request with this key has not finished yet."),
    ),
    "state-conflict": (
        gettext_lazy("Not possible in the application's present state"),
        gettext_lazy("The proceedings are not in a state that allows this action."),
    ),
    "filing-blocked": (
        gettext_lazy("The application cannot be filed yet"),
        gettext_lazy("`errors` lists what is missing."),
    ),
    "refused": (
        gettext_lazy("Refused"),
        gettext_lazy("The action is not possible; `detail` says why."),
    ),
    "server-error": (
        gettext_lazy("Server error"),
        gettext_lazy("Something failed on our side; nothing was changed. Try again later."),
    ),
}

_DRF_CODES = {
    exceptions.ValidationError: "validation-error",
    exceptions.NotAuthenticated: "not-authenticated",
    exceptions.AuthenticationFailed: "authentication-failed",
    exceptions.PermissionDenied: "permission-denied",
    exceptions.NotFound: "not-found",
    exceptions.MethodNotAllowed: "method-not-allowed",
    exceptions.NotAcceptable: "not-acceptable",
    exceptions.UnsupportedMediaType: "unsupported-media-type",
    exceptions.ParseError: "parse-error",
    exceptions.Throttled: "throttled",
}


def type_uri(code: str) -> str:
    return reverse("api:problem-type", kwargs={"code": code})


def problem(code: str, status_code: int, detail: str, **extra: Any) -> dict[str, Any]:
    title = PROBLEM_TYPES[code][0]
    body: dict[str, Any] = {
        "type": type_uri(code),
        "title": str(title),
        "status": status_code,
        "detail": str(detail),
    }
    body.update(extra)
    return body


def _pointers(data: Any, path: str = "#") -> list[dict[str, str]]:
    """DRF's nested error dict/list → flat (JSON pointer, message) entries."""
    out: list[dict[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            where = path if key == "non_field_errors" else f"{path}/{key}"
            out += _pointers(value, where)
    elif isinstance(data, list):
        if all(not isinstance(item, dict | list) for item in data):
            out += [{"pointer": path, "detail": str(item)} for item in data]
        else:
            for index, item in enumerate(data):
                out += _pointers(item, f"{path}/{index}")
    else:
        out.append({"pointer": path, "detail": str(data)})
    return out


def _application_error(error: ApplicationError) -> tuple[str, int, dict[str, Any]]:
    if isinstance(error, ConcurrentChange):
        return "concurrent-change", status.HTTP_412_PRECONDITION_FAILED, {}
    if isinstance(error, NotPermitted):
        return "permission-denied", status.HTTP_403_FORBIDDEN, {}
    if isinstance(error, TransitionRefused):
        return "state-conflict", status.HTTP_409_CONFLICT, {}
    if isinstance(error, FilingBlocked):
        errors = [{"pointer": "#", "detail": p} for p in error.problems]
        return "filing-blocked", status.HTTP_422_UNPROCESSABLE_ENTITY, {"errors": errors}
    return "refused", status.HTTP_422_UNPROCESSABLE_ENTITY, {}


@csrf_exempt
def not_found(request: Any, *args: Any, **kwargs: Any) -> Any:
    """Any other address under /api/: a 404 as problem details, not the site's HTML page.
    Exempt from CSRF as the API's views are: no session acts here, so a POST to an unknown
    address is a 404 like a GET, not the site's "form expired" page."""
    from django.http import JsonResponse

    body = problem("not-found", 404, _("There is no such address in the API."))
    return JsonResponse(body, status=404, content_type=CONTENT_TYPE)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, ApplicationError):
        code, status_code, refusal = _application_error(exc)
        detail = exc.for_applicant() if isinstance(exc, ConcurrentChange) else exc.message
        return Response(
            problem(code, status_code, detail, **refusal),
            status=status_code,
            content_type=CONTENT_TYPE,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        # Not an error a caller caused: logged with its traceback (the admins' report), and
        # answered as a problem too, so that a client reads every answer the same way.
        set_rollback()
        request = context.get("request")
        logger.error(
            "Internal Server Error: %s",
            getattr(request, "path", ""),
            exc_info=exc,
            extra={"status_code": 500, "request": getattr(request, "_request", None)},
        )
        body = problem("server-error", 500, str(PROBLEM_TYPES["server-error"][1]))
        return Response(body, status=500, content_type=CONTENT_TYPE)
    if isinstance(exc, exceptions.APIException):
        code = next(
            (c for kind, c in _DRF_CODES.items() if isinstance(exc, kind)),
            exc.default_code if exc.default_code in PROBLEM_TYPES else "refused",
        )
    else:
        code = "refused"
    extra: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        extra["errors"] = _pointers(exc.detail)
        detail = _("The request has errors: see `errors`.")
    elif isinstance(exc, exceptions.APIException) and isinstance(exc.detail, str):
        detail = exc.detail
    else:
        detail = str(PROBLEM_TYPES[code][1])
    response.data = problem(code, response.status_code, detail, **extra)
    response.content_type = CONTENT_TYPE
    return response
