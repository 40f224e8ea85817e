from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from applications.constants import Status
from core.appendonly import AppendOnlyQuerySet

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
