"""Who may act on a case (SPEC §2): "Other caseworkers may read a case and add internal notes,
but act on it only once it is assigned to them; supervisors act on every case. The assigned
caseworker is told of a colleague's note and of anything a supervisor did on their case."

Each action is tried by a colleague who does not have the case (refused by the service and on
the page: nothing changes, no audit row), by a supervisor (done, and the assignee is told) and by
the assignee (done, nobody told of their own action).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from applications import extensions, guards, services
from applications.case_documents import document_upload, document_verify
from applications.constants import AppealResult, ChangeKind, Status
from applications.models import (
    Application,
    AuditEntry,
    ChangeReport,
    DeadlineExtension,
    Interruption,
)
from core import clock
from core.errors import NotPermitted
from core.models import OutboxMessage
from documents.constants import Role as DocumentRole
from documents.models import Document
from notifications.constants import Channel, Kind
from notifications.models import Notification
from permits.models import DocumentKind
from tests.applications.factories import ApplicationFactory, pdf_bytes
from tests.notifications.factories import forget_notices

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english(caseworker):
    """The refusals are compared in English, and the assignee reads notices in English."""
    caseworker.preferred_language = "en"
    caseworker.save(update_fields=["preferred_language"])
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _pinned_clock():
    """A Wednesday morning in Prague: the deadlines here are read from today."""
    with time_machine.travel(datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo("Europe/Prague"))):
        yield


# Lazy: compared in the language active when the assertion runs (English, ``_in_english``).
NOT_ASSIGNED = guards.NOT_ASSIGNED
ASSIGNEE_ONLY = guards.ASSIGNEE_ONLY


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a service left for after its commit: the outbox delivers in-process."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- The cases and the actions ----------------------------------------------------------------


def filed_for(caseworker) -> Application:
    application = ApplicationFactory(filed=True)
    services.application_claim(application=application, actor=caseworker)
    application.refresh_from_db()
    return application


def interrupted_for(caseworker) -> Application:
    return ApplicationFactory(interrupted=True, caseworker=caseworker)


def late_interruption_for(caseworker) -> Application:
    """Interrupted, the documents' deadline passed: the proceedings may be stopped."""
    application = interrupted_for(caseworker)
    today = timezone.localdate()
    Interruption.objects.filter(application=application).update(
        started_on=today - timedelta(days=40), deadline=today - timedelta(days=5)
    )
    return application


def appealed_for(caseworker) -> Application:
    return ApplicationFactory(appealed=True, caseworker=caseworker)


def asked_for_more_time(caseworker) -> Application:
    application = interrupted_for(caseworker)
    extensions.extension_request(
        application=application,
        actor=application.applicant.account,
        reason="The consulate needs three weeks to certify the lease.",
    )
    application.refresh_from_db()
    return application


def with_reported_change(caseworker) -> Application:
    application = filed_for(caseworker)
    services.change_report_submit(
        application=application,
        actor=application.applicant.account,
        kind=ChangeKind.ADDRESS,
        data={"address": "Korunní 5, Praha 2"},
    )
    application.refresh_from_db()
    return application


def evidence(application: Application) -> Document:
    return (
        Document.objects.filter(application=application, role=DocumentRole.EVIDENCE)
        .order_by("sub_number")
        .first()
    )


def open_request(application: Application) -> DeadlineExtension:
    return DeadlineExtension.objects.get(interruption__application=application, result="")


def new_deadline() -> Any:
    return clock.today() + timedelta(days=60)


@dataclass(frozen=True)
class Action:
    """One action on a case: the case it needs (held by the given caseworker), the service call,
    and the page's POST (its URL and form)."""

    setup: Callable[[Any], Application]
    run: Callable[[Application, Any], Any]
    url: Callable[[Application], str]
    form: Callable[[Application], dict[str, Any]]


def _case_url(name: str) -> Callable[[Application], str]:
    return lambda application: reverse(f"caseworker:{name}", args=[application.pk])


