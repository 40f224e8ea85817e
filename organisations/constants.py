"""The kinds of organisation that represent people, a member's roles, and what their log
records."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    SCHOOL = "school", _("School or university")
    AGENCY = "agency", _("Relocation or recruitment agency")
    LAW_FIRM = "law_firm", _("Law firm or attorney")


class Role(models.TextChoices):
    ADMIN = "admin", _("Organisation administrator")
    MEMBER = "member", _("Member")


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Organisation registered")
    VERIFIED = "verified", _("Organisation verified by the office")
    MEMBER_ADDED = "member_added", _("Member added")
    MEMBER_LEFT = "member_left", _("Member left")
