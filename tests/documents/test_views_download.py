"""Downloading a document of the case's record: only people who may see the case get it, as a
private attachment; opening the decision's PDF delivers the decision (D3)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role as UserRole
from applications import services
from applications.case_documents import document_remove, document_upload
from applications.constants import Channel
from documents.constants import Role
from documents.models import Document
from permits.models import DocumentKind, PermitType
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicantFactory, ApplicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db


def download_url(document: Document) -> str:
    return reverse("documents:download", args=[document.pk])


@pytest.fixture
def decided(applicant):
    application = ApplicationFactory(applicant=applicant.applicants.get(), rejected=True)
    return application, application.decisions.get()


def test_the_owner_downloads_the_decision_and_it_is_delivered(decided, applicant, client_for):
    _application, decision = decided
    assert decision.delivered_on is None

    response = client_for(applicant).get(download_url(decision.document))

    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert decision.document.original_name in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    decision.refresh_from_db()
    assert decision.delivered_on == timezone.localdate()
    assert decision.appeal_due is not None


def test_outsiders_get_404_and_anonymous_logs_in(decided, other_applicant, anonymous, client_for):
    _application, decision = decided
    target = download_url(decision.document)

    assert client_for(other_applicant).get(target).status_code == 404
    assert client_for(UserFactory(role=UserRole.SUPPORT)).get(target).status_code == 404
    response = anonymous.get(target)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={target}"
    decision.refresh_from_db()
    assert decision.delivered_on is None


def test_staff_who_process_cases_download_without_delivering(decided, caseworker, client_for):
    _application, decision = decided
    response = client_for(caseworker).get(download_url(decision.document))
    assert response.status_code == 200
    decision.refresh_from_db()
    assert decision.delivered_on is None  # only the applicant's opening is delivery


def test_the_support_worker_who_filed_downloads_the_file(support, client_for):
    person = ApplicantFactory(account=None, created_by=support)
    application = services.application_create(
        applicant=person,
        permit_type=PermitType.objects.get(code="card_replacement"),
        actor=support,
        channel=Channel.IN_PERSON,
    )
    document = document_upload(
        application=application,
        kind=DocumentKind.objects.get(code="travel_document"),
        upload=SimpleUploadedFile("passport scan.pdf", pdf_bytes()),
        actor=support,
    )
    response = client_for(support).get(download_url(document))
    assert response.status_code == 200
    assert 'filename="passport scan.pdf"' in response["Content-Disposition"]
    assert (
        client_for(UserFactory(role=UserRole.SUPPORT)).get(download_url(document)).status_code
        == 404
    )


def test_the_owner_inspects_own_evidence(applicant, client_for):
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    document = application.documents.filter(role=Role.EVIDENCE).first()
    response = client_for(applicant).get(download_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_removed_file_is_gone(applicant, django_capture_on_commit_callbacks, client_for):
    application = ApplicationFactory(applicant=applicant.applicants.get())
    document = document_upload(
        application=application,
        kind=DocumentKind.objects.get(code="travel_document"),
        upload=SimpleUploadedFile("passport.pdf", pdf_bytes()),
        actor=applicant,
    )
    with django_capture_on_commit_callbacks(execute=True):
        document_remove(document=document, actor=applicant)
    assert client_for(applicant).get(download_url(document)).status_code == 404


def test_download_is_get_only(decided, applicant, client_for):
    _application, decision = decided
    assert client_for(applicant).post(download_url(decision.document)).status_code == 405
