"""Streaming a document of the case's record to someone who may see the case.

Files live in private storage and have no public URL; this view is the only way out.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest
from django.views import View

from accounts.http import signed_in_user
from applications.case_documents import document_for_download
from applications.services import decision_open
from core.errors import ApplicationError
from documents.constants import Role
from privacy.constants import Action
from privacy.services import record_access


class DocumentDownloadView(LoginRequiredMixin, View):
    # No HEAD: a link checker or prefetcher must not deliver a decision (D3).
    http_method_names = ["get", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        user = signed_in_user(request)
        document = document_for_download(user=user, pk=kwargs["pk"])
        record_access(request, Action.DOCUMENT_DOWNLOADED, target=document, except_owner=True)
        if document.role == Role.DECISION:
            decision = getattr(document, "decision", None)
            if decision is not None and decision.delivered_on is None:
                # Opening the decision's PDF is opening the decision: delivery (D3). The
                # service records it only for the applicant who owns the case.
                # A decision still being prepared has no file to download yet anyway.
                with contextlib.suppress(ApplicationError):
                    decision_open(decision=decision, actor=user)
        try:
            handle = document.file.open("rb")
        except (FileNotFoundError, ValueError) as missing:
            # A file removed from a draft keeps its row in the record but not its content.
            raise Http404("The file is no longer stored.") from missing
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store"
        return response
