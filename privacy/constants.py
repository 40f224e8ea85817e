from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """What an access event records. Transitions of a case are in the case's own audit trail."""

    CASE_VIEWED = "case_viewed", _("Case viewed by staff")
    APPLICANT_VIEWED = "applicant_viewed", _("Person's record viewed by staff")
    APPLICANT_SEARCHED = "applicant_searched", _("People searched by staff")
    DOCUMENT_VIEWED = "document_viewed", _("Document viewed by staff")
    DOCUMENT_DOWNLOADED = "document_downloaded", _("Document downloaded by staff")
    EXPORT = "export", _("List exported")
    DATA_EXPORT = "data_export", _("Own data exported")
    ACCESS_DENIED = "access_denied", _("Access denied")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed log-in")
    LOGOUT = "logout", _("Logged out")
    LOCKED_OUT = "locked_out", _("Locked out after failed log-ins")
    OTP_FAILED = "otp_failed", _("Wrong second-factor code")
    ACCOUNT_SECURITY = "account_security", _("Password or two-step log-in changed")
    RETENTION = "retention", _("Case anonymised after the retention period")
    API_READ = "api_read", _("Personal data read through the API")


class DeniedRequestKind(models.TextChoices):
    """A request refused to a visitor who is not logged in, counted rather than logged one by
    one (``DeniedRequestCount``)."""

    NOT_FOUND = "not_found", _("Not found (404)")
    FORBIDDEN = "forbidden", _("Refused (403)")
    CSRF_FAILED = "csrf_failed", _("Form refused: its security token was missing or wrong")


# What anonymised names and free text become. Stored as data, not as a translated label: the
# same value in every language and in every export.
ANONYMISED = "anonymised"
