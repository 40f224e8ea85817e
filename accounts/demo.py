"""Second factors of the demo staff accounts, for trying the portal locally (``make run``).

Only the demo seeder calls this; no other account ever gets these keys. Staff log in with a
password and a code from an authenticator app. The demo keys are fixed, so an app set up once
keeps working after the database is made again. To log in as demo staff, either print the
code of the moment::

    DJANGO_DEBUG=1 .venv/bin/python manage.py demo_totp caseworker1@example.com

or add the account's key below to an authenticator app (time-based, SHA-1, six digits, 30 s).
A code works once: a second log-in needs the next code, up to 30 seconds later.

Like the demo accounts' password, the keys are published here, so they exist only in a debug
run (``DEMO_DATA_ENABLED``, on with DJANGO_DEBUG): otherwise everything here refuses, and a
production database never holds a staff account whose second factor anyone can compute.
"""

from __future__ import annotations

from base64 import b32decode
from collections.abc import Iterable

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.services import APP_DEVICE_NAME

# Base32, as authenticator apps take them.
DEMO_TOTP_KEYS: dict[str, str] = {
    "admin@example.com": "ADMINDEMOSECRETAAAAAAAAAAAAAAAAA",
    "supervisor@example.com": "SUPERVISORDEMOSECRETAAAAAAAAAAAA",
    "caseworker1@example.com": "CASEWORKERONEDEMOSECRETAAAAAAAAA",
    "caseworker2@example.com": "CASEWORKERTWODEMOSECRETAAAAAAAAA",
    "support@example.com": "SUPPORTDEMOSECRETAAAAAAAAAAAAAAA",
}


class DemoDataDisabled(Exception):
    """Demo accounts or their keys were asked for outside a debug run."""

    def __init__(self) -> None:
        super().__init__(
            "the demo accounts exist only with DJANGO_DEBUG=1: their password and second-factor "
            "keys are published, so they must never exist in production. Nothing was changed; "
            "a real staff account is made with `manage.py create_staff_user` (README)."
        )


def demo_data_check() -> None:
    """Raise ``DemoDataDisabled`` unless demo data is enabled (a debug run, or a test)."""
    if not settings.DEMO_DATA_ENABLED:
        raise DemoDataDisabled()


def demo_key_hex(email: str) -> str | None:
    """The demo key of ``email`` as django-otp stores it (hex), or ``None`` for other accounts."""
    demo_data_check()
    key = DEMO_TOTP_KEYS.get(email.lower())
    return b32decode(key).hex() if key is not None else None


def demo_second_factors_ensure(*, users: Iterable[User]) -> None:
    """Give each demo staff account among ``users`` its authenticator app (idempotent)."""
    demo_data_check()
    for user in users:
        key = demo_key_hex(user.email)
        if key is not None:
            TOTPDevice.objects.update_or_create(
                user=user, name=APP_DEVICE_NAME, defaults={"key": key, "confirmed": True}
            )
