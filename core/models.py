"""The outbox: side effects of a change, recorded in the change's own transaction.

A service that decides a case writes the decision and an :class:`OutboxMessage` ("render the
decision's PDF") in one transaction, so either both exist or neither does. Celery delivers the
message from this row; when Redis is down or a worker dies, the row is still here and the sweep
(``core.tasks.sweep_outbox``) queues it again. See ``core/outbox.py``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    topic = models.CharField(_("topic"), max_length=100)
    # Ids and plain values only: the handler loads what it needs, so no personal data is copied
    # out of the encrypted columns into this one.
    payload = models.JSONField(_("payload"), default=dict)
    # Two messages with one key are one side effect (e.g. one PDF per decision).
    key = models.CharField(_("key"), max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # The sweep leaves a message alone before this: just after its commit the message is on its
    # way already, and after a failure it waits for its backoff.
    available_at = models.DateTimeField(_("available at"), default=timezone.now)
    # A worker delivering the message holds it until then; past it, the worker is taken as dead.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # The sweep's and /healthz's one query: what is still to be delivered, oldest first.
            models.Index(
                fields=["available_at"],
                name="outbox_pending_idx",
                condition=Q(delivered_at__isnull=True),
            ),
            # The purge of delivered messages.
            models.Index(
                fields=["delivered_at"],
                name="outbox_delivered_idx",
                condition=Q(delivered_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"
