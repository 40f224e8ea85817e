from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    # Named only in the string below, which ruff does not read as an annotation.
    from permits.models import PermitType  # noqa: F401


class PermitTypeQuerySet(models.QuerySet["PermitType"]):
    def fileable(self) -> PermitTypeQuerySet:
        """Types this office decides on and that can be applied for now."""
        return self.filter(is_active=True, handled_by_office=True)


# ``PermitTypeQuerySet.as_manager()`` under a name, so the model can declare its manager's type.
PermitTypeManager = models.Manager.from_queryset(PermitTypeQuerySet)
