"""Reads about accounts, shared by views and services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import STAFF_ROLES
from accounts.tokens import email_verification_token

if TYPE_CHECKING:
    from django_otp.models import Device

    from accounts.models import User


def user_is_awaiting_verification(user: User) -> bool:
    """Whether ``user`` signed up (and consented) and has not yet opened the verification link.

    Accounts created by staff have no sign-up consent, and an account deactivated after it was
    verified keeps ``email_verified_at``: neither can be re-activated through a verification
    e-mail.
    """
    return (
        not user.is_active
        and user.email_verified_at is None
        and user.consent_given_at is not None
        and not user.is_staff
    )


def user_awaiting_verification(*, email: str) -> User | None:
    """The account signed up with ``email`` (any letter case) that still waits for verification."""
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None or not user_is_awaiting_verification(user):
        return None
    return user


def user_from_verification_link(*, uidb64: str, token: str) -> User | None:
    """The account a verification link is for; ``None`` if the link is forged, expired or used."""
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = get_user_model().objects.get(pk=pk)
    except (TypeError, ValueError, OverflowError, get_user_model().DoesNotExist):
        return None
    if not user_is_awaiting_verification(user):
        return None
    if not email_verification_token.check_token(user, token):
        return None
    return user


# --- Second factor --------------------------------------------------------------------------------


def second_factor_required(user: User) -> bool:
    """Whether ``user`` must give a one-time code after the password.

    Staff always must; an applicant must once they have turned a second factor on. One query,
    as the middleware asks on every request of a session not yet verified.
    """
    if user.is_staff or user.is_superuser:
        return True
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(
            Q(groups__name__in=STAFF_ROLES)
            | Q(totpdevice__confirmed=True)
            | Q(emaildevice__confirmed=True)
        )
        .exists()
    )


def second_factor_device(user: User) -> TOTPDevice | EmailDevice | None:
    """The device ``user`` proves the second factor with: their authenticator app, else e-mail."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
        or EmailDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    )


def recovery_device(user: User) -> StaticDevice | None:
    """The recovery codes of ``user``, for when the authenticator app is lost."""
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user: User) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device is not None else 0


def device_for_code(user: User, code: str) -> Device | None:
    """The device a code typed in at the second step is for.

    Six digits come from the app or the e-mail; anything else can only be a recovery code.
    """
    if code.isdigit() and len(code) == 6:
        return second_factor_device(user)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return recovery_device(user)
    return None
