"""A document's original file name and the reason it was rejected are stored encrypted, and
every page, download and export that shows them shows the plaintext."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from applications import services
from applications.case_documents import document_upload, document_verify
from documents.constants import Verification
from documents.models import Document
from encryption import crypto
from permits.models import DocumentKind
from tests.applications.factories import ApplicationFactory, pdf_bytes
from tests.encryption.test_fields import stored

pytestmark = pytest.mark.django_db

NAME = "passport_Olena_Kovalenko.pdf"
REASON = "The photo page of Olena's passport is cut off."


@pytest.fixture
def rejected(applicant, caseworker) -> Document:
    """A document of a filed case, uploaded as ``NAME`` and rejected for ``REASON``."""
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    document = document_upload(
        application=application,
        kind=DocumentKind.objects.get(code="travel_document"),
        upload=SimpleUploadedFile(NAME, pdf_bytes(), "application/pdf"),
        actor=applicant,
    )
    # Verifying is for the caseworker the case is assigned to (SPEC §2).
    services.application_claim(application=application, actor=caseworker)
    return document_verify(document=document, actor=caseworker, accepted=False, reason=REASON)


def test_the_name_and_the_reason_are_stored_sealed_and_read_back(rejected):
    fresh = Document.objects.get(pk=rejected.pk)
    key = f"{crypto.keyring().current_id}:"

    assert (fresh.original_name, fresh.rejection_reason) == (NAME, REASON)
    for column, clear in [("original_name", "Olena"), ("rejection_reason", "cut off")]:
        raw = stored(rejected, column)
        assert raw.startswith(key), column
        assert clear not in raw, column
    # The audit trail's copy of the reason was encrypted already.
    entry = rejected.application.audit_entries.get(action="document_rejected")
    assert entry.note == REASON
    assert stored(entry, "note").startswith(key)


def test_an_accepted_document_keeps_an_empty_reason(rejected, caseworker):
    document_verify(document=rejected, actor=caseworker, accepted=True)

    assert stored(rejected, "rejection_reason") == ""
    assert Document.objects.get(pk=rejected.pk).rejection_reason == ""


def test_a_rejection_without_a_reason_is_still_refused_by_the_database(rejected):
    rejected.full_clean()  # the encrypted reason is left to the database's constraint

    copy = Document.objects.get(pk=rejected.pk)
    assert copy.original_name == NAME  # read before the row key changes
    copy.pk, copy.row_key, copy.sub_number, copy.rejection_reason = None, uuid.uuid4(), 99, ""
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_the_pages_show_the_name_and_the_reason(rejected, applicant, caseworker, client_for):
    application = rejected.application
    own = client_for(applicant).get(reverse("applications:detail", args=[application.pk]))
    staff = client_for(caseworker).get(reverse("caseworker:case", args=[application.pk]))

    for page in (own, staff):
        assert page.status_code == 200
        assert NAME in page.text
        assert "The photo page of Olena&#x27;s passport is cut off." in page.text
        assert f"{crypto.keyring().current_id}:" not in page.text


def test_the_download_is_named_as_uploaded(rejected, applicant, client_for):
    response = client_for(applicant).get(reverse("documents:download", args=[rejected.pk]))

    assert response.status_code == 200
    assert f'filename="{NAME}"' in response["Content-Disposition"]


def test_the_admin_lists_documents_and_searches_by_reference(rejected, superuser, client_for):
    client = client_for(superuser)
    reference = rejected.application.reference_number

    listing = client.get(reverse("admin:documents_document_changelist"), {"q": reference})
    page = client.get(reverse("admin:documents_document_change", args=[rejected.pk]))

    assert listing.status_code == page.status_code == 200
    assert NAME in listing.text
    assert NAME in page.text
    assert f"{crypto.keyring().current_id}:" not in listing.text + page.text


def test_the_personal_data_export_holds_the_name_and_the_reason(rejected, applicant, client_for):
    response = client_for(applicant).post(reverse("privacy:export"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))

    documents = [
        document
        for person in data["people"]
        for case in person["applications"]
        for document in case["documents"]
    ]
    [exported] = [d for d in documents if d["sub_number"] == rejected.sub_number]
    assert exported["original_name"] == NAME
    assert exported["rejection_reason"] == REASON
    assert exported["verification"] == Verification.REJECTED
    assert exported["file"].endswith(f"{rejected.sub_number}-{NAME}")
