"""The CSRF failure page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseForbidden
from django.views import csrf

from privacy.middleware import CSRF_FAILED


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    """Django's page for a form refused by the CSRF check (``403_csrf.html``), marking the
    request so the access log counts it as a CSRF failure (``CSRF_FAILURE_VIEW``)."""
    setattr(request, CSRF_FAILED, True)
    return csrf.csrf_failure(request, reason=reason)
