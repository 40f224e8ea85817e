from django.db import models
from django.utils.translation import gettext_lazy as _


class Verification(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Role(models.TextChoices):
    """What a document is in the file."""

    EVIDENCE = "evidence", _("Evidence from the applicant")
    DECISION = "decision", _("Decision")
    LETTER = "letter", _("Letter from the office")
    APPEAL = "appeal", _("Appeal attachment")
    # doručenka: the signed receipt of a decision delivered by post or in person (SPEC D3)
    DELIVERY_RECEIPT = "delivery", _("Proof of delivery")
    # plná moc: a signed power of attorney a representative filed; it counts once verified.
    POWER_OF_ATTORNEY = "power", _("Power of attorney")


ALLOWED_CONTENT_TYPES = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}
