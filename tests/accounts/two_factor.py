"""Second-factor helpers for tests: devices, codes, verified sessions and a real log-in.

``force_login`` on any test client already verifies staff sessions (tests/conftest.py); use
these to go through the steps a person takes.
"""

from __future__ import annotations

import time

from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

TEST_PASSWORD = "password-for-tests"  # UserFactory's


def totp_device_for(user: User) -> TOTPDevice:
    """The user's confirmed authenticator app, made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device


def totp_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code the app shows now (or at the Unix time ``at``), as a person would type it."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def verify_session(client: Client, user: User) -> TOTPDevice:
    """Mark the client's logged-in session as verified by the user's authenticator app."""
    device = totp_device_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def log_in_with_code(client: Client, user: User, *, password: str = TEST_PASSWORD, **extra):
    """Log in as a person does: the password, then a code from the app. Returns the answer
    to the code. A code works once: a second log-in in the same 30 seconds needs the clock
    moved on (time_machine)."""
    device = totp_device_for(user)
    client.post(reverse("accounts:login"), {"username": user.email, "password": password}, **extra)
    return client.post(reverse("accounts:two_factor_verify"), {"code": totp_code(device)}, **extra)
