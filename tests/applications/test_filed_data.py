"""Filing freezes what was filed (SPEC §2): the person's data and the answers as they stood at
filing stay on the application, and a later change of the person's profile reaches no page,
export, letter or PDF of the filed case."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django_countries.fields import Country
from pypdf import PdfReader

from accounts.models import User
from applications import services
from applications.constants import ChangeKind, Outcome, Status
from applications.letters import interruption_letter_file
from applications.models import Application, ChangeReport, Party
from applications.tasks import render_decision_pdf
from core.errors import TransitionRefused
from encryption import crypto
from permits.models import DocumentKind
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

PRAGUE = ZoneInfo("Europe/Prague")
# A Monday morning in Prague: no weekend or holiday in the periods counted from it.
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=PRAGUE)

FILED = {
    "given_names": "Olena",
    "surname": "Kovalenko",
    "date_of_birth": date(1990, 5, 17),
    "nationality": "UA",
    "travel_document_number": "FP1234567",
    "address": "Vinohradská 12, Praha 2",
    "phone": "+420 777 000 111",
    "preferred_language": "uk",
}
# Every field of the profile form, changed, and the account's e-mail address too.
NEW = {
    "given_names": "Renata",
    "surname": "Novotna",
    "date_of_birth": "1991-06-18",
    "nationality": "VN",
    "travel_document_number": "NEWDOC987",
    "address": "Nová 99, Brno",
    "phone": "+420777888999",  # E.164, as stored
    "preferred_language": "en",
}
NEW_EMAIL = "renata.novotna@example.com"


def short_date(day: date, language: str = "en") -> str:
    with translation.override(language):
        return date_format(day, "SHORT_DATE_FORMAT")


def new_values(language: str = "en") -> list[str]:
    """The new values as a page or a file would show them."""
    with translation.override(language):
        vietnam = str(Country("VN").name)
    born = date(1991, 6, 18)
    return [
        NEW["given_names"],
        NEW["surname"],
        "18. 6. 1991",
        "1991-06-18",
        short_date(born, language),
        date_format(born),
        vietnam,
        NEW["travel_document_number"],
        NEW["address"],
        NEW["phone"],
        NEW_EMAIL,
    ]


def main_of(response) -> str:
    """The page's main content: the navigation shows the logged-in account's own e-mail."""
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")]


def pdf_text(document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() or "" for page in reader.pages))


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def filed(clock, applicant):
    """An application filed with the ``FILED`` data, in the real filing service."""
    record = applicant.applicants.get()
    for name, value in FILED.items():
        setattr(record, name, value)
    record.email = applicant.email
    record.save()
    return ApplicationFactory(applicant=record, filed=True)


def change_every_profile_field(client_for, applicant: User) -> Client:
    """The applicant changes everything in /accounts/profile/, as they would in the browser."""
    User.objects.filter(pk=applicant.pk).update(email=NEW_EMAIL)
    applicant.refresh_from_db()
    client = client_for(applicant)
    response = client.post("/accounts/profile/", NEW, follow=True)
    assert response.status_code == 200
    record = applicant.applicants.get()
    assert (record.surname, record.travel_document_number, record.email) == (
        NEW["surname"],
        NEW["travel_document_number"],
        NEW_EMAIL,
    )
    return client


def test_filing_freezes_the_persons_data_onto_the_application(filed):
    stored = Application.objects.get(pk=filed.pk)

    party = stored.party
    assert party == Party(
        given_names="Olena",
        surname="Kovalenko",
        date_of_birth=date(1990, 5, 17),
        nationality=Country("UA"),
        travel_document_number="FP1234567",
        address="Vinohradská 12, Praha 2",
        email=filed.applicant.account.email,
        phone="+420 777 000 111",
        preferred_language="uk",
    )
    # Sealed like the person's record: nothing of it is in the column in clear.
    raw = Application.objects.filter(pk=filed.pk).values_list("filed_party", flat=True).get()
    assert "Kovalenko" not in raw and "FP1234567" not in raw


def test_every_page_export_and_pdf_of_a_filed_case_shows_the_data_as_filed(
    filed, applicant, caseworker, client_for
):
    filed_email = applicant.email
    client = change_every_profile_field(client_for, applicant)
    staff = client_for(caseworker)
    filed_shown = ["Olena", "Kovalenko", "FP1234567", "Vinohradská 12, Praha 2", "777 000 111"]

    pages = {
        "the applicant's case page": main_of(client.get(f"/applications/{filed.pk}/")),
        "the applicant's dashboard": main_of(client.get("/applications/")),
        "the caseworker's case page": main_of(staff.get(f"/caseworker/cases/{filed.pk}/")),
        "the caseworker's queue": main_of(staff.get("/caseworker/queue/new/")),
    }
    for page, text in pages.items():
        assert "Kovalenko" in text, page
        for value in new_values():
            assert value not in text, (page, value)
    born = short_date(date(1990, 5, 17))
    for value in [*filed_shown, born, "Ukraine", filed_email]:
        assert value in pages["the caseworker's case page"], value
    assert "Українська" in pages["the caseworker's case page"]
    for value in [*filed_shown, "Ukraine"]:
        assert value in pages["the applicant's case page"], value

    # The caseworkers' CSV export of the queue.
    export = staff.get("/caseworker/queue/new/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    row = next(row for row in rows if filed.reference_number in row)
    assert "Kovalenko, Olena" in row
    assert not any(value in cell for cell in row for value in new_values())

    # The person's own data export: their record as it is now, each case as filed.
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(client.post("/privacy/export/").streaming_content))
    )
    person = json.loads(archive.read("data.json"))["people"][0]
    assert person["surname"] == NEW["surname"]
    [case] = person["applications"]
    assert case["filed_data"] == {
        "given_names": "Olena",
        "surname": "Kovalenko",
        "date_of_birth": "1990-05-17",
        "nationality": "UA",
        "travel_document_number": "FP1234567",
        "address": "Vinohradská 12, Praha 2",
        "email": filed_email,
        "phone": "+420 777 000 111",
        "preferred_language": "uk",
    }
    assert not any(value in json.dumps(case, ensure_ascii=False) for value in new_values())

    # The decision, rendered after the change: the parties as filed, in the filed language.
    services.application_claim(application=filed, actor=caseworker)
    decision = services.application_decide(
        application=filed,
        actor=caseworker,
        outcome=Outcome.REJECTED,
        reasoning="The means of subsistence are insufficient.",
    )
    assert decision.language == "uk"
    render_decision_pdf(decision.pk)
    decision.refresh_from_db()
    text = pdf_text(decision.document)
    assert "Olena Kovalenko" in text
    assert "17. 5. 1990" in text
    assert "Ukrajina" in text
    for value in new_values("cs"):
        assert value not in text, value


def test_the_interruption_letter_is_addressed_as_filed(filed, applicant, caseworker, client_for):
    change_every_profile_field(client_for, applicant)
    services.application_claim(application=filed, actor=caseworker)
    interruption = services.application_interrupt(
        application=filed,
        actor=caseworker,
        reason="The lease is missing.",
        document_kinds=DocumentKind.objects.filter(code="accommodation"),
    )

    text = pdf_text(interruption_letter_file(interruption_id=interruption.pk))

    assert "Olena Kovalenko" in text
    assert "17. 5. 1990" in text
    for value in new_values("cs"):
        assert value not in text, value


def test_a_draft_shows_the_persons_record_as_it_is_now(clock, applicant, client_for):
    draft = ApplicationFactory(applicant=applicant.applicants.get())
    change_every_profile_field(client_for, applicant)

    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.filed_party is None
    assert draft.party.surname == NEW["surname"]
    assert draft.party.nationality == Country("VN")


def test_the_answers_cannot_change_after_filing(filed, applicant, client_for):
    answers = dict(filed.answers)

    with pytest.raises(TransitionRefused):
        services.application_save_answers(application=filed, actor=applicant, answers={"salary": 1})
    response = client_for(applicant).post(
        reverse("applications:questions", args=[filed.pk]), {"save_later": "1"}
    )

    assert response.status_code == 302
    assert response.url == reverse("applications:detail", args=[filed.pk])
    filed.refresh_from_db()
    assert filed.answers == answers


def test_the_database_refuses_a_filed_case_without_its_filed_data(filed):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=filed.pk).update(filed_party=None)


def test_key_rotation_reseals_the_filed_data_and_reported_changes(filed, applicant, settings):
    services.change_report_submit(
        application=filed,
        actor=applicant,
        kind=ChangeKind.ADDRESS,
        data={"address": "Nová 99, Brno"},
    )
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [f"k9:{base64.b64encode(os.urandom(32)).decode()}", old]

    call_command("rotate_encryption_keys", "--skip-files", stdout=io.StringIO())

    stored = Application.objects.filter(pk=filed.pk).values_list("filed_party", flat=True).get()
    assert crypto.key_id_of(stored) == "k9"
    reported = ChangeReport.objects.values_list("data", flat=True).get()
    assert crypto.key_id_of(reported) == "k9"
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    assert Application.objects.get(pk=filed.pk).party.surname == "Kovalenko"
    assert ChangeReport.objects.get().data == {"address": "Nová 99, Brno"}


def test_the_support_centres_receipt_shows_the_person_as_filed(clock, support, client_for):
    from tests.applications.test_views_support import filed_by, recorded_by

    application = filed_by(support, recorded_by(support, **FILED))
    person = application.applicant
    # The record changes after filing (a correction in the back office, say).
    for name, value in NEW.items():
        setattr(person, name, value)
    person.save()

    receipt = client_for(support).get(reverse("support:receipt", args=[application.pk]))

    text = main_of(receipt)
    assert "Olena Kovalenko" in text
    assert "FP1234567" in text
    for value in new_values():
        assert value not in text, value
