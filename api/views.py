"""The API's own pages: the problem types (each ``type`` URI of an error answers here)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.problems import PROBLEM_TYPES, type_uri


class ProblemTypeSerializer(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()


class ProblemTypeView(APIView):
    """What a kind of error means (the ``type`` of a problem-details answer)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        responses=ProblemTypeSerializer,
        tags=["errors"],
        parameters=[
            OpenApiParameter(
                "code", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(PROBLEM_TYPES)
            )
        ],
    )
    def get(self, request: Request, code: str) -> Response:
        if code not in PROBLEM_TYPES:
            raise Http404
        title, description = PROBLEM_TYPES[code]
        return Response(
            {"type": type_uri(code), "title": str(title), "description": str(description)}
        )
