"""Czech is the language of the proceedings (SPEC §7): the notes the system writes into the record
are kept in Czech whoever's request caused them, and the staff timeline shows them in the reader's
language; the applicant's language is for what goes to the applicant."""

# ruff: noqa: RUF001 (Ukrainian text)
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from applications import services
from applications.audit import SystemNote, audit_record
from applications.case_documents import document_upload
from applications.models import AuditEntry
from permits.models import DocumentKind
from tests.applications.factories import ApplicationFactory, pdf_bytes

PRAGUE = ZoneInfo("Europe/Prague")
CZECH_NOTE = "Pokračováno v řízení: žadatel doložil všechny požadované doklady."
ENGLISH_NOTE = "Resumed: the applicant supplied every requested document."
UKRAINIAN_NOTE = "Провадження відновлено: заявник подав усі витребувані документи."

pytestmark = pytest.mark.django_db


def _resumed_by_a_ukrainian_upload(caseworker):
    application = ApplicationFactory(interrupted=True, caseworker=caseworker)
    owner = application.applicant.account
    # The applicant works in Ukrainian: their request runs in that language.
    with translation.override("uk"):
        document_upload(
            application=application,
            kind=DocumentKind.objects.get(code="accommodation"),
            upload=SimpleUploadedFile("flat.pdf", pdf_bytes(), "application/pdf"),
            actor=owner,
        )
        services.application_supply_requested_documents(application=application, actor=owner)
    return application


def test_a_system_note_is_recorded_in_czech_whatever_language_caused_it(caseworker):
    with time_machine.travel(datetime(2026, 12, 4, 10, tzinfo=PRAGUE), tick=False):
        application = _resumed_by_a_ukrainian_upload(caseworker)
    entry = AuditEntry.objects.get(application=application, action="resume")
    assert entry.note == CZECH_NOTE
    assert entry.data["system_note"] == {"key": "resumed_documents_supplied", "params": {}}


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("cs", CZECH_NOTE, UKRAINIAN_NOTE), ("en", ENGLISH_NOTE, UKRAINIAN_NOTE)],
)
def test_staff_read_system_notes_in_their_own_language(
    caseworker, client_for, language, shown, hidden
):
    with time_machine.travel(datetime(2026, 12, 4, 10, tzinfo=PRAGUE), tick=False):
        application = _resumed_by_a_ukrainian_upload(caseworker)
        page = client_for(caseworker, language=language).get(
            reverse("caseworker:case", args=[application.pk])
        )
    assert page.status_code == 200
    assert shown in page.content.decode()
    assert hidden not in page.content.decode()


def test_a_system_note_with_parameters_reads_in_each_language(caseworker):
    application = ApplicationFactory(filed=True)
    with (
        time_machine.travel(datetime(2026, 12, 4, 10, tzinfo=PRAGUE), tick=False),
        translation.override("uk"),
    ):
        entry = audit_record(
            application,
            actor=caseworker,
            action="decision_delivered",
            note=SystemNote(
                "delivered_on_paper",
                {"method": "post", "day": "2026-12-03", "proof": "OAM-1-2/DP-2026"},
            ),
        )
    assert entry.note == (
        "Doručeno poštou na adresu: převzato dne 3.\u00a012.\u00a02026, doklad o doručení "
        "OAM-1-2/DP-2026."
    )
    with translation.override("en"):
        assert entry.note_for_reader == (
            "Delivered by post to the address: received on 3\u00a0Dec\u00a02026, proof "
            "OAM-1-2/DP-2026."
        )


def test_a_note_written_by_a_person_is_shown_as_written(caseworker):
    application = ApplicationFactory(filed=True)
    entry = audit_record(application, actor=caseworker, action="note_added", note="Volat žadatele.")
    with translation.override("en"):
        assert entry.note_for_reader == "Volat žadatele."


def test_a_stop_gives_its_standard_reasons_in_czech_whatever_the_caseworkers_language(caseworker):
    with time_machine.travel(datetime(2026, 12, 4, 10, tzinfo=PRAGUE), tick=False) as traveller:
        application = ApplicationFactory(interrupted=True, caseworker=caseworker)
        traveller.move_to(datetime(2027, 2, 1, 10, tzinfo=PRAGUE))
        with translation.override("en"):
            decision = services.application_stop(application=application, actor=caseworker)
    assert decision.reasoning == (
        "Požadované doklady nebyly doloženy ve lhůtě stanovené při přerušení řízení."
    )
