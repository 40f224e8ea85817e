"""Decision PDFs: one per decision however often the task runs, readable text in Czech and in
the applicant's language, and no way for typed text to make the renderer fetch anything."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import translation
from pypdf import PdfReader

from applications import services
from applications.constants import Outcome
from applications.models import Decision
from applications.tasks import render_decision_pdf
from documents import pdf
from documents.constants import Role
from documents.models import Document
from permits import deadlines
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.fixture
def rejected(caseworker):
    """A rejection whose PDF has not been rendered yet (its task was never run)."""

    def make(reasoning: str = "The applicant's means of subsistence are insufficient.") -> Decision:
        application = ApplicationFactory(filed=True)
        services.application_claim(application=application, actor=caseworker)
        return services.application_decide(
            application=application,
            actor=caseworker,
            outcome=Outcome.REJECTED,
            reasoning=reasoning,
        )

    return make


def test_running_the_task_twice_stores_one_decision_document(rejected):
    decision = rejected()
    assert decision.document_id is None

    first = render_decision_pdf(decision.pk)
    second = render_decision_pdf(decision.pk)

    assert first == second
    decision.refresh_from_db()
    assert decision.document_id == first
    assert (
        Document.objects.filter(application=decision.application, role=Role.DECISION).count() == 1
    )
    assert decision.made_available_on is not None


def test_the_decision_reads_in_czech_and_in_the_applicants_language(rejected):
    decision = rejected()
    render_decision_pdf(decision.pk)
    decision.refresh_from_db()
    application = decision.application
    assert application.applicant.preferred_language == "uk"

    text = pdf_text(decision.document)

    assert application.reference_number in text
    latest_appeal_due = deadlines.appeal_due(deadlines.delivery_date(decision.decided_on, None))
    assert f"{latest_appeal_due:%-d. %-m. %Y}" in text
    # The appeal instructions in Czech (the msgid while a translation is missing) ...
    assert in_language("cs", "How and by when to appeal") in text
    assert in_language("cs", "Reference number") in text
    # ... and again in the applicant's language, Ukrainian.
    assert in_language("uk", "Instructions in your language") in text
    assert in_language("uk", "How and by when to appeal") in text
    assert text.count(f"{latest_appeal_due:%-d. %-m. %Y}") == 2
    assert "means of subsistence are insufficient" in text


def test_typed_markup_cannot_make_the_renderer_fetch_anything(rejected, monkeypatch):
    evil = (
        '<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://example.com/x.css">'
        ' <iframe src="http://example.com/"></iframe>'
    )
    decision = rejected(reasoning=f"Refused. {evil}")
    fetched: list[str] = []

    def spy(url: str, *args, **kwargs):
        fetched.append(url)
        return pdf._refuse_every_url(url, *args, **kwargs)

    monkeypatch.setattr(pdf, "_refuse_every_url", spy)
    render_decision_pdf(decision.pk)
    decision.refresh_from_db()

    assert fetched == []
    # The markup is shown as the text it is.
    text = pdf_text(decision.document)
    assert '<img src="file:///etc/passwd">' in text
    assert '<link rel="stylesheet" href="http://example.com/' in text


def test_even_unescaped_markup_could_not_fetch(monkeypatch):
    """Belt and braces: were a template ever to let markup through, the fetcher refuses every
    URL; the resources are left out and the document still renders."""
    fetched: list[str] = []
    original = pdf._refuse_every_url

    def spy(url: str, *args, **kwargs):
        fetched.append(url)
        return original(url, *args, **kwargs)

    monkeypatch.setattr(pdf, "_refuse_every_url", spy)
    monkeypatch.setattr(
        pdf,
        "render_to_string",
        lambda *args, **kwargs: (
            '<html><head><link rel="stylesheet" href="http://example.com/x.css"></head>'
            '<body><p>Hello</p><img src="file:///etc/passwd"></body></html>'
        ),
    )

    content = pdf.render_pdf("unused.html", {})

    assert content.startswith(b"%PDF")
    # Each URL reached the fetcher, which refused it: nothing was read.
    assert sorted(fetched) == ["file:///etc/passwd", "http://example.com/x.css"]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://example.com/x.css", "data:,x"])
def test_the_url_fetcher_refuses_every_url(url):
    with pytest.raises(pdf.FetchRefused):
        pdf._refuse_every_url(url)
