"""The state machine of SPEC §2 through its services: every allowed transition works and writes
one audit row; every other (state, transition) pair is refused and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from applications import services
from applications.constants import AppealResult, Outcome, Status
from applications.models import Application, AuditEntry
from core.errors import (
    ApplicationError,
    ConcurrentChange,
    FilingBlocked,
    NotPermitted,
    TransitionRefused,
)
from permits import deadlines
from permits.models import DocumentKind
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

TRANSITIONS = {
    "file": {Status.DRAFT},
    "interrupt": {Status.FILED},
    "resume": {Status.INTERRUPTED},
    "decide": {Status.FILED},
    "stop": {Status.INTERRUPTED},
    "appeal": {Status.DECIDED},
    "finalize": {Status.DECIDED},
    "resolve_appeal": {Status.APPEALED},
    "withdraw": {Status.FILED, Status.INTERRUPTED},
}


def run(name: str, application: Application, *, caseworker, applicant_user):
    """Call the service for a transition with valid arguments for the state it expects."""
    today = timezone.localdate()
    kinds = DocumentKind.objects.filter(code="accommodation")
    calls = {
        "file": lambda: services.application_file(application=application, actor=applicant_user),
        "interrupt": lambda: services.application_interrupt(
            application=application, actor=caseworker, reason="Missing.", document_kinds=kinds
        ),
        "resume": lambda: services.application_resume(application=application, actor=caseworker),
        "decide": lambda: services.application_decide(
            application=application,
            actor=caseworker,
            outcome=Outcome.REJECTED,
            reasoning="Conditions not met.",
        ),
        "stop": lambda: services.application_stop(application=application, actor=caseworker),
        "appeal": lambda: services.application_appeal(
            application=application, actor=applicant_user, grounds="I disagree."
        ),
        "finalize": lambda: (
            services.decisions_deliver_unopened(today=timezone.localdate()),
            services.application_finalize(application=application),
        ),
        "resolve_appeal": lambda: services.application_resolve_appeal(
            application=application, actor=caseworker, result=AppealResult.DISMISSED
        ),
        "withdraw": lambda: services.application_withdraw(
            application=application, actor=applicant_user
        ),
    }
    del today
    return calls[name]()


def make_case(state: Status, caseworker) -> Application:
    if state == Status.DRAFT:
        return ApplicationFactory(ready=True)
    if state == Status.CLOSED:
        application = ApplicationFactory(decided=True, caseworker=caseworker)
        with time_machine.travel(timezone.now() + timedelta(days=40)):
            services.decisions_deliver_unopened(today=timezone.localdate())
            services.application_finalize(application=application)
        application.refresh_from_db()
        return application
    application = ApplicationFactory(state=state, caseworker=caseworker, outcome=Outcome.REJECTED)
    if state == Status.FILED:
        application = services.application_claim(application=application, actor=caseworker)
    return application


ALL_STATES = list(Status)


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_transition_table(name, state, caseworker):
    application = make_case(state, caseworker)
    applicant_user = application.applicant.account
    before = AuditEntry.objects.filter(application=application).count()
    allowed = state in TRANSITIONS[name]
    travel = None
    if allowed and name == "stop":
        # Stopping needs the documents' deadline to have passed.
        travel = time_machine.travel(timezone.now() + timedelta(days=45))
    if allowed and name == "finalize":
        travel = time_machine.travel(timezone.now() + timedelta(days=40))
    if travel:
        travel.start()
    try:
        if allowed:
            run(name, application, caseworker=caseworker, applicant_user=applicant_user)
            application.refresh_from_db()
            assert application.status != state or name == "resolve_appeal"
            entries = AuditEntry.objects.filter(application=application, action=name)
            assert entries.count() == 1
            entry = entries.get()
            assert entry.from_status == state
            assert entry.to_status == application.status
        else:
            version = application.version
            with pytest.raises(ApplicationError):
                run(name, application, caseworker=caseworker, applicant_user=applicant_user)
            application.refresh_from_db()
            assert application.status == state
            assert application.version == version
            assert AuditEntry.objects.filter(application=application).count() == before
    finally:
        if travel:
            travel.stop()


def test_filing_gives_reference_and_due_date(applicant):
    application = ApplicationFactory(ready=True, applicant=applicant.applicants.get())
    with time_machine.travel("2026-01-05 09:00 +01:00"):
        services.application_file(application=application, actor=applicant)
    application.refresh_from_db()
    assert application.status == Status.FILED
    assert application.reference_number == "OAM-1/ZK-2026"
    assert application.filed_on.isoformat() == "2026-01-05"
    assert application.decision_due.isoformat() == "2026-03-06"  # SPEC §3 "plain"


def test_filing_late_evening_utc_counts_as_next_prague_day(applicant):
    application = ApplicationFactory(ready=True, applicant=applicant.applicants.get())
    with time_machine.travel("2026-03-31 23:30 +00:00"):
        services.application_file(application=application, actor=applicant)
    application.refresh_from_db()
    assert application.filed_on.isoformat() == "2026-04-01"
    assert application.reference_number.endswith("-2026")


def test_filing_refused_with_missing_documents_names_them(applicant):
    application = ApplicationFactory(applicant=applicant.applicants.get())
    services.application_confirm_declarations(application=application, actor=applicant)
    with pytest.raises(FilingBlocked) as refusal:
        services.application_file(application=application, actor=applicant)
    assert any("Travel document" in p or "Cestovní" in p for p in refusal.value.problems)
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert application.reference_number is None


def test_filing_refused_without_declarations(applicant):
    from tests.applications.factories import add_required_documents

    application = ApplicationFactory(applicant=applicant.applicants.get())
    add_required_documents(application)
    with pytest.raises(FilingBlocked):
        services.application_file(application=application, actor=applicant)


def test_interruption_stops_and_resumption_restarts_the_clock(caseworker):
    with time_machine.travel("2026-01-05 09:00 +01:00", tick=False) as traveller:
        application = ApplicationFactory(filed=True)
        services.application_claim(application=application, actor=caseworker)
        traveller.move_to("2026-01-20 10:00 +01:00")
        interruption = services.application_interrupt(
            application=application,
            actor=caseworker,
            reason="Missing proof of accommodation.",
            document_kinds=DocumentKind.objects.filter(code="accommodation"),
        )
        application.refresh_from_db()
        assert application.decision_due is None
        assert interruption.deadline == deadlines.period_end(interruption.started_on, 30)
        traveller.move_to("2026-02-03 10:00 +01:00")
        services.application_resume(application=application, actor=caseworker)
    application.refresh_from_db()
    assert application.decision_due.isoformat() == "2026-03-20"  # SPEC §3 "one interruption"


def test_applicant_supplying_every_requested_document_resumes(caseworker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.case_documents import document_upload
    from tests.applications.factories import pdf_bytes

    application = ApplicationFactory(interrupted=True, caseworker=caseworker)
    owner = application.applicant.account
    with pytest.raises(ApplicationError):
        services.application_supply_requested_documents(application=application, actor=owner)
    document_upload(
        application=application,
        kind=DocumentKind.objects.get(code="accommodation"),
        upload=SimpleUploadedFile("flat.pdf", pdf_bytes(), "application/pdf"),
        actor=owner,
    )
    services.application_supply_requested_documents(application=application, actor=owner)
    application.refresh_from_db()
    assert application.status == Status.FILED
    resume = AuditEntry.objects.get(application=application, action="resume")
    assert resume.actor is None  # the system resumed it
    assert application.decision_due is not None


def test_only_the_assigned_caseworker_decides(caseworker, other_caseworker):
    application = ApplicationFactory(filed=True)
    services.application_claim(application=application, actor=caseworker)
    application.refresh_from_db()
    with pytest.raises(NotPermitted):
        services.application_decide(
            application=application, actor=other_caseworker, outcome=Outcome.REJECTED, reasoning="x"
        )


def test_grant_needs_every_required_document_verified(caseworker):
    application = ApplicationFactory(filed=True)
    services.application_claim(application=application, actor=caseworker)
    application.refresh_from_db()
    today = timezone.localdate()
    with pytest.raises(TransitionRefused) as refusal:
        services.application_decide(
            application=application,
            actor=caseworker,
            outcome=Outcome.GRANTED,
            valid_from=today,
            valid_to=today + timedelta(days=300),
        )
    assert refusal.value.problems  # names the unverified documents
    application.refresh_from_db()
    assert application.status == Status.FILED


@pytest.mark.parametrize(("months", "allowed"), [(36, True), (37, False)])
def test_blue_card_validity_is_capped_at_three_years(months, allowed, caseworker):
    from dateutil.relativedelta import relativedelta

    from documents.constants import Verification
    from permits.models import PermitType

    application = ApplicationFactory(
        filed=True, permit_type=PermitType.objects.get(code="blue_card")
    )
    application.documents.update(verification=Verification.ACCEPTED)
    services.application_claim(application=application, actor=caseworker)
    application.refresh_from_db()
    start = timezone.localdate()
    end = start + relativedelta(months=months, days=-1)
    if allowed:
        decision = services.application_decide(
            application=application,
            actor=caseworker,
            outcome=Outcome.GRANTED,
            valid_from=start,
            valid_to=end,
        )
        assert decision.valid_to == end
        assert application.permit.valid_to == end
    else:
        with pytest.raises(TransitionRefused, match="36 months"):
            services.application_decide(
                application=application,
                actor=caseworker,
                outcome=Outcome.GRANTED,
                valid_from=start,
                valid_to=end,
            )


def test_stale_caller_gets_concurrent_change_and_nothing_changes(caseworker):
    application = ApplicationFactory(filed=True)
    stale = Application.objects.get(pk=application.pk)
    services.application_claim(application=application, actor=caseworker)
    with pytest.raises(ConcurrentChange):
        services.application_interrupt(
            application=stale,
            actor=caseworker,
            reason="x",
            document_kinds=DocumentKind.objects.filter(code="accommodation"),
            expected_version=stale.version,  # the version the caseworker's page showed
        )
    application.refresh_from_db()
    assert application.status == Status.FILED


def test_caller_who_saw_another_state_gets_concurrent_change(caseworker):
    application = ApplicationFactory(filed=True)
    stale = Application.objects.get(pk=application.pk)
    services.application_withdraw(application=application, actor=application.applicant.account)
    with pytest.raises(ConcurrentChange):
        services.application_claim(application=stale, actor=caseworker)
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert application.assigned_to is None


def test_decision_delivery_and_appeal_window(caseworker):
    with time_machine.travel("2026-06-01 10:00 +02:00", tick=False) as traveller:
        application = ApplicationFactory(rejected=True, caseworker=caseworker)
        decision = application.decisions.get()
        assert decision.made_available_on.isoformat() == "2026-06-01"
        assert decision.document is not None  # rendered in-process
        traveller.move_to("2026-06-12 10:00 +02:00")
        assert services.decisions_deliver_unopened(today=timezone.localdate()) == 1
        decision.refresh_from_db()
        # SPEC §3 "delivery fiction"
        assert decision.delivered_on.isoformat() == "2026-06-11"
        assert decision.appeal_due.isoformat() == "2026-06-26"
        assert services.decisions_deliver_unopened(today=timezone.localdate()) == 0
        traveller.move_to("2026-06-27 10:00 +02:00")
        with pytest.raises(TransitionRefused):
            services.application_appeal(
                application=application, actor=application.applicant.account, grounds="Late."
            )


def test_returned_appeal_restarts_the_proceedings(caseworker):
    application = ApplicationFactory(appealed=True, caseworker=caseworker)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        services.application_resolve_appeal(
            application=application, actor=caseworker, result=AppealResult.RETURNED
        )
        today = timezone.localdate()
    application.refresh_from_db()
    assert application.status == Status.FILED
    assert application.outcome == ""
    assert application.clock_started_on == today
    assert application.decision_due == deadlines.period_end(today, application.period_days)


def test_audit_entries_are_append_only(caseworker):
    application = ApplicationFactory(filed=True)
    entry = AuditEntry.objects.filter(application=application).first()
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(application=application).update(note="x")
