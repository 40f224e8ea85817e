"""Answering the office and lodging a remedy through the API.

* ``POST …/interruptions/supply/`` — "the requested documents are uploaded" (uploaded first with
  ``POST …/documents/``): ``services.application_supply_requested_documents``, which resumes the
  proceedings when nothing requested is missing (SPEC §2), under the case's lock taken at the
  If-Match version.
* ``POST …/appeals/`` — the remedy the current decision allows, an appeal or a request for
  re-assessment (``applications.remedies``), with its grounds: ``services.application_appeal``
  with the If-Match version. Lodging it delivers an undelivered decision, as in the portal (D3).
  Attachments are lodged on the portal's appeal page (this route takes the grounds only).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from api import scopes
from api.access import case_for
from api.cases import IF_MATCH, TAGS, CaseAPIView, _problems, at_version
from api.etags import expected_version, with_etag
from api.idempotency import idempotent
from applications import services
from applications.constants import Remedy, Status


class CaseStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Status.choices)
    version = serializers.IntegerField()
    decision_due = serializers.DateField(allow_null=True)


class AppealRequestSerializer(serializers.Serializer):
    grounds = serializers.CharField(max_length=20_000, help_text="Why the decision is wrong.")


class AppealSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    remedy = serializers.ChoiceField(choices=Remedy.choices)
    decision = serializers.IntegerField()
    lodged_on = serializers.DateField()
    answer_due = serializers.DateField(allow_null=True)


class SupplyView(CaseAPIView):
    """Tell the office the requested documents are uploaded; the proceedings resume."""

    required_scopes = {"POST": [scopes.CASES_WRITE]}

    @extend_schema(
        request=None,
        parameters=[IF_MATCH],
        responses={200: CaseStateSerializer, **_problems(403, 404, 409, 412, 422, 428)},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        application = case_for(request, pk)
        version = expected_version(request)
        with at_version(application, version):
            resumed = services.application_supply_requested_documents(
                application=application, actor=request.user
            )
        body = {
            "id": resumed.pk,
            "status": resumed.status,
            "version": resumed.version,
            "decision_due": resumed.decision_due,
        }
        return with_etag(Response(body), resumed)


class AppealView(CaseAPIView):
    """Lodge the remedy the decision allows, within its period."""

    required_scopes = {"POST": [scopes.REMEDIES_WRITE]}

    @extend_schema(
        request=AppealRequestSerializer,
        parameters=[IF_MATCH],
        responses={
            201: AppealSerializer,
            **_problems(400, 403, 404, 409, 412, 422, 428),
        },
        tags=TAGS,
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        application = case_for(request, pk)
        version = expected_version(request)
        incoming = AppealRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        appeal = services.application_appeal(
            application=application,
            actor=request.user,
            grounds=incoming.validated_data["grounds"],
            expected_version=version,
        )
        body = {
            "id": appeal.pk,
            "remedy": appeal.kind,
            "decision": appeal.decision_id,
            "lodged_on": appeal.lodged_on,
            "answer_due": appeal.answer_due,
        }
        application.refresh_from_db()
        return with_etag(Response(body, status=status.HTTP_201_CREATED), application)
