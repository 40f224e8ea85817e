"""A person's API access: personal access tokens they make, and the OAuth applications they
allowed to act for them (the profile's "API access" page, the admin).

A token is made only in a session that passed the second factor: whoever holds it acts for the
person without a password, so making one asks as much as the strongest log-in the person has.
The whole token is returned once, to be shown once; only its digest is kept. Revocation takes
effect at the next request (``api.authentication`` checks ``revoked_at`` on every request; an
OAuth token revoked here is deleted, so django-oauth-toolkit no longer finds it).

Making and revoking are changes to how the account is protected: each goes to the access log as
``ACCOUNT_SECURITY`` with a ``change`` code, as a password or second-factor change does
(``privacy.receivers.on_security_changed``). The portal sends no e-mail for those changes, so
none is sent for these either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_refresh_token_model,
    refresh_token_expire_timedelta,
)

from api import scopes as api_scopes
from api.models import PersonalAccessToken, token_digest
from core.errors import ApplicationError
from privacy.constants import Action
from privacy.services import record_access

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

# The access log's ``change`` codes, beside accounts.signals.SecurityChange's.
TOKEN_CREATED = "api_token_created"  # noqa: S105 (a name of an event, not a secret)
TOKEN_REVOKED = "api_token_revoked"  # noqa: S105
APPLICATION_REVOKED = "oauth_application_revoked"


class SecondFactorNeeded(ApplicationError):
    default_message = _(
        "A personal access token can be made only after logging in with two-step log-in. "
        "Turn two-step log-in on, then make the token."
    )


class TokenInvalid(ApplicationError):
    default_message = _("The token's name, scopes or validity are not allowed.")


@dataclass(frozen=True)
class NewToken:
    """A token just made: the row, and the whole token, which nothing keeps."""

    token: PersonalAccessToken
    secret: str


def _audit(request: HttpRequest | None, *, user: User, change: str, **detail: Any) -> None:
    # As privacy.receivers.on_security_changed: the account whose protection changed is the
    # object; the actor is whoever is logged in (the owner, or an administrator in the admin).
    signed_in = request is not None and request.user.is_authenticated
    record_access(
        request,
        Action.ACCOUNT_SECURITY,
        actor=None if signed_in else user,
        object_type=user._meta.label_lower,
        object_id=user.pk,
        detail={"change": change, **detail},
    )


# --- Personal access tokens -----------------------------------------------------------------------


def create_token(
    *,
    user: User,
    name: str,
    scopes: list[str] | tuple[str, ...],
    days: int,
    second_factor_verified: bool,
    request: HttpRequest | None = None,
) -> NewToken:
    """Make a personal access token for ``user`` with ``scopes``, valid for ``days`` days.

    ``second_factor_verified`` is whether the session asking passed the second factor
    (django-otp's ``user.is_verified()``); without it nothing is made (``SecondFactorNeeded``).
    The returned ``secret`` is the only copy of the whole token.
    """
    if not second_factor_verified:
        raise SecondFactorNeeded()
    chosen = [scope for scope in api_scopes.ALL if scope in scopes]
    name = name.strip()
    if (
        not name
        or len(chosen) != len(set(scopes))
        or not chosen
        or not 1 <= days <= settings.API_TOKEN_MAX_DAYS
    ):
        raise TokenInvalid()
    prefix, secret = PersonalAccessToken.new_secret()
    now = timezone.now()
    with transaction.atomic():
        token = PersonalAccessToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            digest=token_digest(secret),
            scopes=chosen,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        _audit(
            request, user=user, change=TOKEN_CREATED, token_id=token.pk, scopes=chosen, days=days
        )
    return NewToken(token=token, secret=secret)


def revoke_token(*, token: PersonalAccessToken, request: HttpRequest | None = None) -> bool:
    """Revoke ``token`` from now on. Returns False if it was already revoked (nothing done)."""
    now = timezone.now()
    with transaction.atomic():
        # Conditional, so of two revocations at once exactly one is recorded.
        revoked = PersonalAccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        if not revoked:
            return False
        token.revoked_at = now
        _audit(request, user=token.user, change=TOKEN_REVOKED, token_id=token.pk)
    return True


def tokens_of(*, user: User) -> list[PersonalAccessToken]:
    """The person's tokens, newest first, revoked and expired ones included."""
    return list(PersonalAccessToken.objects.filter(user=user))


def token_of(*, user: User, pk: int) -> PersonalAccessToken | None:
    """The person's token ``pk``; None for anyone else's."""
    return PersonalAccessToken.objects.filter(user=user, pk=pk).select_related("user").first()


# --- OAuth applications ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AllowedApplication:
    """An application the person allowed, with what still works of that consent."""

    application: Any
    scopes: list[str]
    allowed_at: datetime
    # The newest access token's expiry, while one works.
    access_expires: datetime | None
    # Whether it may get new access tokens without asking the person again, and until when
    # (None: no end, when refresh tokens do not age-expire).
    can_renew: bool
    refresh_expires: datetime | None


def applications_allowed_by(*, user: User, now: datetime | None = None) -> list[AllowedApplication]:
    """The applications holding a working access or refresh token of ``user``, newest consent
    first. Three queries whatever the number of applications."""
    now = now or timezone.now()
    access_model = get_access_token_model()
    refresh_model = get_refresh_token_model()
    refresh_life = refresh_token_expire_timedelta()

    by_app: dict[int, dict[str, Any]] = {}

    def entry(application: Any) -> dict[str, Any]:
        return by_app.setdefault(
            application.pk,
            {
                "application": application,
                "scopes": set(),
                "created": [],
                "access": [],
                "refresh": [],
            },
        )

    for access in access_model.objects.filter(
        user=user, application__isnull=False, expires__gt=now
    ).select_related("application"):
        item = entry(access.application)
        item["scopes"] |= set(access.scope.split())
        item["created"].append(access.created)
        item["access"].append(access.expires)

    families: dict[Any, int] = {}
    for refresh in refresh_model.objects.filter(
        user=user, revoked__isnull=True, access_token__isnull=False
    ).select_related("application", "access_token"):
        until = refresh.access_token.expires + refresh_life if refresh_life else None
        if until is not None and until <= now:
            continue
        item = entry(refresh.application)
        item["scopes"] |= set(refresh.access_token.scope.split())
        item["created"].append(refresh.created)
        item["renews"] = True
        if until is not None:
            item["refresh"].append(until)
        if refresh.token_family:
            families[refresh.token_family] = refresh.application_id

    # With rotation each refresh makes new rows; the consent is when the family began.
    if families:
        for family, first in (
            refresh_model.objects.filter(user=user, token_family__in=list(families))
            .order_by()
            .values("token_family")
            .annotate(first=Min("created"))
            .values_list("token_family", "first")
        ):
            by_app[families[family]]["created"].append(first)

    allowed = [
        AllowedApplication(
            application=item["application"],
            scopes=[scope for scope in api_scopes.ALL if scope in item["scopes"]],
            allowed_at=min(item["created"]),
            access_expires=max(item["access"], default=None),
            can_renew=item.get("renews", False),
            refresh_expires=max(item["refresh"], default=None),
        )
        for item in by_app.values()
    ]
    allowed.sort(key=lambda a: a.allowed_at, reverse=True)
    return allowed


def application_of(*, pk: int) -> Any:
    """The registered OAuth application ``pk``, or None."""
    return get_application_model().objects.filter(pk=pk).first()


def revoke_grant(*, user: User, application: Any, request: HttpRequest | None = None) -> int:
    """Withdraw the person's consent to ``application``: its refresh tokens are revoked and its
    access tokens and unused authorization codes for ``user`` deleted, so it can neither act
    nor get new tokens until the person allows it again. Returns how many tokens and codes
    were withdrawn (0: the application held nothing of ``user``'s)."""
    access_model = get_access_token_model()
    refresh_model = get_refresh_token_model()
    grant_model = get_grant_model()
    with transaction.atomic():
        withdrawn = 0
        for refresh in refresh_model.objects.filter(
            user=user, application=application, revoked__isnull=True
        ):
            # The toolkit's own revocation: marks it revoked and deletes its access token.
            refresh.revoke()
            withdrawn += 1
        deleted, _by_model = access_model.objects.filter(
            user=user, application=application
        ).delete()
        withdrawn += deleted
        deleted, _by_model = grant_model.objects.filter(user=user, application=application).delete()
        withdrawn += deleted
        if withdrawn:
            _audit(
                request,
                user=user,
                change=APPLICATION_REVOKED,
                client_id=application.client_id,
            )
    return withdrawn
