"""After a decision, the file changes only through the remedies (SPEC §2).

Found in issue 13: on a case whose appeal was dismissed (closed), a caseworker rejected the
travel document the decision rested on. Once a case is decided, appealed, closed or withdrawn,
nobody verifies, rejects, removes or adds evidence; the remedies keep their own paths (appeal
attachments, and an appeal returned for new proceedings reopens the file), and the office still
files the documents it generates.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.case_documents import (
    document_remove,
    document_store_generated,
    document_upload,
    document_upload_appeal_attachment,
    document_verify,
)
from applications.constants import AppealResult, Outcome, Status
from applications.models import Application, AuditEntry
from core.errors import TransitionRefused
from documents.constants import Role, Verification
from documents.models import Document
from permits.models import DocumentKind
from tests.applications.factories import ApplicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db

DECIDED_REFUSAL = (
    "A decision has been issued in this case: its documents can no longer be verified, "
    "rejected, removed or added. After a decision the file changes only through an appeal."
)
WITHDRAWN_REFUSAL = (
    "This application was withdrawn: its documents can no longer be verified, rejected, "
    "removed or added."
)
REFUSAL = {
    "decided": DECIDED_REFUSAL,
    "appealed": DECIDED_REFUSAL,
    "closed": DECIDED_REFUSAL,
    "withdrawn": WITHDRAWN_REFUSAL,
}
FROZEN = list(REFUSAL)


def case_in(state: str, caseworker) -> Application:
    """A case brought to ``state`` through the services, its documents accepted if decided."""
    if state == "closed":
        # The case of the issue: the appeal was dismissed, the decision stands.
        application = ApplicationFactory(appealed=True, caseworker=caseworker)
        services.application_resolve_appeal(
            application=application, actor=caseworker, result=AppealResult.DISMISSED
        )
        application.refresh_from_db()
    else:
        application = ApplicationFactory(caseworker=caseworker, **{state: True})
    assert application.status == state
    return application


def travel_document(application: Application) -> Document:
    return application.documents.get(kind__code="travel_document", is_current=True)


def upload(name: str = "passport.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(name), "application/pdf")


def verification_of(document: Document) -> tuple:
    return Document.objects.values_list(
        "verification", "rejection_reason", "verified_by", "verified_at"
    ).get(pk=document.pk)


# --- The services --------------------------------------------------------------------------


@pytest.mark.parametrize("accepted", [True, False], ids=["accept", "reject"])
@pytest.mark.parametrize("state", FROZEN)
def test_verifying_a_document_of_a_frozen_case_is_refused(state, accepted, caseworker):
    application = case_in(state, caseworker)
    document = travel_document(application)
    before = verification_of(document)
    audit_rows = AuditEntry.objects.filter(application=application).count()

    with pytest.raises(TransitionRefused) as refusal:
        document_verify(document=document, actor=caseworker, accepted=accepted, reason="Expired.")

    assert str(refusal.value) == REFUSAL[state]
    assert verification_of(document) == before
    assert AuditEntry.objects.filter(application=application).count() == audit_rows


@pytest.mark.parametrize("state", FROZEN)
def test_the_applicant_cannot_add_evidence_to_a_frozen_case(state, caseworker):
    application = case_in(state, caseworker)
    documents = application.documents.count()

    with pytest.raises(TransitionRefused) as refusal:
        document_upload(
            application=application,
            kind=DocumentKind.objects.get(code="travel_document"),
            upload=upload(),
            actor=application.applicant.account,
        )

    assert str(refusal.value) == REFUSAL[state]
    assert application.documents.count() == documents


@pytest.mark.parametrize("state", FROZEN)
def test_the_applicant_cannot_remove_evidence_from_a_frozen_case(state, caseworker):
    application = case_in(state, caseworker)
    document = travel_document(application)

    with pytest.raises(TransitionRefused) as refusal:
        document_remove(document=document, actor=application.applicant.account)

    assert str(refusal.value) == REFUSAL[state]
    document.refresh_from_db()
    assert document.is_current
    assert document.file.storage.exists(document.file.name)


def test_the_state_is_read_under_the_case_lock_not_from_the_callers_copy(caseworker):
    application = ApplicationFactory(filed=True)
    services.application_claim(application=application, actor=caseworker)
    stale = travel_document(application)  # loaded while the case was filed
    Document.objects.filter(application=application).update(verification=Verification.ACCEPTED)
    services.application_decide(
        application=Application.objects.get(pk=application.pk),
        actor=caseworker,
        outcome=Outcome.REJECTED,
        reasoning="The conditions are not met.",
    )
    assert stale.application.status == Status.FILED

    with pytest.raises(TransitionRefused, match="A decision has been issued"):
        document_verify(document=stale, actor=caseworker, accepted=False, reason="Expired.")

    assert travel_document(application).verification == Verification.ACCEPTED


# --- What stays possible -------------------------------------------------------------------


def test_an_appeal_returned_for_new_proceedings_reopens_the_file(caseworker):
    application = case_in("appealed", caseworker)
    services.application_resolve_appeal(
        application=application, actor=caseworker, result=AppealResult.RETURNED
    )
    application.refresh_from_db()
    assert application.status == Status.FILED

    rejected = document_verify(
        document=travel_document(application), actor=caseworker, accepted=False, reason="Expired."
    )
    added = document_upload(
        application=application,
        kind=DocumentKind.objects.get(code="travel_document"),
        upload=upload("new-passport.pdf"),
        actor=application.applicant.account,
    )

    assert rejected.verification == Verification.REJECTED
    assert added.verification == Verification.PENDING


def test_attachments_are_lodged_with_an_appeal(caseworker):
    application = case_in("appealed", caseworker)

    attachment = document_upload_appeal_attachment(
        application=application,
        upload=upload("bank-statement.pdf"),
        actor=application.applicant.account,
    )

    assert attachment.role == Role.APPEAL


@pytest.mark.parametrize("state", FROZEN)
def test_the_office_still_files_the_documents_it_generates(state, caseworker):
    application = case_in(state, caseworker)

    letter = document_store_generated(
        application=application, content=pdf_bytes("receipt"), name="receipt.pdf", role=Role.LETTER
    )

    assert letter.application_id == application.pk
    assert letter.verification == Verification.ACCEPTED


# --- The caseworker's case page ------------------------------------------------------------


def test_the_dismissed_appeal_case_refuses_the_rejection_on_the_page(caseworker, client_for):
    application = case_in("closed", caseworker)
    document = travel_document(application)
    assert document.verification == Verification.ACCEPTED

    response = client_for(caseworker).post(
        reverse("caseworker:document_verify", args=[document.pk]),
        {f"doc{document.pk}-decision": "reject", f"doc{document.pk}-reason": "Expired."},
    )

    assert response.status_code == 200
    assert DECIDED_REFUSAL in response.content.decode()
    document.refresh_from_db()
    assert document.verification == Verification.ACCEPTED
    assert document.rejection_reason == ""


@pytest.mark.parametrize("state", FROZEN)
def test_the_case_page_offers_no_verification_on_a_frozen_case(state, caseworker, client_for):
    application = case_in(state, caseworker)

    response = client_for(caseworker).get(reverse("caseworker:case", args=[application.pk]))

    html = response.content.decode()
    assert response.context["actions"]["verify_documents"] is False
    assert all(item["verify_form"] is None for item in response.context["documents"])
    assert "/verify/" not in html
    assert "data-documents-frozen" in html


def test_the_case_page_offers_verification_while_proceedings_run(caseworker, client_for):
    application = ApplicationFactory(filed=True)
    # Verifying is for the caseworker the case is assigned to (SPEC §2).
    services.application_claim(application=application, actor=caseworker)

    response = client_for(caseworker).get(reverse("caseworker:case", args=[application.pk]))

    html = response.content.decode()
    assert response.context["actions"]["verify_documents"] is True
    document = travel_document(application)
    # The documents waiting for verification are in the page's one documents form.
    assert 'id="documents-form"' in html
    assert document.pk in response.context["documents_form"].document_ids
    assert "data-documents-frozen" not in html


# --- The applicant's pages -----------------------------------------------------------------


@pytest.mark.parametrize("state", FROZEN)
def test_the_applicant_pages_offer_no_upload_or_removal_on_a_frozen_case(
    state, caseworker, client_for
):
    application = case_in(state, caseworker)
    client = client_for(application.applicant.account)
    documents_url = reverse("applications:documents", args=[application.pk])

    case_page = client.get(reverse("applications:detail", args=[application.pk]))
    documents_page = client.get(documents_url)

    assert case_page.status_code == 200
    assert case_page.context["flags"].can_upload is False
    assert case_page.context["flags"].can_edit is False
    assert documents_url not in case_page.content.decode()
    assert documents_page.status_code == 302


@pytest.mark.parametrize("state", FROZEN)
def test_an_applicant_upload_to_a_frozen_case_is_refused_with_a_message(
    state, caseworker, client_for
):
    application = case_in(state, caseworker)
    documents = application.documents.count()

    response = client_for(application.applicant.account).post(
        reverse("applications:documents", args=[application.pk]),
        {"item": "travel_document", "travel_document-file": upload()},
        follow=True,
    )

    assert "Documents can no longer be uploaded on this page." in response.content.decode()
    assert application.documents.count() == documents


@pytest.mark.parametrize("state", FROZEN)
def test_an_applicant_removal_from_a_frozen_case_is_refused_with_a_message(
    state, caseworker, client_for
):
    application = case_in(state, caseworker)
    document = travel_document(application)

    response = client_for(application.applicant.account).post(
        reverse("applications:document_remove", args=[application.pk, document.pk]), follow=True
    )

    assert REFUSAL[state] in response.content.decode()
    document.refresh_from_db()
    assert document.is_current
