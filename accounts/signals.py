"""Changes to how an account is protected, for the access log to hear.

Sent by the views (they know the request, hence the address) and the admin; ``privacy`` listens.
The accounts app does not depend on the privacy app.
"""

from __future__ import annotations

from django.db import models
from django.dispatch import Signal


class SecurityChange(models.TextChoices):
    # Names of events, not passwords (S105).
    SECOND_FACTOR_ON = "second_factor_on"
    SECOND_FACTOR_OFF = "second_factor_off"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105
    PASSWORD_RESET = "password_reset"  # noqa: S105
    DEACTIVATED = "deactivated"


# Arguments: request (HttpRequest or None), user (the account changed), change (SecurityChange).
security_changed = Signal()
