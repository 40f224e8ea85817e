from __future__ import annotations

from typing import Any

from django.db import models


class AccessEventQuerySet(models.QuerySet):
    """The access log is append-only: bulk updates and deletes are refused.

    The one exception is the retention purge of events past ``ACCESS_LOG_RETENTION_DAYS``
    (``privacy.retention.access_log_purge``), which deletes through the base manager.
    """

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The access log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The access log is append-only.")
