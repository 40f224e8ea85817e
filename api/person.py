"""The person's notices and their data export through the API.

* ``GET /api/v1/notifications/`` — the in-app notices, newest first, in the language of the
  request (``notifications.rendering.in_app_texts``: the notices' data are rendered for the
  reader, as on the notifications page), cursor-paginated. Scope ``notifications:read``.
* ``GET /api/v1/export/`` — the same ZIP archive as the profile's "Download my data"
  (``applications.export.build_export``), recorded as a data export. Scope ``export:read``.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from api import scopes
from api.access import log_read
from applications.export import build_export, export_filename
from core import clock
from notifications.models import Notification
from notifications.rendering import in_app_texts
from notifications.selectors import notification_list_for_user
from privacy.constants import Action
from privacy.services import record_access


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    subject = serializers.CharField()
    body = serializers.CharField()
    application_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    read = serializers.BooleanField()


class NotificationListView(GenericAPIView):
    """The caller's notices, newest first, in the language of the request."""

    required_scopes = {"GET": [scopes.NOTIFICATIONS_READ]}
    serializer_class = NotificationSerializer

    def get_queryset(self) -> Any:
        return notification_list_for_user(user=self.request.user)

    @extend_schema(responses=NotificationSerializer(many=True), tags=["notifications"])
    def get(self, request: Request) -> Response:
        page: list[Notification] = self.paginate_queryset(self.get_queryset()) or []
        texts = in_app_texts(page, language=get_language())
        log_read(request, object_type="notifications.notification", what="notifications")
        return self.get_paginated_response(
            [
                {
                    "id": n.pk,
                    "kind": n.kind,
                    "subject": texts[n.pk][0],
                    "body": texts[n.pk][1],
                    "application_id": n.application_id,
                    "created_at": n.created_at,
                    "read": n.read_at is not None,
                }
                for n in page
            ]
        )


class ExportView(GenericAPIView):
    """Everything the portal holds about the caller and the people they apply for (ZIP)."""

    required_scopes = {"GET": [scopes.EXPORT_READ]}
    # No HEAD: building the archive is work, and it is recorded.
    http_method_names = ["get"]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY)},
        tags=["account"],
    )
    def get(self, request: Request) -> FileResponse:
        archive, summary = build_export(user=request.user)
        record_access(
            request._request,
            Action.DATA_EXPORT,
            target=request.user,
            actor=request.user,
            detail={
                "people": summary.people,
                "cases": summary.cases,
                "files": summary.files,
                "via": "api",
            },
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
