from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """How the guidance pages group the catalogue."""

    VISA = "visa", _("Long-term visas")
    WORK = "work", _("Work")
    STUDY = "study", _("Study")
    FAMILY = "family", _("Family")
    RESEARCH = "research", _("Research")
    INVESTMENT = "investment", _("Investment")
    PROTECTION = "protection", _("Protection and tolerated stay")
    PERMANENT = "permanent", _("Permanent residence")
    ADMINISTRATIVE = "administrative", _("Extensions, changes and cards")
    OUTSIDE = "outside", _("Handled by other authorities")


class RequirementCondition(models.TextChoices):
    """When a document kind is required for a permit type."""

    ALWAYS = "always", _("Always")
    MINOR = "minor", _("The applicant is a minor")
    BUSINESS = "business", _("The purpose of stay is business")
    ABROAD = "abroad", _("Filed at an embassy")
    RULE = "rule", _("A rule of the permit decides")
    ON_REQUEST = "on_request", _("Only when the office asks for it")
