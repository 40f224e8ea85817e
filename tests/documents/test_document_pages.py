"""A document of the checklist in several files (pages): uploaded at once, reordered and taken
out in a draft, verified as one document, exported in order; what is filed stays as filed."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.audit import AuditAction
from applications.case_documents import (
    DocumentChoice,
    document_page_move,
    document_remove,
    document_upload_pages,
    document_verify,
    documents_verify_many,
)
from applications.models import Application, AuditEntry
from applications.selectors import document_checklist
from core.errors import ApplicationError
from documents.constants import Verification
from documents.inspection import UploadRefused
from documents.models import Document
from permits.models import DocumentKind
from tests.applications.factories import ApplicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
PNG = (  # 1 x 1 pixel
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
    b"\x00\x00\x00\nIDATx\xdac\xf8\x0f\x00\x01\x01\x01\x00\x1c\xb0\x8c\x99\x00\x00\x00\x00IEND\xaeB`\x82"
)
GIF = b"GIF89a" + b"\x00" * 32


def own_draft(user) -> Application:
    return ApplicationFactory(applicant=user.applicants.get())


def url(name: str, application: Application, *args) -> str:
    return reverse(f"applications:{name}", args=[application.pk, *args])


def pages_upload(*files: tuple[str, bytes, str]) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(name, content, content_type) for name, content, content_type in files
    ]


def three_pages() -> list[SimpleUploadedFile]:
    return pages_upload(
        ("passport-1.pdf", pdf_bytes("page one"), "application/pdf"),
        ("passport-2.pdf", pdf_bytes("page two"), "application/pdf"),
        ("passport-3.png", PNG, "image/png"),
    )


def post_pages(client, application: Application, code: str, files: list[SimpleUploadedFile]):
    return client.post(
        url("documents", application), {"item": code, f"{code}-file": files}, **ENGLISH
    )


def current_pages(application: Application, code: str = "travel_document") -> list[Document]:
    return list(application.documents.filter(kind__code=code, is_current=True).order_by("page"))


def passport() -> DocumentKind:
    return DocumentKind.objects.get(code="travel_document")


# --- Uploading several files at once ----------------------------------------------------------


def test_a_passport_in_three_pages_is_one_document_with_three_files(applicant, client_for):
    application = own_draft(applicant)
    client = client_for(applicant)

    response = post_pages(client, application, "travel_document", three_pages())

    assert response.status_code == 302
    pages = current_pages(application)
    assert [page.original_name for page in pages] == [
        "passport-1.pdf",
        "passport-2.pdf",
        "passport-3.png",
    ]
    assert [page.page for page in pages] == [1, 2, 3]
    assert {page.item_number for page in pages} == {pages[0].sub_number}
    # Each file has its own number in the case's file.
    assert len({page.sub_number for page in pages}) == 3
    # The checklist counts the document once, with its three pages in order.
    [item] = [i for i in document_checklist(application) if i.kind.code == "travel_document"]
    assert len(item.items) == 1
    assert item.items[0].item_pages == pages
    page = client.get(url("documents", application), **ENGLISH).content.decode()
    assert 'name="travel_document-file" accept=".pdf,.jpg,.jpeg,.png" multiple' in page
    assert "Page 3" in page and "Move up" in page and "Move down" in page


def test_uploading_again_in_a_draft_adds_pages_at_the_end(applicant):
    application = own_draft(applicant)
    document_upload_pages(
        application=application, kind=passport(), uploads=three_pages()[:2], actor=applicant
    )
    document_upload_pages(
        application=application, kind=passport(), uploads=three_pages()[2:], actor=applicant
    )

    pages = current_pages(application)
    assert [(page.original_name, page.page) for page in pages] == [
        ("passport-1.pdf", 1),
        ("passport-2.pdf", 2),
        ("passport-3.png", 3),
    ]
    assert {page.item_number for page in pages} == {pages[0].item_number}
    # A draft is the person's working copy: not audited, and deletable with all it holds.
    assert not AuditEntry.objects.filter(application=application).exists()


def test_a_refused_page_is_named_with_its_reason_and_the_others_are_kept(applicant, client_for):
    application = own_draft(applicant)
    files = pages_upload(
        ("front.pdf", pdf_bytes("front"), "application/pdf"),
        ("scan.gif", GIF, "image/gif"),
        ("back.png", PNG, "image/png"),
    )

    response = post_pages(client_for(applicant), application, "travel_document", files)

    assert response.status_code == 200
    body = response.content.decode()
    form = dict((item.kind.code, f) for item, f in response.context["items"])
    [error] = form["travel_document"].errors["file"]
    assert error.startswith("scan.gif: ") and "Upload a PDF, JPEG or PNG file." in error
    assert "scan.gif: " in body
    assert [(p.original_name, p.page) for p in current_pages(application)] == [
        ("front.pdf", 1),
        ("back.png", 2),
    ]
    # The page shows what was kept beside the refusal.
    assert "front.pdf" in body and "back.png" in body


def test_when_every_page_is_refused_nothing_is_stored(applicant, client_for):
    application = own_draft(applicant)
    files = pages_upload(("scan.gif", GIF, "image/gif"))

    response = post_pages(client_for(applicant), application, "travel_document", files)

    assert response.status_code == 200
    assert "Upload a PDF, JPEG or PNG file." in response.content.decode()
    assert not application.documents.exists()


def test_no_file_chosen_is_said(applicant, client_for):
    application = own_draft(applicant)
    response = client_for(applicant).post(
        url("documents", application), {"item": "travel_document"}, **ENGLISH
    )
    assert response.status_code == 200
    assert "Choose a file to upload." in response.content.decode()


# --- Order and removal in a draft -------------------------------------------------------------


def test_move_a_page_up_and_down(applicant, client_for):
    application = own_draft(applicant)
    client = client_for(applicant)
    post_pages(client, application, "travel_document", three_pages())
    first, second, third = current_pages(application)

    response = client.post(url("document_move", application, third.pk), {"direction": "up"})

    assert response.status_code == 302
    assert [p.pk for p in current_pages(application)] == [first.pk, third.pk, second.pk]
    client.post(url("document_move", application, first.pk), {"direction": "down"})
    assert [p.pk for p in current_pages(application)] == [third.pk, first.pk, second.pk]
    assert [p.page for p in current_pages(application)] == [1, 2, 3]


def test_the_first_page_cannot_go_up_nor_the_last_down(applicant):
    application = own_draft(applicant)
    document_upload_pages(
        application=application, kind=passport(), uploads=three_pages(), actor=applicant
    )
    first, _second, third = current_pages(application)

    with pytest.raises(ApplicationError):
        document_page_move(document=first, actor=applicant, up=True)
    with pytest.raises(ApplicationError):
        document_page_move(document=third, actor=applicant, up=False)
    assert current_pages(application)[0].pk == first.pk


def test_a_bad_direction_changes_nothing(applicant, client_for):
    application = own_draft(applicant)
    client = client_for(applicant)
    post_pages(client, application, "travel_document", three_pages())
    before = [p.pk for p in current_pages(application)]

    response = client.post(url("document_move", application, before[1]), {"direction": "left"})

    assert response.status_code == 302
    assert [p.pk for p in current_pages(application)] == before


def test_removing_a_page_renumbers_the_rest(applicant, django_capture_on_commit_callbacks):
    application = own_draft(applicant)
    document_upload_pages(
        application=application, kind=passport(), uploads=three_pages(), actor=applicant
    )
    first, second, third = current_pages(application)

    with django_capture_on_commit_callbacks(execute=True):
        document_remove(document=second, actor=applicant)

    assert [(p.pk, p.page) for p in current_pages(application)] == [(first.pk, 1), (third.pk, 2)]


def test_another_persons_document_is_a_404(applicant, other_applicant, client_for):
    application = own_draft(applicant)
    document_upload_pages(
        application=application, kind=passport(), uploads=three_pages(), actor=applicant
    )
    first, second, _third = current_pages(application)
    outsider = client_for(other_applicant)

    assert (
        outsider.post(url("document_move", application, second.pk), {"direction": "up"}).status_code
        == 404
    )
    assert outsider.post(url("document_remove", application, second.pk)).status_code == 404
    # Nor through the outsider's own case.
    theirs = own_draft(other_applicant)
    assert (
        outsider.post(url("document_move", theirs, second.pk), {"direction": "up"}).status_code
        == 404
    )
    assert [p.pk for p in current_pages(application)][:2] == [first.pk, second.pk]


# --- What is filed stays as filed ---------------------------------------------------------------


def test_pages_of_a_filed_document_cannot_be_moved_or_removed(applicant, client_for):
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    page = application.documents.filter(is_current=True).first()

    with pytest.raises(UploadRefused):
        document_page_move(document=page, actor=applicant, up=False)
    with pytest.raises(UploadRefused):
        document_remove(document=page, actor=applicant)
    response = client_for(applicant).post(
        url("document_move", application, page.pk), {"direction": "down"}
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.is_current and page.page == 1


def test_after_filing_an_upload_is_a_new_document_not_more_pages(applicant):
    application = ApplicationFactory(applicant=applicant.applicants.get(), interrupted=True)
    kind = DocumentKind.objects.get(code="accommodation")
    before = set(application.documents.values_list("pk", "item_number", "page"))

    first = document_upload_pages(
        application=application, kind=kind, uploads=three_pages()[:2], actor=applicant
    )
    second = document_upload_pages(
        application=application, kind=kind, uploads=three_pages()[2:], actor=applicant
    )

    assert [p.page for p in first.stored] == [1, 2]
    assert [p.page for p in second.stored] == [1]
    assert second.stored[0].item_number != first.stored[0].item_number
    # What was in the file before is untouched.
    assert before <= set(application.documents.values_list("pk", "item_number", "page"))
    interruption = application.interruptions.get()
    assert {p.interruption_id for p in [*first.stored, *second.stored]} == {interruption.pk}
    [item] = document_checklist(application)
    assert len(item.items) == 2 and len(item.documents) == 3
    # After filing every change is audited: which document, and its pages in order.
    entry = AuditEntry.objects.filter(
        application=application, action=AuditAction.DOCUMENT_PAGES_CHANGED
    ).latest("pk")
    assert entry.data["change"] == "added"
    assert entry.data["pages"] == [second.stored[0].sub_number]


def test_a_draft_with_pages_can_be_deleted(applicant, client_for):
    application = own_draft(applicant)
    document_upload_pages(
        application=application, kind=passport(), uploads=three_pages(), actor=applicant
    )

    response = client_for(applicant).post(url("delete", application))

    assert response.status_code == 302
    assert not Application.objects.filter(pk=application.pk).exists()


# --- The caseworker verifies the document as a whole ---------------------------------------


@pytest.fixture
def claimed_with_pages(applicant, caseworker):
    application = ApplicationFactory(applicant=applicant.applicants.get(), interrupted=True)
    kind = DocumentKind.objects.get(code="accommodation")
    Application.objects.filter(pk=application.pk).update(assigned_to=caseworker)
    result = document_upload_pages(
        application=application, kind=kind, uploads=three_pages(), actor=applicant
    )
    application.refresh_from_db()
    return application, result.stored


def test_accepting_the_first_page_accepts_the_whole_document(claimed_with_pages, caseworker):
    application, pages = claimed_with_pages

    document_verify(document=pages[0], actor=caseworker, accepted=True)

    assert {p.verification for p in Document.objects.filter(pk__in=[p.pk for p in pages])} == {
        Verification.ACCEPTED
    }
    entry = AuditEntry.objects.filter(
        application=application, action=AuditAction.DOCUMENT_VERIFIED
    ).latest("pk")
    assert entry.data["pages"] == [p.sub_number for p in pages]


def test_rejecting_in_the_documents_form_rejects_every_page(claimed_with_pages, caseworker):
    application, pages = claimed_with_pages

    documents_verify_many(
        application=application,
        actor=caseworker,
        choices=[DocumentChoice(document_id=pages[0].pk, accepted=False, reason="Blurred.")],
        expected_version=application.version,
    )

    stored = Document.objects.filter(pk__in=[p.pk for p in pages])
    assert {p.verification for p in stored} == {Verification.REJECTED}
    assert {p.rejection_reason for p in stored} == {"Blurred."}


def test_two_pages_of_one_document_are_not_two_choices(claimed_with_pages, caseworker):
    application, pages = claimed_with_pages
    with pytest.raises(ApplicationError):
        documents_verify_many(
            application=application,
            actor=caseworker,
            choices=[
                DocumentChoice(document_id=pages[0].pk, accepted=True),
                DocumentChoice(document_id=pages[1].pk, accepted=False, reason="No."),
            ],
            expected_version=application.version,
        )
    assert {p.verification for p in Document.objects.filter(pk__in=[p.pk for p in pages])} == {
        Verification.PENDING
    }


def test_the_case_page_shows_the_pages_of_a_document_in_order(
    claimed_with_pages, caseworker, client_for
):
    application, pages = claimed_with_pages

    response = client_for(caseworker).get(
        reverse("caseworker:case", args=[application.pk]), **ENGLISH
    )

    assert response.status_code == 200
    html = response.content.decode()
    links = [reverse("caseworker:document_view", args=[p.pk]) for p in pages]
    positions = [html.index(f'href="{link}"') for link in links]
    assert positions == sorted(positions)
    assert "3 pages, verified as one document." in html
    # One document waiting for verification, not three.
    assert response.context["documents_form"].document_ids.count(pages[0].pk) == 1
    assert pages[1].pk not in response.context["documents_form"].document_ids


# --- The export ---------------------------------------------------------------------------------


def test_the_export_has_every_page_in_order(applicant, client_for):
    application = own_draft(applicant)
    files = three_pages()
    contents = [pdf_bytes("page one"), pdf_bytes("page two"), PNG]
    document_upload_pages(application=application, kind=passport(), uploads=files, actor=applicant)
    item = current_pages(application)[0].item_number

    response = client_for(applicant).post("/privacy/export/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    folder = f"files/draft-{application.pk}"
    expected = [
        f"{folder}/{item}-page-01-passport-1.pdf",
        f"{folder}/{item}-page-02-passport-2.pdf",
        f"{folder}/{item}-page-03-passport-3.png",
    ]
    names = [name for name in archive.namelist() if name.startswith(f"{folder}/{item}-")]
    assert names == expected
    assert [archive.read(name) for name in expected] == contents
