"""The access log (who saw or took whose data, when and from where), the counts of requests
refused to visitors who were not logged in, and the retention marks.

The case's own audit trail (``applications.AuditEntry``) records what was done to a case; this
log records who looked: staff opening a case, a person's record or a document, exports, denied
requests and log-in events. Both are append-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.appendonly import AppendOnlyModel
from privacy.constants import Action, DeniedRequestKind
from privacy.query import AccessEventQuerySet


class AccessEvent(AppendOnlyModel):
    """One access to personal data, or one log-in event: append-only.

    The actor's e-mail and the case's reference number are copied in, so the entry still says
    who and which case after the account is deleted or the case is anonymised.
    """

    created_at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
        help_text=_("Empty for a visitor who was not logged in, or for the system."),
    )
    actor_email = models.CharField(_("who (e-mail then)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    reference_number = models.CharField(_("reference number"), max_length=40, blank=True)
    object_type = models.CharField(
        _("object type"),
        max_length=64,
        blank=True,
        help_text=_("The kind of record, e.g. applications.applicant or documents.document."),
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("from (IP address)"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    path = models.CharField(
        _("page"), max_length=255, blank=True, help_text=_("Without the query string.")
    )
    detail = models.JSONField(
        _("details"),
        default=dict,
        blank=True,
        help_text=_("Codes and counts only: never personal data."),
    )

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access log")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The admin's date hierarchy and default order; the retention purge.
            models.Index(fields=["created_at"], name="access_event_created_idx"),
            # The admin's filters: by action, by actor, by case; each newest first.
            models.Index(fields=["action", "created_at"], name="access_event_action_idx"),
            models.Index(fields=["actor", "created_at"], name="access_event_actor_idx"),
            models.Index(fields=["application", "created_at"], name="access_event_case_idx"),
            # The admin's search (exact match).
            models.Index(fields=["reference_number"], name="access_event_reference_idx"),
            models.Index(fields=["actor_email"], name="access_event_email_idx"),
            models.Index(fields=["ip_address"], name="access_event_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class DeniedRequestCount(models.Model):
    """How many requests of one kind a visitor who was not logged in had refused, from one
    client address on one page, in one hour.

    A 404 or 403 answered to someone logged in is evidence about a person and stays an
    ``AccessEvent`` of its own. Without a login there is only an address, and a scanner or a
    flood would write a row per request: these are counted instead, one row per kind, address,
    page and hour. A page that names an object is kept as its URL pattern
    (``/permits/<slug:code>/``), so that walking through ids adds to one count.
    """

    kind = models.CharField(_("refused as"), max_length=16, choices=DeniedRequestKind.choices)
    ip_address = models.CharField(
        _("from (IP address)"),
        max_length=45,
        blank=True,
        help_text=_("Empty when the address could not be read."),
    )
    path = models.CharField(
        _("page"),
        max_length=255,
        help_text=_("Without the query string; the URL pattern for a page that names an object."),
    )
    hour = models.DateTimeField(_("hour"), help_text=_("The hour the requests came in."))
    count = models.PositiveIntegerField(_("requests"), default=0)

    class Meta:
        verbose_name = _("refused request count")
        verbose_name_plural = _("refused requests (not logged in)")
        ordering = ["-hour", "-count"]
        constraints = [
            # One row per key, whose count requests raise (privacy.services.denied_request_count).
            models.UniqueConstraint(
                fields=["kind", "ip_address", "path", "hour"], name="denied_request_count_key"
            ),
        ]
        indexes = [
            # The admin's date hierarchy and order; the retention purge.
            models.Index(fields=["hour"], name="denied_request_hour_idx"),
            # The admin's search (exact address).
            models.Index(fields=["ip_address", "hour"], name="denied_request_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H:00} {self.get_kind_display()}: {self.count}"


class RetentionRecord(models.Model):
    """A case anonymised by the retention job (``applications.retention``): the mark that makes
    the job safe to run twice, and what it removed."""

    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="retention_record",
        verbose_name=_("case"),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), default=timezone.now)
    closed_on = models.DateField(
        _("closed on"), help_text=_("The day the case closed or was withdrawn.")
    )
    documents_deleted = models.PositiveIntegerField(_("documents deleted"), default=0)
    applicant_anonymised = models.BooleanField(
        _("person anonymised"),
        default=False,
        help_text=_("Whether the person's record was anonymised with this case (their last)."),
    )

    class Meta:
        verbose_name = _("retention record")
        verbose_name_plural = _("retention records")
        ordering = ["-anonymised_at"]

    def __str__(self) -> str:
        return f"{self.application} {self.anonymised_at:%Y-%m-%d}"
