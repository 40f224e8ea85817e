"""What a person may do for organisations now, read from current memberships."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from organisations.models import Membership, Organisation


def current_memberships(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, left_at__isnull=True).select_related("organisation")


def acting_organisation_ids(user: Any) -> list[int]:
    """The verified organisations ``user`` is a current member of: those they may act for."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.filter(
            user=user, left_at__isnull=True, organisation__verified_at__isnull=False
        ).values_list("organisation_id", flat=True)
    )


def unverified() -> QuerySet[Organisation]:
    return Organisation.objects.filter(verified_at__isnull=True).order_by("registered_at")
