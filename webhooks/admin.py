"""Subscriptions and their delivery log, for the office: read, stop, redeliver."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.errors import TransitionRefused
from webhooks import services
from webhooks.models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("url", "owner", "active", "consecutive_failures", "disabled_at", "created_at")
    list_filter = ("active",)
    list_select_related = ("owner",)
    fields = (
        "owner",
        "url",
        "events",
        "active",
        "disabled_at",
        "disabled_reason",
        "consecutive_failures",
        "created_at",
    )
    readonly_fields = fields
    actions = ["turn_on"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Turn the selected subscriptions on again"))
    def turn_on(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for subscription in queryset:
            services.subscription_update(subscription, active=True)
        messages.success(request, _("Turned on again."))


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("message_id", "event", "application_id", "state", "attempts", "created_at")
    list_filter = ("state", "event")
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["redeliver"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Send the selected deliveries again"))
    def redeliver(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        queued = refused = 0
        for delivery in queryset.select_related("subscription"):
            try:
                services.redeliver(delivery)
                queued += 1
            except TransitionRefused:
                refused += 1
        if queued:
            messages.success(request, _("Queued to be sent again."))
        if refused:
            messages.error(
                request,
                _(
                    "Not sent: the subscription is stopped. Turn it on again, then send the "
                    "delivery again."
                ),
            )
