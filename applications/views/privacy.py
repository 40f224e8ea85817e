"""The person's own data, downloadable (the right of access)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, HttpRequest
from django.views.generic import TemplateView

from accounts.http import signed_in_user
from applications.export import build_export, export_filename
from core import clock
from privacy.constants import Action
from privacy.services import record_access


class DataExportView(LoginRequiredMixin, TemplateView):
    """GET explains what the archive holds; POST builds it and sends it as a download."""

    template_name = "privacy/export.html"
    http_method_names = ["get", "head", "post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        user = signed_in_user(request)
        archive, summary = build_export(user=user)
        record_access(
            request,
            Action.DATA_EXPORT,
            target=user,
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
