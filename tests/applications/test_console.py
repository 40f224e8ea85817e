"""The caseworker's case page as a console: urgency in working days, every document verified in
one submission (``documents_verify_many``), the forms' proposals, the next case of the queue."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services
from applications.audit import AuditAction
from applications.case_documents import DocumentChoice, document_verify, documents_verify_many
from applications.constants import Outcome, Status
from applications.models import Application, AuditEntry
from applications.urgency import Level, decision_urgency, working_days_between
from core.errors import ApplicationError, ConcurrentChange, NotPermitted
from documents.constants import Verification
from documents.models import Document
from permits.models import DocumentKind, PermitType
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

# A Monday in Prague, away from holidays.
MONDAY = "2027-03-08T10:00:00+01:00"


# --- Urgency, in working days ----------------------------------------------------------------


def test_working_days_skip_weekends_and_czech_holidays():
    friday = date(2027, 3, 5)
    assert working_days_between(friday, date(2027, 3, 8)) == 1  # Saturday, Sunday, Monday
    assert working_days_between(friday, friday) == 0
    assert working_days_between(friday, date(2027, 3, 1)) == 0
    # 24, 25 and 26 December are public holidays (a Thursday, Friday and Saturday in 2026).
    assert working_days_between(date(2026, 12, 23), date(2026, 12, 28)) == 1


@pytest.mark.parametrize(
    ("status", "due", "level", "text"),
    [
        (Status.FILED, date(2027, 3, 6), Level.OVERDUE, "Overdue by 2 days"),
        (Status.FILED, date(2027, 3, 7), Level.OVERDUE, "Overdue by 1 day"),
        (Status.FILED, date(2027, 3, 8), Level.SOON, "Due today"),
        (Status.FILED, date(2027, 3, 11), Level.SOON, "3 working days left"),
        (Status.FILED, date(2027, 3, 15), Level.SOON, "5 working days left"),
        (Status.FILED, date(2027, 3, 16), Level.RUNNING, "6 working days left"),
        (Status.INTERRUPTED, None, Level.PAUSED, "Paused"),
        (Status.DECIDED, date(2027, 3, 1), Level.NONE, ""),
    ],
)
def test_urgency_is_said_in_words(status, due, level, text):
    urgency = decision_urgency(status=status, due=due, today=date(2027, 3, 8), soon_within=7)

    assert urgency.level == level
    assert urgency.text == text
    assert urgency.is_marked == (level in (Level.OVERDUE, Level.SOON))


# --- documents_verify_many -----------------------------------------------------------------


@pytest.fixture
def assigned(caseworker):
    application = ApplicationFactory(filed=True)
    services.application_claim(application=application, actor=caseworker)
    application.refresh_from_db()
    return application


def pending_of(application: Application) -> list[Document]:
    return list(
        application.documents.filter(verification=Verification.PENDING).order_by("sub_number")
    )


def version_of(application: Application) -> int:
    return Application.objects.values_list("version", flat=True).get(pk=application.pk)


def accept(documents: list[Document]) -> list[DocumentChoice]:
    return [DocumentChoice(document_id=d.pk, accepted=True) for d in documents]


def test_verifying_many_writes_each_document_and_an_audit_row_for_each(assigned, caseworker):
    first, second, *rest = pending_of(assigned)
    version = version_of(assigned)

    documents_verify_many(
        application=assigned,
        actor=caseworker,
        choices=[
            *accept([first, *rest]),
            DocumentChoice(document_id=second.pk, accepted=False, reason=" Illegible scan. "),
        ],
        expected_version=version,
    )

    second.refresh_from_db()
    assert second.verification == Verification.REJECTED
    assert second.rejection_reason == "Illegible scan."
    accepted = Document.objects.filter(pk__in=[first.pk, *[d.pk for d in rest]])
    assert {d.verification for d in accepted} == {Verification.ACCEPTED}
    assert {d.verified_by_id for d in accepted} == {caseworker.pk}
    entries = AuditEntry.objects.filter(
        application=assigned,
        action__in=[AuditAction.DOCUMENT_VERIFIED, AuditAction.DOCUMENT_REJECTED],
    )
    by_document = {entry.data["document"]: entry for entry in entries}
    assert len(entries) == len(by_document) == 2 + len(rest)
    assert by_document[second.pk].action == AuditAction.DOCUMENT_REJECTED
    assert by_document[second.pk].note == "Illegible scan."
    assert by_document[first.pk].action == AuditAction.DOCUMENT_VERIFIED
    assert by_document[first.pk].actor == caseworker
    # The case moved on: a form shown before this is stale.
    assert version_of(assigned) == version + 1


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ("stale_version", ConcurrentChange),
        ("verified_meanwhile", ConcurrentChange),
        ("rejection_without_reason", ApplicationError),
    ],
)
def test_verifying_many_is_all_or_nothing(assigned, caseworker, change, error):
    documents = pending_of(assigned)
    version = version_of(assigned)
    choices = accept(documents)
    if change == "stale_version":
        services.case_note_add(application=assigned, author=caseworker, text="x")
        Application.objects.filter(pk=assigned.pk).update(version=version + 1)
    elif change == "verified_meanwhile":
        Document.objects.filter(pk=documents[-1].pk).update(verification=Verification.ACCEPTED)
    else:
        choices[0] = DocumentChoice(document_id=documents[0].pk, accepted=False, reason="  ")

    with pytest.raises(error):
        documents_verify_many(
            application=assigned, actor=caseworker, choices=choices, expected_version=version
        )

    still_pending = {d.pk for d in pending_of(assigned)}
    assert {d.pk for d in documents[:-1]} <= still_pending
    assert not AuditEntry.objects.filter(
        application=assigned, action=AuditAction.DOCUMENT_VERIFIED
    ).exists()


def test_only_the_assignee_or_a_supervisor_verifies(assigned, other_caseworker, supervisor):
    documents = pending_of(assigned)

    with pytest.raises(NotPermitted):
        documents_verify_many(
            application=assigned,
            actor=other_caseworker,
            choices=accept(documents),
            expected_version=version_of(assigned),
        )
    assert len(pending_of(assigned)) == len(documents)

    documents_verify_many(
        application=assigned,
        actor=supervisor,
        choices=accept(documents),
        expected_version=version_of(assigned),
    )
    assert pending_of(assigned) == []


def test_a_document_of_another_case_is_refused(assigned, caseworker):
    other = ApplicationFactory(filed=True)

    with pytest.raises(ConcurrentChange):
        documents_verify_many(
            application=assigned,
            actor=caseworker,
            choices=accept(pending_of(other)[:1]),
            expected_version=version_of(assigned),
        )
    assert pending_of(other)[0].verification == Verification.PENDING


def test_verifying_many_takes_the_same_queries_for_2_and_8_documents(assigned, caseworker):
    documents = pending_of(assigned)
    assert len(documents) == 8
    version = version_of(assigned)
    with CaptureQueriesContext(connection) as two:
        documents_verify_many(
            application=assigned,
            actor=caseworker,
            choices=accept(documents[:2]),
            expected_version=version,
        )
    version = version_of(assigned)
    with CaptureQueriesContext(connection) as six:
        documents_verify_many(
            application=assigned,
            actor=caseworker,
            choices=accept(documents[2:]),
            expected_version=version,
        )
    other = ApplicationFactory(filed=True)
    services.application_claim(application=other, actor=caseworker)
    version, choices = version_of(other), accept(pending_of(other))
    assert len(choices) == 8
    with CaptureQueriesContext(connection) as eight:
        documents_verify_many(
            application=other, actor=caseworker, choices=choices, expected_version=version
        )

    assert len(two.captured_queries) == len(six.captured_queries) == len(eight.captured_queries)


# --- The documents form on the case page ---------------------------------------------------


def case_url(application: Application, tab: str = "") -> str:
    url = reverse("caseworker:case", args=[application.pk])
    return f"{url}?from={tab}" if tab else url


def form_data(application: Application, documents: list[Document], **fields) -> dict:
    data = {
        "documents-expected_version": version_of(application),
        "documents-shown": [d.pk for d in documents],
    }
    data.update({f"documents-{key}": value for key, value in fields.items()})
    return data


def test_the_case_page_lists_every_pending_document_in_one_form(assigned, caseworker, client_for):
    response = client_for(caseworker).get(case_url(assigned))
    html = response.content.decode()

    form = response.context["documents_form"]
    assert form.document_ids == [d.pk for d in pending_of(assigned)]
    assert 'id="documents-form"' in html
    assert "Accept all remaining" in html and "I have looked at each document" in html
    for document in pending_of(assigned):
        assert f'name="documents-doc{document.pk}_decision"' in html
        assert reverse("caseworker:document_view", args=[document.pk]) in html


def test_accept_all_needs_the_confirmation_that_each_was_looked_at(
    assigned, caseworker, client_for
):
    documents = pending_of(assigned)

    response = client_for(caseworker).post(
        case_url(assigned), form_data(assigned, documents, accept_all="on")
    )

    assert response.status_code == 200
    assert "Tick the box to confirm you have looked at each document" in response.content.decode()
    assert len(pending_of(assigned)) == len(documents)


def test_accept_all_accepts_every_document_shown_and_keeps_the_queue(
    assigned, caseworker, client_for
):
    documents = pending_of(assigned)
    # Arrived after the page was shown: not accepted unseen.
    late = Document.objects.filter(pk=documents[-1].pk)
    shown = documents[:-1]
    rejected = shown[0]

    response = client_for(caseworker).post(
        case_url(assigned, "mine"),
        form_data(
            assigned,
            shown,
            accept_all="on",
            looked="on",
            **{f"doc{rejected.pk}_decision": "reject", f"doc{rejected.pk}_reason": "Expired."},
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == f"{case_url(assigned, 'mine')}#documents"
    states = dict(Document.objects.filter(application=assigned).values_list("pk", "verification"))
    assert states[rejected.pk] == Verification.REJECTED
    assert {states[d.pk] for d in shown[1:]} == {Verification.ACCEPTED}
    assert late.get().verification == Verification.PENDING


def test_a_rejection_without_reason_comes_back_beside_its_document(
    assigned, caseworker, client_for
):
    documents = pending_of(assigned)
    target = documents[1]

    response = client_for(caseworker).post(
        case_url(assigned),
        form_data(
            assigned,
            documents,
            **{f"doc{documents[0].pk}_decision": "accept", f"doc{target.pk}_decision": "reject"},
        ),
    )

    assert response.status_code == 200
    form = response.context["documents_form"]
    assert form.errors[f"doc{target.pk}_reason"] == ["Say why the document is rejected."]
    html = response.content.decode()
    assert f'id="id_documents-doc{target.pk}_reason-error"' in html
    assert len(pending_of(assigned)) == len(documents)


def test_saving_with_nothing_chosen_says_so(assigned, caseworker, client_for):
    response = client_for(caseworker).post(
        case_url(assigned), form_data(assigned, pending_of(assigned))
    )

    assert response.status_code == 200
    assert "Choose what to do with at least one document" in response.content.decode()


def test_a_stale_form_saves_nothing_and_says_the_case_changed(assigned, caseworker, client_for):
    documents = pending_of(assigned)
    data = form_data(assigned, documents, accept_all="on", looked="on")
    services.application_release(
        application=assigned, actor=caseworker, expected_version=version_of(assigned)
    )
    services.application_claim(application=assigned, actor=caseworker)

    response = client_for(caseworker).post(case_url(assigned), data)

    assert response.status_code == 409
    assert "changed meanwhile" in response.content.decode()
    assert len(pending_of(assigned)) == len(documents)
    # What was typed is kept, at the present version: submitting again works.
    kept = response.context["documents_form"]
    assert kept["expected_version"].value() == str(version_of(assigned))


def test_another_caseworker_cannot_verify(assigned, other_caseworker, client_for):
    documents = pending_of(assigned)

    response = client_for(other_caseworker).post(
        case_url(assigned), form_data(assigned, documents, accept_all="on", looked="on")
    )

    assert response.status_code == 200
    assert "documents_form" in response.context
    assert len(pending_of(assigned)) == len(documents)


def test_the_case_page_takes_the_same_queries_for_2_and_8_documents(caseworker, client_for):
    client = client_for(caseworker)
    eight = ApplicationFactory(filed=True, caseworker=caseworker)
    services.application_claim(application=eight, actor=caseworker)
    two = ApplicationFactory(filed=True)
    services.application_claim(application=two, actor=caseworker)
    # Six of its documents replaced long ago: two wait for verification.
    Document.objects.filter(pk__in=[d.pk for d in pending_of(two)[2:]]).delete()
    assert len(pending_of(two)) == 2 and len(pending_of(eight)) == 8

    client.get(case_url(two, "mine"))  # warm the caches (permissions, content types)
    with CaptureQueriesContext(connection) as with_two:
        assert client.get(case_url(two, "mine")).status_code == 200
    with CaptureQueriesContext(connection) as with_eight:
        assert client.get(case_url(eight, "mine")).status_code == 200

    assert len(with_two.captured_queries) == len(with_eight.captured_queries)


# --- What the forms propose, the next step, the next case ----------------------------------


def test_a_grant_is_proposed_once_every_required_document_is_verified(
    assigned, caseworker, client_for
):
    client = client_for(caseworker)
    before = client.get(case_url(assigned))
    assert before.context["forms"]["decide"]["outcome"].value() is None
    assert "Verify the documents, then decide." in before.content.decode()

    Document.objects.filter(application=assigned).update(verification=Verification.ACCEPTED)
    response = client.get(case_url(assigned))

    decide = response.context["forms"]["decide"]
    assert decide["outcome"].value() == Outcome.GRANTED
    validity = decide.validity
    assert decide["valid_from"].value() == validity.earliest_start
    assert decide["valid_to"].value() == validity.proposed_to
    assert response.context["open_form"] == "decide"
    assert "Decide: every required document is verified." in response.content.decode()


def test_interrupt_proposes_the_rejected_and_missing_kinds_with_the_types_kinds_first(
    assigned, caseworker, client_for
):
    photo = assigned.documents.get(kind__code="photograph")
    document_verify(document=photo, actor=caseworker, accepted=False, reason="Blurred.")
    Document.objects.filter(application=assigned, kind__code="accommodation").update(
        is_current=False
    )

    response = client_for(caseworker).get(case_url(assigned))

    interrupt = response.context["forms"]["interrupt"]
    proposed = set(interrupt["document_kinds"].value())
    assert proposed == {photo.kind_id, DocumentKind.objects.get(code="accommodation").pk}
    listed = [kind.code for kind in interrupt.fields["document_kinds"].queryset]
    of_type = set(
        PermitType.objects.get(code="employee_card").requirements.values_list(
            "document_kind__code", flat=True
        )
    )
    assert set(listed[: len(of_type)]) == of_type


def test_the_panel_says_the_days_left_and_waits_for_documents(caseworker, client_for):
    with time_machine.travel(MONDAY, tick=False):
        application = ApplicationFactory(interrupted=True, caseworker=caseworker)
        response = client_for(caseworker).get(case_url(application))

    html = response.content.decode()
    deadline = application.open_interruption.deadline
    assert "Paused" in html
    # In English, as the page was asked: "4 Jan 2027", the parts joined by no-break spaces.
    assert (
        f"Waiting for documents until {deadline.day}\u00a0{deadline:%b}\u00a0{deadline.year}."
        in html
    )


def test_the_next_case_of_the_queue_follows_every_action(caseworker, client_for):
    first = ApplicationFactory(filed=True)
    second = ApplicationFactory(filed=True)
    client = client_for(caseworker)

    page = client.get(case_url(first, "new"))
    assert page.context["next_case"] == case_url(second, "new")
    assert "Next case in this queue" in page.content.decode()

    claimed = client.post(
        reverse("caseworker:claim", args=[first.pk]) + "?from=new",
        {"claim-expected_version": version_of(first)},
    )
    assert claimed["Location"] == f"{case_url(first, 'new')}#actions"
    after = client.get(claimed["Location"])
    # The first case left the tab; the second is still its first case.
    assert after.context["next_case"] == case_url(second, "new")

    last = client.get(case_url(second, "new"))
    assert last.context["next_case"] == ""
    assert "No other case in this queue." in last.content.decode()
    # An unknown tab is ignored.
    assert client.get(case_url(second, "everything")).context["next_case"] is None


@pytest.mark.parametrize("role", ["applicant", "support"])
def test_the_documents_form_refuses_non_staff(assigned, role, request, client_for):
    documents = pending_of(assigned)
    data = form_data(assigned, documents, accept_all="on", looked="on")

    refused = client_for(request.getfixturevalue(role)).post(case_url(assigned), data)
    anonymous = client_for(None).post(case_url(assigned), data)

    assert refused.status_code == 403
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse(settings.LOGIN_URL))
    assert len(pending_of(assigned)) == len(documents)
