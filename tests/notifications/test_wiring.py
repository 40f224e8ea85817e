"""Every change of state that concerns the applicant notifies them, through the real application
services (SPEC §6): these tests pass once ``applications/services.py`` registers the notification
services with ``transaction.on_commit`` (see the wiring lines in the notifications hand-over).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.constants import Role
from applications import services
from applications.case_documents import document_upload
from applications.constants import AppealResult, Outcome, Status
from applications.sweeps import run_daily_system_steps
from core import clock
from notifications.constants import Channel, Kind
from notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, pdf_bytes
from tests.notifications.factories import (
    forget_notices,
    mailed_kinds,
    notifications_mailed,
    subject_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def notices(application, kind: Kind) -> set[tuple[int | None, str]]:
    return set(
        Notification.objects.filter(application=application, kind=kind).values_list(
            "recipient_id", "channel"
        )
    )


def both_channels(user) -> set[tuple[int, str]]:
    return {(user.pk, Channel.IN_APP), (user.pk, Channel.EMAIL)}


def test_filing(committed):
    application = ApplicationFactory(ready=True)
    applicant = application.applicant.account
    forget_notices()

    with committed():
        services.application_file(application=application, actor=applicant)

    assert notices(application, Kind.FILED) == both_channels(applicant)
    assert mailed_kinds(mail.outbox) == [Kind.FILED]


def test_interruption(committed, caseworker):
    from permits.models import DocumentKind

    application = ApplicationFactory(filed=True)
    services.application_claim(application=application, actor=caseworker)
    forget_notices()

    with committed():
        services.application_interrupt(
            application=application,
            actor=caseworker,
            reason="Missing proof of accommodation.",
            document_kinds=DocumentKind.objects.filter(code="accommodation"),
        )

    assert notices(application, Kind.INTERRUPTED) == both_channels(application.applicant.account)
    assert mailed_kinds(mail.outbox) == [Kind.INTERRUPTED]


def test_resumption_by_the_caseworker(committed):
    application = ApplicationFactory(interrupted=True)
    forget_notices()

    with committed():
        services.application_resume(application=application, actor=application.assigned_to)

    assert notices(application, Kind.RESUMED) == both_channels(application.applicant.account)


def test_resumption_when_the_applicant_supplies_the_documents(committed):
    application = ApplicationFactory(interrupted=True)
    applicant = application.applicant.account
    requested = application.interruptions.get().requested_kinds.get()
    document_upload(
        application=application,
        kind=requested,
        upload=SimpleUploadedFile("lease.pdf", pdf_bytes("lease"), "application/pdf"),
        actor=applicant,
    )
    forget_notices()

    with committed():
        services.application_supply_requested_documents(application=application, actor=applicant)

    assert notices(application, Kind.RESUMED) == both_channels(applicant)


def test_decision_made_available(committed, caseworker):
    application = ApplicationFactory(filed=True)
    services.application_claim(application=application, actor=caseworker)
    forget_notices()

    # The decision is rendered to PDF after commit and made available: then the notice goes.
    with committed():
        services.application_decide(
            application=application,
            actor=caseworker,
            outcome=Outcome.REJECTED,
            reasoning="The conditions are not met.",
        )

    assert notices(application, Kind.DECIDED) == both_channels(application.applicant.account)
    [email] = [n for n in notifications_mailed(mail.outbox) if n.kind == Kind.DECIDED]
    assert email.due_on is not None


def test_appeal(committed):
    application = ApplicationFactory(rejected=True)
    applicant = application.applicant.account
    services.decision_open(decision=application.decisions.get(), actor=applicant)
    forget_notices()

    with committed():
        services.application_appeal(application=application, actor=applicant, grounds="No.")

    assert notices(application, Kind.APPEAL_RECEIVED) == both_channels(applicant)


def test_finality_by_the_daily_job(committed):
    application = ApplicationFactory(rejected=True)
    decision = services.decision_open(
        decision=application.decisions.get(), actor=application.applicant.account
    )
    forget_notices()
    next_day = decision.appeal_due + timedelta(days=1)
    half_past_midnight = datetime.combine(next_day, time(0, 30), tzinfo=clock.PRAGUE)

    with time_machine.travel(half_past_midnight, tick=False), committed():
        outcome = run_daily_system_steps(today=next_day)

    assert outcome["finalized"] == 1
    application.refresh_from_db()
    assert application.status == Status.CLOSED
    assert notices(application, Kind.CLOSED) == both_channels(application.applicant.account)


@pytest.mark.parametrize(
    ("result", "kind", "status"),
    [
        (AppealResult.DISMISSED, Kind.CLOSED, Status.CLOSED),
        (AppealResult.RETURNED, Kind.FILED, Status.FILED),
    ],
)
def test_appeal_result(committed, result, kind, status):
    application = ApplicationFactory(appealed=True)
    forget_notices()

    with committed():
        services.application_resolve_appeal(
            application=application, actor=application.assigned_to, result=result
        )

    application.refresh_from_db()
    assert application.status == status
    assert notices(application, kind) == both_channels(application.applicant.account)
    if result == AppealResult.RETURNED:
        # The account reads Czech (the default): "returned for new proceedings".
        [email] = notifications_mailed(mail.outbox)
        assert email.subject == subject_of(Kind.FILED, "cs", returned=True)


def test_assignment_by_a_supervisor_but_not_a_claim(committed, supervisor, caseworker):
    assigned = ApplicationFactory(filed=True)
    claimed = ApplicationFactory(filed=True)
    other = UserFactory(role=Role.CASEWORKER)
    forget_notices()

    with committed():
        services.application_assign(application=assigned, actor=supervisor, assignee=caseworker)
        services.application_claim(application=claimed, actor=other)

    assert notices(assigned, Kind.ASSIGNED) == both_channels(caseworker)
    assert notices(claimed, Kind.ASSIGNED) == set()
