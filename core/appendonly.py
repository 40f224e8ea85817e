"""Logs that are written once and never changed: the audit trail, internal notes, the access log.

The guard is in Python (``save``/``delete`` on a row, ``update``/``delete`` on a queryset); the one
sanctioned exception, the retention of personal data, goes through ``redact`` and :func:`purge`,
which name what they clear, so no caller reaches past the guard with ``models.Model.save``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.text import capfirst


class AppendOnlyQuerySet(models.QuerySet):
    """The rows of a log are append-only: bulk updates and deletes are refused."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError(f"{capfirst(self.model._meta.verbose_name_plural)} are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{capfirst(self.model._meta.verbose_name_plural)} are append-only.")


class AppendOnlyModel(models.Model):
    """A row of a log: written once, never changed or removed one by one (the audit trail, the
    internal notes, the access log)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError(f"{capfirst(self._meta.verbose_name_plural)} are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(f"{capfirst(self._meta.verbose_name_plural)} are append-only.")

    def redact(self, **values: Any) -> None:
        """Overwrite free text in this row, as the retention of personal data must: the row,
        its date, actor and action stay. Only the fields named are written (through the model's
        own save, so encrypted fields are encrypted for this row)."""
        for name, value in values.items():
            setattr(self, name, value)
        super().save(update_fields=list(values))


def purge(rows: models.QuerySet) -> int:
    """Delete log rows that the retention policy says are past keeping (internal notes of a
    closed case, access events past their period); nothing else deletes from a log."""
    deleted, _by_model = rows.model._base_manager.filter(pk__in=rows.values("pk")).delete()
    return deleted
