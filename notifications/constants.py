from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about. The values are part of every idempotency key: keep them."""

    # Changes of state the applicant is told about (SPEC §6).
    FILED = "filed", _("Application filed")
    INTERRUPTED = "interrupted", _("Proceedings interrupted: documents needed")
    RESUMED = "resumed", _("Proceedings resumed")
    DECIDED = "decided", _("Decision issued")
    APPEAL_RECEIVED = "appeal_received", _("Appeal received")
    CLOSED = "closed", _("Proceedings closed")
    PERMIT_READY = "permit_ready", _("Residence card")
    # For caseworkers.
    ASSIGNED = "assigned", _("Case assigned to you")
    CHANGE_REPORTED = "change_reported", _("Change of data reported on your case")
    EXTENSION_REQUESTED = "extension_requested", _("More time asked for on your case")
    CASE_ACTIVITY = "case_activity", _("Someone else acted on your case")
    DOCUMENTS_ARRIVED = "documents_arrived", _("Documents arrived on your case")
    # For the applicant: the office's answer to their request for more time.
    EXTENSION_ANSWERED = "extension_answered", _("Answer to your request for more time")
    # Reminders from the periodic sweeps.
    DOCUMENT_DEADLINE_REMINDER = "document_deadline_reminder", _("Reminder: documents due")
    APPEAL_DEADLINE_REMINDER = "appeal_deadline_reminder", _("Reminder: appeal deadline")
    BIOMETRICS_REMINDER = "biometrics_reminder", _("Reminder: biometrics")
    PICKUP_REMINDER = "pickup_reminder", _("Reminder: collect your residence card")
    DECISION_DUE_REMINDER = "decision_due_reminder", _("Reminder: decision due")
    OVERDUE_DIGEST = "overdue_digest", _("Overdue cases (daily)")
    INTERRUPTION_OVERDUE = "interruption_overdue", _("Documents deadline passed")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the portal")
    EMAIL = "email", _("E-mail")


# State changes ``notify_application_event`` accepts as ``event``.
APPLICATION_EVENTS = frozenset(
    {
        Kind.FILED,
        Kind.INTERRUPTED,
        Kind.RESUMED,
        Kind.DECIDED,
        Kind.APPEAL_RECEIVED,
        Kind.CLOSED,
        Kind.PERMIT_READY,
    }
)

# An interruption (its deadline runs from it) and a decision (the appeal period runs from its
# delivery) have legal effect: their e-mail cannot be switched off.
ALWAYS_EMAILED = frozenset({Kind.INTERRUPTED, Kind.DECIDED})

# A daily digest is an e-mail only: a copy in the portal every day would bury the rest.
EMAIL_ONLY = frozenset({Kind.OVERDUE_DIGEST})

# Applicants are reminded this many days before a deadline (SPEC §6).
REMINDER_DAYS_BEFORE = (7, 3, 1)
# Caseworkers are reminded this many days before a decision is due (SPEC §6).
DECISION_DUE_DAYS_BEFORE = 7
# A missed interruption deadline is still flagged if the daily job was down for up to this long.
INTERRUPTION_OVERDUE_LOOKBACK_DAYS = 14
# The digest lists at most this many cases; the rest are counted.
OVERDUE_DIGEST_MAX_LISTED = 50
