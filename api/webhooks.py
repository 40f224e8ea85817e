"""Webhook subscriptions through the API (scope ``webhooks``): ``/api/v1/webhooks/``.

A subscription reports events on the caller's cases (``webhooks.models.Event``) to an https
address, signed per Standard Webhooks with a secret shown once, when it is made. Its deliveries
can be read and sent again. Another person's subscription is a 404.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, OpenApiWebhook, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from api import scopes
from api.idempotency import idempotent
from applications.constants import Status
from organisations.constants import Role as MemberRole
from organisations.models import Membership, Organisation
from webhooks import services
from webhooks.addresses import ReceiverRefused, check_receiver
from webhooks.models import Delivery, Event, Subscription

SCOPE = [scopes.WEBHOOKS]
TAGS = ["webhooks"]


class SubscriptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=Event.choices), min_length=1, max_length=8
    )
    active = serializers.BooleanField(required=False)
    organisation = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=(
            "For an organisation the caller administers: the subscription hears of the cases "
            "its powers of attorney cover. Empty: the caller's own cases. Set when it is made."
        ),
    )
    disabled_reason = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def validate_organisation(self, value: int | None) -> int | None:
        request = self.context.get("request")
        if value is not None and (request is None or value not in set(_administered(request.user))):
            raise serializers.ValidationError(
                _(
                    "You are not an administrator of this organisation, or the office has not "
                    "verified it yet."
                )
            )
        return value

    def validate_url(self, value: str) -> str:
        if not value.startswith("https://") and not settings.WEBHOOK_ALLOW_HTTP:
            raise serializers.ValidationError(_("The address must start with https://."))
        try:
            check_receiver(value)
        except ReceiverRefused as refusal:
            if refusal.address is None:
                raise serializers.ValidationError(
                    _("The address's host %(host)s cannot be found.") % {"host": refusal.host}
                ) from None
            raise serializers.ValidationError(
                _(
                    "The address must be reachable on the internet: %(host)s is on this "
                    "machine or a private, local or reserved network."
                )
                % {"host": refusal.host}
            ) from None
        return value


class NewSubscriptionSerializer(SubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="The signing secret, shown this once: keep it."
    )


class DeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    message_id = serializers.CharField(help_text="The webhook-id header of every attempt.")
    event = serializers.ChoiceField(choices=Event.choices)
    application_id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=Delivery.State.choices)
    attempts = serializers.IntegerField()
    last_status_code = serializers.IntegerField(allow_null=True)
    last_error = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)


def _represent(subscription: Subscription) -> dict[str, Any]:
    return {
        "id": subscription.pk,
        "url": subscription.url,
        "events": subscription.events,
        "active": subscription.active,
        "organisation": subscription.organisation_id,
        "disabled_reason": subscription.disabled_reason,
        "created_at": subscription.created_at,
    }


def _administered(user: Any) -> QuerySet[Any]:
    """The verified organisations ``user`` is a current administrator of (their ids)."""
    return Membership.objects.filter(
        user=user,
        role=MemberRole.ADMIN,
        left_at__isnull=True,
        organisation__verified_at__isnull=False,
    ).values_list("organisation_id", flat=True)


def _visible(request: Request) -> QuerySet[Subscription]:
    """The caller's own subscriptions, and those of the organisations they administer."""
    user = request.user
    return Subscription.objects.filter(
        Q(owner=user, organisation__isnull=True) | Q(organisation_id__in=_administered(user))
    )


def _mine(request: Request, pk: int) -> Subscription:
    return get_object_or_404(_visible(request), pk=pk)


class SubscriptionListView(GenericAPIView):
    """The caller's subscriptions; a new one."""

    required_scopes = {"GET": SCOPE, "POST": SCOPE}
    parser_classes = [JSONParser]
    serializer_class = SubscriptionSerializer

    def get_queryset(self) -> QuerySet[Subscription]:
        return _visible(self.request)

    @extend_schema(responses=SubscriptionSerializer(many=True), tags=TAGS)
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([_represent(s) for s in page or []])

    @extend_schema(
        request=SubscriptionSerializer, responses={201: NewSubscriptionSerializer}, tags=TAGS
    )
    @idempotent
    def post(self, request: Request) -> Response:
        incoming = SubscriptionSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        organisation = incoming.validated_data.get("organisation")
        subscription, secret = services.subscription_create(
            owner=request.user,
            url=incoming.validated_data["url"],
            events=incoming.validated_data["events"],
            organisation=(
                Organisation.objects.get(pk=organisation) if organisation is not None else None
            ),
        )
        response = Response(
            {**_represent(subscription), "secret": secret}, status=status.HTTP_201_CREATED
        )
        response["Location"] = reverse("api:webhook", kwargs={"pk": subscription.pk})
        return response


