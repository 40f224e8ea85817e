from __future__ import annotations

from django.db import models


class PermitTypeQuerySet(models.QuerySet):
    def fileable(self) -> PermitTypeQuerySet:
        """Types this office decides on and that can be applied for now."""
        return self.filter(is_active=True, handled_by_office=True)
