"""The retention job: closed cases are anonymised once ``RETENTION_CLOSED_CASES_DAYS`` have
passed since they closed; open ones are never touched (docs/privacy.md gives the policy).

A case is closed when it is in a final state of SPEC §2: ``closed`` (the decision took legal
effect, after the appeal period or the appeal's result), dated ``closed_on``, or ``withdrawn``,
dated ``withdrawn_on``. Drafts, cases in proceedings, decided cases whose appeal period still
runs and appealed cases are left alone whatever their age.

For each such case, in one transaction: every document file is deleted from the storage and its
row removed (decision PDFs and letters included), the answers are emptied, the staff's internal
notes and the notifications about the case are deleted, the person's data as filed is anonymised
like their record and the data of changes they reported is emptied, the free text of interruptions,
decisions, appeals and the audit trail is replaced by ``ANONYMISED``, and a ``RetentionRecord``
marks the case. The case row itself stays, with its reference number, type, states and dates:
the register of proceedings and the statistics need them, and they say nothing about a person
once the person's record is anonymised. That happens with their last case, when no account
holds the record (``applicant_anonymise``).

Safe to run twice: a case with a ``RetentionRecord`` is not selected again, and each case is
re-checked under a lock before anything is changed. A run also purges the access log of events
past their own period (``privacy.retention``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from applications.audit import AuditAction, audit_record
from applications.constants import Status
from applications.models import Applicant, Application, DeadlineExtension
from applications.persons import applicant_anonymise
from core import clock
from core.appendonly import purge
from documents.models import Document
from privacy.constants import ANONYMISED, Action
from privacy.models import RetentionRecord
from privacy.retention import access_log_due, access_log_purge
from privacy.services import record_access

BATCH_SIZE = 100


@dataclass
class RetentionReport:
    """What a run did, or with ``dry_run`` would do."""

    dry_run: bool = False
    cases: int = 0
    documents: int = 0
    people: int = 0
    access_events_purged: int = 0
    references: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CaseRetained:
    reference_number: str
    documents: int
    applicant_anonymised: bool


def retention_cutoff(today: date) -> date:
    """Cases that closed before this day are due."""
    return today - timedelta(days=settings.RETENTION_CLOSED_CASES_DAYS)


def cases_due(*, today: date) -> QuerySet[Application]:
    """Closed and withdrawn cases past the retention period and not anonymised yet."""
    cutoff = retention_cutoff(today)
    return Application.objects.filter(
        Q(status=Status.CLOSED, closed_on__lt=cutoff)
        | Q(status=Status.WITHDRAWN, withdrawn_on__lt=cutoff),
        # A granted case is the record of a residence permit: it is kept while the permit is
        # valid (permanent residence has no end) and for the whole period after it expired.
        Q(permit__isnull=True) | Q(permit__valid_to__lt=cutoff),
        retention_record__isnull=True,
    )


def due_case_batches(*, today: date, size: int = BATCH_SIZE) -> Iterator[list[int]]:
    """The ids of the due cases, ``size`` at a time, in id order (keyset: a batch is read after
    the previous one was processed, so the query never holds a cursor open over the changes)."""
    last = 0
    while True:
        batch = list(
            cases_due(today=today)
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if not batch:
            return
        yield batch
        last = batch[-1]


# --- One case ------------------------------------------------------------------------------


def _delete_documents(application: Application) -> int:
    documents = list(application.documents.all())
    for document in documents:
        # The file goes before its row: if the transaction then rolls back, the case is still
        # due and the next run finishes it; the other order could leave a file nobody points to.
        if document.file.name:
            document.file.delete(save=False)
    Document.objects.filter(pk__in=[document.pk for document in documents]).delete()
    return len(documents)


def _replace_text(instances: QuerySet, name: str, *, blank: bool = False) -> None:
    # Through the instance and save(): encrypted fields cannot be written by a SQL UPDATE.
    for instance in instances:
        if getattr(instance, name):
            setattr(instance, name, "" if blank else ANONYMISED)
            instance.save(update_fields=[name])


def _redact_audit_notes(application: Application) -> None:
    # Filtered here, not in SQL: the note may be stored encrypted.
    for entry in application.audit_entries.all():
        if not entry.note:
            continue
        # The audit trail refuses changes; the retention job is the one writer allowed to
        # redact its free text, and keeps every row, state and date.
        entry.redact(note=ANONYMISED)


def _anonymised_party(application: Application) -> dict | None:
    """The data as filed, anonymised as ``applicant_anonymise`` anonymises the person: the case
    keeps the nationality, birth year and language of its filing for the statistics."""
    if application.filed_party is None:
        return None
    party = application.party
    born = party.date_of_birth
    return dataclasses.replace(
        party,
        given_names=ANONYMISED,
        surname=ANONYMISED,
        travel_document_number="",
        address="",
        email="",
        phone="",
        date_of_birth=date(born.year, 1, 1) if born else None,
    ).stored()


def _empty_reported_changes(application: Application) -> None:
    # The reports stay (number, kind, dates: the record of proceedings); the data they carried
    # goes. Through save(): encrypted fields cannot be written by a SQL UPDATE.
    for report in application.change_reports.all():
        if report.data:
            report.data = {}
            report.save(update_fields=["data"])


def case_anonymise(*, application_id: int, today: date | None = None) -> CaseRetained | None:
    """Anonymise one closed case past the retention period, and its person with their last
    case. Returns None when the case is not due (open, too recent, or done already)."""
    today = today or clock.today()
    applicant_id = (
        Application.objects.filter(pk=application_id).values_list("applicant_id", flat=True).first()
    )
    if applicant_id is None:
        return None
    with transaction.atomic():
        # The person first, then the case, always in this order: two workers on two cases of
        # one person queue here, so the second sees the first's mark and the last one
        # anonymises the person.
        applicant = Applicant.objects.select_for_update().get(pk=applicant_id)
        application = (
            cases_due(today=today).select_for_update(of=("self",)).filter(pk=application_id).first()
        )
        if application is None:
            return None
        closed_on = (
            application.closed_on
            if application.status == Status.CLOSED
            else application.withdrawn_on
        )
        assert closed_on is not None  # cases_due() selects cases closed or withdrawn on a day
        person_done = applicant.account_id is None and not (
            applicant.applications.filter(retention_record__isnull=True)
            .exclude(pk=application.pk)
            .exists()
        )
        documents = _delete_documents(application)
        application.answers = {}
        application.filed_party = _anonymised_party(application)
        application.version += 1
        application.save(update_fields=["answers", "filed_party", "version", "updated_at"])
        _empty_reported_changes(application)
        # Internal notes are append-only for staff; their removal is the retention job's own.
        purge(application.notes.all())
        application.notifications.all().delete()
        _replace_text(application.interruptions.all(), "reason")
        _replace_text(application.interruptions.all(), "reason_free_text")
        _replace_text(application.interruptions.all(), "reason_translation", blank=True)
        _replace_text(application.decisions.all(), "reasoning")
        _replace_text(application.decisions.all(), "reasoning_free_text")
        _replace_text(application.decisions.all(), "reasoning_translation", blank=True)
        _replace_text(application.appeals.all(), "grounds")
        _replace_text(application.appeals.all(), "result_note", blank=True)
        extensions = DeadlineExtension.objects.filter(interruption__application=application)
        _replace_text(extensions, "reason")
        _replace_text(extensions, "answer_reason", blank=True)
        _redact_audit_notes(application)
        if person_done:
            applicant_anonymise(applicant=applicant)
        RetentionRecord.objects.create(
            application=application,
            closed_on=closed_on,
            documents_deleted=documents,
            applicant_anonymised=person_done,
        )
        detail = {"documents_deleted": documents, "applicant_anonymised": person_done}
        audit_record(application, actor=None, action=AuditAction.RETENTION, data=detail)
        record_access(None, Action.RETENTION, target=application, detail=detail)
    return CaseRetained(
        reference_number=application.reference_number or "",
        documents=documents,
        applicant_anonymised=person_done,
    )


# --- A whole run ---------------------------------------------------------------------------


def retention_preview(*, today: date) -> RetentionReport:
    """What a run would do today, changing nothing."""
    due = cases_due(today=today)
    still_kept = Application.objects.filter(retention_record__isnull=True).exclude(
        pk__in=due.values("pk")
    )
    people = (
        Applicant.objects.filter(account__isnull=True, applications__in=due.values("pk"))
        .exclude(applications__in=still_kept.values("pk"))
        .distinct()
        .count()
    )
    return RetentionReport(
        dry_run=True,
        cases=due.count(),
        documents=Document.objects.filter(application__in=due.values("pk")).count(),
        people=people,
        access_events_purged=access_log_due(today=today),
        references=[
            reference or ""
            for reference in due.order_by("pk").values_list("reference_number", flat=True)
        ],
    )


def retention_apply(*, today: date | None = None, dry_run: bool = False) -> RetentionReport:
    """Anonymise every due case, batch by batch, each in its own transaction, then purge the
    access log of events past their period."""
    today = today or clock.today()
    if dry_run:
        return retention_preview(today=today)
    report = RetentionReport()
    for batch in due_case_batches(today=today):
        for application_id in batch:
            retained = case_anonymise(application_id=application_id, today=today)
            if retained is None:
                continue
            report.cases += 1
            report.documents += retained.documents
            report.people += int(retained.applicant_anonymised)
            report.references.append(retained.reference_number)
    report.access_events_purged = access_log_purge(today=today)
    return report
