from __future__ import annotations

from django.db import models

from documents.constants import Role, Verification


class DocumentQuerySet(models.QuerySet):
    def current_evidence(self) -> DocumentQuerySet:
        return self.filter(role=Role.EVIDENCE, is_current=True)

    def accepted(self) -> DocumentQuerySet:
        return self.filter(verification=Verification.ACCEPTED)

    def usable(self) -> DocumentQuerySet:
        """Evidence that counts towards the file: current and not rejected."""
        return self.current_evidence().exclude(verification=Verification.REJECTED)
