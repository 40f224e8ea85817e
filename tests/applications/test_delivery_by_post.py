"""Delivery by post or in person (SPEC D3): a person without a portal account, or one who asked
for paper, is delivered to on the day of receipt the caseworker records with its proof, never by
the portal's first opening or its 10-day rule; the appeal period runs from that day (D4)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from applications import services
from applications.case_documents import document_upload
from applications.checks import required_document_kinds
from applications.constants import Channel, Delivery, Outcome, Status
from applications.models import Applicant, Application, AuditEntry, Decision
from applications.sweeps import run_daily_system_steps
from core.clock import PRAGUE
from core.errors import ApplicationError, ConcurrentChange, NotPermitted
from core.models import OutboxMessage
from documents.constants import Role as DocumentRole
from documents.models import Document
from permits.models import PermitType
from tests.applications.factories import ApplicantFactory, ApplicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db

# Decided on Tuesday 1 December 2026; the person signs the delivery receipt on Wednesday
# 9 December. 15 days later is Christmas Eve, a holiday, followed by Christmas and a weekend: the
# appeal period ends on Monday 28 December (SPEC §3, worked example "Christmas").
DECIDED_AT = datetime(2026, 12, 1, 10, 0, tzinfo=PRAGUE)
RECEIVED_ON = date(2026, 12, 9)
APPEAL_DUE = date(2026, 12, 28)
RECORDED_AT = datetime(2026, 12, 10, 9, 30, tzinfo=PRAGUE)


def at(moment: datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def receipt_scan(name: str = "dorucenka.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes("delivery receipt"), "application/pdf")


def decide_on_paper(application: Application, *, caseworker, captured) -> Decision:
    """File a draft, give it to ``caseworker`` and reject it; its PDF is rendered and the
    decision made available, as the worker would after the commit."""
    actor = application.created_by
    services.application_confirm_declarations(application=application, actor=actor)
    application = services.application_file(application=application, actor=actor)
    application = services.application_claim(application=application, actor=caseworker)
    with captured(execute=True):
        services.application_decide(
            application=application,
            actor=caseworker,
            outcome=Outcome.REJECTED,
            reasoning="The conditions are not met.",
        )
    application.refresh_from_db()
    decision = application.decisions.get()
    assert decision.made_available_on == DECIDED_AT.date()
    return decision


def support_draft(support, **person: Any) -> Application:
    """A support worker records a person who has no account and starts a draft in person, with
    every required document scanned in."""
    fields = {"account": None, "created_by": support, "preferred_language": "vi", **person}
    applicant = ApplicantFactory(**fields)
    application = services.application_create(
        applicant=applicant,
        permit_type=PermitType.objects.get(code="employee_card"),
        actor=support,
        channel=Channel.IN_PERSON,
    )
    for kind in required_document_kinds(application):
        document_upload(
            application=application,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind.code}.pdf", pdf_bytes(kind.code), "application/pdf"),
            actor=support,
        )
    return application


@pytest.fixture
def paper_case(support, caseworker, django_capture_on_commit_callbacks) -> Application:
    """Filed at a support centre for a person without an account, decided on 1 December."""
    with at(DECIDED_AT):
        application = support_draft(support)
        decide_on_paper(
            application, caseworker=caseworker, captured=django_capture_on_commit_callbacks
        )
    application.refresh_from_db()
    return application


def state(application: Application) -> dict[str, Any]:
    """What a refused recording must leave as it was."""
    decision = application.decisions.get()
    return {
        "decision": (decision.delivered_on, decision.appeal_due, decision.delivery_proof_id),
        "version": Application.objects.get(pk=application.pk).version,
        "documents": Document.objects.filter(application=application).count(),
        "audit": AuditEntry.objects.filter(application=application).count(),
        "outbox": OutboxMessage.objects.count(),
    }


def record(application: Application, actor, **kwargs: Any) -> Decision:
    arguments = {"received_on": RECEIVED_ON, "proof": receipt_scan(), **kwargs}
    return services.decision_record_receipt(
        decision=application.decisions.get(), actor=actor, **arguments
    )


# --- Which delivery a case gets ------------------------------------------------------------


def test_a_support_centre_filing_is_delivered_by_post_or_in_person(support):
    with_address = support_draft(support, address="Sokolovská 1, Praha 8")
    without_address = support_draft(support, address="")

    assert with_address.delivery == Delivery.POST
    assert without_address.delivery == Delivery.IN_PERSON
    assert not with_address.delivers_in_portal


def test_a_person_without_an_account_cannot_be_delivered_to_in_the_portal(support):
    applicant = ApplicantFactory(account=None, created_by=support)
    with pytest.raises(ApplicationError, match="without a portal account"):
        services.application_create(
            applicant=applicant,
            permit_type=PermitType.objects.get(code="employee_card"),
            actor=support,
            channel=Channel.IN_PERSON,
            delivery=Delivery.PORTAL,
        )
    assert not Application.objects.exists()


def test_an_applicant_may_ask_for_paper_before_filing_and_not_after(applicant):
    draft = ApplicationFactory(applicant=applicant.applicants.get())
    assert draft.delivery == Delivery.PORTAL

    chosen = services.application_choose_delivery(
        application=draft, actor=applicant, delivery=Delivery.POST
    )
    assert chosen.delivery == Delivery.POST
    assert not chosen.delivers_in_portal

    services.application_choose_delivery(
        application=draft, actor=applicant, delivery=Delivery.PORTAL
    )
    filed = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    with pytest.raises(ApplicationError, match="before the application is filed"):
        services.application_choose_delivery(
            application=filed, actor=applicant, delivery=Delivery.POST
        )
    assert Application.objects.get(pk=filed.pk).delivery == Delivery.PORTAL


def test_post_needs_an_address_and_strangers_may_not_choose(applicant, other_applicant):
    person = applicant.applicants.get()
    draft = ApplicationFactory(applicant=person)
    with pytest.raises(NotPermitted):
        services.application_choose_delivery(
            application=draft, actor=other_applicant, delivery=Delivery.POST
        )
    Applicant.objects.filter(pk=person.pk).update(address="")
    draft.refresh_from_db()
    with pytest.raises(ApplicationError, match="by post only to an address"):
        services.application_choose_delivery(
            application=draft, actor=applicant, delivery=Delivery.POST
        )
    chosen = services.application_choose_delivery(
        application=draft, actor=applicant, delivery=Delivery.IN_PERSON
    )
    assert chosen.delivery == Delivery.IN_PERSON


# --- The portal's rules never deliver it ---------------------------------------------------


def test_the_ten_day_rule_never_delivers_a_decision_on_paper(
    paper_case, caseworker, django_capture_on_commit_callbacks
):
    # A portal case decided the same day, for comparison: the nightly job does deliver it.
    with at(DECIDED_AT):
        in_portal = ApplicationFactory(rejected=True, caseworker=caseworker)
    decision = paper_case.decisions.get()

    assert decision.expected_delivery_on is None
    for moment in (
        datetime(2026, 12, 11, 0, 30, tzinfo=PRAGUE),
        datetime(2026, 12, 20, 0, 30, tzinfo=PRAGUE),
        datetime(2027, 2, 1, 0, 30, tzinfo=PRAGUE),
    ):
        with at(moment):
            run_daily_system_steps(today=moment.date())

    decision.refresh_from_db()
    paper_case.refresh_from_db()
    assert decision.delivered_on is None
    assert decision.appeal_due is None
    # The finality job does not close it either: no appeal period has run.
    assert paper_case.status == Status.DECIDED
    assert paper_case.closed_on is None
    assert not paper_case.audit_entries.filter(action="decision_delivered").exists()
    in_portal.refresh_from_db()
    assert in_portal.decisions.get().delivered_on == date(2026, 12, 11)
    assert in_portal.status == Status.CLOSED


def test_an_account_holder_who_asked_for_paper_is_not_delivered_by_opening(
    applicant, caseworker, django_capture_on_commit_callbacks
):
    from tests.applications.factories import add_required_documents

    with at(DECIDED_AT):
        draft = ApplicationFactory(applicant=applicant.applicants.get())
        add_required_documents(draft)
        services.application_choose_delivery(
            application=draft, actor=applicant, delivery=Delivery.POST
        )
        decision = decide_on_paper(
            draft, caseworker=caseworker, captured=django_capture_on_commit_callbacks
        )
    with at(datetime(2026, 12, 2, 8, 0, tzinfo=PRAGUE)):
        services.decision_open(decision=decision, actor=applicant)
    with at(datetime(2027, 1, 4, 0, 30, tzinfo=PRAGUE)):
        assert services.decisions_deliver_unopened(today=date(2027, 1, 4)) == 0

    decision.refresh_from_db()
    assert decision.opened_on is None
    assert decision.delivered_on is None


def test_the_person_is_told_of_a_decision_on_paper_once_its_receipt_is_recorded(
    paper_case, caseworker
):
    # Nothing tells them to open the portal, which they do not have.
    told = OutboxMessage.objects.filter(
        topic="notifications.application_event", payload__event="decided"
    )
    assert not told.exists()

    with at(RECORDED_AT):
        record(paper_case, caseworker)

    assert told.get().payload == {"application_id": paper_case.pk, "event": "decided"}


# --- Recording the day of receipt ----------------------------------------------------------


def test_recording_receipt_delivers_the_decision_and_starts_the_appeal_period(
    paper_case, caseworker
):
    before = state(paper_case)

    with at(RECORDED_AT):
        decision = record(paper_case, caseworker)

    decision.refresh_from_db()
    assert decision.delivered_on == RECEIVED_ON
    assert decision.appeal_due == APPEAL_DUE
    proof = decision.delivery_proof
    assert proof.role == DocumentRole.DELIVERY_RECEIPT
    assert proof.application == paper_case
    assert proof.uploaded_by == caseworker
    assert proof.file.read() == pdf_bytes("delivery receipt")
    assert proof.file_reference == f"{paper_case.reference_number.split('/')[0]}-" + (
        f"{proof.sub_number}/{paper_case.reference_number.split('/')[1]}"
    )
    entries = list(AuditEntry.objects.filter(application=paper_case).order_by("pk"))
    assert len(entries) == before["audit"] + 1
    entry = entries[-1]
    assert entry.action == "decision_delivered"
    assert entry.actor == caseworker
    assert entry.data["delivered_on"] == "2026-12-09"
    assert entry.data["appeal_due"] == "2026-12-28"
    assert entry.data["method"] == Delivery.POST
    assert entry.data["proof"] == proof.pk
    assert state(paper_case)["version"] == before["version"] + 1


def test_the_decision_takes_effect_when_the_appeal_period_from_receipt_has_passed(
    paper_case, caseworker
):
    with at(RECORDED_AT):
        record(paper_case, caseworker)

    with at(datetime(2026, 12, 28, 0, 30, tzinfo=PRAGUE)):
        run_daily_system_steps(today=date(2026, 12, 28))
    paper_case.refresh_from_db()
    assert paper_case.status == Status.DECIDED

    with at(datetime(2026, 12, 29, 0, 30, tzinfo=PRAGUE)):
        run_daily_system_steps(today=date(2026, 12, 29))
    paper_case.refresh_from_db()
    assert paper_case.status == Status.CLOSED


def test_a_supervisor_may_record_the_receipt(paper_case, supervisor):
    with at(RECORDED_AT):
        decision = record(paper_case, supervisor)
    assert decision.delivered_on == RECEIVED_ON


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"received_on": date(2026, 12, 11)}, "cannot be in the future"),
        ({"received_on": date(2026, 11, 30)}, "before the decision was issued"),
        ({"proof": None}, "Attach the scan of the delivery receipt"),
        (
            {"proof": SimpleUploadedFile("receipt.pdf", b"#!/bin/sh\necho hello\n")},
            "Upload a PDF, JPEG or PNG file",
        ),
    ],
    ids=["future", "before the decision", "no proof", "not a scan"],
)
def test_bad_input_is_refused_and_changes_nothing(paper_case, caseworker, arguments, message):
    before = state(paper_case)
    with at(RECORDED_AT), pytest.raises(ApplicationError, match=message):
        record(paper_case, caseworker, **arguments)
    assert state(paper_case) == before


def test_a_decision_delivered_in_the_portal_is_refused(caseworker):
    with at(DECIDED_AT):
        in_portal = ApplicationFactory(rejected=True, caseworker=caseworker)
    before = state(in_portal)

    with at(RECORDED_AT), pytest.raises(ApplicationError, match="delivered in the portal"):
        record(in_portal, caseworker)
    assert state(in_portal) == before


def test_a_decision_already_delivered_is_refused(paper_case, caseworker):
    with at(RECORDED_AT):
        record(paper_case, caseworker)
        before = state(paper_case)
        with pytest.raises(ApplicationError, match="already delivered on"):
            record(paper_case, caseworker, received_on=date(2026, 12, 10))
    assert state(paper_case) == before
    assert paper_case.decisions.get().delivered_on == RECEIVED_ON


def test_a_decision_still_being_prepared_is_refused(support, caseworker):
    with at(DECIDED_AT):
        application = support_draft(support)
        services.application_confirm_declarations(application=application, actor=support)
        application = services.application_file(application=application, actor=support)
        application = services.application_claim(application=application, actor=caseworker)
        # The PDF is not rendered: the on-commit work is not run.
        services.application_decide(
            application=application,
            actor=caseworker,
            outcome=Outcome.REJECTED,
            reasoning="The conditions are not met.",
        )
    application.refresh_from_db()
    before = state(application)

    with at(RECORDED_AT), pytest.raises(ApplicationError, match="still being prepared"):
        record(application, caseworker, received_on=DECIDED_AT.date())
    assert state(application) == before


def test_another_caseworker_may_not_record_it(paper_case, other_caseworker):
    before = state(paper_case)
    with at(RECORDED_AT), pytest.raises(NotPermitted):
        record(paper_case, other_caseworker)
    assert state(paper_case) == before


def test_a_stale_form_is_refused(paper_case, caseworker):
    shown = paper_case.version
    Application.objects.filter(pk=paper_case.pk).update(version=shown + 1)
    before = state(paper_case)
    with at(RECORDED_AT), pytest.raises(ConcurrentChange):
        record(paper_case, caseworker, expected_version=shown)
    assert state(paper_case) == before


# --- The caseworker's page -----------------------------------------------------------------


def form_data(application: Application, **fields: Any) -> dict[str, Any]:
    data = {
        "record_receipt-expected_version": Application.objects.get(pk=application.pk).version,
        "record_receipt-received_on": RECEIVED_ON.isoformat(),
        "record_receipt-proof": receipt_scan(),
    }
    data.update({f"record_receipt-{name}": value for name, value in fields.items()})
    return data


def url_of(application: Application) -> str:
    return reverse("caseworker:record_receipt", args=[application.pk])


def test_the_assigned_caseworker_records_the_receipt_on_the_case_page(
    paper_case, caseworker, client_for
):
    case_url = reverse("caseworker:case", args=[paper_case.pk])
    with at(RECORDED_AT):
        client = client_for(caseworker)
        page = client.get(case_url).content.decode()
        assert 'id="action-record_receipt"' in page
        assert 'enctype="multipart/form-data"' in page
        assert "the day of receipt is not recorded yet" in page

        response = client.post(url_of(paper_case), form_data(paper_case))

        assert response.status_code == 302
        assert response["Location"] == f"{case_url}#decisions"
        decision = paper_case.decisions.get()
        assert decision.delivered_on == RECEIVED_ON
        assert decision.appeal_due == APPEAL_DUE
        page = client.get(case_url).content.decode()
    assert 'id="action-record_receipt"' not in page
    assert reverse("caseworker:document_view", args=[decision.delivery_proof_id]) in page
    assert "Proof of delivery" in page


def test_the_form_keeps_the_caseworker_to_a_proof(paper_case, caseworker, client_for):
    before = state(paper_case)
    data = form_data(paper_case)
    del data["record_receipt-proof"]
    with at(RECORDED_AT):
        response = client_for(caseworker).post(url_of(paper_case), data)

    assert response.status_code == 200
    assert "Attach the scan of the delivery receipt" in response.content.decode()
    assert state(paper_case) == before


def test_the_page_shows_the_services_refusal(paper_case, caseworker, client_for):
    before = state(paper_case)
    with at(RECORDED_AT):
        response = client_for(caseworker).post(
            url_of(paper_case), form_data(paper_case, received_on="2026-12-24")
        )
    assert response.status_code == 200
    assert "The day of receipt cannot be in the future." in response.content.decode()
    assert state(paper_case) == before


def test_a_double_submitted_receipt_is_recorded_once(paper_case, caseworker, client_for):
    with at(RECORDED_AT):
        client = client_for(caseworker)
        first = client.post(url_of(paper_case), form_data(paper_case))
        data = form_data(paper_case)
        data["record_receipt-expected_version"] -= 1
        second = client.post(url_of(paper_case), data)

    assert first.status_code == 302
    assert second.status_code == 409
    assert Document.objects.filter(role=DocumentRole.DELIVERY_RECEIPT).count() == 1


def test_an_unassigned_caseworker_neither_sees_the_form_nor_records(
    paper_case, other_caseworker, client_for
):
    before = state(paper_case)
    with at(RECORDED_AT):
        client = client_for(other_caseworker)
        page = client.get(reverse("caseworker:case", args=[paper_case.pk])).content.decode()
        response = client.post(url_of(paper_case), form_data(paper_case))

    assert 'id="action-record_receipt"' not in page
    assert response.status_code == 200
    assert "You may not do this on this case." in response.content.decode()
    assert state(paper_case) == before


@pytest.mark.parametrize("who", ["owner", "support", "anonymous"])
def test_people_who_do_not_process_cases_are_refused(
    paper_case, support, applicant, who, client_for
):
    user = {"owner": applicant, "support": support, "anonymous": None}[who]
    before = state(paper_case)
    with at(RECORDED_AT):
        response = client_for(user).post(url_of(paper_case), form_data(paper_case))

    if user is None:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    else:
        assert response.status_code == 403
    assert state(paper_case) == before


def test_the_action_is_post_only(paper_case, caseworker, client_for):
    with at(RECORDED_AT):
        assert client_for(caseworker).get(url_of(paper_case)).status_code == 405


def test_unknown_and_draft_cases_are_404(support, caseworker, client_for):
    with at(RECORDED_AT):
        draft = support_draft(support)
        client = client_for(caseworker)
        assert client.post(url_of(draft), form_data(draft)).status_code == 404
        missing = reverse("caseworker:record_receipt", args=[draft.pk + 999])
        assert client.post(missing, form_data(draft)).status_code == 404


def test_another_caseworker_gets_the_form_once_the_case_is_theirs(
    paper_case, caseworker, other_caseworker, supervisor, client_for
):
    services.application_assign(application=paper_case, actor=supervisor, assignee=other_caseworker)
    with at(RECORDED_AT):
        page = client_for(other_caseworker).get(reverse("caseworker:case", args=[paper_case.pk]))
        assert 'id="action-record_receipt"' in page.content.decode()
        response = client_for(caseworker).post(url_of(paper_case), form_data(paper_case))
    assert "You may not do this on this case." in response.content.decode()


def test_the_delivery_is_shown_on_the_case(paper_case, caseworker, client_for):
    with at(RECORDED_AT):
        page = client_for(caseworker).get(reverse("caseworker:case", args=[paper_case.pk]))
    assert 'id="delivery">By post to the address<' in page.content.decode()


def test_only_decisions_awaiting_receipt_offer_the_form(caseworker, client_for):
    with at(DECIDED_AT):
        in_portal = ApplicationFactory(rejected=True, caseworker=caseworker)
        page = client_for(caseworker).get(reverse("caseworker:case", args=[in_portal.pk]))
    assert 'id="action-record_receipt"' not in page.content.decode()


def test_the_decision_on_paper_says_it_is_delivered_on_the_day_of_receipt(paper_case):
    from tests.documents.test_pdf_decision import pdf_text

    decision = paper_case.decisions.get()
    text = pdf_text(decision.document)

    # In Czech, the language of record: delivered on the day of receipt; no portal rule.
    with translation.override("cs"):
        portal_rule = translation.gettext(
            "The decision is delivered on the day you first open it in the portal, or on the "
            "%(days)sth day after it was made available to you if you do not open it earlier."
        ) % {"days": 10}
        receipt_rule = translation.gettext(
            "The decision is delivered on the day you receive it, which you confirm by your "
            "signature. The period of %(days)s days for an appeal runs from that day."
        ) % {"days": 15}
    assert portal_rule not in text
    assert receipt_rule in text
