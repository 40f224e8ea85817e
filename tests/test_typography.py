"""Dates as each language writes them (issue: "understood in five languages"): no doubled full
stop after a date at the end of a sentence (Russian "4 dekabrya 2026 g.."), no capitalised "Ngày"
mid-sentence, and no line break inside a date, on pages, in e-mails and in PDFs (the parts of a
date are joined by no-break spaces, ``config/formats``).

Every date format Django offers is rendered in every language, for a day of every month; then
the places that print dates at the end of a sentence: the applicant's case page, the e-mails
about an interruption and a decision, and the PDFs of the interruption and of the decision, each
in the five languages.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from applications import services
from applications.constants import Outcome
from applications.models import Decision
from applications.tasks import render_decision_pdf, render_interruption_letter
from documents.constants import Role
from documents.models import Document
from permits.models import DocumentKind, PermitType
from tests.applications.factories import ApplicationFactory

LANGUAGES = [code for code, _name in settings.LANGUAGES]
NBSP = "\u00a0"
PRAGUE = ZoneInfo("Europe/Prague")
# A Monday in winter, well inside office hours in Prague.
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=PRAGUE)

DATE_FORMATS = ["DATE_FORMAT", "SHORT_DATE_FORMAT", "MONTH_DAY_FORMAT", "YEAR_MONTH_FORMAT"]
DATETIME_FORMATS = ["DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"]
# A one-digit and a two-digit day of every month.
DAYS = [date(2027, month, day) for month in range(1, 13) for day in (4, 28)]


def in_language(language: str, value: date | datetime, format_name: str) -> str:
    with translation.override(language):
        return date_format(value, format_name)


# --- The formats ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("format_name", DATE_FORMATS)
def test_a_date_never_breaks_and_never_ends_in_a_full_stop(language, format_name):
    for day in DAYS:
        shown = in_language(language, day, format_name)
        assert " " not in shown, f"{shown!r}: a line may break inside the date"
        assert not shown.endswith("."), f"{shown!r}: a sentence ending in it ends in '..'"
        assert (
            not shown[0].isupper()
            or not shown[0].isalpha()
            or format_name in ("YEAR_MONTH_FORMAT",)
        ), f"{shown!r}: a capital letter in the middle of a sentence"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("format_name", DATETIME_FORMATS)
def test_a_date_and_time_keeps_the_date_whole(language, format_name):
    short = format_name.startswith("SHORT")
    for day in DAYS:
        moment = datetime.combine(day, datetime.min.time()).replace(hour=9, minute=5)
        shown = in_language(language, moment, format_name)
        whole_date = in_language(language, day, "SHORT_DATE_FORMAT" if short else "DATE_FORMAT")
        assert whole_date in shown
        assert not shown.endswith(".")


def test_the_languages_write_their_own_dates():
    day = date(2026, 12, 4)
    assert in_language("cs", day, "DATE_FORMAT") == f"4.{NBSP}prosince{NBSP}2026"
    assert in_language("cs", day, "SHORT_DATE_FORMAT") == f"4.{NBSP}12.{NBSP}2026"
    assert in_language("en", day, "DATE_FORMAT") == f"4{NBSP}December{NBSP}2026"
    assert in_language("en", day, "SHORT_DATE_FORMAT") == f"4{NBSP}Dec{NBSP}2026"
    assert in_language("uk", day, "DATE_FORMAT") == f"4{NBSP}грудня{NBSP}2026"
    assert in_language("ru", day, "DATE_FORMAT") == f"4{NBSP}декабря{NBSP}2026"
    assert in_language("vi", day, "DATE_FORMAT") == f"4{NBSP}tháng{NBSP}12{NBSP}năm{NBSP}2026"
    assert in_language("vi", day, "SHORT_DATE_FORMAT") == "04/12/2026"


# --- Pages and e-mails ----------------------------------------------------------------------


def visible_text(html: str) -> str:
    """The text of a page, without its markup, scripts and styles."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def assert_typeset(text: str, *, dates: list[str], where: str) -> None:
    # An ellipsis ("…" or "...") is not a doubled full stop.
    doubled = [m.group(0) for m in re.finditer(r"\S*[^.]\.\.(?!\.)\S*", text)]
    assert not doubled, f"{where}: doubled full stop in {doubled}"
    # Django's Vietnamese date began with a capital "Ngày", in the middle of sentences too.
    assert not re.search(r"Ngày[\s\u00a0]*\d", text), f"{where}: a date begins with 'Ngày'"
    for shown in dates:
        assert shown in text, f"{where}: {shown!r} is not written whole"


