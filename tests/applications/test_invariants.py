"""``manage.py check_invariants``: every case that breaks a rule of SPEC §2.

Each violation is planted directly in the database, around the services, on an otherwise
consistent set of cases, and the command must find exactly it; the demo data and cases taken
through the real services must show none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from applications import invariants, services
from applications.case_documents import document_verify
from applications.constants import AppealResult, InterruptionEnd, Outcome, Status
from applications.models import Appeal, Application, Decision, Interruption
from documents.constants import Role, Verification
from documents.models import Document
from permits.models import DocumentKind, Permit
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

# A Tuesday in Prague, away from holidays: appeal and document deadlines fall on working days.
NOW = "2026-03-10 10:00 +01:00"
LINE = re.compile(r"^(?P<reference>\S+) \(id (?P<id>\d+)\) (?P<rule>\w+): (?P<detail>.+) \[.+\]$")


def check() -> tuple[set[tuple[int, str]], list[str], CommandError | None]:
    """Run the command: the (case id, rule) pairs it lists, its lines, and its error if any."""
    out = StringIO()
    try:
        call_command("check_invariants", stdout=out)
    except CommandError as error:
        failure = error
    else:
        failure = None
    lines = out.getvalue().splitlines()
    found = {(int(m["id"]), m["rule"]) for m in map(LINE.match, lines) if m}
    return found, lines, failure


def assert_clean() -> None:
    found, lines, failure = check()
    assert (found, failure) == (set(), None), lines
    assert lines == ["0 violations"]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def delivered(application: Application) -> Decision:
    decision = application.decisions.get()
    return services.decision_open(decision=decision, actor=application.applicant.account)


# --- Each rule finds what was planted -------------------------------------------------------


def _second_decision(application: Application) -> None:
    Decision.objects.create(
        application=application,
        outcome=Outcome.REJECTED,
        reasoning="Planted.",
        decided_on=timezone.localdate(),
    )


def _no_decision(application: Application) -> None:
    Decision.objects.filter(application=application).delete()


def _no_pdf(application: Application) -> None:
    Decision.objects.filter(application=application).update(document=None)


def _closed_early(application: Application) -> None:
    delivered(application)
    Application.objects.filter(pk=application.pk).update(
        status=Status.CLOSED, closed_on=timezone.localdate()
    )


def _closed_undelivered(application: Application) -> None:
    Application.objects.filter(pk=application.pk).update(
        status=Status.CLOSED, closed_on=timezone.localdate()
    )


def _permit_on_rejection(application: Application) -> None:
    Permit.objects.create(
        application=application,
        number="RP-PLANTED",
        permit_type=application.permit_type,
        holder=application.applicant,
        valid_from=timezone.localdate(),
    )


def _no_permit(application: Application) -> None:
    Permit.objects.filter(application=application).delete()


def _interruption_closed(application: Application) -> None:
    Interruption.objects.filter(application=application).update(
        ended_on=timezone.localdate(), end_reason=InterruptionEnd.RESUMED
    )


def _interruption_left_open(application: Application) -> None:
    today = timezone.localdate()
    Interruption.objects.create(
        application=application, reason="Planted.", started_on=today, deadline=today
    )


def _no_filing_time(application: Application) -> None:
    Application.objects.filter(pk=application.pk).update(filed_at=None)


def _no_reference(application: Application) -> None:
    Application.objects.filter(pk=application.pk).update(reference_number="")


def _verified_later(application: Application) -> None:
    document = application.documents.filter(role=Role.EVIDENCE).first()
    Document.objects.filter(pk=document.pk).update(
        verification=Verification.ACCEPTED, verified_at=timezone.now() + timedelta(hours=2)
    )


def _appeal_on_closed(application: Application) -> None:
    Application.objects.filter(pk=application.pk).update(
        status=Status.CLOSED, closed_on=timezone.localdate()
    )


def _appealed_without_appeal(application: Application) -> None:
    delivered(application)
    Application.objects.filter(pk=application.pk).update(status=Status.APPEALED)


def _appeal_dismissed_but_open(application: Application) -> None:
    Appeal.objects.filter(application=application).update(
        result=AppealResult.DISMISSED, result_recorded_at=timezone.now()
    )


PLANTED: dict[str, tuple[str, dict, Callable[[Application], None]]] = {
    # id: (rule, factory traits, plant)
    "two decisions": ("decision_count", {"rejected": True}, _second_decision),
    "decided without one": ("decision_count", {"rejected": True}, _no_decision),
    "filed with one": ("decision_count", {"filed": True}, _second_decision),
    "no PDF": ("decision_pdf", {"rejected": True}, _no_pdf),
    "closed in the period": ("closed_in_appeal_period", {"rejected": True}, _closed_early),
    "closed undelivered": ("closed_in_appeal_period", {"rejected": True}, _closed_undelivered),
    "permit on a rejection": ("permit_without_grant", {"rejected": True}, _permit_on_rejection),
    "grant without permit": ("grant_without_permit", {"decided": True}, _no_permit),
    "interrupted, none open": ("open_interruption", {"interrupted": True}, _interruption_closed),
    "filed, one open": ("open_interruption", {"filed": True}, _interruption_left_open),
    "no filing time": ("filing_particulars", {"filed": True}, _no_filing_time),
    "no reference": ("filing_particulars", {"filed": True}, _no_reference),
    "verified after decision": ("evidence_after_decision", {"rejected": True}, _verified_later),
    "verified after withdrawal": ("evidence_after_decision", {"withdrawn": True}, _verified_later),
    "pending appeal, closed": ("appeal_state", {"appealed": True}, _appeal_on_closed),
    "appealed, no appeal": ("appeal_state", {"rejected": True}, _appealed_without_appeal),
    "dismissed, still appealed": ("appeal_state", {"appealed": True}, _appeal_dismissed_but_open),
}


@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize("planted", PLANTED)
def test_the_command_finds_exactly_the_planted_violation(planted, caseworker):
    rule, traits, plant = PLANTED[planted]
    # The bystanders: a case in each state, all consistent.
    for state in ("filed", "interrupted", "decided", "appealed", "withdrawn"):
        ApplicationFactory(caseworker=caseworker, **{state: True})
    application = ApplicationFactory(caseworker=caseworker, **traits)
    assert_clean()

    plant(application)
    found, lines, failure = check()

    assert found == {(application.pk, rule)}, lines
    assert isinstance(failure, CommandError)
    assert failure.returncode != 0
    violations = [line for line in lines if LINE.match(line)]
    assert str(failure) == f"{len(violations)} violation{'' if len(violations) == 1 else 's'}"


@pytest.mark.usefixtures("clock")
def test_each_violation_names_the_case_the_rule_and_what_is_wrong(caseworker):
    application = ApplicationFactory(caseworker=caseworker, decided=True)
    _no_permit(application)

    _found, lines, _failure = check()

    decision = application.decisions.get()
    assert lines == [
        f"{application.reference_number} (id {application.pk}) grant_without_permit: "
        f"granted decision {decision.pk} without a permit "
        "[SPEC §2: a granted application yields a permits.Permit]"
    ]


def test_every_rule_cites_the_spec_and_is_planted_here():
    assert {rule.code for rule in invariants.RULES} == {rule for rule, *_ in PLANTED.values()}
    assert all(rule.citation.startswith("SPEC §") for rule in invariants.RULES)


@pytest.mark.usefixtures("clock")
def test_each_rule_takes_at_most_two_queries_whatever_the_number_of_cases(
    caseworker, django_assert_max_num_queries
):
    for state in ("filed", "interrupted", "decided", "appealed", "withdrawn") * 2:
        application = ApplicationFactory(caseworker=caseworker, **{state: True})
        _no_filing_time(application)  # every case offends at least one rule
    today = timezone.localdate()

    for rule in invariants.RULES:
        with django_assert_max_num_queries(2):
            list(rule.check(today))


# --- Consistent data shows none -------------------------------------------------------------


@pytest.fixture
def demo_data(settings):
    """What DJANGO_DEBUG=1 turns on (tests run with debug off, as production does)."""
    settings.DEMO_DATA_ENABLED = True


def test_the_demo_data_has_no_violation(demo_data, django_capture_on_commit_callbacks):
    # The decisions' PDFs are rendered once the seed commits, as in `make run`.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    assert Application.objects.filter(status=Status.CLOSED).exists()

    assert_clean()


def test_cases_taken_through_the_services_have_no_violation(
    caseworker, clock, django_capture_on_commit_callbacks
):
    accommodation = DocumentKind.objects.filter(code="accommodation")
    # Verified by the caseworker before the decision: recorded, and not "after" it.
    filed = ApplicationFactory(filed=True)
    services.application_claim(application=filed, actor=caseworker)
    for document in filed.documents.all():
        document_verify(document=document, actor=caseworker, accepted=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            application=Application.objects.get(pk=filed.pk),
            actor=caseworker,
            outcome=Outcome.GRANTED,
            valid_from=timezone.localdate(),
            valid_to=timezone.localdate() + timedelta(days=364),
        )
    to_finalize = ApplicationFactory(caseworker=caseworker, rejected=True)
    delivered(to_finalize)
    dismissed = ApplicationFactory(caseworker=caseworker, appealed=True)
    services.application_resolve_appeal(
        application=dismissed, actor=caseworker, result=AppealResult.DISMISSED
    )
    returned = ApplicationFactory(caseworker=caseworker, appealed=True)
    services.application_resolve_appeal(
        application=returned, actor=caseworker, result=AppealResult.RETURNED
    )
    resumed = ApplicationFactory(caseworker=caseworker, interrupted=True)
    services.application_resume(application=resumed, actor=caseworker)
    to_stop = ApplicationFactory(caseworker=caseworker, interrupted=True)
    withdrawn_while_interrupted = ApplicationFactory(caseworker=caseworker, interrupted=True)
    services.application_withdraw(
        application=withdrawn_while_interrupted,
        actor=withdrawn_while_interrupted.applicant.account,
    )
    ApplicationFactory(caseworker=caseworker, withdrawn=True)
    assert_clean()

    clock.shift(timedelta(days=45))
    services.application_finalize(application=to_finalize)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_stop(application=to_stop, actor=caseworker)
        # New proceedings after the return: verified again, then granted.
        returned = Application.objects.get(pk=returned.pk)
        services.application_interrupt(
            application=returned,
            actor=caseworker,
            reason="A newer proof of accommodation.",
            document_kinds=accommodation,
        )
        services.application_resume(application=returned, actor=caseworker)
        document_verify(
            document=returned.documents.filter(role=Role.EVIDENCE).first(),
            actor=caseworker,
            accepted=True,
        )
        clock.shift(timedelta(minutes=1))
        services.application_decide(
            application=Application.objects.get(pk=returned.pk),
            actor=caseworker,
            outcome=Outcome.GRANTED,
            valid_from=timezone.localdate(),
            valid_to=timezone.localdate() + timedelta(days=364),
        )

    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses[to_finalize.pk] == statuses[dismissed.pk] == Status.CLOSED
    assert statuses[to_stop.pk] == statuses[returned.pk] == Status.DECIDED
    assert_clean()


def test_a_grant_set_aside_on_appeal_leaves_no_permit(caseworker, clock):
    application = ApplicationFactory(caseworker=caseworker, decided=True)
    delivered(application)
    services.application_appeal(
        application=application, actor=application.applicant.account, grounds="Longer validity."
    )
    services.application_resolve_appeal(
        application=Application.objects.get(pk=application.pk),
        actor=caseworker,
        result=AppealResult.RETURNED,
    )

    assert_clean()
