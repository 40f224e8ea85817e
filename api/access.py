"""Whose records a caller reaches through the API, and the access log of what they read.

The API reaches exactly what the applicant's pages reach (``selectors.application_for_applicant``
and the same querysets): the account that holds the person's record and the support-centre
worker who recorded them. Anything else is a 404, as on the pages.

Every read of personal data through the API is written to the access log (``API_READ``), the
owner's own included: the reader is a program acting with a token, and the person may want to
know which program read what and when. The detail names the kind of token and, for OAuth,
the application (never the token).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework.request import Request

from api.models import PersonalAccessToken
from applications import selectors
from applications.models import Application
from privacy.constants import Action
from privacy.services import record_access


def caller(request: Request) -> dict[str, Any]:
    auth = request.auth
    if isinstance(auth, PersonalAccessToken):
        return {"via": "api", "token": "personal", "token_id": auth.pk}
    application = getattr(auth, "application", None)
    return {
        "via": "api",
        "token": "oauth",
        "client_id": getattr(application, "client_id", ""),
    }


def case_for(request: Request, pk: int) -> Application:
    """The caller's case ``pk`` with what its pages prefetch, or 404."""
    return selectors.application_for_applicant(user=request.user, pk=pk)


def log_read(
    request: Request,
    *,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    **detail: Any,
) -> None:
    record_access(
        request._request,
        Action.API_READ,
        target=target,
        actor=request.user,
        object_type=object_type,
        object_id=object_id,
        detail={**caller(request), **detail},
    )
