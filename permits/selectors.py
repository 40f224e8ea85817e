"""Reads of the permit catalogue for the public guidance pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.functional import Promise

from permits.constants import Purpose
from permits.models import PermitRequirement, PermitType
from permits.query import PermitTypeQuerySet

# The order in which the catalogue page lists the groups: the purposes people come for first,
# then visas and paperwork, and last what other authorities decide.
PURPOSE_ORDER: tuple[Purpose, ...] = (
    Purpose.WORK,
    Purpose.STUDY,
    Purpose.FAMILY,
    Purpose.RESEARCH,
    Purpose.INVESTMENT,
    Purpose.PROTECTION,
    Purpose.PERMANENT,
    Purpose.VISA,
    Purpose.ADMINISTRATIVE,
    Purpose.OUTSIDE,
)


@dataclass(frozen=True)
class PermitTypeGroup:
    purpose: Purpose
    label: Promise
    permit_types: list[PermitType]


def _published() -> PermitTypeQuerySet:
    return PermitType.objects.filter(is_active=True)


def permit_type_list_grouped() -> list[PermitTypeGroup]:
    """Every published permit type, grouped by purpose in ``PURPOSE_ORDER``; one query."""
    by_purpose: dict[str, list[PermitType]] = {}
    for permit_type in _published():
        by_purpose.setdefault(permit_type.purpose, []).append(permit_type)
    # A purpose added to the choices later still shows, after the known ones.
    order = [*PURPOSE_ORDER, *(p for p in Purpose if p not in PURPOSE_ORDER)]
    return [
        PermitTypeGroup(purpose=purpose, label=purpose.label, permit_types=by_purpose[purpose])
        for purpose in order
        if by_purpose.get(purpose)
    ]


def permit_type_detail(code: str) -> PermitType:
    """A published permit type with its checklist (requirements and their document kinds).

    Raises ``PermitType.DoesNotExist`` for an unknown or unpublished code.
    """
    requirements = PermitRequirement.objects.select_related("document_kind").order_by(
        "document_kind__sort_order", "document_kind__code"
    )
    return (
        _published()
        .prefetch_related(Prefetch("requirements", queryset=requirements))
        .get(code=code)
    )


def permit_types_with_checklists() -> PermitTypeQuerySet:
    """Every published permit type with its checklist, in the catalogue's order; two queries."""
    requirements = PermitRequirement.objects.select_related("document_kind").order_by(
        "document_kind__sort_order", "document_kind__code"
    )
    return _published().prefetch_related(Prefetch("requirements", queryset=requirements))


def permit_types_by_code(codes: Iterable[str]) -> dict[str, PermitType]:
    """The published permit types among ``codes``, keyed by code; one query."""
    return {permit_type.code: permit_type for permit_type in _published().filter(code__in=codes)}
