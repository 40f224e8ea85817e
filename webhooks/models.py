"""Webhook subscriptions and the log of their deliveries (docs/api.md, "Webhooks")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from encryption.fields import EncryptedTextField, RowKeyField


class Event(models.TextChoices):
    """The events of a case a subscription may ask for (the payload's type is "case.<code>")."""

    FILED = "filed", _("Application filed")
    INTERRUPTED = "interrupted", _("Proceedings interrupted")
    RESUMED = "resumed", _("Proceedings resumed")
    DECIDED = "decided", _("Decision issued")
    DELIVERED = "delivered", _("Decision delivered")
    APPEALED = "appealed", _("Appeal lodged")
    CLOSED = "closed", _("Proceedings closed")
    WITHDRAWN = "withdrawn", _("Application withdrawn")


class Subscription(models.Model):
    """Where to tell an account of events on its cases, and the secret that signs each message
    (Standard Webhooks). The secret is encrypted at rest and shown to the owner once."""

    row_key = RowKeyField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        null=True,
        verbose_name=_("owner"),
    )
    # An organisation's subscription hears of the cases its powers of attorney cover (made by
    # one of its administrators, the ``owner``); without one, the owner's own cases.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_subscriptions",
        verbose_name=_("organisation"),
    )
    url = models.URLField(_("receiver address"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = EncryptedTextField(_("signing secret"))
    active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    disabled_reason = models.TextField(_("why it stopped"), blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Made by an account, for itself or for an organisation it administers.
            models.CheckConstraint(condition=Q(owner__isnull=False), name="webhook_has_owner"),
        ]
        indexes = [
            models.Index(fields=["owner", "active"], name="webhook_owner_active_idx"),
            models.Index(
                fields=["organisation", "active"],
                condition=Q(organisation__isnull=False),
                name="webhook_org_active_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.url

    def wants(self, event: str) -> bool:
        return self.active and event in self.events


class Delivery(models.Model):
    """One event for one subscription: the message (ids and the event, no personal data), its
    attempts and their outcome. ``sequence`` orders a case's events for a subscription."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        ABANDONED = "abandoned", _("Abandoned: the subscription stopped")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=40, unique=True)
    event = models.CharField(max_length=20, choices=Event.choices)
    application_id = models.BigIntegerField()
    sequence = models.PositiveIntegerField()
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "application_id", "sequence"],
                name="webhook_delivery_sequence_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["subscription", "application_id", "state", "sequence"],
                name="webhook_case_order_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} {self.event} → {self.state}"
