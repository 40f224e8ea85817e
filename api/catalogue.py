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

from permits import advisor, selectors
from permits.constants import Purpose
from permits.forms import AdvisorForm
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


class AdvisorRequestSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=advisor.StayPurpose.choices)
    length = serializers.ChoiceField(choices=advisor.StayLength.choices)
    status = serializers.ChoiceField(choices=advisor.CurrentStatus.choices)
    nationality = serializers.ChoiceField(choices=advisor.NationalityGroup.choices)
    years_in_czech_republic = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=99
    )
    holds_eu_blue_card = serializers.BooleanField(required=False, default=False)


class SuggestionSerializer(serializers.Serializer):
    code = serializers.CharField(
        allow_null=True, help_text="The permit type's code; null for a note."
    )
    title = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class AdvisorView(PublicView):
    """Which permits fit a situation: the advisor page's answers in, its suggestions out.

    The answers are checked by the page's own form (``permits.forms.AdvisorForm``), and the
    suggestions come from ``permits.advisor.suggest``; a type switched off in the catalogue is
    not suggested."""

    @extend_schema(
        request=AdvisorRequestSerializer,
        responses=SuggestionSerializer(many=True),
        tags=["advisor"],
    )
    def post(self, request: Request) -> Response:
        # The shape first (an object of the named fields), then the page's own form.
        incoming = AdvisorRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = {k: v for k, v in incoming.validated_data.items() if v is not None}
        if not data.get("holds_eu_blue_card"):
            data.pop("holds_eu_blue_card", None)
        form = AdvisorForm(data)
        if not form.is_valid():
            raise serializers.ValidationError(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            )
        suggestions = advisor.suggest(advisor.Answers(**form.cleaned_data))
        permit_types = selectors.permit_types_by_code(
            s.code for s in suggestions if s.is_permit_type
        )
        return Response(
            [
                {
                    "code": s.code if s.is_permit_type else None,
                    "title": permit_types[s.code].name if s.is_permit_type else str(s.title),
                    "reasons": [str(r) for r in s.reasons],
                }
                for s in suggestions
                if not s.is_permit_type or s.code in permit_types
            ]
        )
