"""The retention job anonymises closed cases past the period, files included, and never
touches an open one; it runs twice without changing anything the second time."""

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from applications import retention, services, tasks
from applications.constants import ExtensionResult, InterruptionEnd, Status
from applications.models import (
    Applicant,
    Application,
    AuditEntry,
    CaseNote,
    DeadlineExtension,
    Interruption,
)
from core import clock
from documents.models import Document
from notifications.models import Notification
from permits.models import Permit
from privacy.constants import ANONYMISED, Action
from privacy.models import AccessEvent, RetentionRecord
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

PERIOD = 3650


@pytest.fixture(autouse=True)
def _period(settings):
    settings.RETENTION_CLOSED_CASES_DAYS = PERIOD
    # The runs below are dated years ahead while events are written now: keep the access log
    # out of it (its purge has its own test).
    settings.ACCESS_LOG_RETENTION_DAYS = 0


def past_period(closed_on: date) -> date:
    """The first day on which a case closed on ``closed_on`` is due."""
    return closed_on + timedelta(days=PERIOD + 1)


def without_account(application: Application) -> Application:
    """As if the person's account had been deleted (``Applicant.account`` is SET_NULL)."""
    Applicant.objects.filter(pk=application.applicant_id).update(account=None)
    application.refresh_from_db()
    return application


def stored_names(application: Application) -> list[str]:
    return [document.file.name for document in application.documents.all()]


def snapshot(application: Application) -> tuple:
    application.refresh_from_db()
    applicant = application.applicant
    applicant.refresh_from_db()
    return (
        application.status,
        application.answers,
        application.version,
        sorted(application.documents.values_list("pk", flat=True)),
        [entry.note for entry in application.audit_entries.all()],
        applicant.surname,
        applicant.travel_document_number,
        applicant.date_of_birth,
    )


@pytest.fixture
def old_closed(closed_case, caseworker):
    services.case_note_add(application=closed_case, author=caseworker, text="Called the employer.")
    closed_case.answers = {"employer": "ACME s.r.o."}
    closed_case.save(update_fields=["answers"])
    return without_account(closed_case)


def test_a_request_for_more_time_loses_its_free_text(old_closed):
    filed = old_closed.filed_on
    interruption = Interruption.objects.create(
        application=old_closed,
        reason="Missing proof of accommodation.",
        started_on=filed,
        deadline=filed + timedelta(days=30),
        ended_on=filed + timedelta(days=20),
        end_reason=InterruptionEnd.RESUMED,
    )
    extension = DeadlineExtension.objects.create(
        interruption=interruption,
        reason="My landlord is in hospital until the end of the month.",
        deadline_before=interruption.deadline,
        requested_on=filed + timedelta(days=10),
        result=ExtensionResult.REFUSED,
        answer_reason="The consent can be certified by another owner.",
        answered_at=timezone.now(),
        answered_on=filed + timedelta(days=11),
    )

    retention.retention_apply(today=past_period(old_closed.closed_on))

    extension.refresh_from_db()
    assert (extension.reason, extension.answer_reason) == (ANONYMISED, "")
    assert extension.result == ExtensionResult.REFUSED  # what was decided, and when, stays


def test_a_closed_case_past_the_period_is_anonymised_with_its_files(old_closed):
    names = stored_names(old_closed)
    assert names and all(default_storage.exists(name) for name in names)
    applicant = old_closed.applicant
    born = applicant.date_of_birth

    report = retention.retention_apply(today=past_period(old_closed.closed_on))

    assert (report.cases, report.documents, report.people) == (1, len(names), 1)
    assert not any(default_storage.exists(name) for name in names)
    old_closed.refresh_from_db()
    assert old_closed.status == Status.CLOSED
    assert old_closed.reference_number
    assert old_closed.answers == {}
    assert not Document.objects.filter(application=old_closed).exists()
    assert not CaseNote.objects.filter(application=old_closed).exists()
    assert not Notification.objects.filter(application=old_closed).exists()
    assert {appeal.grounds for appeal in old_closed.appeals.all()} == {ANONYMISED}
    assert {d.reasoning for d in old_closed.decisions.all()} == {ANONYMISED}
    notes = {entry.note for entry in old_closed.audit_entries.all()}
    assert "I disagree." not in notes
    assert notes <= {"", ANONYMISED}
    applicant.refresh_from_db()
    assert (applicant.given_names, applicant.surname) == (ANONYMISED, ANONYMISED)
    assert applicant.travel_document_number == applicant.address == applicant.phone == ""
    assert applicant.email == ""
    assert applicant.date_of_birth == date(born.year, 1, 1)
    record = RetentionRecord.objects.get(application=old_closed)
    assert (record.closed_on, record.applicant_anonymised) == (old_closed.closed_on, True)
    assert AuditEntry.objects.filter(application=old_closed, action="retention").count() == 1
    [event] = AccessEvent.objects.filter(action=Action.RETENTION)
    assert (event.application, event.actor) == (old_closed, None)
    assert event.reference_number == old_closed.reference_number


def test_a_withdrawn_case_past_the_period_is_anonymised():
    case = ApplicationFactory(withdrawn=True)

    report = retention.retention_apply(today=past_period(case.withdrawn_on))

    assert report.cases == 1
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    assert not case.documents.exists()


def test_a_recently_closed_case_is_untouched(old_closed):
    before = snapshot(old_closed)

    report = retention.retention_apply(today=old_closed.closed_on + timedelta(days=PERIOD))

    assert report.cases == 0
    assert snapshot(old_closed) == before
    assert all(default_storage.exists(name) for name in stored_names(old_closed))


