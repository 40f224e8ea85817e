from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import OuterRef, Q

from applications.constants import PowerScope, Status
from core.appendonly import AppendOnlyQuerySet
from organisations.models import Membership

if TYPE_CHECKING:
    from accounts.models import User


def _is_staff_reader(user: User) -> bool:
    return user.has_perm("applications.process_application")


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
        return self.filter(account=user)


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
        return self.filter(applicant__account=user)

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

    def covering(self) -> PowerOfAttorneyQuerySet:
        """Those covering the application of the outer query (``OuterRef``): its case, its
        person's applications of its type, or all its person's proceedings."""
        return self.filter(
            Q(scope=PowerScope.CASE, application=OuterRef("pk"))
            | Q(
                scope=PowerScope.PERMIT_TYPE,
                applicant=OuterRef("applicant"),
                permit_type=OuterRef("permit_type"),
            )
            | Q(scope=PowerScope.ALL, applicant=OuterRef("applicant"))
        )
