from __future__ import annotations

from core.appendonly import AppendOnlyQuerySet


class AccessEventQuerySet(AppendOnlyQuerySet):
    """The access log is append-only: bulk updates and deletes are refused.

    The one exception is the retention purge of events past ``ACCESS_LOG_RETENTION_DAYS``
    (``privacy.retention.access_log_purge``), which deletes through the base manager.
    """
