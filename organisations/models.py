"""Organisations that represent people (an employer, a school, an agency, a law firm), their
members, and the log of what changed in them.

An organisation acts for someone only once the office has verified it and only through a power
of attorney (``applications.models.PowerOfAttorney``); a member acts for it only while a member:
leaving ends their access at once (the selectors read ``left_at`` on every request).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from organisations.constants import EventKind, Kind, Role
from organisations.validators import validate_ico


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    ico = models.CharField(_("IČO"), max_length=8, unique=True, validators=[validate_ico])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "pk"]
        permissions = [("verify_organisation", _("Can verify an organisation"))]
        indexes = [
            # The office's queue of organisations waiting for verification, oldest first.
            models.Index(
                fields=["registered_at"],
                condition=Q(verified_at__isnull=True),
                name="organisation_unverified_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ico})"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("member"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation", "joined_at", "pk"]
        constraints = [
            # One current membership of a person in an organisation; past ones are kept.
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(left_at__isnull=True),
                name="membership_one_current",
            ),
        ]
        indexes = [
            # "Which organisations does this person act for now": every representative request.
            models.Index(
                fields=["user", "organisation"],
                condition=Q(left_at__isnull=True),
                name="membership_current_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.organisation}"

    @property
    def is_current(self) -> bool:
        return self.left_at is None


class OrganisationEvent(AppendOnlyModel):
    """One change to an organisation: who made it, when, and what (append-only)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("what"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member concerned"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation event")
        verbose_name_plural = _("organisation log")
        ordering = ["organisation", "at", "pk"]
        indexes = [models.Index(fields=["organisation", "at"], name="organisation_event_idx")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()}"
