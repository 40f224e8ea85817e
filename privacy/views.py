"""The person's own data, downloadable (the right of access); the CSRF failure page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, HttpRequest, HttpResponseForbidden
from django.views import csrf
from django.views.generic import TemplateView

from core import clock
from privacy.constants import Action
from privacy.export import build_export, export_filename
from privacy.middleware import CSRF_FAILED
from privacy.services import record_access


class DataExportView(LoginRequiredMixin, TemplateView):
    """GET explains what the archive holds; POST builds it and sends it as a download."""

    template_name = "privacy/export.html"
    http_method_names = ["get", "head", "post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        archive, summary = build_export(user=request.user)
        record_access(
            request,
            Action.DATA_EXPORT,
            target=request.user,
            detail={"people": summary.people, "cases": summary.cases, "files": summary.files},
        )
        response = FileResponse(
            archive,
            as_attachment=True,
            filename=export_filename(clock.today()),
            content_type="application/zip",
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    """Django's page for a form refused by the CSRF check (``403_csrf.html``), marking the
    request so the access log counts it as a CSRF failure (``CSRF_FAILURE_VIEW``)."""
    setattr(request, CSRF_FAILED, True)
    return csrf.csrf_failure(request, reason=reason)
