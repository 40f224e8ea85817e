from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The staff and applicant roles. Each is a Django group carrying permissions (SPEC §1)."""

    APPLICANT = "applicant", _("Applicant")
    SUPPORT = "support", _("Support-centre staff")
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Administrator")


class Language(models.TextChoices):
    CS = "cs", "Čeština"
    EN = "en", "English"
    UK = "uk", "Українська"
    VI = "vi", "Tiếng Việt"
    RU = "ru", "Русский"
