"""The applicant's pages: who may open them, and the whole journey through the test client.

Access rule (documented in ``applications/views/applicant.py``): a case's pages answer 200 to the
people on the applicant's side (the account holding the applicant record, the support worker who
created it) and 404 to everyone else, caseworkers included; anonymous visitors are sent to log in.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from applications import services
from applications.checks import required_document_kinds
from applications.constants import Channel, Relation, Status
from applications.models import Application
from documents.constants import Role
from documents.models import Document
from permits.models import DocumentKind, PermitType
from tests.applications.factories import ApplicantFactory, ApplicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db

PNG = (  # 1 x 1 pixel
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
    b"\x00\x00\x00\nIDATx\xdac\xf8\x0f\x00\x01\x01\x01\x00\x1c\xb0\x8c\x99\x00\x00\x00\x00IEND\xaeB`\x82"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
PDF_WITH_SCRIPT = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /S /JavaScript /JS (app.alert('hi')) >>\nendobj\n%%EOF\n"
)


def url(name: str, application: Application, *args) -> str:
    return reverse(f"applications:{name}", args=[application.pk, *args])


def own_application(user, **kwargs) -> Application:
    return ApplicationFactory(applicant=user.applicants.get(), **kwargs)


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type)


# --- Who may open what ---------------------------------------------------------------------

DRAFT_PAGES = ["detail", "status", "questions", "documents", "check", "file", "delete"]
FILED_PAGES = ["detail", "status", "filed", "withdraw"]


@pytest.mark.parametrize("page", DRAFT_PAGES)
def test_draft_pages_answer_the_owner_and_nobody_else(
    page, applicant, other_applicant, caseworker, supervisor, anonymous, client_for
):
    application = own_application(applicant)
    target = url(page, application)

    assert client_for(applicant).get(target).status_code == 200
    assert client_for(other_applicant).get(target).status_code == 404
    assert client_for(caseworker).get(target).status_code == 404
    assert client_for(supervisor).get(target).status_code == 404
    response = anonymous.get(target)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={target}"


@pytest.mark.parametrize("page", FILED_PAGES)
def test_case_pages_answer_the_owner_and_nobody_else(
    page, applicant, other_applicant, caseworker, anonymous, client_for
):
    application = own_application(applicant, filed=True)
    target = url(page, application)

    assert client_for(applicant).get(target).status_code == 200
    assert client_for(other_applicant).get(target).status_code == 404
    assert client_for(caseworker).get(target).status_code == 404
    assert anonymous.get(target).status_code == 302


@pytest.mark.parametrize("page", ["decision", "appeal"])
def test_decision_pages_answer_the_owner_and_nobody_else(
    page, applicant, other_applicant, caseworker, anonymous, client_for
):
    application = own_application(applicant, rejected=True)
    target = url(page, application)

    assert client_for(other_applicant).get(target).status_code == 404
    assert client_for(caseworker).get(target).status_code == 404
    assert anonymous.get(target).status_code == 302
    assert client_for(applicant).get(target).status_code == 200


def test_a_parent_opens_the_case_of_the_child_they_represent(
    applicant, other_applicant, client_for
):
    child = ApplicantFactory(account=applicant, relation=Relation.CHILD, given_names="Mila")
    application = ApplicationFactory(applicant=child)

    assert client_for(applicant).get(url("detail", application)).status_code == 200
    assert client_for(other_applicant).get(url("detail", application)).status_code == 404


@pytest.mark.parametrize(
    ("page", "state"),
    [("supply", {"interrupted": True}), ("status", {}), ("detail", {}), ("check", {})],
)
def test_wrong_method_is_405(page, state, applicant, client_for):
    application = own_application(applicant, **state)
    method = "get" if page == "supply" else "post"
    response = getattr(client_for(applicant), method)(url(page, application))
    assert response.status_code == 405


def test_removing_a_document_is_post_only(applicant, client_for):
    application = own_application(applicant)
    kind = DocumentKind.objects.get(code="travel_document")
    client = client_for(applicant)
    client.post(
        url("documents", application),
        {"item": kind.code, f"{kind.code}-file": upload("passport.pdf", pdf_bytes())},
    )
    document = application.documents.get()
    target = url("document_remove", application, document.pk)

    assert client.get(target).status_code == 405
    assert client_for(ApplicantFactory().account).post(target).status_code == 404


def test_pages_need_a_login(anonymous):
    for name in ("applications:dashboard", "applications:start"):
        response = anonymous.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


# --- Dashboard -----------------------------------------------------------------------------


def test_dashboard_lists_own_and_childrens_cases_with_the_next_step(
    applicant, other_applicant, client_for
):
    own_draft = own_application(applicant)
    interrupted = own_application(applicant, interrupted=True)
    child = ApplicantFactory(account=applicant, relation=Relation.CHILD, given_names="Mila")
    ApplicationFactory(applicant=child)
    someone_elses = own_application(other_applicant, filed=True)

    response = client_for(applicant).get(reverse("applications:dashboard"))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows[0].application.pk == interrupted.pk  # a deadline first
    assert own_draft.pk in {row.application.pk for row in rows}
    assert someone_elses.pk not in {row.application.pk for row in rows}
    body = response.content.decode()
    assert "Mila" in body
    deadline = interrupted.interruptions.get().deadline
    with translation.override("en"):
        assert f"Upload the requested documents by {date_format(deadline)}" in body
    assert "Complete your draft and file it" in body
    assert interrupted.reference_number in body
    assert "Start a new application" in body


def test_dashboard_queries_do_not_grow_with_the_number_of_cases(
    applicant, django_assert_num_queries, django_assert_max_num_queries, client_for
):
    person = applicant.applicants.get()
    ApplicationFactory(applicant=person, decided=True)
    ApplicationFactory(applicant=person, interrupted=True)
    client = client_for(applicant)
    dashboard = reverse("applications:dashboard")
    client.get(dashboard)  # warm the session

    # The session, the user, their permissions, the cases, their interruptions, their decisions
    # with appeals (and whatever the site-wide context processors read): a fixed number.
    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as two_cases:
        response = client.get(dashboard)
    assert len(response.context["rows"]) == 2

    for _ in range(18):
        ApplicationFactory(applicant=person)
    with django_assert_num_queries(len(two_cases.captured_queries)):
        response = client.get(dashboard)
    assert len(response.context["rows"]) == 20


# --- Start ---------------------------------------------------------------------------------


def test_start_preselects_the_type_from_the_catalogue_and_creates_a_draft(applicant, client_for):
    client = client_for(applicant)
    response = client.get(reverse("applications:start") + "?type=blue_card")
    blue_card = PermitType.objects.get(code="blue_card")
    assert response.context["form"].initial["permit_type"] == blue_card

    response = client.post(
        reverse("applications:start"),
        {"permit_type": blue_card.pk, "applicant": applicant.applicants.get().pk},
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", application)
    assert application.status == Status.DRAFT
    assert application.channel == Channel.ONLINE
    assert application.created_by == applicant


def test_start_offers_only_fileable_types_and_own_people(applicant, other_applicant, client_for):
    client = client_for(applicant)
    form = client.get(reverse("applications:start")).context["form"]
    codes = set(form.fields["permit_type"].queryset.values_list("code", flat=True))
    assert "employee_card" in codes
    assert "diplomatic_visa" not in codes  # another authority's permit: guidance, not a form
    assert "long_term_visa" not in codes  # applied for at an embassy

    response = client.post(
        reverse("applications:start"),
        {
            "permit_type": PermitType.objects.get(code="employee_card").pk,
            "applicant": other_applicant.applicants.get().pk,
        },
    )
    assert response.status_code == 200
    assert not Application.objects.exists()
    assert "Select a valid choice" in response.content.decode()


def test_start_for_a_child(applicant, client_for):
    child = ApplicantFactory(account=applicant, relation=Relation.CHILD, given_names="Mila")
    response = client_for(applicant).post(
        reverse("applications:start"),
        {"permit_type": PermitType.objects.get(code="ltr_family").pk, "applicant": child.pk},
    )
    assert response.status_code == 302
    assert Application.objects.get().applicant == child


def test_start_explains_an_embassy_only_type(applicant, client_for):
    response = client_for(applicant).get(reverse("applications:start") + "?type=long_term_visa")
    assert 'id="embassy-only"' in response.content.decode()


def test_start_without_personal_details_points_to_the_profile(db, client_for):
    from accounts.constants import Role
    from tests.accounts.factories import UserFactory

    newcomer = UserFactory(role=Role.APPLICANT)
    body = client_for(newcomer).get(reverse("applications:start")).content.decode()
    assert 'href="/accounts/profile/"' in body


# --- The whole journey ---------------------------------------------------------------------


EMPLOYEE_CARD_ANSWERS = {
    "monthly_salary_czk": "45 000",
    "weekly_hours": "40",
    "vacancy_number": "12345678",
}


def test_full_flow_start_answer_upload_check_file_confirm(applicant, client_for):
    client = client_for(applicant)
    employee_card = PermitType.objects.get(code="employee_card")
    response = client.post(
        reverse("applications:start"),
        {"permit_type": employee_card.pk, "applicant": applicant.applicants.get().pk},
    )
    application = Application.objects.get()
    tasks = client.get(response["Location"]).context["tasks"]
    assert [t.state for t in tasks][1:3] == ["not_started", "not_started"]

    response = client.post(
        url("questions", application), {**EMPLOYEE_CARD_ANSWERS, "save_continue": "1"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.answers["monthly_salary_czk"] == "45000"
    assert application.answers["statutory_body_member"] is False

    checklist = client.get(url("documents", application)).context["items"]
    assert checklist
    for item, _form in checklist:
        code = item.kind.code
        response = client.post(
            url("documents", application),
            {"item": code, f"{code}-file": upload(f"{code}.pdf", pdf_bytes(code))},
        )
        assert response.status_code == 302
    tasks = client.get(url("detail", application)).context["tasks"]
    assert {t.key: t.state for t in tasks}["documents"] == "completed"

    response = client.get(url("check", application))
    assert response.status_code == 200
    assert response.context["problems"] == []
    assert "45" in response.content.decode()

    response = client.post(url("file", application), {"truthful": "on", "consent": "on"})
    assert response.status_code == 302
    assert response["Location"] == url("filed", application)
    application.refresh_from_db()
    assert application.status == Status.FILED
    assert application.declarations_confirmed_at is not None

    body = client.get(url("filed", application)).content.decode()
    assert application.reference_number in body
    assert 'id="reference-number"' in body


def test_filing_needs_both_declarations_and_lists_what_is_missing(applicant, client_for):
    application = own_application(applicant)
    client = client_for(applicant)

    response = client.post(url("file", application), {"truthful": "on"})
    assert response.status_code == 200
    assert 'href="#id_consent"' in response.content.decode()

    response = client.post(url("file", application), {"truthful": "on", "consent": "on"})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    body = response.content.decode()
    assert "The application cannot be filed yet." in body
    assert f"{url('documents', application)}#document-travel_document" in body


def test_pages_of_a_filed_draft_lead_to_the_case_page(applicant, client_for):
    application = own_application(applicant, filed=True)
    response = client_for(applicant).get(url("questions", application))
    assert response.status_code == 302
    assert response["Location"] == url("detail", application)


# --- Questions -----------------------------------------------------------------------------


def test_invalid_answers_come_back_with_errors_and_what_was_typed(applicant, client_for):
    application = own_application(applicant)
    response = client_for(applicant).post(
        url("questions", application),
        {"monthly_salary_czk": "a lot", "weekly_hours": "40", "vacancy_number": "12ab"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert 'href="#id_monthly_salary_czk"' in body
    assert 'href="#id_vacancy_number"' in body
    assert "Enter a number." in body
    assert 'value="a lot"' in body
    assert 'value="12ab"' in body
    application.refresh_from_db()
    assert application.answers == {}


def test_save_and_come_back_later_keeps_a_partial_draft(applicant, client_for):
    permanent = PermitType.objects.get(code="permanent_residence")
    application = own_application(applicant, permit_type=permanent)
    client = client_for(applicant)

    no_periods = {"residence_periods-TOTAL_FORMS": "2", "residence_periods-INITIAL_FORMS": "0"}
    # "Save and continue" insists on the required question ...
    response = client.post(url("questions", application), {**no_periods, "czech_a2": "on"})
    assert response.status_code == 200
    assert "This question must be answered." in response.content.decode()
    # ... "save and come back later" does not.
    response = client.post(
        url("questions", application), {**no_periods, "czech_a2": "on", "save_later": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:dashboard")
    application.refresh_from_db()
    assert application.answers["czech_a2"] is True
    tasks = client.get(url("detail", application)).context["tasks"]
    assert {t.key: t.state for t in tasks}["questions"] == "in_progress"


def test_residence_periods_are_saved_row_by_row(applicant, client_for):
    permanent = PermitType.objects.get(code="permanent_residence")
    application = own_application(applicant, permit_type=permanent)
    client = client_for(applicant)
    data = {
        "residence_periods-TOTAL_FORMS": "2",
        "residence_periods-INITIAL_FORMS": "0",
        "residence_periods-0-kind": "long_term_residence",
        "residence_periods-0-start": "2019-01-01",
        "residence_periods-0-end": "2025-12-31",
        "residence_periods-1-kind": "",
        "residence_periods-1-start": "",
        "residence_periods-1-end": "",
    }
    # "Add another period" adds a row and keeps what was typed, saving nothing.
    response = client.post(url("questions", application), {**data, "add_row": "residence_periods"})
    formset = response.context["form"].period_formsets["residence_periods"]
    assert formset.total_form_count() == 3
    assert 'value="2019-01-01"' in response.content.decode()

    response = client.post(url("questions", application), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.answers["residence_periods"] == [
        {"kind": "long_term_residence", "start": "2019-01-01", "end": "2025-12-31"}
    ]
    body = client.get(url("questions", application)).content.decode()
    assert 'value="2025-12-31"' in body


def test_a_period_ending_before_it_starts_is_an_error_linked_to_the_row(applicant, client_for):
    permanent = PermitType.objects.get(code="permanent_residence")
    application = own_application(applicant, permit_type=permanent)
    response = client_for(applicant).post(
        url("questions", application),
        {
            "residence_periods-TOTAL_FORMS": "1",
            "residence_periods-INITIAL_FORMS": "0",
            "residence_periods-0-kind": "study",
            "residence_periods-0-start": "2024-01-01",
            "residence_periods-0-end": "2023-01-01",
        },
    )
    assert response.status_code == 200
    assert 'href="#id_residence_periods-0-end"' in response.content.decode()


# --- Documents -----------------------------------------------------------------------------


def _post_file(client, application, code: str, name: str, content: bytes, content_type: str):
    return client.post(
        url("documents", application),
        {"item": code, f"{code}-file": upload(name, content, content_type)},
    )


def test_documents_checklist_shows_description_limit_and_uploads(applicant, settings, client_for):
    application = own_application(applicant)
    client = client_for(applicant)
    _post_file(client, application, "photograph", "me.png", PNG, "image/png")

    response = client.get(url("documents", application))
    body = response.content.decode()
    kinds = required_document_kinds(application)
    for kind in kinds:
        assert f'id="document-{kind.code}"' in body
        assert kind.name in body
    photograph = DocumentKind.objects.get(code="photograph")
    if photograph.description:
        assert photograph.description[:30] in body
    assert "me.png" in body
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in body
    assert 'id="upload-limits"' in body
    assert "10.0" in body  # DOCUMENT_MAX_UPLOAD_BYTES, 10 MB by default
    assert "Uploaded" in body


REFUSALS = [
    ("scan.pdf", EXE, "application/pdf", "Upload a PDF, JPEG or PNG file."),
    ("notes.txt", b"just some text", "text/plain", "Upload a PDF, JPEG or PNG file."),
    ("scan.gif", b"GIF89a" + b"\x00" * 32, "image/gif", "Upload a PDF, JPEG or PNG file."),
    ("photo.pdf", PNG, "application/pdf", "but the file is a PNG image"),
    ("form.pdf", PDF_WITH_SCRIPT, "application/pdf", "contains scripts"),
]


def test_a_refusal_is_in_the_users_language(applicant, client_for):
    application = own_application(applicant)
    client = client_for(applicant)
    client.cookies["django_language"] = "cs"
    response = _post_file(
        client, application, "travel_document", "scan.pdf", EXE, "application/pdf"
    )
    with translation.override("cs"):
        expected = translation.gettext("Upload a PDF, JPEG or PNG file.")
    assert expected in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    REFUSALS,
)
def test_a_refused_file_is_explained_next_to_its_item_and_nothing_else_is_lost(
    name, content, content_type, message, applicant, client_for
):
    application = own_application(applicant)
    client = client_for(applicant)
    _post_file(client, application, "photograph", "me.png", PNG, "image/png")

    response = _post_file(client, application, "travel_document", name, content, content_type)

    assert response.status_code == 200  # the page itself, not a redirect away
    body = response.content.decode()
    assert message in body
    form = dict((item.kind.code, f) for item, f in response.context["items"])
    assert form["travel_document"].errors["file"]
    assert not form["photograph"].errors
    assert 'href="#id_travel_document-file"' in body
    assert "me.png" in body  # the other item keeps its upload
    assert not application.documents.filter(kind__code="travel_document").exists()


def test_an_oversized_file_is_refused(applicant, settings, client_for):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1024 * 1024
    application = own_application(applicant)
    big = pdf_bytes() + b"%" * (1024 * 1024)
    response = _post_file(
        client_for(applicant), application, "travel_document", "big.pdf", big, "application/pdf"
    )
    assert response.status_code == 200
    assert "The file is larger than 1 MB." in response.content.decode()
    assert not application.documents.exists()


def test_add_and_remove_pages_of_a_document_in_a_draft(
    applicant, django_capture_on_commit_callbacks, client_for
):
    application = own_application(applicant)
    client = client_for(applicant)
    _post_file(client, application, "travel_document", "old.pdf", pdf_bytes(), "application/pdf")
    _post_file(client, application, "travel_document", "new.pdf", pdf_bytes(), "application/pdf")
    # A second upload adds a page to the draft's document; it replaces nothing.
    first, second = application.documents.filter(is_current=True).order_by("page")
    assert (first.original_name, first.page) == ("old.pdf", 1)
    assert (second.original_name, second.page, second.item_number) == (
        "new.pdf",
        2,
        first.item_number,
    )
    stored = first.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("document_remove", application, first.pk))

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_current is False
    assert not first.file.storage.exists(stored)
    assert second.page == 1  # the pages after it move up

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("document_remove", application, second.pk))
    items = dict(
        (i.kind.code, i) for i, _f in client.get(url("documents", application)).context["items"]
    )
    assert items["travel_document"].documents == []


def test_delete_draft_asks_first(applicant, client_for):
    application = own_application(applicant)
    client = client_for(applicant)
    assert "Yes, delete the draft" in client.get(url("delete", application)).content.decode()
    response = client.post(url("delete", application))
    assert response.status_code == 302
    assert not Application.objects.filter(pk=application.pk).exists()


# --- The case page -------------------------------------------------------------------------


def test_case_page_shows_status_timeline_deadline_and_file(applicant, client_for):
    application = own_application(applicant, filed=True)
    response = client_for(applicant).get(url("detail", application))
    body = response.content.decode()
    assert response.context["flags"].can_withdraw
    assert application.reference_number in body
    assert "Application filed" in body  # the timeline
    assert 'data-status-url="' in body and 'aria-live="polite"' in body
    assert 'src="/static/js/case-status.js"' in body and "defer" in body
    assert "<script>" not in body
    assert 'id="decision-due"' in body
    for document in application.documents.all():
        assert document.file_reference in body
    assert "Waiting for verification" in body


def test_status_json_reports_the_present_state(applicant, client_for):
    application = own_application(applicant, interrupted=True)
    response = client_for(applicant).get(url("status", application))
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert data["status"] == "interrupted"
    assert data["decision_due"] is None  # paused while interrupted
    assert data["version"] == application.version


def test_withdraw_confirms_then_withdraws(applicant, client_for):
    application = own_application(applicant, filed=True)
    client = client_for(applicant)
    body = client.get(url("withdraw", application)).content.decode()
    assert "Yes, withdraw the application" in body

    response = client.post(url("withdraw", application), {"version": application.version})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def test_withdraw_with_a_stale_page_says_the_case_changed(applicant, client_for):
    application = own_application(applicant, filed=True)
    client = client_for(applicant)
    response = client.post(
        url("withdraw", application), {"version": application.version - 1}, follow=True
    )
    application.refresh_from_db()
    assert application.status == Status.FILED
    assert "This application changed while you had the page open" in response.content.decode()


def test_withdraw_is_not_offered_once_decided(applicant, client_for):
    application = own_application(applicant, rejected=True)
    response = client_for(applicant).get(url("withdraw", application), follow=True)
    assert "can no longer be withdrawn" in response.content.decode()


# --- Interruption --------------------------------------------------------------------------


def test_answering_an_interruption_resumes_the_case(applicant, client_for):
    application = own_application(applicant, interrupted=True)
    interruption = application.interruptions.get()
    client = client_for(applicant)

    body = client.get(url("detail", application)).content.decode()
    assert interruption.reason in body
    assert 'id="interruption-deadline"' in body
    assert "Proof of accommodation" in body or "accommodation" in body.lower()

    # Submitting before uploading says what is missing.
    response = client.post(url("supply", application), follow=True)
    assert "Some requested documents are still missing." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.INTERRUPTED

    response = _post_file(
        client, application, "accommodation", "lease.pdf", pdf_bytes(), "application/pdf"
    )
    assert response.status_code == 302
    # The original name is encrypted: found in Python, not by a query.
    [lease] = [d for d in application.documents.all() if d.original_name == "lease.pdf"]
    assert lease.interruption == interruption

    response = client.post(url("supply", application))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.FILED
    assert application.decision_due is not None
    body = client.get(url("detail", application)).content.decode()
    assert "Requested documents supplied" in body
    assert "Proceedings resumed" in body


# --- Decision and appeal -------------------------------------------------------------------


def test_opening_the_decision_delivers_it_and_offers_the_pdf(applicant, client_for):
    application = own_application(applicant, rejected=True)
    decision = application.decisions.get()
    assert decision.delivered_on is None

    response = client_for(applicant).get(url("decision", application))

    decision.refresh_from_db()
    assert decision.delivered_on == timezone.localdate()
    assert decision.appeal_due is not None
    body = response.content.decode()
    assert "The conditions are not met." in body
    assert reverse("documents:download", args=[decision.document_id]) in body
    assert 'id="appeal-until"' in body


def test_a_decision_being_rendered_is_announced_and_polled(applicant, caseworker, client_for):
    application = own_application(applicant, filed=True)
    services.application_claim(application=application, actor=caseworker)
    # No on-commit callbacks run here: the PDF task never starts.
    services.application_decide(
        application=application, actor=caseworker, outcome="rejected", reasoning="No."
    )
    response = client_for(applicant).get(url("decision", application))
    body = response.content.decode()
    assert 'id="decision-preparing"' in body
    assert 'data-decision-ready="false"' in body
    assert "case-status.js" in body


def test_a_decision_page_without_a_decision_is_404(applicant, client_for):
    application = own_application(applicant, filed=True)
    assert client_for(applicant).get(url("decision", application)).status_code == 404


def test_appeal_within_the_period(applicant, client_for):
    application = own_application(applicant, rejected=True)
    client = client_for(applicant)
    client.get(url("decision", application))

    response = client.post(
        url("appeal", application),
        {
            "grounds": "The office overlooked my contract.",
            "version": application.version,
            "attachments": [upload("contract.pdf", pdf_bytes("contract"))],
        },
    )
    assert response["Location"] == url("appeal_check", application)  # nothing lodged yet
    response = client.post(url("appeal_check", application), {"version": application.version})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.APPEALED
    appeal = application.appeals.get()
    assert appeal.grounds == "The office overlooked my contract."
    attachment = application.documents.get(role=Role.APPEAL)
    assert attachment.original_name == "contract.pdf"
    body = client.get(url("appeal", application)).content.decode()
    assert 'id="appeal-lodged"' in body
    assert "<textarea" not in body


def test_appeal_needs_grounds_and_keeps_them(applicant, client_for):
    application = own_application(applicant, rejected=True)
    response = client_for(applicant).post(
        url("appeal", application),
        {"grounds": "", "attachments": [upload("x.exe", EXE, "application/octet-stream")]},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="#id_grounds"' in body
    assert "x.exe" in body
    application.refresh_from_db()
    assert application.status == Status.DECIDED


def test_an_appeal_with_more_attachments_than_its_page_takes_is_refused_and_kept(
    applicant, client_for
):
    application = own_application(applicant, rejected=True)
    client = client_for(applicant)
    client.get(url("decision", application))

    response = client.post(
        url("appeal", application),
        {
            "grounds": "The office overlooked my contract.",
            "version": application.version,
            "attachments": [upload(f"page{n}.pdf", pdf_bytes(f"page{n}")) for n in range(6)],
        },
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Attach at most 5 files" in body
    assert "The office overlooked my contract." in body
    application.refresh_from_db()
    assert application.status == Status.DECIDED
    assert not application.documents.filter(role=Role.APPEAL).exists()


def test_after_the_appeal_period_the_form_is_gone(applicant, client_for):
    application = own_application(applicant, rejected=True)
    client = client_for(applicant)
    client.get(url("decision", application))
    decision = application.decisions.get()
    decision.refresh_from_db()
    day_after = decision.appeal_due + timedelta(days=1)

    with time_machine.travel(day_after.isoformat() + "T10:00:00+01:00", tick=False):
        client = client_for(applicant)  # a new session: the old one expired meanwhile
        body = client.get(url("appeal", application)).content.decode()
        assert "<textarea" not in body
        assert 'id="appeal-ended"' in body
        assert "The period for an appeal ended on" in body
        response = client.post(url("appeal", application), {"grounds": "Too late?"})
        assert "An appeal is not possible on this case now." in response.content.decode()
        detail = client.get(url("detail", application))
        assert not detail.context["flags"].can_appeal

    application.refresh_from_db()
    assert application.status == Status.DECIDED


def test_documents_in_the_file_include_the_decision(applicant, client_for):
    application = own_application(applicant, rejected=True)
    body = client_for(applicant).get(url("detail", application)).content.decode()
    decision_document = Document.objects.get(application=application, role=Role.DECISION)
    assert decision_document.file_reference in body


def test_an_applicant_may_ask_for_the_decision_by_post_when_filing(applicant, client_for):
    application = own_application(applicant, ready=True)
    client = client_for(applicant)
    assert 'name="delivery"' in client.get(url("file", application)).content.decode()

    response = client.post(
        url("file", application), {"delivery": "post", "truthful": "on", "consent": "on"}
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.FILED
    assert application.delivery == "post"
    assert not application.delivers_in_portal
