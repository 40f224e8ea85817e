"""The retention job's Celery tasks: beat starts the sweep at night, the sweep queues the due
cases in batches, a worker anonymises each case in its own transaction. Both are safe to run
twice: a case already anonymised is no longer due, and each is re-checked under a lock."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from core import clock
from privacy import retention


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=240, time_limit=300)
def sweep_retention() -> int:
    """Queue every case due for anonymisation today; purge the access log's old events.
    Returns the number of cases queued."""
    today = clock.today()
    queued = 0
    for batch in retention.due_case_batches(today=today):
        anonymise_cases.delay(batch, today.isoformat())
        queued += len(batch)
    retention.access_log_purge(today=today)
    return queued


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=240, time_limit=300)
def anonymise_cases(application_ids: list[int], today: str) -> int:
    """Anonymise the cases that are still due on ``today``; returns how many were."""
    day = date.fromisoformat(today)
    return sum(
        retention.case_anonymise(application_id=pk, today=day) is not None for pk in application_ids
    )
