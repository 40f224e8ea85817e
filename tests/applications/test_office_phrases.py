"""The office's words from its phrase catalogue (issue 17): a caseworker composes an
interruption's reason, a rejection's or a stop's reasoning from catalogue phrases and free text;
the case keeps the complete Czech text of record and which versions it cited; the applicant
reads the phrases in their language and the free text marked as the office's Czech."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from applications import services
from applications.constants import Outcome, Status
from applications.letters import interruption_letter_render
from applications.models import AuditEntry, Interruption
from core.clock import PRAGUE
from core.errors import ApplicationError
from permits.models import PHRASE_LANGUAGES, DocumentKind, Phrase, PhrasePurpose, PhraseVersion
from permits.phrases import current_versions
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

# A Wednesday morning in Prague: no weekend, holiday or midnight near.
NOON = datetime(2026, 3, 4, 11, tzinfo=PRAGUE)
FREE_TEXT = "Podpis na dokladu musí být úředně ověřen."
TRANSLATION = "Підпис на документі має бути офіційно засвідчений."


@pytest.fixture(autouse=True)
def _at_noon():
    with time_machine.travel(NOON, tick=False):
        yield


def phrase(code: str) -> PhraseVersion:
    purpose = Phrase.objects.values_list("purpose", flat=True).get(code=code)
    return current_versions(purpose).get(phrase__code=code)


@pytest.fixture
def assigned(caseworker):
    application = ApplicationFactory(filed=True)
    services.application_claim(application=application, actor=caseworker)
    application.refresh_from_db()
    return application


def interrupt(application, caseworker, **kwargs) -> Interruption:
    return services.application_interrupt(
        application=application,
        actor=caseworker,
        document_kinds=DocumentKind.objects.filter(code="accommodation"),
        **kwargs,
    )


# --- The services ------------------------------------------------------------------------------


def test_an_interruption_records_its_phrases_in_order_and_the_czech_text_of_record(
    assigned, caseworker
):
    first, second = phrase("missing-accommodation"), phrase("document-illegible")
    interruption = interrupt(
        assigned,
        caseworker,
        phrases=[first, second],
        reason=f"  {FREE_TEXT} ",
        reason_translation=TRANSLATION,
        reason_translation_language="uk",
    )

    interruption.refresh_from_db()
    assert interruption.reason == f"{first.text_cs}\n\n{second.text_cs}\n\n{FREE_TEXT}"
    assert interruption.reason_free_text == FREE_TEXT
    assert interruption.reason_translation == TRANSLATION
    assert interruption.reason_translation_language == "uk"
    uses = list(interruption.phrase_uses.order_by("position"))
    assert [(u.position, u.phrase_version) for u in uses] == [(1, first), (2, second)]
    entry = AuditEntry.objects.filter(application=assigned, action="interrupt").get()
    assert entry.data["phrases"] == [
        f"missing-accommodation v{first.number}",
        f"document-illegible v{second.number}",
    ]


def test_a_caller_giving_only_the_reason_keeps_working(assigned, caseworker):
    interruption = interrupt(assigned, caseworker, reason="Chybí doklad.")
    assert interruption.reason == "Chybí doklad."
    assert not interruption.phrase_uses.exists()
    text = interruption.office_text("vi")
    assert text.phrases == []
    assert text.free_text == "Chybí doklad."


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"phrases": "rejection-financial-means"}, "is not a reason for an interruption"),
        ({"reason": FREE_TEXT, "reason_translation": TRANSLATION}, "which language"),
        (
            {
                "phrases": "missing-accommodation",
                "reason_translation": TRANSLATION,
                "reason_translation_language": "uk",
            },
            "needs the Czech text",
        ),
        ({}, "Give the reason"),
    ],
)
def test_a_reason_that_cannot_be_given_is_refused_and_changes_nothing(
    assigned, caseworker, arguments, message
):
    if "phrases" in arguments:
        arguments = {**arguments, "phrases": [phrase(arguments["phrases"])]}
    with pytest.raises(ApplicationError, match=message):
        interrupt(assigned, caseworker, **arguments)
    assigned.refresh_from_db()
    assert assigned.status == Status.FILED
    assert not Interruption.objects.filter(application=assigned).exists()


def test_an_inactive_phrase_is_refused(assigned, caseworker):
    version = phrase("missing-accommodation")
    Phrase.objects.filter(pk=version.phrase_id).update(active=False)
    version.phrase.refresh_from_db()
    with pytest.raises(ApplicationError, match="no longer in use"):
        interrupt(assigned, caseworker, phrases=[version])


def test_a_rejection_is_reasoned_from_the_catalogue(assigned, caseworker):
    reasons = phrase("rejection-financial-means")
    with pytest.raises(ApplicationError, match="is not a reasoning of a rejection"):
        services.application_decide(
            application=assigned,
            actor=caseworker,
            outcome=Outcome.REJECTED,
            phrases=[phrase("missing-accommodation")],
        )
    decision = services.application_decide(
        application=assigned, actor=caseworker, outcome=Outcome.REJECTED, phrases=[reasons]
    )
    assert decision.reasoning == reasons.text_cs
    assert decision.reasoning_free_text == ""
    assert [u.phrase_version for u in decision.phrase_uses.all()] == [reasons]
    assert decision.office_text("ru").phrases == [reasons.text_ru]


def test_a_stop_is_reasoned_from_the_catalogue(caseworker):
    with time_machine.travel(NOON, tick=False) as traveller:
        application = ApplicationFactory(interrupted=True, caseworker=caseworker)
        traveller.move_to(datetime(2026, 5, 6, 11, tzinfo=PRAGUE))
        stop = phrase("stop-documents-not-supplied")
        decision = services.application_stop(
            application=application, actor=caseworker, phrases=[stop]
        )
    assert decision.outcome == Outcome.STOPPED
    assert decision.reasoning == stop.text_cs
    assert "§ 66" in decision.office_text("en").phrases[0]


# --- The caseworker's forms --------------------------------------------------------------------


def test_the_interrupt_form_offers_the_requested_documents_phrases_first_and_ticked(assigned):
    from applications.caseworker_forms import InterruptForm

    kinds = list(DocumentKind.objects.filter(code__in=["accommodation", "photograph"]))
    form = InterruptForm(
        initial={"expected_version": 1, "document_kinds": kinds},
        permit_type=assigned.permit_type,
    )
    ticked = PhraseVersion.objects.filter(pk__in=form.initial["phrases"])
    assert {v.phrase.code for v in ticked} == {"missing-accommodation", "missing-photograph"}
    offered = list(form.fields["phrases"].queryset)
    assert {v.phrase.purpose for v in offered} == {PhrasePurpose.INTERRUPTION}
    ranks = [
        0 if v.phrase.document_kind in kinds else 1 if v.phrase.document_kind is None else 2
        for v in offered
    ]
    assert ranks == sorted(ranks)
    assert ranks[:2] == [0, 0]


def test_the_case_page_offers_the_catalogue_in_the_interrupt_form(assigned, caseworker, client_for):
    page = client_for(caseworker).get(reverse("caseworker:case", args=[assigned.pk]))
    html = page.content.decode()
    assert 'name="interrupt-phrases"' in html
    assert phrase("missing-accommodation").text_cs in html
    assert 'name="interrupt-reason_translation_language"' in html


def test_a_caseworker_interrupts_with_catalogue_phrases_free_text_and_a_translation(
    assigned, caseworker, client_for, django_capture_on_commit_callbacks
):
    version = phrase("missing-accommodation")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(caseworker).post(
            reverse("caseworker:interrupt", args=[assigned.pk]),
            {
                "interrupt-expected_version": assigned.version,
                "interrupt-document_kinds": [DocumentKind.objects.get(code="accommodation").pk],
                "interrupt-phrases": [version.pk],
                "interrupt-reason": FREE_TEXT,
                "interrupt-reason_translation": TRANSLATION,
                "interrupt-reason_translation_language": "uk",
                "interrupt-deadline_days": 30,
            },
        )
    assert response.status_code == 302
    interruption = Interruption.objects.get(application=assigned)
    assert interruption.reason == f"{version.text_cs}\n\n{FREE_TEXT}"
    assert interruption.reason_translation_language == "uk"


def test_the_interrupt_form_needs_a_reason_and_a_translations_language(
    assigned, caseworker, client_for
):
    url = reverse("caseworker:interrupt", args=[assigned.pk])
    data = {
        "interrupt-expected_version": assigned.version,
        "interrupt-document_kinds": [DocumentKind.objects.get(code="accommodation").pk],
        "interrupt-deadline_days": 30,
    }
    response = client_for(caseworker).post(url, data)
    assert response.status_code == 200
    assert "reason" in response.context["forms"]["interrupt"].errors
    response = client_for(caseworker).post(
        url, {**data, "interrupt-reason": FREE_TEXT, "interrupt-reason_translation": TRANSLATION}
    )
    assert "reason_translation_language" in response.context["forms"]["interrupt"].errors
    assert not Interruption.objects.filter(application=assigned).exists()


def test_the_decide_form_requires_reasons_from_the_catalogue_or_written(
    assigned, caseworker, client_for
):
    from applications.caseworker_forms import DecideForm

    base = {"expected_version": 1, "outcome": Outcome.REJECTED, "confirm": "on"}
    assert "reasoning" in DecideForm(base).errors
    reasons = phrase("rejection-financial-means")
    assert DecideForm({**base, "phrases": [reasons.pk]}).is_valid()


def test_the_stop_form_proposes_the_standard_paragraph():
    from applications.caseworker_forms import StopForm

    form = StopForm(initial={"expected_version": 1})
    assert form.initial["phrases"] == [phrase("stop-documents-not-supplied").pk]


# --- What the applicant reads ------------------------------------------------------------------


@pytest.fixture
def interrupted_with_words(assigned, caseworker):
    version = phrase("missing-accommodation")
    interruption = interrupt(
        assigned,
        caseworker,
        phrases=[version],
        reason=FREE_TEXT,
        reason_translation=TRANSLATION,
        reason_translation_language="uk",
    )
    return interruption, version


@pytest.mark.parametrize("language", PHRASE_LANGUAGES)
def test_the_applicant_reads_the_phrases_in_their_language(
    interrupted_with_words, client_for, language
):
    interruption, version = interrupted_with_words
    application = interruption.application
    page = client_for(application.applicant.account, language=language).get(
        reverse("applications:detail", args=[application.pk])
    )
    html = page.content.decode()
    assert 'id="interruption-reason"' in html
    assert version.text_in(language) in html
    assert FREE_TEXT in html
    if language == "cs":
        assert 'lang="cs"' not in html.split('id="interruption-reason"')[1].split("</div>")[0]
    else:
        reason = html.split('id="interruption-reason"')[1].split("</div>")[0]
        assert f'<span lang="cs">{FREE_TEXT}</span>' in reason
        assert f'<span lang="uk">{TRANSLATION}</span>' in reason
        if language == "en":
            assert "The office's text in Czech:" in reason
            assert "The caseworker's translation (Українська):" in reason
        other = [c for c in PHRASE_LANGUAGES if c not in (language, "cs")]
        assert not any(version.text_in(code) in reason for code in other)
    # The case's history tells the reason the same way, never the Czech phrase to a foreigner.
    history = html.split('id="timeline"')[1].split("</ol>")[0]
    assert version.text_in(language) in history
    if language != "cs":
        assert version.text_in("cs") not in history
        assert f'<span lang="cs">{FREE_TEXT}</span>' in history


def test_the_letter_gives_the_phrases_in_the_applicants_language(interrupted_with_words):
    import io
    import re

    from pypdf import PdfReader

    interruption, version = interrupted_with_words
    content = interruption_letter_render(interruption)
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages)
    text = re.sub(r"\s+", " ", text)
    czech, _, translated = text.partition(" ".join(version.text_uk.split()[:3]))
    assert " ".join(version.text_cs.split()[:4]) in czech
    assert translated  # the Ukrainian phrase is in the second part
    assert FREE_TEXT.split()[0] in translated
    assert TRANSLATION.split()[0] in translated


def test_the_decision_page_gives_the_reasoning_in_the_applicants_language(
    assigned, caseworker, client_for, django_capture_on_commit_callbacks
):
    reasons = phrase("rejection-financial-means")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            application=assigned,
            actor=caseworker,
            outcome=Outcome.REJECTED,
            phrases=[reasons],
            reasoning="Výpis z účtu nebyl předložen.",
        )
    page = client_for(assigned.applicant.account, language="vi").get(
        reverse("applications:decision", args=[assigned.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert reasons.text_vi in html
    assert '<span lang="cs">Výpis z účtu nebyl předložen.</span>' in html


def test_the_interruption_email_gives_the_phrases_in_the_readers_language(
    interrupted_with_words, django_capture_on_commit_callbacks
):
    from applications.notices import notify_application_event
    from notifications.constants import Channel
    from notifications.rendering import email_message

    interruption, version = interrupted_with_words
    with django_capture_on_commit_callbacks(execute=False):
        made = notify_application_event(
            application_id=interruption.application_id, event="interrupted"
        )
    email = next(n for n in made if n.channel == Channel.EMAIL)
    for language in ("ru", "en"):
        message = email_message(email, language=language)
        assert message is not None
        assert version.text_in(language) in message["text"]
        assert version.text_in(language) in message["html"]
        assert f"{FREE_TEXT}" in message["text"]
        assert f'<span lang="cs">{FREE_TEXT}</span>' in message["html"]
    assert "The office's text in Czech: " + FREE_TEXT in message["text"]


def test_the_decisions_translated_part_gives_the_reasoning_in_the_applicants_language(
    assigned, caseworker, django_capture_on_commit_callbacks
):
    from tests.documents.test_pdf_decision import pdf_text

    reasons = phrase("rejection-financial-means")
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.application_decide(
            application=assigned,
            actor=caseworker,
            outcome=Outcome.REJECTED,
            phrases=[reasons],
            reasoning="Výpis z účtu nebyl předložen.",
        )
    decision.refresh_from_db()
    assert decision.language == "uk"
    text = pdf_text(decision.document)
    czech, found, translated = text.partition("Заявник не підтвердив")
    assert found, text
    assert "Žadatel nedoložil dostatečné prostředky" in czech
    assert "Výpis z účtu nebyl předložen." in translated


@pytest.mark.parametrize("permit_type", ["employee_card", "long_term_visa"])
def test_a_grant_says_what_happens_next_in_both_languages(caseworker, permit_type):
    """The next steps after a grant of a card come from the catalogue, in Czech and in the
    applicant's language; a visa (a sticker in the passport, no card) has none."""
    from applications.tasks import render_decision_pdf
    from permits.models import PermitType
    from tests.documents.test_pdf_decision import pdf_text

    application = ApplicationFactory(
        decided=True,
        caseworker=caseworker,
        permit_type=PermitType.objects.get(code=permit_type),
        applicant__preferred_language="uk",
    )
    decision = application.decisions.get()
    render_decision_pdf(decision.pk)
    decision.refresh_from_db()
    text = pdf_text(decision.document)

    steps = list(current_versions(PhrasePurpose.GRANT_NEXT_STEPS))
    assert len(steps) == 2
    for version in steps:
        for language in ("cs", "uk"):
            shown = " ".join(version.text_in(language).split())
            assert (shown in text) == (permit_type == "employee_card"), (language, shown)