@pytest.fixture
def interrupted_case(caseworker):
    """A case interrupted on 7 December 2026 with a deadline on 6 January 2027."""

    def make(language: str):
        with time_machine.travel(NOW, tick=False):
            application = ApplicationFactory(filed=True, applicant__preferred_language=language)
            services.application_claim(application=application, actor=caseworker)
            interruption = services.application_interrupt_with_letter(
                application=application,
                actor=caseworker,
                reason="Chybí doklad o zajištění ubytování.",
                document_kinds=DocumentKind.objects.filter(code="accommodation"),
                deadline_days=30,
            )
        return application, interruption

    return make


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_case_page_writes_the_deadline_whole(language, client, interrupted_case):
    application, interruption = interrupted_case(language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        client.force_login(application.applicant.account)
        response = client.get(f"/applications/{application.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    # The reference number is kept on one line (``unbroken``).
    assert f'<span class="nowrap">{application.reference_number}</span>' in html
    text = visible_text(html)
    assert_typeset(
        text,
        dates=[in_language(language, interruption.deadline, "DATE_FORMAT")],
        where=f"case page ({language})",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_e_mail_about_an_interruption_writes_the_deadline_whole(
    language, caseworker, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False):
        application = ApplicationFactory(filed=True, applicant__preferred_language=language)
        account = application.applicant.account
        account.preferred_language = language
        account.save(update_fields=["preferred_language"])
        services.application_claim(application=application, actor=caseworker)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            interruption = services.application_interrupt_with_letter(
                application=application,
                actor=caseworker,
                reason="Chybí doklad o zajištění ubytování.",
                document_kinds=DocumentKind.objects.filter(code="accommodation"),
                deadline_days=30,
            )
    messages = [m for m in mail.outbox if account.email in m.to]
    assert messages, "the applicant got no e-mail about the interruption"
    deadline = in_language(language, interruption.deadline, "DATE_FORMAT")
    for message in messages:
        assert_typeset(message.body, dates=[deadline], where=f"e-mail text ({language})")
        html = message.alternatives[0][0] if message.alternatives else ""
        assert_typeset(visible_text(html), dates=[deadline], where=f"e-mail HTML ({language})")


# --- PDFs -----------------------------------------------------------------------------------


def raw_pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def assert_whole_in_pdf(text: str, shown: str, *, where: str) -> None:
    """``shown`` is in the PDF's text on one line: its parts may be joined by a no-break space
    (as written) but never by a line break."""
    parts = [re.escape(part) for part in re.split(r"[\s\u00a0]+", shown)]
    pattern = r"[ \u00a0]".join(parts)
    assert re.search(pattern, text), f"{where}: {shown!r} is broken or missing"
    broken = r"\s*\n\s*".join(parts)
    for match in re.finditer(broken, text):
        assert "\n" not in match.group(0), f"{where}: {shown!r} breaks over two lines"


@pytest.mark.django_db
@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "cs"])
def test_the_interruption_letter_writes_every_date_whole(language, interrupted_case):
    _application, interruption = interrupted_case(language)
    with time_machine.travel(NOW, tick=False):
        render_interruption_letter(interruption.pk)
    letter = Document.objects.get(interruption=interruption, role=Role.LETTER)
    text = raw_pdf_text(letter)
    assert ".." not in text.replace("...", "")
    for shown_in, value in [
        ("cs", interruption.deadline),
        (language, interruption.deadline),
        ("cs", interruption.started_on),
        (language, interruption.started_on),
    ]:
        assert_whole_in_pdf(
            text,
            in_language(shown_in, value, "SHORT_DATE_FORMAT"),
            where=f"interruption letter ({language}, the part in {shown_in})",
        )


@pytest.mark.django_db
@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "cs"])
def test_the_decision_writes_every_date_whole(language, caseworker):
    with time_machine.travel(NOW, tick=False):
        application = ApplicationFactory(
            decided=True,
            caseworker=caseworker,
            permit_type=PermitType.objects.get(code="employee_card"),
            applicant__preferred_language=language,
        )
        decision: Decision = application.decisions.get()
        assert decision.outcome == Outcome.GRANTED
        render_decision_pdf(decision.pk)
    decision.refresh_from_db()
    text = raw_pdf_text(decision.document)
    assert ".." not in text.replace("...", "")
    assert application.reference_number in text  # on one line, not broken at "/" or "-"
    for shown_in in ("cs", language):
        for value in (decision.decided_on, decision.valid_from, decision.valid_to):
            assert_whole_in_pdf(
                text,
                in_language(shown_in, value, "SHORT_DATE_FORMAT"),
                where=f"decision ({language}, the part in {shown_in})",
            )
