"""The permit catalogue, public: ``/api/v1/permit-types/`` and ``/api/v1/permit-types/{code}/``.

The same published types, facts and document checklists as the catalogue's pages
(``permits.selectors``, ``permits.views.checklist_of``), in the language of
``Accept-Language``. No token is needed; requests count against the caller's address.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from permits import selectors
from permits.constants import Purpose
from permits.models import PermitType
from permits.views import can_apply_online, checklist_of


class RequiredDocumentSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    required = serializers.BooleanField(help_text="Always required (else: under a condition).")
    condition = serializers.CharField(help_text="When the document is required, in words.")


class PermitTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    short_code = serializers.CharField()
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    name = serializers.CharField()
    guidance = serializers.CharField(allow_blank=True)
    legal_basis = serializers.CharField(
        allow_blank=True, help_text="The provision the permit rests on, in Czech."
    )
    sources = serializers.CharField(allow_blank=True, help_text="Cited sources, e.g. [002][003].")
    decision_period_days = serializers.IntegerField(
        help_text="Statutory decision period for an application filed in the Czech Republic."
    )
    decision_period_days_abroad = serializers.IntegerField(
        help_text="Statutory decision period for an application filed at an embassy."
    )
    max_validity_months = serializers.IntegerField(allow_null=True)
    fee_czk = serializers.IntegerField(allow_null=True)
    fee_note = serializers.CharField(allow_blank=True)
    can_apply_online = serializers.BooleanField()
    can_file_in_country = serializers.BooleanField()
    can_file_at_embassy = serializers.BooleanField()
    handled_by_office = serializers.BooleanField()
    competent_authority = serializers.CharField(
        allow_blank=True, help_text="Where to apply instead, for types another authority decides."
    )
    checklist = RequiredDocumentSerializer(many=True)


def _represent(permit_type: PermitType) -> dict[str, Any]:
    checklist = checklist_of(permit_type) if permit_type.handled_by_office else []
    return {
        "code": permit_type.code,
        "short_code": permit_type.short_code,
        "purpose": permit_type.purpose,
        "name": permit_type.name,
        "guidance": permit_type.guidance,
        "legal_basis": permit_type.legal_basis,
        "sources": permit_type.sources,
        "decision_period_days": permit_type.decision_period_days,
        "decision_period_days_abroad": permit_type.decision_period_days_abroad,
        "max_validity_months": permit_type.max_validity_months,
        "fee_czk": permit_type.fee_czk,
        "fee_note": permit_type.fee_note,
        "can_apply_online": can_apply_online(permit_type),
        "can_file_in_country": permit_type.can_file_in_country,
        "can_file_at_embassy": permit_type.can_file_at_embassy,
        "handled_by_office": permit_type.handled_by_office,
        "competent_authority": permit_type.competent_authority,
        "checklist": [
            {
                "name": str(item.name),
                "description": str(item.description),
                "required": item.always,
                "condition": str(item.condition),
            }
            for item in checklist
        ],
    }


class PublicView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


class PermitTypeListView(PublicView):
    """Every published permit type, in the catalogue's order (about 26: not paginated)."""

    @extend_schema(responses=PermitTypeSerializer(many=True), tags=["catalogue"])
    def get(self, request: Request) -> Response:
        return Response([_represent(t) for t in selectors.permit_types_with_checklists()])


class PermitTypeDetailView(PublicView):
    """One published permit type; an unknown or unpublished code is a 404."""

    @extend_schema(
        responses=PermitTypeSerializer,
        tags=["catalogue"],
        parameters=[OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH)],
    )
    def get(self, request: Request, code: str) -> Response:
        try:
            permit_type = selectors.permit_type_detail(code)
        except PermitType.DoesNotExist:
            raise Http404 from None
        return Response(_represent(permit_type))