ACTIONS: dict[str, Action] = {
    "interrupt": Action(
        setup=filed_for,
        run=lambda application, actor: services.application_interrupt_with_letter(
            application=application,
            actor=actor,
            reason="The lease lacks the owner's consent.",
            document_kinds=DocumentKind.objects.filter(code="accommodation"),
        ),
        url=_case_url("interrupt"),
        form=lambda application: {
            "interrupt-expected_version": application.version,
            "interrupt-document_kinds": [DocumentKind.objects.get(code="accommodation").pk],
            "interrupt-reason": "The lease lacks the owner's consent.",
            "interrupt-deadline_days": 30,
        },
    ),
    "resume": Action(
        setup=interrupted_for,
        run=lambda application, actor: services.application_resume(
            application=application, actor=actor
        ),
        url=_case_url("resume"),
        form=lambda application: {"resume-expected_version": application.version},
    ),
    "appeal_result": Action(
        setup=appealed_for,
        run=lambda application, actor: services.application_resolve_appeal(
            application=application, actor=actor, result=AppealResult.DISMISSED
        ),
        url=_case_url("appeal_result"),
        form=lambda application: {
            "appeal_result-expected_version": application.version,
            "appeal_result-result": AppealResult.DISMISSED,
            "appeal_result-note": "Commission decision of today.",
        },
    ),
    "verify_document": Action(
        setup=filed_for,
        run=lambda application, actor: document_verify(
            document=evidence(application), actor=actor, accepted=True
        ),
        url=lambda application: reverse(
            "caseworker:document_verify", args=[evidence(application).pk]
        ),
        form=lambda application: {f"doc{evidence(application).pk}-decision": "accept"},
    ),
    "grant_more_time": Action(
        setup=asked_for_more_time,
        run=lambda application, actor: extensions.extension_grant(
            extension=open_request(application), actor=actor, new_deadline=new_deadline()
        ),
        url=_case_url("extension"),
        form=lambda application: {
            "answer": "grant",
            "new_deadline": new_deadline().isoformat(),
            "reason": "",
            "expected_version": application.version,
        },
    ),
    "refuse_more_time": Action(
        setup=asked_for_more_time,
        run=lambda application, actor: extensions.extension_refuse(
            extension=open_request(application), actor=actor, reason="No reason given to wait."
        ),
        url=_case_url("extension"),
        form=lambda application: {
            "answer": "refuse",
            "reason": "No reason given to wait.",
            "expected_version": application.version,
        },
    ),
    "acknowledge_change": Action(
        setup=with_reported_change,
        run=lambda application, actor: services.change_report_acknowledge(
            report=ChangeReport.objects.get(application=application), actor=actor
        ),
        url=lambda application: reverse(
            "caseworker:change_acknowledge",
            args=[ChangeReport.objects.get(application=application).pk],
        ),
        form=lambda application: {},
    ),
}
# The assigned caseworker's alone: a decision, and a stop, which is one (``guards.may_stop``).
ASSIGNEE_ONLY_ACTIONS: dict[str, Action] = {
    "stop": Action(
        setup=late_interruption_for,
        run=lambda application, actor: services.application_stop(
            application=application, actor=actor
        ),
        url=_case_url("stop"),
        form=lambda application: {
            "stop-expected_version": application.version,
            "stop-confirm": "on",
        },
    ),
}


def record_of(application: Application) -> tuple:
    """Everything an action may change on the case: a refusal leaves it all as it was."""
    return (
        Application.objects.filter(pk=application.pk)
        .values_list("status", "version", "assigned_to_id", "decision_due", "arrived_at")
        .get(),
        AuditEntry.objects.filter(application=application).count(),
        sorted(Document.objects.filter(application=application).values_list("pk", "verification")),
        sorted(
            DeadlineExtension.objects.filter(interruption__application=application).values_list(
                "pk", "result"
            )
        ),
        sorted(
            ChangeReport.objects.filter(application=application).values_list(
                "pk", "acknowledged_at"
            )
        ),
        sorted(Interruption.objects.filter(application=application).values_list("pk", "ended_on")),
    )


