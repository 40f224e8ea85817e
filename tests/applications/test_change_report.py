"""A change of the person's data after filing is reported to the office [003]: "Any changes to
your data must be reported to the office within three days. The general deadline for reporting a
change of address is longer - it is 30 days." It is a submission in the file with its own
number, beside the data as filed (SPEC §2), never a rewrite of it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from accounts.models import User
from applications import services
from applications.case_documents import document_upload
from applications.constants import ChangeKind, Status
from applications.models import Application, AuditEntry, ChangeReport
from core.errors import ApplicationError, NotPermitted, TransitionRefused
from documents.models import Document
from notifications.constants import Channel, Kind
from notifications.models import Notification
from permits import deadlines
from permits.models import DocumentKind
from tests.applications.factories import ApplicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db

PRAGUE = ZoneInfo("Europe/Prague")
# A Monday morning in Prague: 3 days end on Thursday 5 March, 30 days on Wednesday 1 April.
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=PRAGUE)

NEW_DATA = {
    "given_names": "Olena",
    "surname": "Novotna",
    "date_of_birth": "1990-05-17",
    "nationality": "UA",
    "travel_document_number": "NEWDOC987",
}


def report_url(application: Application) -> str:
    return reverse("applications:report_change", args=[application.pk])


def passport(name: str = "new-passport.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes("new passport"), "application/pdf")


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def record_of(application: Application) -> dict:
    """What a refused report must leave as it was."""
    return {
        "reports": ChangeReport.objects.filter(application=application).count(),
        "audit": AuditEntry.objects.filter(application=application).count(),
        "documents": Document.objects.filter(application=application).count(),
        "version": Application.objects.values_list("version", flat=True).get(pk=application.pk),
        "filed": Application.objects.get(pk=application.pk).party,
    }


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def case(caseworker):
    """A filed case the caseworker holds, filed with the applicant's data (surname Kovalenko,
    travel document FP1234567)."""
    application = ApplicationFactory(
        filed=True,
        applicant__surname="Kovalenko",
        applicant__given_names="Olena",
        applicant__travel_document_number="FP1234567",
    )
    services.application_claim(application=application, actor=caseworker)
    application.refresh_from_db()
    return application


@pytest.fixture
def owner(case) -> User:
    return case.applicant.account


# --- The submission in the file ----------------------------------------------------------------


def test_a_reported_change_is_a_numbered_submission_in_the_file(
    case, owner, caseworker, django_capture_on_commit_callbacks, client_for
):
    documents_before = case.documents.count()
    last = case.documents.order_by("-sub_number").first().sub_number

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(owner).post(
            report_url(case),
            {"kind": ChangeKind.PERSONAL_DATA, **NEW_DATA, "attachments": [passport()]},
        )

    report = ChangeReport.objects.get(application=case)
    assert response.status_code == 302
    assert response.url == reverse("applications:detail", args=[case.pk]) + "#changes"
    head, tail = case.reference_number.split("/")
    assert report.sub_number == last + 1
    assert report.file_reference == f"{head}-{last + 1}/{tail}"
    assert report.file_reference in " ".join(messages_of(response))
    assert report.kind == ChangeKind.PERSONAL_DATA
    assert report.reported_by == owner
    assert report.data == NEW_DATA
    [attachment] = report.attachments.all()
    assert attachment.sub_number == last + 2
    assert attachment.original_name == "new-passport.pdf"
    assert case.documents.count() == documents_before + 1
    # The data as filed is not rewritten (SPEC §2).
    case.refresh_from_db()
    assert case.party.surname == "Kovalenko"
    assert case.party.travel_document_number == "FP1234567"
    # Its audit row, in words on both timelines.
    entry = AuditEntry.objects.get(application=case, action="data_change_reported")
    assert (entry.actor, entry.note) == (owner, report.file_reference)
    assert entry.data["attachments"] == [last + 2]
    # The caseworker the case is assigned to is told, in the portal and by e-mail.
    notices = Notification.objects.filter(application=case, kind=Kind.CHANGE_REPORTED)
    assert set(notices.values_list("recipient", "channel")) == {
        (caseworker.pk, Channel.IN_APP),
        (caseworker.pk, Channel.EMAIL),
    }
    assert any(report.file_reference in message.body for message in mail.outbox)
    # Neither the subject nor the text carries the person's data.
    for notice in notices:
        assert "Novotna" not in notice.subject + notice.body


def test_later_documents_are_numbered_after_the_report(case, owner, caseworker):
    report = services.change_report_submit(
        application=case,
        actor=owner,
        kind=ChangeKind.ADDRESS,
        data={"address": "Nová 99, Brno"},
    )
    services.application_interrupt(
        application=case,
        actor=caseworker,
        reason="The lease is missing.",
        document_kinds=DocumentKind.objects.filter(code="accommodation"),
    )

    document = document_upload(
        application=case,
        kind=DocumentKind.objects.get(code="accommodation"),
        upload=SimpleUploadedFile("lease.pdf", pdf_bytes("lease"), "application/pdf"),
        actor=owner,
    )

    assert document.sub_number == report.sub_number + 1


def test_the_applicant_and_the_caseworker_see_it_in_words(case, owner, caseworker, client_for):
    report = services.change_report_submit(
        application=case,
        actor=owner,
        kind=ChangeKind.PERSONAL_DATA,
        data={**NEW_DATA, "date_of_birth": date(1990, 5, 17)},
    )

    applicant_page = client_for(owner).get(reverse("applications:detail", args=[case.pk]))
    staff_page = client_for(caseworker).get(reverse("caseworker:case", args=[case.pk]))

    timeline = applicant_page.context["timeline"]
    assert [(str(entry.label), entry.note) for entry in timeline][-1] == (
        "Change of personal data reported",
        report.file_reference,
    )
    text = applicant_page.content.decode()
    assert "Change of personal data reported" in text
    assert 'data-change-report="data"' in text
    staff = staff_page.content.decode()
    assert [str(item["label"]) for item in staff_page.context["timeline"]][-1] == (
        "Change of personal data reported"
    )
    assert "Change of personal data reported" in staff
    assert "data_change_reported" not in staff
    # Filed and reported side by side; only the changed fields are marked.
    [item] = staff_page.context["reported_changes"]
    rows = {row.label: (row.filed, row.reported, row.changed) for row in item.rows}
    assert rows["Surname"] == ("Kovalenko", "Novotna", True)
    assert rows["Travel document number"] == ("FP1234567", "NEWDOC987", True)
    assert rows["Given names"] == ("Olena", "Olena", False)
    assert item.reporter == "the applicant"
    assert "Acknowledge" in staff


def test_the_caseworker_acknowledges_and_the_audit_says_so(case, owner, caseworker, client_for):
    report = services.change_report_submit(
        application=case,
        actor=owner,
        kind=ChangeKind.ADDRESS,
        data={"address": "Nová 99, Brno"},
    )
    url = reverse("caseworker:change_acknowledge", args=[report.pk])

    response = client_for(caseworker).post(url)

    assert response.status_code == 302
    assert (
        response.url == reverse("caseworker:case", args=[case.pk]) + f"#change-{report.sub_number}"
    )
    report.refresh_from_db()
    assert report.acknowledged_by == caseworker
    assert report.acknowledged_at == MONDAY
    entry = AuditEntry.objects.get(application=case, action="change_acknowledged")
    assert (entry.actor, entry.note) == (caseworker, report.file_reference)
    applicant_page = client_for(owner).get(reverse("applications:detail", args=[case.pk]))
    assert "Reported change acknowledged by the office" in applicant_page.content.decode()
    # A second acknowledgement is refused and adds nothing.
    again = client_for(caseworker).post(url)
    assert again.status_code == 200
    assert "already acknowledged" in again.content.decode()
    assert AuditEntry.objects.filter(application=case, action="change_acknowledged").count() == 1


def test_only_the_assigned_caseworker_or_a_supervisor_acknowledges(
    case, owner, other_caseworker, supervisor, client_for
):
    report = services.change_report_submit(
        application=case, actor=owner, kind=ChangeKind.ADDRESS, data={"address": "Nová 99"}
    )

    response = client_for(other_caseworker).post(
        reverse("caseworker:change_acknowledge", args=[report.pk])
    )

    assert response.status_code == 200
    report.refresh_from_db()
    assert report.acknowledged_at is None
    with pytest.raises(NotPermitted):
        services.change_report_acknowledge(report=report, actor=owner)
    services.change_report_acknowledge(report=report, actor=supervisor)
    report.refresh_from_db()
    assert report.acknowledged_by == supervisor


def test_acknowledging_is_post_only_and_for_staff(case, owner, client_for):
    report = services.change_report_submit(
        application=case, actor=owner, kind=ChangeKind.ADDRESS, data={"address": "Nová 99"}
    )
    url = reverse("caseworker:change_acknowledge", args=[report.pk])

    assert client_for(owner).post(url).status_code == 403
    assert client_for(None).post(url).status_code == 302
    assert client_for(case.assigned_to).get(url).status_code == 405
    report.refresh_from_db()
    assert report.acknowledged_at is None


def test_nobody_is_told_when_no_caseworker_has_the_case(
    owner, case, caseworker, django_capture_on_commit_callbacks
):
    services.application_release(application=case, actor=caseworker)
    case.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.change_report_submit(
            application=case, actor=owner, kind=ChangeKind.ADDRESS, data={"address": "Nová 99"}
        )

    assert not Notification.objects.filter(kind=Kind.CHANGE_REPORTED).exists()


# --- What is refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "files"),
    [
        pytest.param({"kind": ChangeKind.ADDRESS, "address": ""}, {}, id="no address"),
        pytest.param(
            {"kind": ChangeKind.PERSONAL_DATA, **NEW_DATA, "surname": ""}, {}, id="no surname"
        ),
        pytest.param(
            {"kind": ChangeKind.PERSONAL_DATA, **NEW_DATA, "date_of_birth": "2026-03-03"},
            {},
            id="born tomorrow",
        ),
        pytest.param(
            {"kind": ChangeKind.PERSONAL_DATA, **NEW_DATA, "nationality": "XX"},
            {},
            id="no such country",
        ),
        pytest.param(
            {
                "kind": ChangeKind.PERSONAL_DATA,
                **NEW_DATA,
                "surname": "Kovalenko",
                "travel_document_number": "FP1234567",
            },
            {},
            id="nothing changed",
        ),
        pytest.param({"kind": "passport", **NEW_DATA}, {}, id="unknown kind"),
        pytest.param(
            {"kind": ChangeKind.ADDRESS, "address": "Nová 99"},
            {"attachments": [passport(f"page{n}.pdf") for n in range(4)]},
            id="too many files",
        ),
        pytest.param(
            {"kind": ChangeKind.ADDRESS, "address": "Nová 99"},
            {"attachments": [SimpleUploadedFile("x.pdf", b"MZ not a pdf", "application/pdf")]},
            id="not a document",
        ),
    ],
)
def test_bad_input_changes_nothing(case, owner, data, files, client_for):
    assert case.party.date_of_birth == date(1990, 5, 17)  # "nothing changed" repeats it
    before = record_of(case)

    response = client_for(owner).post(report_url(case), {**data, **files})

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["errors"] or response.context["form"].errors
    assert record_of(case) == before


def test_the_service_refuses_what_the_form_would_not_send(case, owner):
    before = record_of(case)

    with pytest.raises(ApplicationError):
        services.change_report_submit(
            application=case,
            actor=owner,
            kind=ChangeKind.ADDRESS,
            data={"address": "Nová 99", "surname": "Novotna"},
        )
    with pytest.raises(ApplicationError):
        services.change_report_submit(
            application=case, actor=owner, kind=ChangeKind.ADDRESS, data={"address": "x" * 1001}
        )
    # The person-data rules of the forms hold here too: 300 characters, no markup, no emoji.
    for data in (
        {"address": "x" * 301},
        {"address": "<svg onload=alert(1)>"},
    ):
        with pytest.raises(ApplicationError):
            services.change_report_submit(
                application=case, actor=owner, kind=ChangeKind.ADDRESS, data=data
            )
    with pytest.raises(ApplicationError):
        services.change_report_submit(
            application=case,
            actor=owner,
            kind=ChangeKind.PERSONAL_DATA,
            data={**NEW_DATA, "surname": "Kovalenko 😀"},
        )
    with pytest.raises(TypeError):
        services.change_report_submit(case, owner, ChangeKind.ADDRESS, {"address": "Nová 99"})  # type: ignore[misc]

    assert record_of(case) == before


@pytest.mark.parametrize("state", ["draft", Status.WITHDRAWN])
def test_a_case_without_proceedings_takes_no_report(state, caseworker, client_for):
    application = ApplicationFactory(**({} if state == "draft" else {"withdrawn": True}))
    owner = application.applicant.account
    before = record_of(application)

    response = client_for(owner).post(
        report_url(application), {"kind": ChangeKind.ADDRESS, "address": "Nová 99"}
    )

    assert response.status_code == 302
    assert response.url == reverse("applications:detail", args=[application.pk])
    assert record_of(application) == before
    with pytest.raises(TransitionRefused):
        services.change_report_submit(
            application=application,
            actor=owner,
            kind=ChangeKind.ADDRESS,
            data={"address": "Nová 99"},
        )


def test_a_permit_holder_reports_while_the_permit_is_valid(clock, caseworker):
    application = ApplicationFactory(decided=True, caseworker=caseworker)
    owner = application.applicant.account
    decision = application.decisions.get()
    services.decision_open(decision=decision, actor=owner)
    decision.refresh_from_db()
    clock.move_to(datetime.combine(decision.appeal_due + timedelta(days=1), MONDAY.timetz()))
    services.application_finalize(application=application)
    application.refresh_from_db()
    assert application.status == Status.CLOSED

    report = services.change_report_submit(
        application=application,
        actor=owner,
        kind=ChangeKind.ADDRESS,
        data={"address": "Nová 99"},
    )
    assert report.application == application

    clock.move_to(
        datetime.combine(application.permit.valid_to + timedelta(days=1), MONDAY.timetz())
    )
    with pytest.raises(TransitionRefused):
        services.change_report_submit(
            application=application,
            actor=owner,
            kind=ChangeKind.ADDRESS,
            data={"address": "Jiná 1"},
        )


# --- Who may ------------------------------------------------------------------------------------


def test_someone_elses_case_is_404(case, other_applicant, caseworker, client_for):
    before = record_of(case)

    for user in (other_applicant, caseworker):
        client = client_for(user)
        assert client.get(report_url(case)).status_code == 404
        response = client.post(report_url(case), {"kind": ChangeKind.ADDRESS, "address": "X 1"})
        assert response.status_code == 404
    with pytest.raises(NotPermitted):
        services.change_report_submit(
            application=case, actor=other_applicant, kind=ChangeKind.ADDRESS, data={"address": "X"}
        )

    assert record_of(case) == before


def test_anonymous_visitors_log_in_and_other_methods_are_refused(case, owner, client_for):
    assert client_for(None).get(report_url(case)).status_code == 302
    assert client_for(owner).put(report_url(case)).status_code == 405


def test_the_form_is_filled_in_from_the_persons_record(case, owner, client_for):
    record = case.applicant
    record.surname = "Novotna"
    record.save()

    page = client_for(owner).get(report_url(case) + f"?kind={ChangeKind.PERSONAL_DATA}")

    assert page.status_code == 200
    assert page.context["form"].initial["surname"] == "Novotna"
    assert ("Surname", "Kovalenko") in page.context["filed"]
    text = page.content.decode()
    assert "within 3 days" in text and "within 30 days" in text


# --- The portal tells the person what to report and by when [003] -------------------------------


def test_changing_the_profile_tells_the_person_to_report_it_and_by_when(case, owner, client_for):
    client = client_for(owner)
    record = case.applicant
    profile = {
        "given_names": record.given_names,
        "surname": "Novotna",
        "date_of_birth": record.date_of_birth.isoformat(),
        "nationality": "UA",
        "travel_document_number": record.travel_document_number,
        "address": "Nová 99, Brno",
        "phone": "",
        "preferred_language": "en",
    }

    response = client.post("/accounts/profile/", profile, follow=True)

    notices = " ".join(messages_of(response))
    with translation.override("en"):
        data_due = date_format(deadlines.period_end(MONDAY.date(), 3))
        address_due = date_format(deadlines.period_end(MONDAY.date(), 30))
    assert data_due == date_format(date(2026, 3, 5)) and address_due == date_format(
        date(2026, 4, 1)
    )
    assert f"within 3 days, by {data_due}" in notices
    assert f"within 30 days, by {address_due}" in notices
    assert case.reference_number in notices
    # The profile page points to "Report a change" on the case.
    page = response.content.decode()
    assert report_url(case) in page
    assert "a new address within 30 days" in page
    # Nothing was reported by changing the profile.
    assert not ChangeReport.objects.exists()


def test_a_change_without_cases_in_proceedings_is_not_reminded(owner, case, client_for):
    services.application_withdraw(application=case, actor=owner)
    record = case.applicant

    response = client_for(owner).post(
        "/accounts/profile/",
        {
            "given_names": record.given_names,
            "surname": "Novotna",
            "date_of_birth": record.date_of_birth.isoformat(),
            "nationality": "UA",
            "travel_document_number": record.travel_document_number,
            "address": record.address,
            "phone": "",
            "preferred_language": "en",
        },
        follow=True,
    )

    assert not any("Report" in message for message in messages_of(response))
    assert report_url(case) not in response.content.decode()


def test_the_case_page_stays_bounded_with_reports(
    case, owner, caseworker, django_assert_max_num_queries, client_for
):
    for number in range(3):
        services.change_report_submit(
            application=case,
            actor=owner,
            kind=ChangeKind.ADDRESS,
            data={"address": f"Nová {number}"},
            attachments=[passport(f"lease{number}.pdf")],
        )
    client = client_for(caseworker)

    with django_assert_max_num_queries(40):
        response = client.get(reverse("caseworker:case", args=[case.pk]))

    assert response.status_code == 200
    assert len(response.context["reported_changes"]) == 3


def test_an_error_of_the_whole_form_is_said_once(case, owner, client_for):
    """The error summary lists the form's own errors; the form does not repeat them."""
    response = client_for(owner).post(
        report_url(case),
        {
            "kind": ChangeKind.PERSONAL_DATA,
            **NEW_DATA,
            "surname": "Kovalenko",
            "travel_document_number": "FP1234567",
        },
    )

    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert response.content.decode().count(str(error)) == 1
