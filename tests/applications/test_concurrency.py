"""Two people acting on one case at once: exactly one wins, the other is told clearly, and
nothing is lost (SPEC §2). Real threads with their own database connections."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from applications import services
from applications.constants import Outcome, Status
from applications.models import Application, AuditEntry, Decision
from core.errors import ApplicationError, ConcurrentChange
from tests.applications.factories import ApplicationFactory, add_required_documents

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def race(*actions: Callable[[], object]) -> list[object]:
    """Start the actions together; return each one's result or the error it raised."""
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def work(index: int, action: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = action()
        except ApplicationError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_double_submitted_decision_leaves_one_decision(caseworker):
    application = ApplicationFactory(filed=True)
    services.application_claim(application=application, actor=caseworker)
    application.refresh_from_db()
    seen = application.version

    def decide() -> object:
        return services.application_decide(
            application=Application.objects.get(pk=application.pk),
            actor=caseworker,
            outcome=Outcome.REJECTED,
            reasoning="Conditions not met.",
            expected_version=seen,
        )

    results = race(decide, decide)
    errors = [r for r in results if isinstance(r, ApplicationError)]
    assert len(errors) == 1
    assert isinstance(errors[0], ConcurrentChange)
    assert Decision.objects.filter(application=application).count() == 1
    assert AuditEntry.objects.filter(application=application, action="decide").count() == 1
    application.refresh_from_db()
    assert application.status == Status.DECIDED


def test_two_caseworkers_claiming_at_once_one_wins(caseworker, other_caseworker):
    application = ApplicationFactory(filed=True)
    seen = application.version

    def claim(user) -> Callable[[], object]:
        return lambda: services.application_claim(
            application=Application.objects.get(pk=application.pk),
            actor=user,
            expected_version=seen,
        )

    results = race(claim(caseworker), claim(other_caseworker))
    winners = [r for r in results if isinstance(r, Application)]
    assert len(winners) == 1
    application.refresh_from_db()
    assert application.assigned_to_id == winners[0].assigned_to_id
    assert AuditEntry.objects.filter(application=application, action="claim").count() == 1


def test_interrupt_and_withdraw_at_once_one_wins(caseworker):
    from permits.models import DocumentKind

    application = ApplicationFactory(filed=True)
    services.application_claim(application=application, actor=caseworker)
    application.refresh_from_db()
    owner = application.applicant.account
    kinds = list(DocumentKind.objects.filter(code="accommodation"))
    # Both act on the case as they saw it, as their pages post it: without that, a slow thread
    # scheduler that ran one action after the other would be a legal interrupt-then-withdraw,
    # not a race.
    seen = application.version

    results = race(
        lambda: services.application_interrupt(
            application=Application.objects.get(pk=application.pk),
            actor=caseworker,
            reason="Missing.",
            document_kinds=kinds,
            expected_version=seen,
        ),
        lambda: services.application_withdraw(
            application=Application.objects.get(pk=application.pk),
            actor=owner,
            expected_version=seen,
        ),
    )
    assert sum(isinstance(r, ApplicationError) for r in results) == 1
    application.refresh_from_db()
    assert application.status in (Status.INTERRUPTED, Status.WITHDRAWN)
    transitions = AuditEntry.objects.filter(
        application=application, action__in=["interrupt", "withdraw"]
    )
    assert transitions.count() == 1


def test_reference_numbers_are_unique_and_gapless_under_concurrency():
    drafts = []
    for _ in range(6):
        draft = ApplicationFactory(ready=True)
        drafts.append(draft)

    def file(draft: Application) -> Callable[[], object]:
        return lambda: services.application_file(
            application=Application.objects.get(pk=draft.pk), actor=draft.applicant.account
        )

    results = race(*(file(d) for d in drafts))
    assert not [r for r in results if isinstance(r, Exception)]
    sequences = sorted(Application.objects.values_list("reference_sequence", flat=True))
    assert sequences == [1, 2, 3, 4, 5, 6]
    numbers = set(Application.objects.values_list("reference_number", flat=True))
    assert len(numbers) == 6


def test_upload_sub_numbers_are_unique_under_concurrency():
    application = ApplicationFactory()
    results = race(*(lambda: add_required_documents(application) for _ in range(3)))
    assert not [r for r in results if isinstance(r, Exception)]
    numbers = list(application.documents.values_list("sub_number", flat=True))
    assert len(numbers) == len(set(numbers))
