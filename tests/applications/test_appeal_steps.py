"""The remedy in three steps without JavaScript (form, check, receipt), its grounds and
attachments in the file afterwards, and after a grant the card's steps on the case page
(SPEC §2, D4, D6) [002][003]."""

from __future__ import annotations

import io
import os
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse
from django.utils.formats import date_format
from pypdf import PdfReader

from applications import appeal_drafts, tasks
from applications.cards import (
    permit_record_biometrics,
    permit_record_card_ready,
    permit_record_pickup,
    permit_schedule_biometrics,
)
from applications.constants import Channel, Remedy, Status
from applications.models import Application
from documents.constants import Role
from permits import deadlines
from permits.models import PermitType
from tests.applications.factories import ApplicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db

PRAGUE = ZoneInfo("Europe/Prague")
# A Tuesday: a decision delivered that day may be challenged until Wednesday 24 June 2026 (D4);
# a request for re-assessment lodged that day is answered by Monday 10 August 2026 [003].
LODGED = date(2026, 6, 9)
NOW = datetime(2026, 6, 9, 10, 15, tzinfo=PRAGUE)


def url(name: str, application: Application) -> str:
    return reverse(f"applications:{name}", args=[application.pk])


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(name), content_type="application/pdf")


def refused_permit(user, **traits) -> Application:
    return ApplicationFactory(applicant=user.applicants.get(), rejected=True, **traits)


def refused_visa(user) -> Application:
    return ApplicationFactory(
        applicant=user.applicants.get(),
        permit_type=PermitType.objects.get(code="long_term_visa"),
        channel=Channel.EMBASSY,
        rejected=True,
    )


def english(user) -> None:
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])


def staged_files() -> list[str]:
    if not default_storage.exists(appeal_drafts.STAGING_DIR):
        return []
    return default_storage.listdir(appeal_drafts.STAGING_DIR)[1]


def fill_in(client, application, grounds: str, *files: str, **extra):
    return client.post(
        url("appeal", application),
        {"grounds": grounds, "attachments": [upload(name) for name in files], **extra},
    )


def lodge(client, application, version: int):
    return client.post(url("appeal_check", application), {"version": version})


# --- Form, check, lodge, receipt ----------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_appeal_in_three_steps_lodges_once_what_was_checked(applicant, client_for):
    english(applicant)
    application = refused_permit(applicant)
    client = client_for(applicant)
    client.get(url("decision", application))  # the delivery (D3)
    application.refresh_from_db()
    decision = application.decisions.get()

    form = client.get(url("appeal", application)).content.decode()
    assert "Nothing is lodged yet: on the next page you check your appeal" in form
    response = fill_in(client, application, "The contract\nwas attached.", "a.pdf", "b.pdf")

    # Step 1 lodges nothing: the files wait, encrypted, for "Lodge".
    assert response.status_code == 302
    assert response["Location"] == url("appeal_check", application)
    application.refresh_from_db()
    assert application.status == Status.DECIDED
    assert not application.appeals.exists()
    assert not application.documents.filter(role=Role.APPEAL).exists()
    assert len(staged_files()) == 2

    check = client.get(url("appeal_check", application)).content.decode()
    assert "Check your appeal before lodging it" in check
    assert "The contract\nwas attached." in check
    assert "a.pdf" in check and "b.pdf" in check
    assert date_format(decision.decided_on) in check
    assert date_format(date(2026, 6, 24)) in check  # the last day
    assert "Lodge the appeal" in check
    assert f'href="{url("appeal", application)}"' in check  # "Change"

    # "Change": everything kept; one attachment removed, one added.
    again = client.get(url("appeal", application)).content.decode()
    assert "The contract\nwas attached.</textarea>" in again
    assert "a.pdf" in again and "b.pdf" in again
    fill_in(client, application, "The contract was attached.", "c.pdf", remove=["0"])
    check = client.get(url("appeal_check", application)).content.decode()
    assert "a.pdf" not in check and "b.pdf" in check and "c.pdf" in check
    assert len(staged_files()) == 2

    response = lodge(client, application, application.version)

    assert response.status_code == 302
    assert response["Location"] == url("appeal_receipt", application)
    application.refresh_from_db()
    assert application.status == Status.APPEALED
    appeal = application.appeals.get()
    assert appeal.grounds == "The contract was attached."
    assert sorted(
        document.original_name for document in application.documents.filter(role=Role.APPEAL)
    ) == ["b.pdf", "c.pdf"]
    assert staged_files() == []

    receipt = client.get(url("appeal_receipt", application)).content.decode()
    assert "Your appeal is lodged" in receipt
    assert application.reference_number in receipt
    assert f"{date_format(LODGED)} at 10:15 (Prague time)" in receipt
    assert f"An appeal against the decision of {date_format(decision.decided_on)}" in receipt
    assert "The contract was attached." in receipt
    assert "b.pdf" in receipt and "c.pdf" in receipt
    assert "Commission for Residence Matters of Foreign Nationals" in receipt
    assert "Use your browser's Print command" in receipt

    assert url("appeal_receipt_pdf", application) in receipt
    pdf = client.get(url("appeal_receipt_pdf", application))
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages
    ).replace("\n", " ")
    assert application.reference_number in text
    assert "Your appeal is lodged" in text
    assert "10:15 (Prague time)" in text

    # A second "Lodge" (the back button, a double click) finds nothing to lodge or file.
    again = lodge(client, application, application.version)
    assert again["Location"] == url("appeal", application)
    assert application.appeals.count() == 1
    assert application.documents.filter(role=Role.APPEAL).count() == 2


