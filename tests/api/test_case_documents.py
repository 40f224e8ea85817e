"""A case's documents through the API: upload (with the page's checks on what a file holds),
the document, its file, and removal from a draft (``api.cases``)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from api import scopes
from applications.constants import Status
from applications.models import Application
from documents.constants import Role
from documents.models import Document
from privacy.constants import Action
from privacy.models import AccessEvent
from tests.applications.factories import ApplicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))
PNG = (  # 1 x 1 pixel
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
    b"\x00\x00\x00\nIDATx\xdac\xf8\x0f\x00\x01\x01\x01\x00\x1c\xb0\x8c\x99\x00\x00\x00\x00IEND\xaeB`\x82"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
PDF_WITH_SCRIPT = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /S /JavaScript /JS (app.alert('hi')) >>\nendobj\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def api(api_as):
    """``api(user, scopes)``: a client with a fresh token, asking for English answers."""

    def make(user, scope_list=scopes.ALL):
        return api_as(user, scope_list, HTTP_ACCEPT_LANGUAGE="en")

    return make


def own_application(user, **kwargs) -> Application:
    return ApplicationFactory(applicant=user.applicants.get(), **kwargs)


def documents_url(application: Application, tail: str = "") -> str:
    return f"/api/v1/applications/{application.pk}/documents/{tail}"


def if_match(application: Application) -> dict[str, str]:
    return {"HTTP_IF_MATCH": f'"{application.version}"'}


def upload(client, application, kind: str, name: str, content: bytes, content_type: str, **extra):
    return client.post(
        documents_url(application),
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type)},
        format="multipart",
        **{**if_match(application), **extra},
    )


# --- Upload ------------------------------------------------------------------------------------


def test_an_upload_is_stored_and_answered_with_its_address(api, applicant):
    application = own_application(applicant)
    response = upload(api(applicant), application, "photograph", "me.png", PNG, "image/png")

    assert response.status_code == 201, response.json()
    document = Document.objects.get()
    assert document.application == application
    assert document.kind.code == "photograph"
    assert response["Location"].endswith(documents_url(application, f"{document.pk}/"))
    body = response.json()
    assert body["id"] == document.pk
    assert body["kind"] == "photograph"
    assert body["content_type"] == "image/png"
    assert body["size"] == len(PNG)
    assert body["verification"] == "pending"
    assert body["links"]["file"] == documents_url(application, f"{document.pk}/file")


REFUSALS = [
    ("scan.pdf", EXE, "application/pdf", "Upload a PDF, JPEG or PNG file."),
    ("notes.txt", b"just some text", "text/plain", "Upload a PDF, JPEG or PNG file."),
    ("photo.pdf", PNG, "application/pdf", "but the file is a PNG image"),
    ("form.pdf", PDF_WITH_SCRIPT, "application/pdf", "contains scripts"),
]


@pytest.mark.parametrize(("name", "content", "content_type", "message"), REFUSALS)
def test_a_hostile_file_is_a_400_problem_and_nothing_is_stored(
    api, applicant, name, content, content_type, message
):
    application = own_application(applicant)
    response = upload(api(applicant), application, "travel_document", name, content, content_type)

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    [error] = response.json()["errors"]
    assert error["pointer"] == "#/file"
    assert message in error["detail"]
    assert not Document.objects.exists()


def test_an_oversized_file_is_refused(api, applicant, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 64 * 1024
    application = own_application(applicant)
    big = pdf_bytes() + b"%" * (64 * 1024)
    response = upload(
        api(applicant), application, "travel_document", "big.pdf", big, "application/pdf"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"pointer": "#/file", "detail": "The file is larger than 0 MB."}
    ]
    assert not Document.objects.exists()


def test_a_kind_the_checklist_does_not_ask_for_is_refused(api, applicant):
    application = own_application(applicant)
    response = upload(
        api(applicant), application, "no_such_kind", "a.pdf", pdf_bytes(), "application/pdf"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "#/kind"
    assert not Document.objects.exists()


def test_an_upload_needs_if_match_and_the_present_version(api, applicant):
    application = own_application(applicant)
    client = api(applicant)
    file = SimpleUploadedFile("me.png", PNG, "image/png")
    missing = client.post(
        documents_url(application), {"kind": "photograph", "file": file}, format="multipart"
    )
    assert missing.status_code == 428
    stale = upload(
        client, application, "photograph", "me.png", PNG, "image/png", HTTP_IF_MATCH='"99"'
    )
    assert stale.status_code == 412
    assert not Document.objects.exists()


def test_a_filed_case_takes_no_uploads_until_the_office_asks(api, applicant):
    application = own_application(applicant, filed=True)
    count = application.documents.count()
    response = upload(api(applicant), application, "photograph", "me.png", PNG, "image/png")
    assert response.status_code == 409
    assert application.documents.count() == count


def test_an_interruption_takes_the_documents_it_asked_for(api, applicant):
    application = own_application(applicant, interrupted=True)
    client = api(applicant)
    case = client.get(f"/api/v1/applications/{application.pk}/").json()
    assert [item["kind"] for item in case["checklist"]] == ["accommodation"]
    assert case["flags"]["can_supply"] is True

    refused = upload(client, application, "photograph", "me.png", PNG, "image/png")
    assert refused.status_code == 400
    response = upload(
        client, application, "accommodation", "lease.pdf", pdf_bytes("lease"), "application/pdf"
    )
    assert response.status_code == 201
    document = Document.objects.get(pk=response.json()["id"])
    assert document.interruption == application.interruptions.get()


def test_the_same_idempotency_key_uploads_once(api, applicant):
    application = own_application(applicant)
    client = api(applicant)
    first = upload(
        client, application, "photograph", "me.png", PNG, "image/png", HTTP_IDEMPOTENCY_KEY="u-1"
    )
    again = upload(
        client, application, "photograph", "me.png", PNG, "image/png", HTTP_IDEMPOTENCY_KEY="u-1"
    )
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Document.objects.count() == 1


def test_a_large_upload_with_an_idempotency_key_is_stored_once(api, applicant):
    """Above Django's in-memory limit the raw body cannot be read for the key's fingerprint,
    and each retry's multipart boundary differs: the fields and the file's content count."""
    application = own_application(applicant)
    client = api(applicant)
    import io
    import random

    from PIL import Image

    noise = random.Random(7).randbytes(900 * 900 * 3)  # incompressible: a PNG of ~2.4 MB
    buffer = io.BytesIO()
    Image.frombytes("RGB", (900, 900), noise).save(buffer, format="PNG")
    content = buffer.getvalue()
    assert len(content) > 2 * 1024 * 1024
    answers = [
        upload(
            client,
            application,
            "photograph",
            "photo.png",
            content,
            "image/png",
            HTTP_IDEMPOTENCY_KEY="big-1",
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [201, 201], answers[0].content[:300]
    assert answers[1]["Idempotent-Replayed"] == "true"
    assert Document.objects.count() == 1


# --- Reading a document and its file ---------------------------------------------------------


def test_the_owner_reads_the_document_and_downloads_its_file_and_both_are_logged(api, applicant):
    application = own_application(applicant)
    client = api(applicant, [scopes.CASES_READ, scopes.CASES_WRITE])
    document_id = upload(client, application, "photograph", "me.png", PNG, "image/png").json()["id"]

    shown = client.get(documents_url(application, f"{document_id}/"))
    assert shown.status_code == 200
    assert shown.json()["name"] == "me.png"

    response = client.get(
        documents_url(application, f"{document_id}/file"), HTTP_ACCEPT="image/png"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"

    events = AccessEvent.objects.filter(action=Action.API_READ).order_by("pk")
    assert [event.detail["what"] for event in events] == ["document", "document-file"]
    assert all(event.object_id == str(document_id) for event in events)
    assert all(event.application == application for event in events)


def test_another_persons_document_is_a_404(api, applicant, other_applicant):
    mine = own_application(applicant)
    theirs = own_application(other_applicant, ready=True)
    their_document = theirs.documents.first()
    before = theirs.documents.count()
    client = api(applicant)
    for url in [
        # Their document under their case, and under mine.
        f"/api/v1/applications/{theirs.pk}/documents/{their_document.pk}/",
        f"/api/v1/applications/{theirs.pk}/documents/{their_document.pk}/file",
        f"/api/v1/applications/{mine.pk}/documents/{their_document.pk}/",
        f"/api/v1/applications/{mine.pk}/documents/{their_document.pk}/file",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == PROBLEM
        assert client.delete(url, **if_match(mine)).status_code in (404, 405)
    upload_to_theirs = upload(client, theirs, "photograph", "me.png", PNG, "image/png")
    assert upload_to_theirs.status_code == 404
    assert Document.objects.filter(pk=their_document.pk, is_current=True).exists()
    assert theirs.documents.count() == before
    assert not AccessEvent.objects.filter(action=Action.API_READ).exists()


def test_a_decision_is_downloaded_with_the_decisions_scope_only(api, applicant):
    application = own_application(applicant, decided=True)
    decision = application.decisions.get()
    document = Document.objects.get(application=application, role=Role.DECISION)
    url = documents_url(application, f"{document.pk}/file")

    refused = api(applicant, [scopes.CASES_READ]).get(url)
    assert refused.status_code == 403
    assert scopes.DECISIONS_READ in refused.json()["detail"]
    decision.refresh_from_db()
    assert decision.opened_on is None

    response = api(applicant, [scopes.CASES_READ, scopes.DECISIONS_READ]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    decision.refresh_from_db()
    # Opening the decision's PDF is opening the decision, as on the page (D3).
    assert decision.opened_on is not None


def test_no_head_on_a_file(api, applicant):
    application = own_application(applicant)
    client = api(applicant)
    document_id = upload(client, application, "photograph", "me.png", PNG, "image/png").json()["id"]
    assert client.head(documents_url(application, f"{document_id}/file")).status_code == 405


# --- Removing a draft's document ---------------------------------------------------------------


def test_a_drafts_document_is_removed_and_its_file_deleted(
    api, applicant, django_capture_on_commit_callbacks
):
    application = own_application(applicant)
    client = api(applicant)
    document_id = upload(client, application, "photograph", "me.png", PNG, "image/png").json()["id"]
    document = Document.objects.get(pk=document_id)
    storage, name = document.file.storage, document.file.name

    assert client.delete(documents_url(application, f"{document_id}/")).status_code == 428
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(
            documents_url(application, f"{document_id}/"), **if_match(application)
        )
    assert response.status_code == 204
    document.refresh_from_db()
    assert document.is_current is False
    assert not storage.exists(name)
    case = client.get(f"/api/v1/applications/{application.pk}/").json()
    assert document_id not in [shown["id"] for shown in case["documents"]]
    assert client.get(documents_url(application, f"{document_id}/file")).status_code == 404


def test_a_filed_cases_document_stays(api, applicant):
    application = own_application(applicant, filed=True)
    document = application.documents.first()
    response = api(applicant).delete(
        documents_url(application, f"{document.pk}/"), **if_match(application)
    )
    assert response.status_code == 422
    document.refresh_from_db()
    assert document.is_current is True
    assert Application.objects.get(pk=application.pk).status == Status.FILED
