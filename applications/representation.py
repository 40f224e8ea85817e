"""Powers of attorney: given online by the person (with their second factor), ended by either
side, and the selectors that say who represents whom (SPEC §1; Administrative Procedure Code
§§ 33 and 34, outside the seeds).

Every step writes a ``PowerOfAttorneyEvent`` in the same transaction. Whether a power counts is
read on every request (``PowerOfAttorneyQuerySet.effective`` and ``held_by``): an end, a refusal
or a member's leaving takes effect at once, with nothing cached to clear.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Exists, F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.case_documents import case_document_store, inspect_upload
from applications.constants import PowerEventKind, PowerScope, PowerSource, Status
from applications.models import (
    Applicant,
    Application,
    Decision,
    PowerOfAttorney,
    PowerOfAttorneyEvent,
)
from applications.query import powers_covering, powers_held, represented
from core import clock
from core.errors import ApplicationError, NotPermitted, TransitionRefused
from documents.constants import Role as DocumentRole
from encryption.crypto import blind_index
from organisations.models import Membership, Organisation
from organisations.services import is_admin
from permits.models import Permit

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User
    from permits.models import PermitType


class SecondFactorNeeded(ApplicationError):
    default_message = gettext_lazy(
        "A power of attorney is given only after logging in with two-step log-in. Turn "
        "two-step log-in on, then give it."
    )


class PowerInvalid(ApplicationError):
    default_message = gettext_lazy("This power of attorney cannot be given as it stands.")


def _log(power: PowerOfAttorney, kind: str, actor: User, note: str = "") -> None:
    PowerOfAttorneyEvent.objects.create(power=power, kind=kind, actor=actor, note=note)


# --- Who represents whom ----------------------------------------------------------------------


def represents(application: Application, user: User) -> bool:
    """Whether ``user`` acts for the person in ``application`` under a power counting today."""
    return Application.objects.filter(represented(user), pk=application.pk).exists()


def may_start(applicant: Applicant, permit_type: PermitType, user: User) -> bool:
    """Whether ``user`` may start an application of ``permit_type`` for ``applicant``: their
    own record (or their child's), support staff for anyone, or a representative whose power
    covers all the person's proceedings or that permit type."""
    if applicant.account_id is not None and applicant.account_id == user.pk:
        return True
    if user.has_perm("applications.file_on_behalf") or user.is_superuser:
        return True
    return (
        powers_held(user)
        .filter(applicant=applicant)
        .filter(Q(scope=PowerScope.ALL) | Q(scope=PowerScope.PERMIT_TYPE, permit_type=permit_type))
        .exists()
    )


def representation_of(application: Application) -> list[PowerOfAttorney]:
    """The powers counting today that cover the case, with their holders: for the caseworker's
    page and for delivery (D3)."""
    powers = powers_covering(application).select_related(
        "organisation", "representative", "document"
    )
    return list(powers.order_by("created_at", "pk"))


def delivers_to(application: Application, user: User) -> bool:
    """Whether ``user`` opening the case's decision in the portal is its delivery (D3). While a
    power of attorney covers the case, delivery is to the representative: only a holder's
    opening delivers, the person's does not (SPEC D3; Administrative Procedure Code § 34(2),
    outside the seeds). Otherwise the person's own opening, when the portal delivers to them;
    support staff printing a decision never deliver it."""
    covering = powers_covering(application)
    if covering.exists():
        # One query whatever the number of powers: the same rule as access (``held_by``).
        return covering.held_by(user).exists()
    if application.applicant.account_id != user.pk:
        return False
    # Delivered by post or in person: on the day of receipt, recorded with its proof
    # (``decision_record_receipt``), not by reading it in the portal (D3).
    return application.delivers_in_portal


# --- An organisation's view --------------------------------------------------------------------

# Permits ending within this many days are listed for the organisation to file the extension in
# time: an extension is filed while the permit is still valid (Act No. 326/1999 Coll. § 44a,
# outside the seeds), and 120 days leaves room for gathering the documents.
EXPIRY_WARNING_DAYS = 120


def organisation_cases(organisation: Organisation, *, today: date) -> list[Application]:
    """The cases the organisation's powers cover today, the most urgent statutory deadline
    first, then the newest. One query, with the applicant and the type."""
    powers = PowerOfAttorney.objects.effective(today).filter(organisation=organisation)
    return list(
        Application.objects.filter(Exists(powers.covering()))
        .select_related("applicant", "permit_type")
        # What next_step reads, as the dashboard prefetches it: no query per case.
        .prefetch_related(
            "interruptions",
            Prefetch("decisions", queryset=Decision.objects.select_related("appeal")),
        )
        .order_by(F("decision_due").asc(nulls_last=True), "-created_at", "-pk")
    )


def expiring_permits(
    organisation: Organisation, *, today: date, days: int = EXPIRY_WARNING_DAYS
) -> list[Permit]:
    """The permits of the people the organisation represents whose validity ends within
    ``days`` days from today (today and the last day included; working days play no part:
    validity is in calendar days). Soonest first."""
    powers = PowerOfAttorney.objects.effective(today).filter(organisation=organisation)
    return list(
        Permit.objects.filter(
            Exists(powers.covering("application__")),
            valid_to__gte=today,
            valid_to__lte=today + timedelta(days=days),
        )
        .select_related("holder", "permit_type", "application")
        .order_by("valid_to", "pk")
    )


# --- Giving and ending ------------------------------------------------------------------------


@transaction.atomic
def power_grant(
    *,
    applicant: Applicant,
    actor: User,
    second_factor_verified: bool,
    scope: str,
    valid_from: date,
    valid_to: date | None = None,
    organisation: Organisation | None = None,
    representative: User | None = None,
    application: Application | None = None,
    permit_type: PermitType | None = None,
) -> PowerOfAttorney:
    """The person (the account holding their record) gives a power of attorney online. It
    counts at once, confirmed by the second factor of the session that gave it."""
    if applicant.account_id is None or applicant.account_id != actor.pk:
        raise NotPermitted()
    if not second_factor_verified:
        raise SecondFactorNeeded()
    if (organisation is None) == (representative is None):
        raise PowerInvalid(_("Choose one organisation or one person to represent you."))
    if organisation is not None and not organisation.is_verified:
        raise PowerInvalid(_("The office has not verified this organisation yet."))
    if representative is not None and (
        representative.pk == actor.pk or representative.is_staff_member
    ):
        raise PowerInvalid(_("This person cannot represent you."))
    if scope == PowerScope.CASE:
        if application is None or application.applicant_id != applicant.pk:
            raise PowerInvalid(_("Choose one of your applications."))
        permit_type = None
    elif scope == PowerScope.PERMIT_TYPE:
        if permit_type is None:
            raise PowerInvalid(_("Choose the permit type."))
        application = None
    elif scope == PowerScope.ALL:
        application = permit_type = None
    else:
        raise PowerInvalid(_("Choose what the power of attorney covers."))
    if valid_from < clock.today():
        raise PowerInvalid(_("A power of attorney cannot start in the past."))
    if valid_to is not None and valid_to < valid_from:
        raise PowerInvalid(_("The power of attorney must end on or after the day it starts."))
    power = PowerOfAttorney.objects.create(
        applicant=applicant,
        organisation=organisation,
        representative=representative,
        scope=scope,
        application=application,
        permit_type=permit_type,
        valid_from=valid_from,
        valid_to=valid_to,
        source=PowerSource.ONLINE,
        granted_by=actor,
        confirmed_at=timezone.now(),
    )
    _log(power, PowerEventKind.GRANTED, actor)
    return power


def may_end(power: PowerOfAttorney, user: User) -> bool:
    """Either side: the person, the named representative, or an administrator of the
    organisation holding it."""
    if power.applicant.account_id == user.pk or power.representative_id == user.pk:
        return True
    return power.organisation is not None and is_admin(power.organisation, user)


@transaction.atomic
def power_end(*, power: PowerOfAttorney, actor: User, note: str = "") -> PowerOfAttorney:
    """End the power at once (either side); what was done under it stays done."""
    locked = (
        PowerOfAttorney.objects.select_for_update().select_related("applicant").get(pk=power.pk)
    )
    if not may_end(locked, actor):
        raise NotPermitted()
    if locked.ended_at is not None:
        raise TransitionRefused(_("This power of attorney has ended already."))
    locked.ended_at = timezone.now()
    locked.ended_by = actor
    locked.save(update_fields=["ended_at", "ended_by"])
    _log(locked, PowerEventKind.ENDED, actor, note)
    return locked


def power_upload(
    *,
    actor: User,
    reference_number: str,
    date_of_birth: date,
    upload: UploadedFile,
    organisation: Organisation | None = None,
) -> PowerOfAttorney:
    """A representative files a signed power of attorney for one application, named by its
    reference number and the person's date of birth (both on the papers the person gave them):
    for themselves, or for their verified organisation. It is filed in the case as a document
    and counts only once a caseworker verifies it (``power_verify``). Nothing else of the case
    is shown to them until then."""
    if actor.has_perm("applications.process_application") or actor.has_perm(
        "applications.file_on_behalf"
    ):
        raise NotPermitted(_("Office staff do not represent people."))
    if organisation is not None and (
        not organisation.is_verified
        or not Membership.objects.filter(
            organisation=organisation, user=actor, left_at__isnull=True
        ).exists()
    ):
        raise NotPermitted()
    # Checked before the case's row is locked: a scan can take a while.
    file = inspect_upload(upload, default_name="power-of-attorney.pdf")
    found = (
        Application.objects.exclude(status=Status.DRAFT)
        .filter(
            reference_number=reference_number.strip(),
            applicant__date_of_birth_index=blind_index(date_of_birth),
        )
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        raise PowerInvalid(
            _(
                "No application matches this reference number and date of birth. Check both "
                "against the papers the person gave you."
            )
        )
    with transaction.atomic():
        application = (
            Application.objects.select_for_update().select_related("applicant").get(pk=found)
        )
        document = case_document_store(
            application=application, file=file, role=DocumentRole.POWER_OF_ATTORNEY, actor=actor
        )
        power = PowerOfAttorney.objects.create(
            applicant=application.applicant,
            organisation=organisation,
            representative=None if organisation is not None else actor,
            scope=PowerScope.CASE,
            application=application,
            valid_from=clock.today(),
            source=PowerSource.PAPER,
            granted_by=actor,
            document=document,
        )
        _log(power, PowerEventKind.UPLOADED, actor)
    return power


def powers_on_case(application: Application) -> list[PowerOfAttorney]:
    """Every power of attorney that names or covers the case and has not ended, counting or
    not (an upload waiting for verification, a refused one): for the caseworker's page."""
    return list(
        PowerOfAttorney.objects.filter(
            Q(application=application)
            | Q(
                scope=PowerScope.PERMIT_TYPE,
                applicant_id=application.applicant_id,
                permit_type_id=application.permit_type_id,
            )
            | Q(scope=PowerScope.ALL, applicant_id=application.applicant_id),
            ended_at__isnull=True,
        )
        .select_related("organisation", "representative", "document")
        .order_by("created_at", "pk")
    )


@transaction.atomic
def power_verify(*, power: PowerOfAttorney, actor: User) -> PowerOfAttorney:
    """A caseworker checks an uploaded signed power of attorney; from then on it counts."""
    if not actor.has_perm("applications.verify_power"):
        raise NotPermitted()
    locked = PowerOfAttorney.objects.select_for_update().get(pk=power.pk)
    _still_to_check(locked)
    locked.verified_at = timezone.now()
    locked.verified_by = actor
    locked.save(update_fields=["verified_at", "verified_by"])
    _log(locked, PowerEventKind.VERIFIED, actor)
    return locked


@transaction.atomic
def power_refuse(*, power: PowerOfAttorney, actor: User, reason: str) -> PowerOfAttorney:
    """A caseworker refuses an uploaded power of attorney, with the reason; it never counts."""
    if not actor.has_perm("applications.verify_power"):
        raise NotPermitted()
    if not reason.strip():
        raise PowerInvalid(_("Give the reason for refusing the power of attorney."))
    locked = PowerOfAttorney.objects.select_for_update().get(pk=power.pk)
    _still_to_check(locked)
    locked.refused_at = timezone.now()
    locked.refusal_reason = reason.strip()
    locked.save(update_fields=["refused_at", "refusal_reason"])
    _log(locked, PowerEventKind.REFUSED, actor, reason.strip())
    return locked


def _still_to_check(power: PowerOfAttorney) -> None:
    if power.source != PowerSource.PAPER:
        raise TransitionRefused(_("Only an uploaded power of attorney is checked by the office."))
    if power.verified_at or power.refused_at or power.ended_at:
        raise TransitionRefused(_("This power of attorney was dealt with already."))


def holders_of(powers: list[PowerOfAttorney]) -> list[Any]:
    """The accounts a case's letters go to while these powers cover it: each named
    representative, and each current member of each organisation."""
    people = {p.representative for p in powers if p.representative_id}
    organisation_ids = [p.organisation_id for p in powers if p.organisation_id]
    if organisation_ids:
        people |= {
            m.user
            for m in Membership.objects.filter(
                organisation_id__in=organisation_ids, left_at__isnull=True
            ).select_related("user")
        }
    return sorted(people, key=lambda user: user.pk)
