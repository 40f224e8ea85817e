"""Notifications to applicants and caseworkers, in the portal and by e-mail (SPEC §6).

A row is one message to one recipient on one channel. Its ``idempotency_key`` is unique: whoever
inserts the row first is the only one who sends it, so two sweeps or two workers never send the
same message twice. An e-mail row is claimed before it is sent (``claimed_at``/``claimed_by``), so
two deliveries of the same task send it once, and a dead worker's claim is taken over after
``NOTIFICATION_CLAIM_TIMEOUT`` seconds.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.constants import Language
from encryption.fields import EncryptedJSONField, EncryptedTextField, RowKeyField
from notifications.constants import ALWAYS_EMAILED, Channel, Kind
from notifications.query import NotificationQuerySet


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
        help_text=_("Empty for a person without an account, who gets the e-mail only."),
    )
    email = models.EmailField(
        _("e-mail address"),
        blank=True,
        help_text=_("Where the e-mail goes, as it was when the notification was made."),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("application"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=255)
    # Encrypted: a message may quote what the office wrote about the person (the reason for an
    # interruption).
    body = EncryptedTextField(_("text"))
    body_html = EncryptedTextField(_("HTML text"), blank=True)
    # What the message says, kept to render it again in the reader's language when it is read
    # or sent (``notifications.rendering``); subject and body keep what was first said. Empty for
    # rows made before it existed. Encrypted: it may name the person (a colleague's name).
    data = EncryptedJSONField(
        _("message data"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("What the message is about, to render it in the language of whoever reads it."),
    )
    due_on = models.DateField(
        _("deadline"), null=True, blank=True, help_text=_("The deadline a reminder is about.")
    )
    event_key = models.CharField(
        _("event"),
        max_length=160,
        help_text=_("What happened or falls due; the same for every recipient and channel."),
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(
        _("claimed"),
        null=True,
        blank=True,
        help_text=_(
            "When a worker last began sending; claims older than the timeout are taken over."
        ),
    )
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)
    failed_at = models.DateTimeField(
        _("given up"),
        null=True,
        blank=True,
        help_text=_("Sending failed for good (a permanent error, or no retries left)."),
    )

    row_key = RowKeyField()

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"], name="notification_idempotency_key_unique"
            ),
            models.CheckConstraint(
                condition=~Q(channel=Channel.IN_APP) | Q(recipient__isnull=False),
                name="notification_in_app_has_recipient",
            ),
            models.CheckConstraint(
                condition=~Q(channel=Channel.EMAIL) | ~Q(email=""),
                name="notification_email_has_address",
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(failed_at__isnull=True),
                name="notification_sent_or_failed",
            ),
        ]
        indexes = [
            # The notification centre: a user's in-app messages, newest first.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(channel=Channel.IN_APP),
                name="notification_inbox_idx",
            ),
            # The unread badge in every page header.
            models.Index(
                fields=["recipient"],
                condition=Q(channel=Channel.IN_APP, read_at__isnull=True),
                name="notification_unread_idx",
            ),
            # The safety-net sweep for e-mails whose task was lost.
            models.Index(
                fields=["created_at"],
                condition=Q(channel=Channel.EMAIL, sent_at__isnull=True, failed_at__isnull=True),
                name="notification_unsent_idx",
            ),
            # The sweeps skip reminders made already.
            models.Index(fields=["event_key"], name="notification_event_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_channel_display()})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choice to get no e-mail of one kind; the in-app notification always stays."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    email_enabled = models.BooleanField(_("send e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique"),
            models.CheckConstraint(
                condition=Q(email_enabled=True) | ~Q(kind__in=sorted(ALWAYS_EMAILED)),
                name="notification_preference_legal_kinds_emailed",
                violation_error_message=_(
                    "E-mails about interruptions and decisions cannot be switched off: "
                    "deadlines run from them."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()}"