class SubscriptionDetailView(GenericAPIView):
    """One subscription: read, change (turning it on again starts its count of failures
    afresh), remove."""

    required_scopes = {"GET": SCOPE, "PATCH": SCOPE, "DELETE": SCOPE}
    parser_classes = [JSONParser]
    serializer_class = SubscriptionSerializer

    @extend_schema(responses=SubscriptionSerializer, tags=TAGS)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_represent(_mine(request, pk)))

    @extend_schema(request=SubscriptionSerializer, responses=SubscriptionSerializer, tags=TAGS)
    def patch(self, request: Request, pk: int) -> Response:
        subscription = _mine(request, pk)
        incoming = SubscriptionSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        incoming.is_valid(raise_exception=True)
        # Whose it is was set when it was made: only the address, the events and whether it is
        # on change here.
        changes = {
            name: value
            for name, value in incoming.validated_data.items()
            if name in ("url", "events", "active")
        }
        services.subscription_update(subscription, **changes)
        return Response(_represent(subscription))

    @extend_schema(responses={204: OpenApiResponse(description="Removed.")}, tags=TAGS)
    def delete(self, request: Request, pk: int) -> Response:
        services.subscription_delete(_mine(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryListView(GenericAPIView):
    """A subscription's deliveries, the newest first."""

    required_scopes = {"GET": SCOPE}
    serializer_class = DeliverySerializer

    @extend_schema(responses=DeliverySerializer(many=True), tags=TAGS)
    def get(self, request: Request, pk: int) -> Response:
        subscription = _mine(request, pk)
        page = self.paginate_queryset(subscription.deliveries.all())
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)


class RedeliverView(GenericAPIView):
    """Send a delivery again (the same webhook-id)."""

    required_scopes = {"POST": SCOPE}
    serializer_class = DeliverySerializer

    @extend_schema(
        request=None,
        responses={
            202: DeliverySerializer,
            (409, "application/problem+json"): OpenApiResponse(
                response={"$ref": "#/components/schemas/Problem"},
                description="The subscription is stopped: turn it on again first.",
            ),
        },
        tags=TAGS,
    )
    def post(self, request: Request, pk: int, delivery_id: int) -> Response:
        subscription = _mine(request, pk)
        delivery = get_object_or_404(Delivery, pk=delivery_id, subscription=subscription)
        queued = services.redeliver(delivery)
        return Response(DeliverySerializer(queued).data, status=status.HTTP_202_ACCEPTED)


# --- What a receiver is sent (the schema's ``webhooks``, SPECTACULAR_SETTINGS["WEBHOOKS"]) ----


class CaseEventDataSerializer(serializers.Serializer):
    application_id = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=Status.choices, help_text="The application's status after the event."
    )
    version = serializers.IntegerField(
        help_text="The application's version after the event (its ETag)."
    )


class CaseEventSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=[f"case.{event}" for event in Event.values],
        help_text="`case.` and the event.",
    )
    timestamp = serializers.DateTimeField(help_text="When the event happened.")
    data = CaseEventDataSerializer(
        help_text="Ids and the status only, no personal data: read the application for more."
    )


# The schema is written in English, whatever the caller's language (docs/api.md).
_HAPPENED = {
    Event.FILED: "The application was filed.",
    Event.INTERRUPTED: "The office interrupted the proceedings and asked for documents.",
    Event.RESUMED: "The proceedings resumed.",
    Event.DECIDED: "The office decided.",
    Event.DELIVERED: "The decision was delivered.",
    Event.APPEALED: "An appeal or a request for re-assessment was lodged.",
    Event.CLOSED: "The proceedings closed.",
    Event.WITHDRAWN: "The application was withdrawn.",
}
_HOW = (
    "A POST with this JSON body, signed per the Standard Webhooks specification (headers "
    "`webhook-id`, `webhook-timestamp`, `webhook-signature`; HMAC-SHA256 with the "
    "subscription's secret). The `webhook-id` is the same on every attempt and redelivery of a "
    "message: a receiver ignores one it already has. Any 2xx answer delivers it; anything "
    "else, or no answer within the timeout, is retried with a growing pause, and the "
    "subscription stops after repeated failures in a row. One application's events arrive in "
    "the order they happened."
)


def _webhook(event: Event) -> OpenApiWebhook:
    return OpenApiWebhook(
        name=f"case.{event.value}",
        decorator=extend_schema(
            operation_id=f"webhook_case_{event.value}",
            summary=_HAPPENED[event],
            description=f"{_HAPPENED[event]} {_HOW}",
            request=CaseEventSerializer,
            responses={200: OpenApiResponse(description="Received (any 2xx answer).")},
            tags=TAGS,
        ),
    )


# One name per event, as SPECTACULAR_SETTINGS["WEBHOOKS"] imports them (``CASE_FILED``…).
globals().update({f"CASE_{event.name}": _webhook(event) for event in Event})