def test_open_cases_are_untouched_in_every_state_however_old(caseworker):
    cases = [
        ApplicationFactory(),
        ApplicationFactory(filed=True),
        ApplicationFactory(interrupted=True),
        ApplicationFactory(decided=True),
        ApplicationFactory(appealed=True),
    ]
    cases = [without_account(case) for case in cases]
    assert {case.status for case in cases} == set(Status) - {Status.CLOSED, Status.WITHDRAWN}
    before = [snapshot(case) for case in cases]
    files = [name for case in cases for name in stored_names(case)]

    report = retention.retention_apply(today=timezone.localdate() + timedelta(days=30 * 365))

    assert report.cases == report.people == report.documents == 0
    assert [snapshot(case) for case in cases] == before
    assert all(default_storage.exists(name) for name in files)
    assert not RetentionRecord.objects.exists()


def test_the_person_is_kept_while_another_case_is_open_or_an_account_holds_them(closed_case):
    open_case = ApplicationFactory(applicant=closed_case.applicant, filed=True)
    old_closed = without_account(closed_case)
    with_account = ApplicationFactory(withdrawn=True)

    report = retention.retention_apply(today=past_period(old_closed.closed_on))

    assert report.cases == 2
    assert report.people == 0
    for case in (open_case, with_account):
        case.applicant.refresh_from_db()
        assert case.applicant.surname != ANONYMISED
    assert open_case.documents.exists()


def test_a_second_run_changes_nothing(old_closed):
    today = past_period(old_closed.closed_on)
    retention.retention_apply(today=today)
    before = snapshot(old_closed)
    events = AccessEvent.objects.count()

    report = retention.retention_apply(today=today)

    assert (report.cases, report.documents, report.people) == (0, 0, 0)
    assert snapshot(old_closed) == before
    assert AccessEvent.objects.count() == events
    assert AuditEntry.objects.filter(action="retention").count() == 1


def test_a_dry_run_counts_and_changes_nothing(old_closed):
    before = snapshot(old_closed)
    names = stored_names(old_closed)

    report = retention.retention_apply(today=past_period(old_closed.closed_on), dry_run=True)

    assert (report.cases, report.documents, report.people) == (1, len(names), 1)
    assert report.references == [old_closed.reference_number]
    assert snapshot(old_closed) == before
    assert all(default_storage.exists(name) for name in names)
    assert not RetentionRecord.objects.exists()


def test_the_command_prints_counts_and_dry_run_changes_nothing(old_closed):
    with time_machine.travel(past_period(old_closed.closed_on), tick=False):
        dry = StringIO()
        call_command("apply_retention", "--dry-run", stdout=dry)
        assert "Would anonymise 1 case(s)." in dry.getvalue()
        assert "Dry run: nothing was changed." in dry.getvalue()
        assert not RetentionRecord.objects.exists()

        out = StringIO()
        call_command("apply_retention", stdout=out)
        assert "Anonymised 1 case(s)." in out.getvalue()
        assert "Anonymised 1 person record(s)." in out.getvalue()

        again = StringIO()
        call_command("apply_retention", stdout=again)
        assert "Anonymised 0 case(s)." in again.getvalue()


def test_the_nightly_task_is_safe_to_run_twice(old_closed, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: past_period(old_closed.closed_on))

    assert tasks.sweep_retention.delay().get() == 1
    first = snapshot(old_closed)
    assert tasks.sweep_retention.delay().get() == 0
    again = tasks.anonymise_cases.delay(
        [old_closed.pk], past_period(old_closed.closed_on).isoformat()
    )
    assert again.get() == 0

    assert snapshot(old_closed) == first
    assert RetentionRecord.objects.count() == 1


def test_the_beat_runs_the_sweep_nightly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]
    assert entry["task"] == "applications.tasks.sweep_retention"
    assert entry["schedule"].hour == {2}


def test_an_account_holders_case_is_anonymised_but_their_record_kept(closed_case):
    applicant = closed_case.applicant

    retention.retention_apply(today=past_period(closed_case.closed_on))

    closed_case.refresh_from_db()
    applicant.refresh_from_db()
    assert closed_case.answers == {}
    assert applicant.surname != ANONYMISED
    assert applicant.travel_document_number


def give_permit(case: Application, *, number: str, valid_to: date | None) -> Permit:
    return Permit.objects.create(
        application=case,
        number=number,
        permit_type=case.permit_type,
        holder=case.applicant,
        valid_from=case.closed_on,
        valid_to=valid_to,
    )


@pytest.mark.parametrize("valid_years", [None, 12])
def test_the_record_of_a_valid_permit_is_kept(old_closed, valid_years):
    """Permanent residence (no end) or a permit still valid when the period has passed."""
    closed_on = old_closed.closed_on
    valid_to = None if valid_years is None else closed_on.replace(year=closed_on.year + valid_years)
    give_permit(old_closed, number="RP0000001", valid_to=valid_to)
    before = snapshot(old_closed)

    report = retention.retention_apply(today=past_period(closed_on))

    assert report.cases == 0
    assert snapshot(old_closed) == before


def test_the_record_of_an_expired_permit_goes_once_the_period_has_passed_since_it_expired(
    old_closed,
):
    valid_to = old_closed.closed_on + timedelta(days=365)
    give_permit(old_closed, number="RP0000002", valid_to=valid_to)

    assert retention.retention_apply(today=past_period(valid_to) - timedelta(days=1)).cases == 0
    assert retention.retention_apply(today=past_period(valid_to)).cases == 1
