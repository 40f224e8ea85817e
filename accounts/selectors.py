"""Reads about accounts and the people an account holds, shared by views and services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from accounts.tokens import email_verification_token
from applications.constants import Relation
from applications.models import Applicant

if TYPE_CHECKING:
    from django.db.models import QuerySet

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


def self_applicant_for_user(*, user: User) -> Applicant | None:
    """The account holder's own applicant record, once they have saved their personal data."""
    return Applicant.objects.filter(account=user, relation=Relation.SELF).first()


def children_for_user(*, user: User) -> QuerySet[Applicant]:
    """The minor children the account holder represents (never another account's)."""
    return Applicant.objects.filter(account=user, relation=Relation.CHILD).order_by(
        "date_of_birth", "given_names"
    )
