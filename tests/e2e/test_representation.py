"""Representation in a browser: an employer registers its organisation and the office verifies
it; an employee, logged in with the second factor, gives it a power of attorney; the employer's
HR files an Employee Card application for the employee, answers the office's interruption,
opens the decision (its delivery: the appeal's period runs from that opening) and lodges an
appeal; the employee sees each step in their own timeline, with who took it. Each page is
checked with axe-core and at a phone's width (PageChecks)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.constants import Role
from applications.constants import Status
from applications.models import Application
from organisations import services as organisations
from organisations.models import Organisation
from permits import deadlines
from tests.accounts.factories import UserFactory
from tests.accounts.two_factor import totp_device_for
from tests.e2e.helpers import (
    applicant_status,
    caseworker_status,
    log_in,
    log_in_staff,
    make_applicant,
    make_staff,
)
from tests.e2e.test_journey import (
    EMPLOYEE_CARD_DOCUMENTS,
    finish_and_file,
    open_case_from_queue,
    pdf_upload,
    run_action,
    upload_document,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_employer_acts_for_an_employee_from_power_of_attorney_to_appeal(
    open_browser, page_checks
):
    check = page_checks
    employee = make_applicant(given_names="Olena", surname="Zaměstnankyně")
    employee_device = totp_device_for(employee.account)
    hr_user = UserFactory(role=Role.APPLICANT, preferred_language="en", first_name="Petr")
    caseworker_person = make_staff(Role.CASEWORKER)
    supervisor = make_staff(Role.SUPERVISOR)

    # --- The employer's HR registers the organisation; the office verifies it.
    hr = open_browser("hr")
    check.watch(hr)
    log_in(hr, hr_user.email)
    hr.goto("/organisations/")
    check(hr)
    hr.get_by_label("Name").fill("Strojírny Brno a.s.")
    hr.get_by_label("IČO").fill("255 96 641")
    hr.get_by_label("Employer").check()
    hr.get_by_role("button", name="Register").click()
    expect(hr.locator("main")).to_contain_text("Waiting for the office to verify it")
    check(hr)
    organisation = Organisation.objects.get(ico="25596641")
    # The office's verification (the admin's action calls this service; tests/organisations).
    organisations.organisation_verify(organisation=organisation, actor=supervisor.user)

    # --- The employee, logged in with the second factor, gives the power of attorney.
    person = open_browser("employee")
    check.watch(person)
    assert log_in(person, employee.account.email, device=employee_device)
    person.goto("/accounts/representatives/")
    check(person)
    person.get_by_label("An organisation").check()
    person.get_by_label("The organisation's IČO").fill("25596641")
    person.get_by_label("All proceedings").check()
    person.get_by_role("button", name="Give the power of attorney").click()
    expect(person.locator(".messages")).to_contain_text("The power of attorney is given.")
    expect(person.locator("#power-list")).to_contain_text("Strojírny Brno a.s.")
    check(person)

    # --- HR files an Employee Card application for the employee.
    hr.goto("/applications/new/")
    check(hr)
    hr.get_by_label("Which permit do you apply for?").select_option(label="Employee Card")
    hr.get_by_role("button", name="Start the application").click()
    expect(hr.get_by_role("heading", level=1)).to_have_text("Your application")
    hr.get_by_role("link", name="Questions about your application").click()
    hr.get_by_label("Gross monthly salary (CZK)").fill("45 000")
    hr.get_by_label("Working hours per week").fill("40")
    hr.get_by_label("Vacancy number in the Central Register").fill("12345678")
    hr.get_by_role("button", name="Save and continue").first.click()
    hr.get_by_role("link", name="Documents").click()
    for number, kind in enumerate(EMPLOYEE_CARD_DOCUMENTS, start=1):
        upload_document(hr, kind, f"scan-{number}.pdf")
    hr.get_by_role("link", name="Continue").click()
    reference = finish_and_file(hr, check)
    application = Application.objects.get(reference_number=reference)
    assert application.applicant == employee and application.created_by == hr_user

    # --- The office interrupts for a document; HR supplies it.
    caseworker = open_browser("caseworker")
    log_in_staff(caseworker, caseworker_person)
    open_case_from_queue(caseworker, reference)
    expect(caseworker.locator("#representation")).to_contain_text("Strojírny Brno a.s.")
    expect(caseworker.locator("#representation")).to_contain_text("second factor")
    check(caseworker)
    run_action(caseworker, "Claim this case", button="Claim")

    def ask_for_residence_proof(action):
        action.get_by_label("Proof of continuous residence").check()
        action.get_by_label("Reason").fill("Doložte nepřetržitý pobyt.")

    run_action(
        caseworker,
        "Interrupt: ask for documents",
        ask_for_residence_proof,
        button="Interrupt the proceedings",
    )
    hr.reload()
    expect(applicant_status(hr)).to_have_text("Interrupted")
    hr.get_by_role("link", name="Upload the requested documents").click()
    upload_document(hr, "continuous_residence", "residence.pdf")
    hr.get_by_role("button", name="Submit the documents").click()
    expect(applicant_status(hr)).to_have_text("Filed")

    # --- The office rejects; the employee's opening does not deliver, HR's does.
    caseworker.reload()
    caseworker.locator("#documents-form").get_by_label("I have looked at each document").check()
    caseworker.locator("#documents-form").get_by_role("button", name="Accept all remaining").click()

    def reject(action):
        action.get_by_label("Rejected").check()
        action.get_by_label("Reasoning").fill("Podmínky nejsou splněny.")
        action.get_by_label("I confirm this decision").check()

    run_action(caseworker, "Decide", reject, button="Issue the decision")
    expect(caseworker_status(caseworker)).to_have_text("Decided")

    person.goto(f"/applications/{application.pk}/decision/")
    application.refresh_from_db()
    assert application.current_decision.delivered_on is None
    hr.goto(f"/applications/{application.pk}/")
    hr.get_by_role("link", name=re.compile("decision")).first.click()
    expect(hr.locator("#outcome")).to_have_text("Rejected")
    check(hr)
    decision = Application.objects.get(pk=application.pk).current_decision
    today = timezone.localdate()
    assert decision.delivered_on == today
    assert decision.appeal_due == deadlines.period_end(today, 15)

    # --- HR lodges the appeal.
    hr.get_by_role("link", name="Appeal against the decision").click()
    hr.get_by_label("Why do you disagree with the decision?").fill(
        "The employment contract was overlooked."
    )
    hr.locator("input[type=file]").set_input_files(pdf_upload("contract.pdf"))
    hr.get_by_role("button", name="Continue").click()
    hr.get_by_role("button", name="Lodge the appeal").click()
    expect(hr.locator(".messages")).to_contain_text("Your appeal is lodged.")
    assert Application.objects.get(pk=application.pk).status == Status.APPEALED

    # --- The employee sees every step, and who took it.
    person.goto(f"/applications/{application.pk}/")
    expect(applicant_status(person)).to_have_text("Appealed")
    timeline = person.locator("#timeline")
    for step in ("Requested documents supplied", "Appeal"):
        expect(timeline).to_contain_text(step)
    expect(timeline).to_contain_text("By your representative Strojírny Brno a.s.")
    check(person)
