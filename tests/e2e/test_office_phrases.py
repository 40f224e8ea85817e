"""The office's phrase catalogue in a browser (issue 17): a caseworker interrupts a case with a
reason from the catalogue and words of their own; the applicant reads the reason in each of the
portal's five languages, the office's own words marked as its Czech text, and the letter's
translated part gives the reason in the applicant's language."""

# ruff: noqa: RUF001  (Ukrainian and Russian texts)
from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.constants import Role
from applications import services
from applications.constants import Status
from applications.letters import interruption_letter_file
from applications.models import Interruption
from documents.constants import Role as DocumentRole
from documents.models import Document
from tests.applications.factories import ApplicationFactory
from tests.e2e.helpers import choose_language, log_in, log_in_staff, make_applicant, make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The seed's phrase "missing-accommodation" (permits/migrations/0008_seed_phrases.py), written
# out: a changed or missing text must fail here.
PHRASE = {
    "cs": "K žádosti chybí doklad o zajištění ubytování. Předložte jej prosím ve stanovené lhůtě.",
    "en": "The proof of accommodation is missing from the application. Please submit it within "
    "the time limit set.",
    "uk": "До заяви не додано документ, що підтверджує забезпечення житлом. Будь ласка, подайте "
    "його у встановлений строк.",
    "vi": "Hồ sơ của bạn còn thiếu giấy tờ chứng minh chỗ ở. Vui lòng nộp giấy tờ này trong "
    "thời hạn quy định.",
    "ru": "К заявлению не приложен документ, подтверждающий обеспечение жильём. Пожалуйста, "
    "представьте его в установленный срок.",
}
FREE_TEXT = "Podpis vlastníka bytu musí být úředně ověřen."


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() or "" for page in reader.pages))


def test_the_applicant_reads_the_catalogue_reason_in_each_language(open_browser):
    applicant = make_applicant()  # reads the portal in English; the case's language is Ukrainian
    application = ApplicationFactory(applicant=applicant, filed=True)
    person = make_staff(
        Role.CASEWORKER, first_name="Jana", last_name="Nováková", job_title="referent"
    )
    services.application_claim(application=application, actor=person.user)

    page = open_browser("caseworker")
    log_in_staff(page, person)
    page.goto(f"/caseworker/cases/{application.pk}/")
    interrupt = page.locator("#action-interrupt")
    if interrupt.get_attribute("open") is None:
        interrupt.locator("summary").click()
    interrupt.get_by_label("Proof of accommodation", exact=True).check()
    interrupt.get_by_label(PHRASE["cs"], exact=True).check()
    interrupt.get_by_label("Reason in your own words (in Czech)").fill(FREE_TEXT)
    # The letter is rendered in the request here (tasks run in-process): allow for it.
    interrupt.get_by_role("button", name="Interrupt the proceedings").click(timeout=60_000)
    expect(page.locator(".messages")).to_be_visible(timeout=60_000)

    application.refresh_from_db()
    assert application.status == Status.INTERRUPTED
    interruption = Interruption.objects.get(application=application)
    assert interruption.reason == f"{PHRASE['cs']}\n\n{FREE_TEXT}"

    reader = open_browser("applicant")
    log_in(reader, applicant.account.email)
    reader.goto(f"/applications/{application.pk}/")
    reason = reader.locator("#interruption-reason")
    for language, phrase in PHRASE.items():
        choose_language(reader, language)
        expect(reason).to_contain_text(phrase)
        for other, text in PHRASE.items():
            if other != language:
                expect(reason).not_to_contain_text(text)
        if language == "cs":
            expect(reason).to_contain_text(FREE_TEXT)
        else:
            expect(reason.locator("span[lang='cs']")).to_have_text(FREE_TEXT)
    choose_language(reader, "en")
    expect(reason).to_contain_text("The office's text in Czech:")

    # The letter: Czech first, then the applicant's language (Ukrainian) from the catalogue.
    letter = interruption_letter_file(interruption_id=interruption.pk)
    assert letter is not None
    assert letter.role == DocumentRole.LETTER
    text = pdf_text(letter)
    czech, found, translated = text.partition("До заяви не додано документ")
    assert found, text
    assert "K žádosti chybí doklad o zajištění ubytování" in czech
    assert "житлом" in translated
    assert "Podpis vlastníka bytu" in translated  # the office's own words, in Czech
