"""Registering an organisation, its verification by the office, and its members.

Each change writes an ``OrganisationEvent`` in the same transaction. A member's leaving takes
effect at once: access is read from current memberships on every request
(``organisations.selectors``), so nothing is cached to be cleared.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotPermitted, TransitionRefused
from organisations.constants import EventKind, Kind, Role
from organisations.models import Membership, Organisation, OrganisationEvent
from organisations.validators import normalise_ico, validate_ico


def _log(organisation: Organisation, kind: str, actor: Any, member: Any = None) -> None:
    OrganisationEvent.objects.create(
        organisation=organisation, kind=kind, actor=actor, member=member
    )


def is_admin(organisation: Organisation, user: Any) -> bool:
    return Membership.objects.filter(
        organisation=organisation, user=user, role=Role.ADMIN, left_at__isnull=True
    ).exists()


@transaction.atomic
def organisation_register(*, user: Any, name: str, ico: str, kind: str) -> Organisation:
    """A person registers their organisation and becomes its first administrator. It acts for
    nobody until the office verifies it (``organisation_verify``)."""
    if user.is_staff_member:
        raise NotPermitted(_("Office staff do not register organisations."))
    number = normalise_ico(ico)
    validate_ico(number)
    if not name.strip():
        raise ValidationError(_("Enter the organisation's name."), code="name")
    if kind not in Kind.values:
        raise ValidationError(_("Choose the kind of organisation."), code="kind")
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name=name.strip(), ico=number, kind=kind, registered_by=user
            )
    except IntegrityError:
        raise ValidationError(
            _(
                "An organisation with this IČO is registered already: ask its administrator to "
                "add you."
            ),
            code="ico_taken",
        ) from None
    Membership.objects.create(organisation=organisation, user=user, role=Role.ADMIN)
    _log(organisation, EventKind.REGISTERED, user, member=user)
    return organisation


@transaction.atomic
def organisation_verify(*, organisation: Organisation, actor: Any) -> Organisation:
    """The office confirms the organisation is who it says (its IČO against the register and
    its administrator's authority); from then on it can hold powers of attorney."""
    if not actor.has_perm("organisations.verify_organisation"):
        raise NotPermitted()
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.verified_at is not None:
        raise TransitionRefused(_("This organisation is verified already."))
    locked.verified_at = timezone.now()
    locked.verified_by = actor
    locked.save(update_fields=["verified_at", "verified_by"])
    _log(locked, EventKind.VERIFIED, actor)
    return locked


@transaction.atomic
def member_add(
    *, organisation: Organisation, actor: Any, user: Any, role: str = Role.MEMBER
) -> Membership:
    """An administrator of the organisation adds a person with an account."""
    if not is_admin(organisation, actor):
        raise NotPermitted()
    if user.is_staff_member:
        raise NotPermitted(_("Office staff cannot be members of an organisation."))
    if role not in Role.values:
        raise ValidationError(_("Choose a role."), code="role")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(organisation=organisation, user=user, role=role)
    except IntegrityError:
        raise TransitionRefused(_("This person is a member already.")) from None
    _log(organisation, EventKind.MEMBER_ADDED, actor, member=user)
    return membership


@transaction.atomic
def member_leave(*, membership: Membership, actor: Any) -> Membership:
    """The member leaves, or an administrator removes them: their access ends at once. The
    last administrator cannot leave (someone must be able to add the next)."""
    # The organisation's row first: two administrators leaving at once are taken one after
    # the other, so the second sees that the first has gone (the last one cannot leave).
    Organisation.objects.select_for_update().get(pk=membership.organisation_id)
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    # Permission before state: an outsider learns nothing of a membership.
    if actor.pk != locked.user_id and not is_admin(locked.organisation, actor):
        raise NotPermitted()
    if locked.left_at is not None:
        raise TransitionRefused(_("This person is no longer a member."))
    if locked.role == Role.ADMIN:
        others = Membership.objects.filter(
            organisation_id=locked.organisation_id, role=Role.ADMIN, left_at__isnull=True
        ).exclude(pk=locked.pk)
        if not others.exists():
            raise TransitionRefused(
                _(
                    "The last administrator cannot leave: make another member an administrator "
                    "first."
                )
            )
    locked.left_at = timezone.now()
    locked.save(update_fields=["left_at"])
    _log(locked.organisation, EventKind.MEMBER_LEFT, actor, member=locked.user)
    return locked
