"""The invitation letter of an interruption: queued after commit, one per interruption however
often its task runs, and it says what is missing, by when, and what happens otherwise."""

from __future__ import annotations

import pytest
from django.utils import translation

from applications import services
from applications.letters import interruption_letter_store
from applications.models import Interruption
from applications.tasks import render_interruption_letter
from documents.constants import Role
from documents.models import Document
from permits.models import DocumentKind
from tests.applications.factories import ApplicationFactory
from tests.documents.test_pdf_decision import in_language, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def interrupt(caseworker, django_capture_on_commit_callbacks):
    def make(
        *, run_tasks: bool = True, reason: str = "The owner's signature is not certified."
    ) -> Interruption:
        application = ApplicationFactory(filed=True)
        services.application_claim(application=application, actor=caseworker)
        with django_capture_on_commit_callbacks(execute=run_tasks) as callbacks:
            interruption = services.application_interrupt_with_letter(
                application=application,
                actor=caseworker,
                reason=reason,
                document_kinds=DocumentKind.objects.filter(code="accommodation"),
                deadline_days=30,
            )
        assert callbacks  # queued after commit: the letter, and the notification
        return interruption

    return make


def letters(interruption: Interruption):
    return Document.objects.filter(interruption=interruption, role=Role.LETTER)


def test_interrupting_queues_the_letter_after_commit(interrupt):
    interruption = interrupt(run_tasks=False)
    assert not letters(interruption).exists()


def test_running_the_task_twice_stores_one_letter(interrupt):
    interruption = interrupt(run_tasks=False)

    first = render_interruption_letter(interruption.pk)
    second = render_interruption_letter(interruption.pk)

    assert first == second
    assert letters(interruption).count() == 1
    letter = letters(interruption).get()
    assert letter.application == interruption.application
    assert letter.content_type == "application/pdf"


def test_storing_a_letter_again_returns_the_first(interrupt):
    interruption = interrupt()
    (existing,) = letters(interruption)

    again = interruption_letter_store(interruption=interruption, content=b"%PDF-1.4 other")

    assert again == existing
    assert letters(interruption).count() == 1


def test_unknown_interruption_is_ignored():
    assert render_interruption_letter(987654) is None


def test_the_letter_says_what_is_missing_by_when_and_what_happens_otherwise(interrupt):
    interruption = interrupt(reason="Please send <b>the certified consent</b>.")
    text = pdf_text(letters(interruption).get())
    application = interruption.application

    assert application.reference_number in text
    assert f"{interruption.deadline:%-d. %-m. %Y}" in text
    assert f"{interruption.started_on:%-d. %-m. %Y}" in text
    with translation.override("cs"):
        czech_kind = DocumentKind.objects.get(code="accommodation").name
    with translation.override("uk"):
        ukrainian_kind = DocumentKind.objects.get(code="accommodation").name
    assert czech_kind in text
    assert ukrainian_kind in text
    assert "Please send <b>the certified consent</b>." in text
    assert in_language("cs", "What happens if you do not") in text
    assert in_language("uk", "This letter in your language") in text
    assert text.count(f"{interruption.deadline:%-d. %-m. %Y}") == 2