@time_machine.travel(NOW, tick=False)
def test_a_stale_version_on_lodge_is_refused_and_nothing_is_lodged(applicant, client_for):
    english(applicant)
    application = refused_permit(applicant)
    client = client_for(applicant)
    client.get(url("decision", application))
    application.refresh_from_db()
    fill_in(client, application, "The office overlooked my contract.", "contract.pdf")
    seen = application.version
    # Someone acts on the case while the applicant reads the check page.
    Application.objects.filter(pk=application.pk).update(version=F("version") + 1)

    response = lodge(client, application, seen)

    assert response.status_code == 200
    page = response.content.decode()
    assert "This application changed while you had the page open" in page
    assert "The office overlooked my contract." in page  # the draft is kept
    application.refresh_from_db()
    assert application.status == Status.DECIDED
    assert not application.appeals.exists()
    assert not application.documents.filter(role=Role.APPEAL).exists()
    assert len(staged_files()) == 1

    # Checked again, with the case as it is now: lodged, and the file filed once.
    assert lodge(client, application, application.version).status_code == 302
    assert application.appeals.count() == 1
    assert application.documents.filter(role=Role.APPEAL).count() == 1


@time_machine.travel(NOW, tick=False)
def test_the_check_page_without_a_draft_leads_to_the_form(applicant, client_for):
    application = refused_permit(applicant)
    client = client_for(applicant)
    assert client.get(url("appeal_check", application))["Location"] == url("appeal", application)
    response = lodge(client, application, application.version)
    assert response["Location"] == url("appeal", application)
    assert not application.appeals.exists()


@time_machine.travel(NOW, tick=False)
def test_a_request_for_re_assessment_reads_as_such(applicant, client_for):
    english(applicant)
    application = refused_visa(applicant)
    client = client_for(applicant)
    client.get(url("decision", application))
    application.refresh_from_db()

    fill_in(client, application, "My bank statement shows enough funds.")
    check = client.get(url("appeal_check", application)).content.decode()
    lodge(client, application, application.version)
    receipt = client.get(url("appeal_receipt", application)).content.decode()

    assert "Check your request for re-assessment before lodging it" in check
    assert "Why the reasons for refusal do not stand" in check
    assert "Lodge the request" in check and "Lodge the appeal" not in check
    assert application.appeals.get().kind == Remedy.REASSESSMENT
    assert "Your request for re-assessment is lodged" in receipt
    assert "A request to re-assess the reasons for refusing the visa" in receipt
    assert f"informs you of the outcome by {date_format(date(2026, 8, 10))}" in receipt
    assert "appellate" not in receipt and "Commission" not in receipt


# --- In the file afterwards ---------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_grounds_and_attachments_are_on_both_case_pages(applicant, caseworker, client_for):
    english(applicant)
    application = refused_permit(applicant, caseworker=caseworker)
    client = client_for(applicant)
    client.get(url("decision", application))
    application.refresh_from_db()
    fill_in(client, application, "The office overlooked my contract.", "contract.pdf")
    lodge(client, application, application.version)
    attachment = application.documents.get(role=Role.APPEAL)

    case_page = client.get(url("detail", application)).content.decode()
    office_page = (
        client_for(caseworker)
        .get(reverse("caseworker:case", args=[application.pk]))
        .content.decode()
    )

    assert f"You appealed on {date_format(LODGED)}" in case_page
    assert 'id="appeal-grounds">The office overlooked my contract.' in case_page
    assert reverse("documents:download", args=[attachment.pk]) in case_page
    assert url("appeal_receipt", application) in case_page
    assert "The office overlooked my contract." in office_page
    assert reverse("caseworker:document_view", args=[attachment.pk]) in office_page


@time_machine.travel(NOW, tick=False)
def test_another_persons_case_is_a_404_on_every_new_page(applicant, other_applicant, client_for):
    application = refused_permit(applicant)
    owner = client_for(applicant)
    owner.get(url("decision", application))
    application.refresh_from_db()
    fill_in(owner, application, "Mine.")
    stranger = client_for(other_applicant)

    assert stranger.get(url("appeal_check", application)).status_code == 404
    assert lodge(stranger, application, application.version).status_code == 404
    assert stranger.get(url("appeal_receipt", application)).status_code == 404
    lodge(owner, application, application.version)
    assert stranger.get(url("appeal_receipt", application)).status_code == 404
    assert stranger.get(url("appeal_receipt_pdf", application)).status_code == 404
    assert owner.get(url("appeal_receipt", application)).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_no_receipt_before_anything_is_lodged(applicant, client_for):
    application = refused_permit(applicant)
    assert client_for(applicant).get(url("appeal_receipt", application)).status_code == 404


# --- After a grant: the card's steps --------------------------------------------------------------

GRANTED = datetime(2026, 3, 2, 10, tzinfo=PRAGUE)  # a Monday


def steps_of(page: str) -> str:
    start = page.index('id="card-steps"')
    return page[start : page.index("</ol>", start)]


def test_the_card_steps_follow_the_permit_as_recorded(applicant, caseworker, client_for):
    english(applicant)
    with time_machine.travel(GRANTED, tick=False):
        application = ApplicationFactory(
            applicant=applicant.applicants.get(), decided=True, caseworker=caseworker
        )
        client = client_for(applicant)
        client.get(url("decision", application))
        permit = application.permit

        def page() -> str:
            # A new session each day: the one before has expired meanwhile.
            return client_for(applicant).get(url("detail", application)).content.decode()

        nothing = page()
        assert 'data-step="biometrics" data-done="false"' in nothing
        assert "Biometric data: appointment to be booked." in steps_of(nothing)
        assert "Collect the card in person within 60 days" in steps_of(nothing)
        assert "Department for Asylum and Migration Policy" in steps_of(nothing)
        assert "Nad Štolou 936/3" in nothing  # the office's postal address
        assert 'data-done="true"' not in steps_of(nothing)

        permit = permit_schedule_biometrics(permit=permit, on=date(2026, 3, 10), actor=caseworker)
        booked = steps_of(page())
        assert f"appointment booked for {date_format(date(2026, 3, 10))}" in booked
        assert 'data-step="biometrics" data-done="false"' in booked

    with time_machine.travel(datetime(2026, 3, 10, 11, tzinfo=PRAGUE), tick=False):
        permit = permit_record_biometrics(permit=permit, on=date(2026, 3, 10), actor=caseworker)
        taken = steps_of(page())
        pickup_due = deadlines.card_pickup_due(date(2026, 3, 10))
        assert f"Biometric data given on {date_format(date(2026, 3, 10))}" in taken
        assert 'data-step="biometrics" data-done="true"' in taken
        assert 'data-step="card_ready" data-done="false"' in taken
        assert f"Collect the card in person by {date_format(pickup_due)}" in taken

    with time_machine.travel(datetime(2026, 3, 24, 9, tzinfo=PRAGUE), tick=False):
        permit = permit_record_card_ready(permit=permit, on=date(2026, 3, 24), actor=caseworker)
        ready = steps_of(page())
        assert f"Card ready since {date_format(date(2026, 3, 24))}" in ready
        assert 'data-step="card_ready" data-done="true"' in ready
        assert 'data-step="pickup" data-done="false"' in ready

    with time_machine.travel(datetime(2026, 3, 30, 9, tzinfo=PRAGUE), tick=False):
        permit_record_pickup(permit=permit, on=date(2026, 3, 30), actor=caseworker)
        collected = steps_of(page())
        assert f"Card collected on {date_format(date(2026, 3, 30))}" in collected
        assert 'data-done="false"' not in collected


def test_a_holder_who_applied_abroad_starts_with_the_entry(applicant, client_for):
    english(applicant)
    with time_machine.travel(GRANTED, tick=False):
        application = ApplicationFactory(
            applicant=applicant.applicants.get(), decided=True, channel=Channel.EMBASSY
        )
        client = client_for(applicant)
        client.get(url("decision", application))
        steps = steps_of(client.get(url("detail", application)).content.decode())
    assert steps.index('data-step="entry"') < steps.index('data-step="biometrics"')
    assert "within 3 days report to the office" in steps


def test_the_files_of_abandoned_drafts_are_purged(applicant, client_for):
    with time_machine.travel(NOW, tick=False):
        application = refused_permit(applicant)
        client = client_for(applicant)
        client.get(url("decision", application))
        fill_in(client, application, "Left half-way.", "left.pdf")
    [name] = staged_files()
    path = default_storage.path(f"{appeal_drafts.STAGING_DIR}/{name}")
    # Written when the form was sent (the file system keeps the machine's time).
    os.utime(path, (NOW.timestamp(), NOW.timestamp()))

    assert appeal_drafts.drafts_purge(now=NOW + timedelta(hours=11)) == 0
    assert staged_files() == [name]
    # The nightly retention sweep purges them.
    with time_machine.travel(NOW + timedelta(hours=13), tick=False):
        tasks.sweep_retention()
    assert staged_files() == []
