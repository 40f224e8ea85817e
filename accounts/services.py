"""Every write about accounts: sign-up, verification, language, second factor, staff, sessions.

Mail is sent here, after the write has committed, never from a signal (house style).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import django_otp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.functional import Promise
from django.utils.http import urlsafe_base64_encode
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.forms import otp_verification_failed
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import selectors
from accounts.constants import Language, Role
from accounts.mail import send_to_user
from accounts.roles import STAFF_ROLES
from accounts.tokens import email_verification_token
from core import outbox

if TYPE_CHECKING:
    from django_otp.models import Device

    from accounts.models import User


class AccountError(Exception):
    """A refusal a person can cause, with a message fit to show them."""

    default_message = _("This action is not possible.")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class CodeRefused(AccountError):
    default_message = _(
        "This code is not right. Codes can be used only once: wait for a new one and try again."
    )

    @classmethod
    def for_device(cls, device: Device) -> CodeRefused:
        """The refusal, telling how long to wait when wrong codes have slowed checking down."""
        device.refresh_from_db()
        allowed, details = device.verify_is_allowed()
        if allowed:
            return cls()
        seconds = int((details["locked_until"] - timezone.now()).total_seconds()) + 1
        if seconds < 2:
            return cls()
        return cls(
            ngettext(
                "This code is not right. After several wrong codes, wait %(seconds)d second "
                "before you try again.",
                "This code is not right. After several wrong codes, wait %(seconds)d seconds "
                "before you try again.",
                seconds,
            )
            % {"seconds": seconds}
        )


class CodeNotSentYet(AccountError):
    default_message = _(
        "We sent you a code less than a minute ago. Wait a moment for it, or ask for a new one "
        "after a minute."
    )


class VerificationLinkInvalid(AccountError):
    default_message = _(
        "This verification link cannot be used: it has already been used, it has expired, or it "
        "was copied incompletely."
    )


# --- Sign-up and verification ---------------------------------------------------------------------


def _absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def verification_email_send(*, user: User, base_url: str) -> None:
    """Send ``user`` the link that proves they own their e-mail address and activates the account.

    ``base_url`` is the site's scheme and host (``https://portal.example``), for the link.
    """
    path = reverse(
        "accounts:verify",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_verification_token.make_token(user),
        },
    )
    send_to_user(user=user, name="verify", context={"verify_url": _absolute(base_url, path)})


def _existing_account_email_send(*, user: User, base_url: str) -> None:
    send_to_user(
        user=user,
        name="existing_account",
        context={
            "login_url": _absolute(base_url, reverse("accounts:login")),
            "password_reset_url": _absolute(base_url, reverse("accounts:password_reset")),
        },
    )


def user_signup(
    *, email: str, password: str, preferred_language: str, base_url: str
) -> User | None:
    """Open an applicant account for ``email`` and send the verification e-mail.

    The account stays inactive until its holder opens the link in that e-mail. If the address
    already has an account, nothing is created: its holder gets a note that someone tried to sign
    up with their address (or, if they never verified, the verification e-mail again). The caller
    shows the same answer either way, so sign-up does not tell who has an account.

    Returns the new account, or ``None`` when the address was already taken.
    """
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email.strip()).lower()
    existing = user_model.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = user_model.objects.create_user(
                    email=email,
                    password=password,
                    is_active=False,
                    preferred_language=preferred_language,
                    # The sign-up form cannot be sent without the consent box ticked.
                    consent_given_at=timezone.now(),
                )
                user.groups.add(Group.objects.get(name=Role.APPLICANT))
        except IntegrityError:
            # Someone signed up with the same address at the same moment: theirs won.
            existing = user_model.objects.get(email__iexact=email)
        else:
            # After the commit, so a rolled-back sign-up never sends a link.
            verification_email_send(user=user, base_url=base_url)
            return user
    else:
        # Hash the password anyway, so a taken address does not answer measurably faster.
        make_password(password)

    if selectors.user_is_awaiting_verification(existing):
        verification_email_send(user=existing, base_url=base_url)
    else:
        _existing_account_email_send(user=existing, base_url=base_url)
    return None


def password_reset_request(*, email: str, base_url: str) -> None:
    """Someone asked for a link to set a new password for ``email``.

    The e-mail is recorded in the outbox and sent by a worker, and the same work is done whether
    or not an account has the address (one look-up, one outbox row), so neither the answer nor
    how long it takes tells anyone whether the address has an account.
    """
    user = (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True)
        .only("pk", "password")
        .first()
    )
    user_id = user.pk if user is not None and user.has_usable_password() else None
    with transaction.atomic():
        outbox.enqueue(
            topic="accounts.password_reset_mail",
            payload={"user_id": user_id, "base_url": base_url},
        )


def password_reset_mail_send(*, user_id: int | None, base_url: str) -> None:
    """Send the password-reset link, in the account holder's language (outbox handler).

    The link is made now, so it is valid for ``PASSWORD_RESET_TIMEOUT`` from sending; nothing is
    sent for an unknown address, nor for an account closed or without a password meanwhile.
    """
    if user_id is None:
        return
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    protocol, _sep, domain = base_url.rstrip("/").partition("://")
    send_to_user(
        user=user,
        name="password_reset",
        context={
            "email": user.email,
            "protocol": protocol,
            "domain": domain,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def user_verification_resend(*, email: str, base_url: str) -> None:
    """Send the verification e-mail again if ``email`` has an account waiting for verification.

    Sends nothing otherwise; the caller answers the same either way.
    """
    user = selectors.user_awaiting_verification(email=email)
    if user is not None:
        verification_email_send(user=user, base_url=base_url)


def user_verify(*, uidb64: str, token: str) -> User:
    """Activate the account a verification link is for: the holder has proved the address is theirs.

    A link works once. Raises ``VerificationLinkInvalid`` for a forged, expired or used link.
    """
    user = selectors.user_from_verification_link(uidb64=uidb64, token=token)
    if user is None:
        raise VerificationLinkInvalid()
    # A conditional update, so of two clicks at the same moment exactly one activates.
    now = timezone.now()
    activated = (
        get_user_model()
        .objects.filter(pk=user.pk, is_active=False, email_verified_at__isnull=True)
        .update(is_active=True, email_verified_at=now)
    )
    if not activated:
        raise VerificationLinkInvalid()
    user.is_active, user.email_verified_at = True, now
    return user


# --- Language ------------------------------------------------------------------------------------


def user_language_update(*, user: User, language: str) -> User:
    """Remember the language ``user`` reads the portal and their e-mails in (SPEC §7).

    Raises ``ValidationError`` for a language the portal does not offer.
    """
    if language not in Language.values:
        raise ValidationError({"preferred_language": _("Choose one of the languages offered.")})
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return user


# --- Second factor --------------------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10
# Names the devices are listed under in the admin.
APP_DEVICE_NAME = "Authenticator app"
EMAIL_DEVICE_NAME = "Codes by e-mail"
RECOVERY_DEVICE_NAME = "Recovery codes"


def normalize_code(code: str) -> str:
    """A code as typed, without the spaces and dashes people add, in lower case."""
    return "".join(code.split()).replace("-", "").lower()


def second_factor_check(*, user: User, device: Device, code: str) -> Device:
    """Check a one-time code from ``device``; each code works once.

    An app's code is refused once a code of the same or a later 30-second step has been used
    (django-otp keeps the last step used); an e-mail or recovery code is deleted when used.
    Every wrong code doubles the wait before the next one is checked. Raises ``CodeRefused``.
    """
    # ``verify_token`` locks the device row, so two requests cannot both use one code.
    verified = django_otp.verify_token(user, device.persistent_id, normalize_code(code))
    if verified is None:
        # django-otp's own signal for a wrong code, as its forms send it (the audit hears it).
        otp_verification_failed.send(sender=__name__, user=user)
        raise CodeRefused.for_device(device)
    return verified


def app_device_start(*, user: User) -> TOTPDevice:
    """An authenticator app for ``user`` to set up: a new secret, unused until confirmed.

    Coming back to the page gives the same secret, so a QR code already scanned stays right.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def app_device_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Turn on the authenticator app ``device`` once ``user`` has typed in a code from it.

    The app replaces any earlier app and codes by e-mail. Returns new recovery codes, to be
    shown once. Raises ``CodeRefused``.
    """
    with transaction.atomic():
        second_factor_check(user=user, device=device, code=code)
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        EmailDevice.objects.filter(user=user).delete()
        return recovery_codes_renew(user=user)


def email_device_start(*, user: User) -> EmailDevice:
    """Codes by e-mail for ``user``, unused until they have typed in the first code sent."""
    device = EmailDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = EmailDevice.objects.create(user=user, name=EMAIL_DEVICE_NAME, confirmed=False)
    return device


def email_code_send(*, device: EmailDevice) -> None:
    """Send a new one-time code to the device's holder, in their language.

    The code works once, for ``OTP_EMAIL_TOKEN_VALIDITY`` seconds; a new code replaces the last.
    Raises ``CodeNotSentYet`` if the last one went out less than a minute ago.
    """
    with transaction.atomic():
        device = EmailDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _details = device.generate_is_allowed()
        if not allowed:
            raise CodeNotSentYet()
        device.cooldown_set(commit=False)
        device.generate_token(valid_secs=settings.OTP_EMAIL_TOKEN_VALIDITY, commit=True)
        user = device.user
        context = {
            "code": device.token,
            "valid_minutes": max(1, settings.OTP_EMAIL_TOKEN_VALIDITY // 60),
        }
        # After the commit, so a rolled-back request never sends a code that does not work.
        transaction.on_commit(lambda: send_to_user(user=user, name="login_code", context=context))


def email_device_confirm(*, user: User, device: EmailDevice, code: str) -> None:
    """Turn on codes by e-mail once ``user`` has typed in the first code sent.

    They replace an authenticator app and its recovery codes. Raises ``CodeRefused``.
    """
    with transaction.atomic():
        second_factor_check(user=user, device=device, code=code)
        EmailDevice.objects.filter(pk=device.pk).update(confirmed=True)
        EmailDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes for ``user``; the old ones stop working. Each code works once."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": RECOVERY_DEVICE_NAME}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_disable(*, user: User) -> None:
    """Turn off an applicant's second factor: from now on the password alone logs them in.

    Staff cannot: they always log in with a second factor.
    """
    if user.is_staff_member:
        raise AccountError(_("Staff accounts always log in with a second factor."))
    with transaction.atomic():
        for model in (TOTPDevice, EmailDevice, StaticDevice):
            model.objects.filter(user=user).delete()


# --- Staff accounts -------------------------------------------------------------------------------


def staff_user_create(
    *,
    email: str,
    password: str,
    role: str,
    first_name: str,
    last_name: str,
    job_title: str,
    preferred_language: str = Language.CS,
) -> User:
    """Open an account for a member of the office's staff (``manage.py create_staff_user``).

    The account is active at once; its holder sets up an authenticator app at the first log-in,
    as every staff member must. An administrator also gets the back office (``is_staff``,
    ``is_superuser``). The password must pass the password validators. Raises
    ``ValidationError`` for a weak password, and ``AccountError`` for an unknown role, a missing
    name, surname or function, or an address that already has an account (which is left as it
    is).
    """
    first_name, last_name, job_title = first_name.strip(), last_name.strip(), job_title.strip()
    # Decisions and resolutions are signed with the official's name, surname and function
    # (Administrative Procedure Code § 69(1), outside the seeds).
    if not (first_name and last_name and job_title):
        raise AccountError(_("Give the staff member's name, surname and function."))
    if role not in STAFF_ROLES:
        raise AccountError(
            _("%(role)s is not a staff role; choose one of: %(roles)s.")
            % {"role": role, "roles": ", ".join(sorted(STAFF_ROLES))}
        )
    if preferred_language not in Language.values:
        raise AccountError(_("Choose one of the languages offered."))
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email.strip()).lower()
    is_admin = role == Role.ADMIN
    user = user_model(
        email=email,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title,
        preferred_language=preferred_language,
        is_staff=is_admin,
        is_superuser=is_admin,
    )
    # The validators compare the password with the address and the names, as at sign-up.
    validate_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            if user_model.objects.filter(email__iexact=email).exists():
                raise AccountError(_("An account with this e-mail address exists already."))
            user.full_clean(exclude=["password"])
            user.save()
            user.groups.add(Group.objects.get(name=role))
    except IntegrityError as error:
        raise AccountError(_("An account with this e-mail address exists already.")) from error
    return user


# --- Sessions -------------------------------------------------------------------------------------


def user_sessions_end(*, user: User) -> int:
    """End every session of ``user``, on every device; returns how many ended.

    Used when an account is deactivated. Django already treats a deactivated account's
    sessions as logged out; deleting them means re-activating the account does not bring them
    back. Only sessions kept in the database can be found by account; with a cache-only session
    engine this deletes nothing and the deactivation alone ends them.
    """
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    if not issubclass(store, DatabaseSessionStore):
        return 0
    ended = 0
    sessions = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
    for session in sessions.iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended
