"""The whole journey in a browser: an applicant signs up and files, a caseworker interrupts the
proceedings for a missing document, the applicant supplies it, the case is granted and the
decision downloaded; a second case is rejected and appealed within the window. Every page on the
way is checked with axe-core and measured at a phone's size (375 by 812 px: nothing scrolls
sideways), the staff's pages too (PageChecks, tests/e2e/helpers.py)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts.constants import Role
from applications.constants import Outcome, Status
from applications.models import Application
from permits.models import DocumentKind
from tests.applications.factories import pdf_bytes
from tests.documents.test_pdf_decision import instructions_heading
from tests.e2e.helpers import (
    applicant_status,
    caseworker_status,
    log_in_staff,
    make_staff,
    success_message,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "olena.e2e@example.com"
PASSWORD = "Kvetinova-louka-17"
EMPLOYEE_CARD_DOCUMENTS = [
    "travel_document",
    "photograph",
    "purpose_of_stay",
    "financial_means",
    "accommodation",
    "criminal_record",
    "employment_contract",
]


Checker = Callable[[Page], object]


def skip_check(page: Page) -> None:
    """For pages seen before: they have been checked once already."""


def pdf_upload(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(name)}


def upload_document(page: Page, kind: str, filename: str) -> None:
    """Upload one file on the documents page, at the checklist item of the document kind."""
    item = page.locator(f"#document-{kind}")
    with translation.override("en"):
        name = DocumentKind.objects.get(code=kind).name
    item.locator("input[type=file]").set_input_files(pdf_upload(filename))
    item.get_by_role("button", name=re.compile(r"^(Upload|Replace the file)")).click()
    expect(page.locator(".messages")).to_contain_text(f"{name}: the file is uploaded.")
    expect(page.locator(f"#document-{kind}")).to_contain_text(filename)


def sign_up(page: Page, mailbox: list, axe_check: Checker) -> None:
    page.goto("/")
    axe_check(page)
    page.get_by_role("link", name="Log in").first.click()
    axe_check(page)
    page.get_by_role("link", name="Create an account").click()
    axe_check(page)
    page.get_by_label("E-mail address").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("Preferred language").select_option("en")
    page.get_by_label("I consent to the processing").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("e-mail")
    axe_check(page)

    (message,) = [m for m in mailbox if EMAIL in m.to]
    link = re.search(r"https?://\S+/accounts/verify/\S+/\S+/", message.body).group(0)
    page.goto(link)
    axe_check(page)
    page.get_by_role("button", name="Activate my account").click()
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))
    axe_check(page)

    page.get_by_label("Given names").fill("Olena")
    page.get_by_label("Surname").fill("Testerová")
    page.get_by_label("Date of birth").fill("1991-04-12")
    page.get_by_label("Nationality").select_option("UA")
    page.get_by_label("Travel document number").fill("FP1234567")
    page.get_by_label("Address in the Czech Republic").fill("Vinohradská 12, 120 00 Praha 2")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Your profile was saved.")


def start_application(page: Page, permit_name: str, axe_check: Checker = skip_check) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My applications").click()
    axe_check(page)
    page.get_by_role("link", name="Start a new application").click()
    axe_check(page)
    page.get_by_label("Which permit do you apply for?").select_option(label=permit_name)
    page.get_by_role("button", name="Start the application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your application")
    axe_check(page)


def finish_and_file(page: Page, axe_check: Checker = skip_check) -> str:
    """From the task list: check the answers, declare, file; returns the reference number."""
    page.get_by_role("link", name="Check your answers").click()
    axe_check(page)
    page.get_by_role("link", name="Continue to the declaration").click()
    axe_check(page)
    for box in page.locator("main form input[type=checkbox]").all():
        box.check()
    page.get_by_role("button", name="Confirm and file the application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Application filed")
    axe_check(page)
    reference = page.locator("#reference-number").inner_text().strip()
    assert re.fullmatch(r"OAM-\d+/[A-Z]+-\d{4}", reference)
    page.get_by_role("link", name="Go to your application").click()
    expect(applicant_status(page)).to_have_text("Filed")
    return reference


def open_case_from_queue(page: Page, reference: str) -> None:
    page.goto("/caseworker/")
    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)


def run_action(
    page: Page, title: str, fill=None, *, button: str, axe_check: Checker = skip_check
) -> None:
    """Open one action of the caseworker's case page, fill it in and submit it; the page is
    checked with the action open and filled in, and again after it."""
    action = page.locator("details.action").filter(has=page.get_by_text(title, exact=True))
    if action.get_attribute("open") is None:
        action.locator("summary").click()
    if fill:
        fill(action)
    axe_check(page)
    action.get_by_role("button", name=button).click()
    expect(success_message(page)).to_be_visible()
    axe_check(page)


def accept_every_document(page: Page) -> None:
    # The case page verifies every waiting document in one form (tests/e2e/test_console.py).
    documents = page.locator("#documents-form")
    documents.get_by_label("I have looked at each document").check()
    documents.get_by_role("button", name="Accept all remaining").click()
    expect(page.locator(".messages")).to_contain_text("accepted")
    expect(page.get_by_text("Waiting for verification")).to_have_count(0)


def test_sign_up_file_interrupt_supply_grant_then_reject_and_appeal(
    open_browser, page_checks, mailoutbox
):
    today = timezone.localdate()
    axe_check = page_checks

    applicant = open_browser("applicant")
    page_checks.watch(applicant)
    caseworker_person = make_staff(Role.CASEWORKER, first_name="Jana", last_name="Nováková")

    # --- The applicant signs up and files an Employee Card application with its documents.
    sign_up(applicant, mailoutbox, axe_check)
    start_application(applicant, "Employee Card", axe_check)
    applicant.get_by_role("link", name="Questions about your application").click()
    axe_check(applicant)
    applicant.get_by_label("Gross monthly salary (CZK)").fill("45 000")
    applicant.get_by_label("Working hours per week").fill("40")
    applicant.get_by_label("Vacancy number in the Central Register").fill("12345678")
    applicant.get_by_role("button", name="Save and continue").first.click()
    expect(applicant.locator("#task-questions-state")).to_have_text("Completed")

    applicant.get_by_role("link", name="Documents").click()
    axe_check(applicant)
    for number, kind in enumerate(EMPLOYEE_CARD_DOCUMENTS, start=1):
        upload_document(applicant, kind, f"scan-{number}.pdf")
    applicant.get_by_role("link", name="Continue").click()
    expect(applicant.locator("#task-documents-state")).to_have_text("Completed")
    reference = finish_and_file(applicant, axe_check)
    axe_check(applicant)
    application = Application.objects.get(reference_number=reference)
    assert application.status == Status.FILED

    # --- A caseworker claims the case and interrupts it for a missing document.
    caseworker = open_browser("caseworker")
    page_checks.watch(caseworker)
    log_in_staff(caseworker, caseworker_person, check=axe_check)
    caseworker.goto("/caseworker/")
    axe_check(caseworker)
    open_case_from_queue(caseworker, reference)
    axe_check(caseworker)
    run_action(caseworker, "Claim this case", button="Claim", axe_check=axe_check)
    # The office writes in Czech; an English reader sees it marked as the office's Czech text.
    reason = "Doložte prosím, že zde bydlíte bez přerušení od roku 2024."

    def ask_for_residence_proof(action):
        action.get_by_label("Proof of continuous residence").check()
        action.get_by_label("Reason").fill(reason)

    run_action(
        caseworker,
        "Interrupt: ask for documents",
        ask_for_residence_proof,
        button="Interrupt the proceedings",
        axe_check=axe_check,
    )
    expect(caseworker_status(caseworker)).to_have_text("Interrupted")

    # --- The applicant sees the request, uploads the document; the proceedings continue.
    applicant.reload()
    expect(applicant_status(applicant)).to_have_text("Interrupted")
    expect(applicant.locator("#interruption-reason [lang=cs]")).to_have_text(reason)
    expect(applicant.locator("#interruption-reason")).to_contain_text("The office's text in Czech:")
    expect(applicant.locator("#requested-documents")).to_contain_text(
        "Proof of continuous residence — not uploaded yet"
    )
    expect(applicant.locator("#decision-due")).to_contain_text("Paused")
    axe_check(applicant)
    applicant.get_by_role("link", name="Upload the requested documents").click()
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Upload the requested documents")
    axe_check(applicant)
    upload_document(applicant, "continuous_residence", "residence.pdf")
    applicant.get_by_role("button", name="Submit the documents").click()
    expect(applicant.locator(".messages")).to_contain_text("the proceedings continue")
    expect(applicant_status(applicant)).to_have_text("Filed")
    expect(applicant.locator("#timeline")).to_contain_text("Requested documents supplied")
    axe_check(applicant)

    # --- The caseworker checks the documents and grants the permit.
    caseworker.reload()
    expect(caseworker.get_by_text("residence.pdf")).to_be_visible()
    axe_check(caseworker)
    accept_every_document(caseworker)
    axe_check(caseworker)

    def grant(action):
        action.get_by_label("Granted").check()
        action.get_by_label("Permit valid from").fill(today.isoformat())
        action.get_by_label("Permit valid to").fill((today + timedelta(days=364)).isoformat())
        action.get_by_label("I confirm this decision").check()

    run_action(caseworker, "Decide", grant, button="Issue the decision", axe_check=axe_check)

    # --- The applicant opens the decision and downloads its PDF.
    applicant.reload()
    expect(applicant_status(applicant)).to_have_text("Decided")
    axe_check(applicant)
    applicant.get_by_role("link", name="Read your decision").click()
    expect(applicant.locator("#outcome")).to_have_text("Granted")
    axe_check(applicant)
    with applicant.expect_download() as download:
        applicant.get_by_role("link", name="Download the decision (PDF)").click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf")
    reader = PdfReader(io.BytesIO(Path(pdf.path()).read_bytes()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    # The decision is binding in Czech, with its operative part and instructions in the
    # applicant's language, and signed by the caseworker with her function.
    valid_to = today + timedelta(days=364)
    assert reference in text
    assert "Olena Testerová" in text
    assert application.permit_type.legal_basis in text  # the grant, on the type's provision
    assert f"platné od {czech_date(today)} do {czech_date(valid_to)}" in text
    assert instructions_heading("en") in text
    assert "Jana Nováková referent" in text
    application.refresh_from_db()
    assert application.current_decision.delivered_on == today

    # --- A second application, rejected, is appealed within the window.
    start_application(applicant, "Replacement residence card (damaged, lost or stolen card)")
    applicant.get_by_role("link", name="Questions about your application").click()
    protection = applicant.get_by_role("group", name="Do you hold asylum or subsidiary protection?")
    protection.get_by_label("No", exact=True).check()
    applicant.get_by_role("button", name="Save and continue").first.click()
    applicant.get_by_role("link", name="Documents").click()
    upload_document(applicant, "travel_document", "passport.pdf")
    upload_document(applicant, "photograph", "photo.pdf")
    applicant.get_by_role("link", name="Continue").click()
    second_reference = finish_and_file(applicant)

    open_case_from_queue(caseworker, second_reference)
    run_action(caseworker, "Claim this case", button="Claim")
    grounds = "The card was not lost: the applicant still holds it."

    def reject(action):
        action.get_by_label("Rejected").check()
        action.get_by_label("Reasoning").fill(grounds)
        action.get_by_label("I confirm this decision").check()

    run_action(caseworker, "Decide", reject, button="Issue the decision")

    applicant.reload()
    applicant.get_by_role("link", name="Read your decision").click()
    expect(applicant.locator("#outcome")).to_have_text("Rejected")
    expect(applicant.locator("#reasoning")).to_contain_text(grounds)
    expect(applicant.locator("#appeal-until")).to_be_visible()
    applicant.get_by_role("link", name="Appeal against the decision").click()
    axe_check(applicant)
    applicant.get_by_label("Why do you disagree with the decision?").fill(
        "The card was stolen on 3 May; the police report is attached."
    )
    applicant.locator("input[type=file]").set_input_files(pdf_upload("police-report.pdf"))
    applicant.get_by_role("button", name="Continue").click()
    # The check page: nothing is lodged until "Lodge the appeal"; then the receipt.
    expect(applicant.locator("#check-attachments")).to_contain_text("police-report.pdf")
    axe_check(applicant)
    applicant.get_by_role("button", name="Lodge the appeal").click()
    expect(applicant.locator(".messages")).to_contain_text("Your appeal is lodged.")
    expect(applicant.locator("#receipt-attachments")).to_contain_text("police-report.pdf")
    axe_check(applicant)
    applicant.get_by_role("link", name="Back to the application").click()
    expect(applicant_status(applicant)).to_have_text("Appealed")
    axe_check(applicant)
    second = Application.objects.get(reference_number=second_reference)
    assert second.status == Status.APPEALED
    assert second.current_decision.outcome == Outcome.REJECTED
    assert second.appeals.get().lodged_on <= second.current_decision.appeal_due

    # The applicant was told about each step.
    applicant.goto("/notifications/")
    axe_check(applicant)
    expect(applicant.locator("main")).to_contain_text(second_reference)

    assert len(page_checks.checked) >= 10, sorted(page_checks.checked)
    page_checks.assert_clean()


def czech_date(day) -> str:
    return f"{day.day}. {day.month}. {day.year}"