def activity_notices(application: Application, user) -> set[str]:
    return set(
        Notification.objects.filter(
            application=application, kind=Kind.CASE_ACTIVITY, recipient=user
        ).values_list("channel", flat=True)
    )


# --- The rule ---------------------------------------------------------------------------------


def test_who_may_act_on_a_case(caseworker, other_caseworker, supervisor, superuser, support):
    application = filed_for(caseworker)

    assert guards.may_act_on_case(application, caseworker)
    assert guards.may_act_on_case(application, supervisor)
    assert guards.may_act_on_case(application, superuser)
    assert not guards.may_act_on_case(application, other_caseworker)
    assert not guards.may_act_on_case(application, support)
    assert not guards.may_act_on_case(application, application.applicant.account)
    # Nobody's case: a caseworker claims it before acting on it.
    services.application_release(application=application, actor=caseworker)
    application.refresh_from_db()
    assert not guards.may_act_on_case(application, caseworker)
    assert guards.may_act_on_case(application, supervisor)


# --- Through the services ---------------------------------------------------------------------


@pytest.mark.parametrize("name", [*ACTIONS, *ASSIGNEE_ONLY_ACTIONS])
def test_a_colleague_is_refused_and_nothing_changes(name, caseworker, other_caseworker):
    action = {**ACTIONS, **ASSIGNEE_ONLY_ACTIONS}[name]
    application = action.setup(caseworker)
    before = record_of(application)

    with pytest.raises(NotPermitted) as refused:
        action.run(application, other_caseworker)

    expected = ASSIGNEE_ONLY if name in ASSIGNEE_ONLY_ACTIONS else NOT_ASSIGNED
    assert str(refused.value) == expected
    assert record_of(application) == before


@pytest.mark.parametrize("name", list(ACTIONS))
def test_a_supervisor_acts_and_the_assignee_is_told(name, caseworker, supervisor, committed):
    action = ACTIONS[name]
    application = action.setup(caseworker)
    audit_before = AuditEntry.objects.filter(application=application).count()
    forget_notices()

    with committed():
        action.run(application, supervisor)

    assert AuditEntry.objects.filter(application=application, actor=supervisor).count() >= 1
    assert AuditEntry.objects.filter(application=application).count() > audit_before
    assert activity_notices(application, caseworker) == {Channel.IN_APP, Channel.EMAIL}
    notice = Notification.objects.get(
        application=application, kind=Kind.CASE_ACTIVITY, channel=Channel.IN_APP
    )
    assert application.reference_number in notice.body
    assert supervisor.get_full_name() in notice.body
    # The supervisor is not told of their own action.
    assert not activity_notices(application, supervisor)


@pytest.mark.parametrize("name", list(ACTIONS))
def test_the_assignee_acts_and_is_not_told_of_it(name, caseworker, committed):
    action = ACTIONS[name]
    application = action.setup(caseworker)
    forget_notices()

    with committed():
        action.run(application, caseworker)

    assert AuditEntry.objects.filter(application=application, actor=caseworker).exists()
    assert not Notification.objects.filter(kind=Kind.CASE_ACTIVITY).exists()


def test_stopping_is_the_assignees_alone(caseworker, supervisor):
    application = late_interruption_for(caseworker)
    before = record_of(application)

    with pytest.raises(NotPermitted) as refused:
        services.application_stop(application=application, actor=supervisor)

    assert str(refused.value) == ASSIGNEE_ONLY
    assert record_of(application) == before
    services.application_stop(application=application, actor=caseworker)
    application.refresh_from_db()
    assert application.status == Status.DECIDED


def test_deciding_is_the_assignees_alone(caseworker, supervisor):
    application = filed_for(caseworker)
    before = record_of(application)

    with pytest.raises(NotPermitted):
        services.application_decide(
            application=application, actor=supervisor, outcome="rejected", reasoning="Not met."
        )

    assert record_of(application) == before


def test_an_unassigned_case_is_claimed_before_anyone_but_a_supervisor_acts(caseworker, supervisor):
    application = ApplicationFactory(filed=True)
    document = evidence(application)

    with pytest.raises(NotPermitted) as refused:
        document_verify(document=document, actor=caseworker, accepted=True)
    assert str(refused.value) == NOT_ASSIGNED

    document_verify(document=document, actor=supervisor, accepted=True)
    services.application_claim(application=application, actor=caseworker)
    document_verify(
        document=evidence(application), actor=caseworker, accepted=False, reason="Blurred."
    )


def test_staff_who_do_not_process_cases_get_the_general_refusal(caseworker, support):
    application = filed_for(caseworker)

    with pytest.raises(NotPermitted) as refused:
        services.application_resume(application=interrupted_for(caseworker), actor=support)

    assert str(refused.value) == str(NotPermitted.default_message)
    with pytest.raises(NotPermitted):
        document_verify(document=evidence(application), actor=support, accepted=True)


def test_the_system_still_resumes_when_the_documents_are_supplied(caseworker):
    """The system's steps have no user: the applicant supplying what was asked for resumes the
    case although the applicant may not resume it themselves."""
    application = interrupted_for(caseworker)
    owner = application.applicant.account
    document_upload(
        application=application,
        kind=DocumentKind.objects.get(code="accommodation"),
        upload=SimpleUploadedFile("lease.pdf", pdf_bytes("lease"), "application/pdf"),
        actor=owner,
    )

    services.application_supply_requested_documents(application=application, actor=owner)

    application.refresh_from_db()
    assert application.status == Status.FILED
    entry = AuditEntry.objects.filter(application=application, action="resume").get()
    assert entry.actor is None


# --- Notes and assignment ---------------------------------------------------------------------


def test_a_colleagues_note_tells_the_assignee(caseworker, other_caseworker, committed):
    application = filed_for(caseworker)
    forget_notices()

    with committed():
        services.case_note_add(application=application, author=other_caseworker, text="Seen it.")

    assert activity_notices(application, caseworker) == {Channel.IN_APP, Channel.EMAIL}
    notice = Notification.objects.get(
        application=application, kind=Kind.CASE_ACTIVITY, channel=Channel.IN_APP
    )
    assert "added an internal note" in notice.body
    # The note's words stay on the case page: a notice (and an e-mail) does not carry them.
    assert "Seen it." not in notice.body


def test_the_assignees_own_note_and_a_note_on_nobodys_case_tell_nobody(
    caseworker, other_caseworker, committed
):
    mine = filed_for(caseworker)
    nobodys = ApplicationFactory(filed=True)
    forget_notices()

    with committed():
        services.case_note_add(application=mine, author=caseworker, text="My own note.")
        services.case_note_add(application=nobodys, author=other_caseworker, text="A note.")

    assert not Notification.objects.filter(kind=Kind.CASE_ACTIVITY).exists()


def test_a_case_taken_from_its_caseworker_tells_them(
    caseworker, other_caseworker, supervisor, committed
):
    application = filed_for(caseworker)
    forget_notices()

    with committed():
        services.application_assign(
            application=application, actor=supervisor, assignee=other_caseworker
        )

    assert activity_notices(application, caseworker) == {Channel.IN_APP, Channel.EMAIL}
    notice = Notification.objects.get(
        application=application, kind=Kind.CASE_ACTIVITY, recipient=caseworker, channel="in_app"
    )
    assert "no longer assigned to you" in notice.body
    # The new caseworker hears of the assignment, not of "activity".
    assert Notification.objects.filter(kind=Kind.ASSIGNED, recipient=other_caseworker).exists()
    assert not activity_notices(application, other_caseworker)

    with committed():
        services.application_release(application=application, actor=other_caseworker)
    # Giving a case back oneself tells nobody.
    assert not activity_notices(application, other_caseworker)


def test_the_notice_is_in_the_assignees_language(caseworker, supervisor, committed):
    caseworker.preferred_language = "uk"
    caseworker.save(update_fields=["preferred_language"])
    application = interrupted_for(caseworker)
    forget_notices()

    with committed():
        services.application_resume(application=application, actor=supervisor)

    languages = set(
        Notification.objects.filter(kind=Kind.CASE_ACTIVITY).values_list("language", flat=True)
    )
    assert languages == {"uk"}


def test_the_notice_is_recorded_with_the_action_and_rolls_back_with_it(caseworker, supervisor):
    application = interrupted_for(caseworker)
    before = OutboxMessage.objects.filter(topic="notifications.case_activity").count()

    with pytest.raises(RuntimeError), transaction.atomic():
        services.application_resume(application=application, actor=supervisor)
        assert (
            OutboxMessage.objects.filter(topic="notifications.case_activity").count() == before + 1
        )
        raise RuntimeError("the request failed after the action")

    assert OutboxMessage.objects.filter(topic="notifications.case_activity").count() == before


# --- Through the pages ------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*ACTIONS, *ASSIGNEE_ONLY_ACTIONS])
def test_the_page_shows_a_colleague_the_refusal_and_changes_nothing(
    name, caseworker, other_caseworker, client_for
):
    action = {**ACTIONS, **ASSIGNEE_ONLY_ACTIONS}[name]
    application = action.setup(caseworker)
    before = record_of(application)

    response = client_for(other_caseworker).post(action.url(application), action.form(application))

    assert response.status_code == 200
    expected = ASSIGNEE_ONLY if name in ASSIGNEE_ONLY_ACTIONS else NOT_ASSIGNED
    assert escape(str(expected)) in response.content.decode()
    assert record_of(application) == before


@pytest.mark.parametrize("name", list(ACTIONS))
def test_a_supervisor_acts_on_the_page(name, caseworker, supervisor, client_for):
    action = ACTIONS[name]
    application = action.setup(caseworker)
    before = record_of(application)

    response = client_for(supervisor).post(action.url(application), action.form(application))

    assert response.status_code == 302
    assert record_of(application) != before


def verifiable(row: dict) -> bool:
    """A document row of the case page offers verification: its own form, or its fields in the
    form for the documents waiting for verification."""
    return bool(row["verify_form"] or row.get("pending"))


def test_the_case_page_offers_a_colleague_no_action_but_notes(
    caseworker, other_caseworker, supervisor, client_for
):
    application = interrupted_for(caseworker)
    url = reverse("caseworker:case", args=[application.pk])

    colleague = client_for(other_caseworker).get(url)
    own = client_for(caseworker).get(url)
    supervised = client_for(supervisor).get(url)

    html = colleague.content.decode()
    assert "resume" not in colleague.context["forms"]
    assert not colleague.context["actions"]["verify_documents"]
    assert not any(verifiable(row) for row in colleague.context["documents"])
    # The file is open: the page does not say it is frozen, only that the colleague may not act.
    assert "data-documents-frozen" not in html
    assert reverse("caseworker:note_add", args=[application.pk]) in html
    for response in (own, supervised):
        assert "resume" in response.context["forms"]
        assert response.context["actions"]["verify_documents"]
        assert any(verifiable(row) for row in response.context["documents"])


def test_the_answer_page_offers_a_colleague_no_form(caseworker, other_caseworker, client_for):
    application = asked_for_more_time(caseworker)
    url = reverse("caseworker:extension", args=[application.pk])

    assert client_for(other_caseworker).get(url).context["form"] is None
    assert client_for(caseworker).get(url).context["form"] is not None


def test_a_colleague_adds_a_note_on_the_page(caseworker, other_caseworker, client_for, committed):
    application = filed_for(caseworker)
    forget_notices()

    with committed():
        response = client_for(other_caseworker).post(
            reverse("caseworker:note_add", args=[application.pk]), {"text": "Checked the lease."}
        )

    assert response.status_code == 302
    assert application.notes.get().author == other_caseworker
    assert activity_notices(application, caseworker) == {Channel.IN_APP, Channel.EMAIL}
