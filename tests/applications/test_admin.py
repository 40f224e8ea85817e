"""The back office: pages load with bounded queries; what the office may do to a case is a button
with a confirmation page and a required reason, run by the same services as the caseworkers'
pages, with their guards, leaving one audit row that carries the reason."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from applications import services
from applications.admin import ApplicationAdmin
from applications.constants import AppealResult, Outcome, Status
from applications.models import Application, AuditEntry, Decision, Interruption
from permits.models import DocumentKind, Permit
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

# Dates matter here (deadlines, the appeal period): every test runs on one pinned Monday.
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Prague"))
REASON = "The applicant's signed letter of 27 February 2026, filed by post."


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def action_url(application: Application, action: str) -> str:
    return reverse("admin:applications_application_service_action", args=[application.pk, action])


def change_url(application: Application) -> str:
    return reverse("admin:applications_application_change", args=[application.pk])


def case_state(application: Application) -> tuple[Any, ...]:
    """What a refused or unconfirmed action must leave as it was."""
    row = Application.objects.get(pk=application.pk)
    return (
        row.status,
        row.version,
        row.assigned_to_id,
        row.decision_due,
        AuditEntry.objects.filter(application=application).count(),
        Decision.objects.filter(application=application).count(),
        Interruption.objects.filter(application=application, ended_on__isnull=True).count(),
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- The cases each action is tried on ------------------------------------------------------


def filed(**_: Any) -> Application:
    return ApplicationFactory(filed=True)


def assigned(caseworker, **_: Any) -> Application:
    application = ApplicationFactory(filed=True)
    return services.application_claim(application=application, actor=caseworker)


def interrupted(caseworker, **_: Any) -> Application:
    return ApplicationFactory(interrupted=True, caseworker=caseworker)


def past_the_documents_deadline(caseworker, clock, **_: Any) -> Application:
    application = ApplicationFactory(interrupted=True, caseworker=caseworker)
    clock.shift(timedelta(days=40))
    return application


def past_the_appeal_period(caseworker, clock, **_: Any) -> Application:
    application = ApplicationFactory(decided=True, caseworker=caseworker)
    decision = application.decisions.get()
    services.decision_open(decision=decision, actor=application.applicant.account)
    clock.shift(timedelta(days=30))
    return Application.objects.get(pk=application.pk)


def appealed(caseworker, **_: Any) -> Application:
    return ApplicationFactory(appealed=True, caseworker=caseworker)


def _accommodation() -> int:
    return DocumentKind.objects.get(code="accommodation").pk


# action, the case, the form without the reason, the audit row's action, the state after, and
# words of the success message.
ACTIONS: list[tuple[str, Callable[..., Application], Callable[..., dict], str, str, str]] = [
    ("withdraw", filed, lambda c: {}, "withdraw", Status.WITHDRAWN, "withdrawn on the applicant"),
    (
        "interrupt",
        filed,
        lambda c: {"document_kinds": [_accommodation()], "deadline_days": 30},
        "interrupt",
        Status.INTERRUPTED,
        "are interrupted until",
    ),
    ("resume", interrupted, lambda c: {}, "resume", Status.FILED, "are resumed"),
    (
        "decide",
        assigned,
        lambda c: {"outcome": Outcome.REJECTED, "reasoning": "The conditions are not met."},
        "decide",
        Status.DECIDED,
        "is issued (rejected)",
    ),
    ("stop", past_the_documents_deadline, lambda c: {}, "stop", Status.DECIDED, "are stopped"),
    ("finalize", past_the_appeal_period, lambda c: {}, "finalize", Status.CLOSED, "legal effect"),
    (
        "resolve-appeal",
        appealed,
        lambda c: {"result": AppealResult.DISMISSED},
        "resolve_appeal",
        Status.CLOSED,
        "the case is closed",
    ),
    ("assign", filed, lambda c: {"assignee": c.pk}, "assign", Status.FILED, "is assigned to"),
    ("release", interrupted, lambda c: {}, "release", Status.INTERRUPTED, "no longer assigned"),
]
ACTION_IDS = [case[0] for case in ACTIONS]


@pytest.mark.parametrize(
    ("action", "make", "fields", "audited", "after", "said"), ACTIONS, ids=ACTION_IDS
)
def test_each_case_action_asks_first_then_runs_its_service_with_one_audit_row(
    admin_client, superuser, caseworker, clock, action, make, fields, audited, after, said
):
    application = make(caseworker=caseworker, clock=clock)
    admin_client.force_login(superuser)  # again: the case may have moved the clock on
    before = case_state(application)
    entries = AuditEntry.objects.filter(application=application).count()

    page = admin_client.get(change_url(application))
    assert action_url(application, action).encode() in page.content
    asked = admin_client.get(action_url(application, action))

    assert asked.status_code == 200
    assert str(asked.context["action"].explanation) in html.unescape(asked.content.decode())
    assert b'name="reason"' in asked.content
    assert case_state(application) == before, "the confirmation page changed the case"

    data = {"expected_version": before[1], "reason": REASON, **fields(caseworker)}
    done = admin_client.post(action_url(application, action), data, follow=True)

    assert done.redirect_chain == [(change_url(application), 302)]
    assert any(said in message for message in messages_of(done)), messages_of(done)
    application.refresh_from_db()
    assert application.status == after
    new = AuditEntry.objects.filter(application=application).order_by("pk")[entries:]
    assert len(new) == 1
    assert new[0].action == audited
    assert new[0].actor == superuser
    assert REASON in new[0].note


def test_a_decision_keeps_its_reasoning_and_the_audit_row_adds_the_reason(admin_client, caseworker):
    application = assigned(caseworker)
    admin_client.post(
        action_url(application, "decide"),
        {
            "expected_version": application.version,
            "outcome": Outcome.REJECTED,
            "reasoning": "The conditions are not met.",
            "reason": REASON,
        },
    )

    decision = application.decisions.get()
    assert decision.reasoning == "The conditions are not met."
    entry = AuditEntry.objects.get(application=application, action="decide")
    assert entry.note == f"The conditions are not met.\n\n{REASON}"


def test_an_appeal_result_is_recorded_with_the_reason_as_its_note(admin_client, caseworker):
    application = appealed(caseworker)
    admin_client.post(
        action_url(application, "resolve-appeal"),
        {"expected_version": application.version, "result": "returned", "reason": REASON},
    )

    appeal = application.appeals.get()
    assert appeal.result == AppealResult.RETURNED
    assert appeal.result_note == REASON
    assert Application.objects.get(pk=application.pk).status == Status.FILED


@pytest.mark.parametrize(
    ("action", "make", "fields", "audited", "after", "said"), ACTIONS, ids=ACTION_IDS
)
def test_without_a_reason_nothing_is_done(
    admin_client, superuser, caseworker, clock, action, make, fields, audited, after, said
):
    application = make(caseworker=caseworker, clock=clock)
    admin_client.force_login(superuser)
    before = case_state(application)

    response = admin_client.post(
        action_url(application, action),
        {"expected_version": before[1], "reason": "  ", **fields(caseworker)},
    )

    assert response.status_code == 200
    assert "Nothing was done: give the reason for this action." in messages_of(response)
    assert b"Give the reason for this action." in response.content
    assert case_state(application) == before


@pytest.mark.parametrize(
    ("make", "action", "fields", "refusal"),
    [
        (
            interrupted,
            "stop",
            {},
            "Proceedings can be stopped only after the documents' deadline has passed.",
        ),
        (
            filed,
            "decide",
            {"outcome": Outcome.REJECTED, "reasoning": "The conditions are not met."},
            "A case must be assigned to a caseworker before it is decided.",
        ),
        (appealed, "withdraw", {}, "This action is not possible while the case is appealed."),
        (filed, "resume", {}, "This action is not possible while the case is filed."),
    ],
    ids=["stop-before-the-deadline", "decide-unassigned", "withdraw-appealed", "resume-filed"],
)
def test_the_services_guards_hold_and_their_refusal_is_shown(
    admin_client, caseworker, make, action, fields, refusal
):
    application = make(caseworker=caseworker)
    before = case_state(application)

    # Not offered on the case's page, and its confirmation page sends back with a warning.
    assert (
        action_url(application, action).encode()
        not in admin_client.get(change_url(application)).content
    )
    asked = admin_client.get(action_url(application, action), follow=True)
    assert asked.redirect_chain == [(change_url(application), 302)]
    assert any("is not possible now" in message for message in messages_of(asked))

    # Posted anyway (a page from before the case changed): the service refuses, in its words.
    response = admin_client.post(
        action_url(application, action),
        {"expected_version": before[1], "reason": REASON, **fields},
    )

    assert response.status_code == 200
    assert refusal in messages_of(response)
    assert case_state(application) == before


def test_a_concurrent_change_is_reported_and_the_admin_confirms_again(
    admin_client, superuser, caseworker
):
    application = filed()
    seen = admin_client.get(action_url(application, "withdraw")).context["form"]
    shown_version = seen.initial["expected_version"]
    # Meanwhile a caseworker takes the case.
    services.application_claim(application=application, actor=caseworker)
    before = case_state(application)

    response = admin_client.post(
        action_url(application, "withdraw"),
        {"expected_version": shown_version, "reason": REASON},
    )

    assert response.status_code == 409
    assert any("This case changed meanwhile" in message for message in messages_of(response))
    assert case_state(application) == before
    # The page now carries the present version and what was typed: confirming again works.
    form = response.context["form"]
    assert form["expected_version"].value() == str(before[1])
    assert form["reason"].value() == REASON
    admin_client.post(
        action_url(application, "withdraw"),
        {"expected_version": before[1], "reason": REASON},
    )
    assert Application.objects.get(pk=application.pk).status == Status.WITHDRAWN
    assert AuditEntry.objects.filter(application=application, action="withdraw").count() == 1


def test_staff_the_services_do_not_permit_are_refused_by_them(client, caseworker):
    """A staff account that may read cases in the back office, and nothing else: no action is
    offered, and one posted anyway is refused by the service."""
    reader = UserFactory(is_staff=True)
    reader.user_permissions.add(
        Permission.objects.get(codename="view_application", content_type__app_label="applications")
    )
    application = filed()
    before = case_state(application)
    client.force_login(reader)

    page = client.get(change_url(application))
    assert page.status_code == 200
    assert b"Nothing can be done to this record in its present state." in page.content

    response = client.post(
        action_url(application, "withdraw"), {"expected_version": before[1], "reason": REASON}
    )
    assert "You may not do this on this case." in messages_of(response)
    assert case_state(application) == before


def test_the_case_page_offers_what_the_state_allows(admin_client, caseworker):
    application = filed()
    page = admin_client.get(change_url(application))
    offered = [action.name for action, url in page.context["service_actions"]]
    assert offered == ["withdraw", "interrupt", "assign"]
    # Human labels, not the transitions' names.
    assert b"Withdraw on the applicant&#x27;s behalf" in page.content
    assert b"_fsm_transition_to" not in page.content

    draft = ApplicationFactory()
    page = admin_client.get(change_url(draft))
    assert page.context["service_actions"] == []


def test_unknown_actions_and_other_methods_are_refused(admin_client):
    application = filed()
    assert admin_client.get(action_url(application, "delete")).status_code == 404
    assert admin_client.put(action_url(application, "withdraw")).status_code == 405
    missing = reverse("admin:applications_application_service_action", args=[999999, "withdraw"])
    assert admin_client.get(missing).status_code == 404


def test_the_admin_uses_no_private_part_of_django_fsm():
    from django_fsm.admin import FSMAdminMixin

    assert FSMAdminMixin not in ApplicationAdmin.__mro__
    assert not hasattr(ApplicationAdmin, "_apply_fsm_transition")


# --- The permit: read-only, the holder's steps through the services ------------------------------


def test_the_permits_steps_are_recorded_through_the_services_with_the_reason(
    admin_client, superuser, caseworker, clock
):
    application = ApplicationFactory(decided=True, caseworker=caseworker)
    permit = Permit.objects.get(application=application)
    today = timezone.localdate()
    steps = [
        ("entry", {"entered_on": today - timedelta(days=3)}, "entry_recorded"),
        ("biometrics", {"taken_on": today}, "biometrics_recorded"),
        ("pickup", {"picked_up_on": today}, "card_picked_up"),
    ]
    for action, fields, audited in steps:
        url = reverse("admin:permits_permit_service_action", args=[permit.pk, action])
        entries = AuditEntry.objects.filter(application=application).count()
        assert admin_client.get(url).status_code == 200
        assert AuditEntry.objects.filter(application=application).count() == entries

        refused = admin_client.post(url, fields)
        assert "Nothing was done: give the reason for this action." in messages_of(refused)
        assert AuditEntry.objects.filter(application=application).count() == entries

        done = admin_client.post(url, {**fields, "reason": REASON})
        assert done.status_code == 302
        new = AuditEntry.objects.filter(application=application).order_by("pk")[entries:]
        assert [(entry.action, entry.note, entry.actor) for entry in new] == [
            (audited, REASON, superuser)
        ]

    permit.refresh_from_db()
    assert permit.entered_on == today - timedelta(days=3)
    assert permit.biometrics_due is not None
    assert permit.biometrics_on == today
    assert permit.pickup_due is not None
    assert permit.picked_up_on == today


def test_the_permits_steps_need_the_permission_to_change_a_permit(client, caseworker):
    """The permit's services check no permission of their own: reading permits in the back
    office is not enough to record on one."""
    reader = UserFactory(is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_permit"))
    application = ApplicationFactory(decided=True, caseworker=caseworker)
    permit = Permit.objects.get(application=application)
    url = reverse("admin:permits_permit_service_action", args=[permit.pk, "entry"])
    client.force_login(reader)

    page = client.get(reverse("admin:permits_permit_change", args=[permit.pk]))
    assert page.status_code == 200
    assert page.context["service_actions"] == []
    assert client.get(url).status_code == 403
    response = client.post(url, {"entered_on": timezone.localdate(), "reason": REASON})
    assert response.status_code == 403
    permit.refresh_from_db()
    assert permit.entered_on is None


def test_a_card_cannot_be_recorded_as_collected_before_biometrics(admin_client, caseworker):
    application = ApplicationFactory(decided=True, caseworker=caseworker)
    permit = Permit.objects.get(application=application)
    url = reverse("admin:permits_permit_service_action", args=[permit.pk, "pickup"])

    response = admin_client.post(url, {"picked_up_on": timezone.localdate(), "reason": REASON})

    assert any("biometric data were taken first" in message for message in messages_of(response))
    permit.refresh_from_db()
    assert permit.picked_up_on is None


# --- Lists ---------------------------------------------------------------------------------------

MODELS = [
    "applications/application",
    "applications/applicant",
    "applications/interruption",
    "applications/decision",
    "applications/appeal",
    "applications/auditentry",
    "applications/casenote",
    "documents/document",
    "notifications/notification",
    "permits/permittype",
    "permits/documentkind",
    "permits/permit",
    "accounts/user",
]


@pytest.fixture
def cases(caseworker):
    ApplicationFactory.create_batch(2, filed=True)
    ApplicationFactory(interrupted=True, caseworker=caseworker)
    ApplicationFactory(rejected=True, caseworker=caseworker)
    ApplicationFactory(appealed=True, caseworker=caseworker)
    ApplicationFactory(decided=True, caseworker=UserFactory(role=Role.CASEWORKER))


@pytest.mark.parametrize("model", MODELS)
def test_changelists_load_with_bounded_queries(
    model, admin_client, cases, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        response = admin_client.get(f"/admin/{model}/")
    assert response.status_code == 200
