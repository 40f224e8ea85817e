"""The token in the e-mail verification link.

We use a subclass of Django's ``PasswordResetTokenGenerator`` rather than a hand-made signature:
it is the mechanism Django's own password reset relies on, so it is reviewed and maintained
upstream; it compares in constant time, honours ``SECRET_KEY_FALLBACKS`` when the key is
rotated, expires after ``settings.PASSWORD_RESET_TIMEOUT`` (3 days by default), and it needs no
table: the token is a keyed hash over the account's state, so it stops working by itself once
that state changes. A ``TimestampSigner`` would expire but stay valid until then, and making it
single-use would need a stored "used" flag.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.tokens import PasswordResetTokenGenerator

if TYPE_CHECKING:
    from accounts.models import User


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    # Its own salt, so a password-reset token is never accepted as a verification token.
    key_salt = "accounts.tokens.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        # ``is_active`` flips when the link is used and ``last_login`` is set by the log-in that
        # follows, so a used link no longer matches: the token is single-use.
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


email_verification_token = EmailVerificationTokenGenerator()
