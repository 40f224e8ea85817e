"""Uploads refuse files that could harm a reader: content checked, not the name; PDFs with
scripts, actions that run, send or open something, or embedded files are refused
(``pdf_has_active_content``)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from documents.inspection import UploadRefused, pdf_has_active_content, validate_upload
from tests.applications.factories import ApplicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
        b"%PDF-1.7\n<< /Type /Action /S /Launch /F (cmd.exe) >>",
        b"%PDF-1.7\n<< /Names << /EmbeddedFiles 3 0 R >> >>",
        b"%PDF-1.7\n<< /Type /EmbeddedFile /Length 10 >>",
        # The same names written with #xx escapes.
        b"%PDF-1.7\n<< /S /J#61vaScript /J#53 (x) >>",
        b"%PDF-1.7\n<< /A << /S /URI /URI (https://evil.example/) >> >>",
        b"%PDF-1.7\n<< /AA << /O << /S /U#52I /URI (file://attacker/share) >> >> >>",
    ],
)
def test_active_pdf_content_is_found(content):
    assert pdf_has_active_content(content)


@pytest.mark.parametrize(
    "content",
    [
        pdf_bytes("a plain scan"),
        b"%PDF-1.7\n<< /Type /Catalog /JSONData 1 >>",  # a longer name is another name
        b"%PDF-1.7\n<< /A << /S /GoTo /D [3 0 R /Fit] >> >>",  # a link within the document
    ],
)
def test_plain_pdfs_pass(content):
    assert not pdf_has_active_content(content)


def test_validate_upload_refuses_a_pdf_with_javascript():
    upload = SimpleUploadedFile(
        "form.pdf", b"%PDF-1.4\n<< /AA << /O << /S /JavaScript /JS (x) >> >> >>"
    )
    with pytest.raises(UploadRefused, match="scripts"):
        validate_upload(upload)


def test_validate_upload_accepts_a_plain_pdf():
    content, content_type = validate_upload(SimpleUploadedFile("scan.pdf", pdf_bytes()))
    assert content_type == "application/pdf"
    assert content.startswith(b"%PDF")


def test_the_upload_page_refuses_a_pdf_with_javascript(applicant):
    application = ApplicationFactory(applicant=applicant.applicants.get())
    client = Client()
    client.force_login(applicant)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("applications:documents", args=[application.pk]),
        {
            "item": "travel_document",
            "travel_document-file": SimpleUploadedFile(
                "passport.pdf", b"%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (x) >> >>"
            ),
        },
    )
    assert response.status_code == 200
    assert "This PDF contains scripts" in response.content.decode()
    assert not application.documents.exists()
