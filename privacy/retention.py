"""The access log's retention: events, and the counts of refused requests, are kept
``ACCESS_LOG_RETENTION_DAYS`` and then deleted (docs/privacy.md gives the policy). The retention
of closed cases is the proceedings' own (``applications.retention``); its nightly run calls this
purge too."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from core.appendonly import purge
from privacy.models import AccessEvent, DeniedRequestCount


def _access_log_cutoff(today: date) -> datetime | None:
    days = settings.ACCESS_LOG_RETENTION_DAYS
    if days <= 0:
        return None
    return timezone.make_aware(datetime.combine(today - timedelta(days=days), time.min))


def access_log_purge(*, today: date) -> int:
    """Delete access events, and counts of refused requests, older than
    ``ACCESS_LOG_RETENTION_DAYS`` (0 keeps them forever). The log refuses deletion through its
    manager; this is the one way events leave it."""
    cutoff = _access_log_cutoff(today)
    if cutoff is None:
        return 0
    events = purge(AccessEvent.objects.filter(created_at__lt=cutoff))
    counts, _by_model = DeniedRequestCount.objects.filter(hour__lt=cutoff).delete()
    return events + counts


def access_log_due(*, today: date) -> int:
    cutoff = _access_log_cutoff(today)
    if cutoff is None:
        return 0
    return (
        AccessEvent.objects.filter(created_at__lt=cutoff).count()
        + DeniedRequestCount.objects.filter(hour__lt=cutoff).count()
    )
