from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """The seven states of an application's proceedings (SPEC §2). The values are a contract."""

    DRAFT = "draft", _("Draft")
    FILED = "filed", _("Filed")
    # přerušení řízení: the decision clock is halted [002]
    INTERRUPTED = "interrupted", _("Interrupted")
    DECIDED = "decided", _("Decided")
    APPEALED = "appealed", _("Appealed")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States in which proceedings run and the office has work to do.
OPEN_STATUSES = (Status.FILED, Status.INTERRUPTED, Status.APPEALED)
# States that carry a decision outcome.
DECIDED_STATUSES = (Status.DECIDED, Status.APPEALED, Status.CLOSED)


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REJECTED = "rejected", _("Rejected")
    # zastavení řízení: proceedings stopped after a missed interruption deadline [002]
    STOPPED = "stopped", _("Proceedings stopped")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person at a support centre")
    EMBASSY = "embassy", _("At an embassy")


class Delivery(models.TextChoices):
    """How the decision reaches the person (SPEC D3). In the portal it is delivered on the first
    opening or by the 10-day rule (fikce doručení); by post or in person, on the day of receipt
    the caseworker records with its proof (doručenka). A person without a portal account is
    never delivered to in the portal."""

    PORTAL = "portal", _("In the portal")
    POST = "post", _("By post to the address")
    IN_PERSON = "in_person", _("In person at the office")


class AppealResult(models.TextChoices):
    DISMISSED = "dismissed", _("Appeal dismissed, decision confirmed")
    CHANGED = "changed", _("Decision changed by the appellate body")
    RETURNED = "returned", _("Returned for new proceedings")


class Remedy(models.TextChoices):
    """The remedy a decision allows (SPEC §2 ``appeal``): a permit's decision is appealed within
    15 days of delivery (Administrative Procedure Code § 83, outside the seeds) [002]; a refused
    long-term visa allows only a request to re-assess the reasons, within 15 days, answered
    within 60 days [003]. ``appealed`` stands for either; the record carries its kind."""

    APPEAL = "appeal", _("Appeal")
    REASSESSMENT = "reassessment", _("Request for re-assessment of the reasons for refusal")
    NONE = "none", _("No remedy")


class ExtensionResult(models.TextChoices):
    """The caseworker's answer to a request for more time to supply documents (Administrative
    Procedure Code § 39(2), outside the seeds)."""

    GRANTED = "granted", _("New deadline granted")
    REFUSED = "refused", _("Request refused")


class InterruptionEnd(models.TextChoices):
    RESUMED = "resumed", _("Proceedings resumed")
    STOPPED = "stopped", _("Proceedings stopped")
    WITHDRAWN = "withdrawn", _("Application withdrawn")


class ChangeKind(models.TextChoices):
    """What a change reported after filing is about (oznámení změny údajů): the periods to report
    it differ [003]."""

    PERSONAL_DATA = "data", _("Personal data")
    ADDRESS = "address", _("Address")


# D6 [003]: "Any changes to your data must be reported to the office within three days. The
# general deadline for reporting a change of address is longer - it is 30 days."
REPORT_PERIOD_DAYS = {ChangeKind.PERSONAL_DATA: 3, ChangeKind.ADDRESS: 30}
# A reported change takes at most this many documents (its page's body limit has room for them:
# config/middleware.py UPLOAD_URLS).
CHANGE_REPORT_MAX_ATTACHMENTS = 3
# A reported address is free text: bounded, as a form field is.
ADDRESS_MAX_LENGTH = 1000


class Relation(models.TextChoices):
    """How an applicant record relates to the account that manages it."""

    SELF = "self", _("The account holder")
    CHILD = "child", _("A child the account holder represents")


class PowerScope(models.TextChoices):
    """What a power of attorney covers (Administrative Procedure Code § 33, outside the seeds:
    a power may be given for one proceeding or generally)."""

    CASE = "case", _("One application")
    PERMIT_TYPE = "permit_type", _("Applications for one permit type")
    ALL = "all", _("All proceedings")


class PowerSource(models.TextChoices):
    ONLINE = "online", _("Granted in the portal, confirmed with the second factor")
    PAPER = "paper", _("Signed power of attorney, uploaded")


class PowerEventKind(models.TextChoices):
    GRANTED = "granted", _("Granted in the portal")
    UPLOADED = "uploaded", _("Signed power of attorney uploaded")
    VERIFIED = "verified", _("Verified by the office")
    REFUSED = "refused", _("Refused by the office")
    ENDED = "ended", _("Ended")
