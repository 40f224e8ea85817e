"""``/api/v1/me/``: who the token acts for and what it may do."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.access import log_read
from api.authentication import token_scopes
from api.scopes import ALL


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    language = serializers.CharField()
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=list(ALL)))


class MeView(APIView):
    """The account the token acts for, and the token's scopes."""

    required_scopes: dict[str, list[str]] = {}

    @extend_schema(responses=MeSerializer, tags=["account"])
    def get(self, request: Request) -> Response:
        user = request.user
        log_read(request, target=user, what="account")
        return Response(
            {
                "id": user.pk,
                "email": user.email,
                "language": user.preferred_language or "",
                "scopes": sorted(token_scopes(request.auth)),
            }
        )
