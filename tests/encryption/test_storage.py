"""Uploaded documents and generated PDFs are encrypted on disk, and decrypted only while a view
streams them to someone allowed to see the case."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.case_documents import document_upload
from encryption import crypto
from permits.models import DocumentKind
from tests.applications.factories import ApplicationFactory, pdf_bytes
from tests.encryption.conftest import new_key

pytestmark = pytest.mark.django_db

CANARY = b"CANARY-FILE-7f3a9c"


def on_disk(name: str) -> bytes:
    return Path(default_storage.path(name)).read_bytes()


@pytest.fixture
def uploaded(applicant):
    """A draft with a scan whose text is the canary."""
    application = ApplicationFactory(applicant=applicant.applicants.get())
    content = pdf_bytes(CANARY.decode())
    assert CANARY in content
    document = document_upload(
        application=application,
        kind=DocumentKind.objects.get(code="travel_document"),
        upload=SimpleUploadedFile("passport.pdf", content, "application/pdf"),
        actor=applicant,
    )
    return document, content


def test_a_stored_file_is_ciphertext_on_disk(use_keys):
    use_keys(new_key("k1"))
    name = default_storage.save("documents/1/canary", ContentFile(b"%PDF-1.4 " + CANARY))

    raw = on_disk(name)
    assert CANARY not in raw
    assert raw.startswith(crypto.FILE_MAGIC)
    with default_storage.open(name) as handle:
        assert handle.read() == b"%PDF-1.4 " + CANARY
    assert default_storage.size(name) == len(b"%PDF-1.4 " + CANARY)


def test_an_upload_is_encrypted_and_keeps_its_plaintext_size_and_hash(uploaded):
    document, content = uploaded

    assert CANARY not in on_disk(document.file.name)
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    with document.file.open("rb") as handle:
        assert handle.read() == content


def test_a_file_copied_over_another_fails_to_open(uploaded):
    document, _content = uploaded
    other = default_storage.save("documents/1/other", ContentFile(b"another file"))
    Path(default_storage.path(other)).write_bytes(on_disk(document.file.name))

    with pytest.raises(crypto.DecryptionError):
        default_storage.open(other)


def test_a_tampered_or_clear_file_fails_to_open(use_keys):
    use_keys(new_key("k1"))
    name = default_storage.save("documents/1/tampered", ContentFile(CANARY))
    path = Path(default_storage.path(name))
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(crypto.DecryptionError):
        default_storage.open(name)

    path.write_bytes(CANARY)
    with pytest.raises(crypto.DecryptionError):
        default_storage.open(name)


def test_files_cannot_be_opened_for_writing(use_keys):
    use_keys(new_key("k1"))
    name = default_storage.save("documents/1/x", ContentFile(b"x"))
    with pytest.raises(ValueError, match="save"):
        default_storage.open(name, "wb")


def test_the_owner_downloads_the_plaintext_with_safe_headers(uploaded, applicant, client_for):
    document, content = uploaded

    response = client_for(applicant).get(reverse("documents:download", args=[document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment;")
    assert "passport.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert int(response["Content-Length"]) == len(content)


def test_the_caseworker_views_the_plaintext_inline_with_safe_headers(
    use_keys, caseworker, client_for
):
    use_keys(new_key("k1"))
    application = ApplicationFactory(filed=True)
    document = application.documents.first()
    with document.file.open("rb") as handle:
        content = handle.read()

    response = client_for(caseworker).get(reverse("caseworker:document_view", args=[document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("inline;")
    assert document.original_name in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_generated_decision_is_encrypted_at_rest(applicant, client_for):
    application = ApplicationFactory(applicant=applicant.applicants.get(), rejected=True)
    document = application.decisions.get().document

    raw = on_disk(document.file.name)
    assert not raw.startswith(b"%PDF")
    assert crypto.file_key_id(raw) == crypto.keyring().current_id
    response = client_for(applicant).get(reverse("documents:download", args=[document.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["X-Content-Type-Options"] == "nosniff"
