"""The resolution interrupting the proceedings (usnesení, Administrative Procedure Code § 64,
outside the seeds) with its invitation to supply documents: queued after commit, one per
interruption however often its task runs; it says on what ground the proceedings are interrupted,
what is missing, by when, what happens otherwise and what the applicant may do, and it is signed."""

from __future__ import annotations

import pytest
from django.utils import translation

from accounts.constants import Role as AccountRole
from applications import services
from applications.constants import Status
from applications.letters import INTERRUPTION_LEGAL_BASIS, PLACE_OF_ISSUE, interruption_letter_store
from applications.models import Interruption
from applications.tasks import render_interruption_letter
from core.errors import ApplicationError
from core.models import OutboxMessage
from documents.constants import Role
from documents.models import Document
from permits.models import DocumentKind
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.documents.test_pdf_decision import (
    FORMULA,
    SIGNATORY_MISSING,
    assert_in_both,
    in_language,
    instructions_heading,
    pdf_text,
)

CONSEQUENCE = (
    "While the proceedings are interrupted the period for the decision does not run. If the "
    "documents are not supplied by the deadline, the proceedings are stopped under %(basis)s."
)
MORE_TIME = (
    "Before the deadline passes you may ask for more time, in the portal or in writing, giving "
    "your reasons; the office sets a new deadline or refuses (Administrative Procedure Code "
    "§ 39(2))."
)

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
    # The deadline in each part as its language writes it: 4. 1. 2027 and 04.01.2027.
    assert f"{interruption.deadline:%-d. %-m. %Y}" in text
    assert f"{interruption.deadline:%d.%m.%Y}" in text


def test_the_letter_is_a_resolution_interrupting_the_proceedings(interrupt, caseworker):
    interruption = interrupt()
    application = interruption.application
    party = application.party
    text = pdf_text(letters(interruption).get())

    # A resolution (usnesení) of the authority, dated where and when it was issued ...
    assert in_language("cs", "Resolution") in text
    assert in_language("cs", "Ministry of the Interior of the Czech Republic") in text
    assert f"{PLACE_OF_ISSUE}, {interruption.started_on:%-d. %-m. %Y}" in text
    # ... to the party as filed, with the address ...
    assert f"{party.given_names} {party.surname}" in text
    assert party.address in text
    # ... "rozhodlo takto:" the proceedings are interrupted, on § 64(1)(a) with § 45(2).
    assert in_language("cs", FORMULA) in text
    assert "§ 64 odst. 1 písm. a)" in INTERRUPTION_LEGAL_BASIS
    assert "§ 45 odst. 2" in INTERRUPTION_LEGAL_BASIS
    assert text.count(INTERRUPTION_LEGAL_BASIS) == 2  # in Czech and in Ukrainian
    # The consequence: a stop under § 66(1)(c); the right to ask for more time first.
    assert_in_both(
        text,
        in_language("cs", CONSEQUENCE, basis=services.STOP_LEGAL_BASIS),
        in_language("uk", CONSEQUENCE, basis=services.STOP_LEGAL_BASIS),
    )
    assert_in_both(text, in_language("cs", MORE_TIME), in_language("uk", MORE_TIME))
    assert_in_both(text, instructions_heading("cs"), instructions_heading("uk"))
    assert in_language("cs", "Reasoning") in text
    # Signed with the official's name, surname and function.
    assert (interruption.signed_name, interruption.signed_function) == (
        caseworker.get_full_name(),
        caseworker.job_title,
    )
    assert f"{caseworker.get_full_name()} {caseworker.job_title}" in text


def test_an_official_without_a_function_cannot_interrupt(caseworker, supervisor):
    application = ApplicationFactory(filed=True)
    official = UserFactory(role=AccountRole.CASEWORKER, job_title="")
    application = services.application_assign(
        application=application, actor=supervisor, assignee=official
    )
    version, messages = application.version, OutboxMessage.objects.count()

    with pytest.raises(ApplicationError, match=SIGNATORY_MISSING):
        services.application_interrupt_with_letter(
            application=application,
            actor=official,
            reason="The owner's signature is not certified.",
            document_kinds=DocumentKind.objects.filter(code="accommodation"),
        )

    application.refresh_from_db()
    assert (application.status, application.version) == (Status.FILED, version)
    assert not Interruption.objects.filter(application=application).exists()
    assert OutboxMessage.objects.count() == messages
