from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q

from applications.constants import PowerScope, Status
from core import clock
from core.appendonly import AppendOnlyQuerySet
from organisations.models import Membership

if TYPE_CHECKING:
    from accounts.models import User


def _is_staff_reader(user: User) -> bool:
    return user.has_perm("applications.process_application")


def _current_powers(user: User, today: date | None) -> PowerOfAttorneyQuerySet:
    # The model is looked up when called: applications.models imports this module.
    model = apps.get_model("applications", "PowerOfAttorney")
    return model.objects.effective(today or clock.today()).held_by(user)


def powers_held(user: User, *, today: date | None = None) -> PowerOfAttorneyQuerySet:
    """The powers of attorney ``user`` holds that count today."""
    return _current_powers(user, today)


def may_start_for(user: User, *, today: date | None = None) -> Q:
    """A filter on people: those ``user`` may start an application for under a power of
    attorney, one covering all their proceedings or a permit type (a power for one case
    covers that case only)."""
    powers = _current_powers(user, today).filter(
        applicant=OuterRef("pk"), scope__in=[PowerScope.ALL, PowerScope.PERMIT_TYPE]
    )
    return Q(Exists(powers))


def powers_covering(application: Any, *, today: date | None = None) -> PowerOfAttorneyQuerySet:
    """The powers of attorney that count today and cover ``application``."""
    model = apps.get_model("applications", "PowerOfAttorney")
    return model.objects.effective(today or clock.today()).filter(
        Q(scope=PowerScope.CASE, application_id=application.pk)
        | Q(
            scope=PowerScope.PERMIT_TYPE,
            applicant_id=application.applicant_id,
            permit_type_id=application.permit_type_id,
        )
        | Q(scope=PowerScope.ALL, applicant_id=application.applicant_id)
    )


def represented(user: User, *, today: date | None = None) -> Q:
    """A filter on applications: those a power of attorney held by ``user`` covers today (one
    ``Exists`` subquery in the caller's query, on the current powers' partial indexes)."""
    return Q(Exists(_current_powers(user, today).covering()))


def represented_people(user: User, *, today: date | None = None) -> Q:
    """A filter on people (``Applicant``): those ``user`` holds a power of attorney from
    today, whatever its scope."""
    return Q(Exists(_current_powers(user, today).filter(applicant=OuterRef("pk"))))


class ApplicantQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ApplicantQuerySet:
        """The people whose records this user may see; anyone else's answers 404."""
        if not user.is_authenticated:
            return self.none()
        if _is_staff_reader(user):
            return self.all()
        if user.has_perm("applications.file_on_behalf"):
            # A person may come to any support centre: support staff find everyone on record
            # (``persons.people_for_support``); their cases stay limited below.
            return self.all()
        # Their own records and those of the people who gave them a power of attorney.
        return self.filter(Q(account=user) | represented_people(user))


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ApplicationQuerySet:
        """The cases this user may see; anyone else's answers 404 (SPEC §1). A draft is the
        applicant's own until it is filed: staff see other people's cases from filing on."""
        if not user.is_authenticated:
            return self.none()
        if _is_staff_reader(user):
            return self.filter(
                ~Q(status=Status.DRAFT) | Q(applicant__account=user) | Q(created_by=user)
            )
        if user.has_perm("applications.file_on_behalf"):
            return self.filter(
                Q(created_by=user) | Q(applicant__created_by=user) | Q(applicant__account=user)
            )
        # Their own cases and those a power of attorney they hold covers (SPEC §1).
        return self.filter(Q(applicant__account=user) | represented(user))

    def in_proceedings(self) -> ApplicationQuerySet:
        return self.filter(status__in=[Status.FILED, Status.INTERRUPTED])

    def overdue(self, *, today: date) -> ApplicationQuerySet:
        return self.filter(status=Status.FILED, decision_due__lt=today)


class AuditEntryQuerySet(AppendOnlyQuerySet):
    """The case's audit trail."""


class PowerOfAttorneyQuerySet(models.QuerySet):
    """Powers of attorney (``applications.models.PowerOfAttorney``)."""

    def effective(self, today: date) -> PowerOfAttorneyQuerySet:
        """Those that count today: confirmed online, or uploaded and verified by the office;
        not refused, not ended, within their dates."""
        return self.filter(
            Q(confirmed_at__isnull=False) | Q(verified_at__isnull=False),
            refused_at__isnull=True,
            ended_at__isnull=True,
            valid_from__lte=today,
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))

    def held_by(self, user: User) -> PowerOfAttorneyQuerySet:
        """Held by ``user`` in person, or by a verified organisation they are a current member
        of (a member who left holds nothing from that moment)."""
        if not user.is_authenticated:
            return self.none()
        organisations = Membership.objects.filter(
            user=user, left_at__isnull=True, organisation__verified_at__isnull=False
        ).values("organisation_id")
        return self.filter(Q(representative=user) | Q(organisation_id__in=organisations))

    def covering(self, via: str = "") -> PowerOfAttorneyQuerySet:
        """Those covering the application of the outer query (``OuterRef``; ``via`` is the
        path to it from another model's rows, e.g. ``"application__"`` from a permit): its
        case, its person's applications of its type, or all its person's proceedings."""
        return self.filter(
            Q(scope=PowerScope.CASE, application=OuterRef(f"{via}pk"))
            | Q(
                scope=PowerScope.PERMIT_TYPE,
                applicant=OuterRef(f"{via}applicant"),
                permit_type=OuterRef(f"{via}permit_type"),
            )
            | Q(scope=PowerScope.ALL, applicant=OuterRef(f"{via}applicant"))
        )
