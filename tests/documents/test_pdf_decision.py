"""Decision PDFs: one per decision however often the task runs; every part the Administrative
Procedure Code §§ 67-69 (outside the seeds) requires, in Czech, with the operative part and the
instructions again in the applicant's language; the remedy the decision allows, given as rules and
never as a computed date; and no way for typed text to make the renderer fetch anything.

The Czech text comes from the catalogue: while a msgid has no Czech translation yet, the Czech
part shows the English msgid, so the assertions look each text up as the template does."""

# ruff: noqa: RUF001 (Ukrainian text)
from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from accounts.constants import Role as AccountRole
from applications import services
from applications.constants import Channel, Outcome, Remedy, Status
from applications.letters import PLACE_OF_ISSUE
from applications.models import Application, AuditEntry, Decision
from applications.tasks import render_decision_pdf
from core.errors import ApplicationError
from core.models import OutboxMessage
from documents import pdf
from documents.constants import Role
from documents.models import Document
from permits import deadlines
from permits.models import PermitType
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

ISSUED_AT = datetime(2026, 12, 4, 10, tzinfo=ZoneInfo("Europe/Prague"))

# The formula that opens the operative part ("... rozhodlo takto:").
FORMULA = (
    "The Ministry of the Interior of the Czech Republic, Department for Asylum and Migration "
    "Policy, as the competent administrative authority, has decided in the proceedings on the "
    "application of the party named above as follows:"
)
INSTRUCTIONS = ("the part of a decision or resolution on remedies (poučení)", "Instructions")
GRANTED_PERMIT = (
    "Under %(basis)s, the residence permit applied for (%(type)s) is granted to the party to "
    "the proceedings."
)
GRANTED_VISA = (
    "Under %(basis)s, the visa applied for (%(type)s) is granted to the party to the proceedings."
)
REJECTED = "Under %(basis)s, the application for %(type)s is rejected."
STOPPED = "Under %(basis)s, the proceedings on the application for %(type)s are stopped."
PERMIT_VALID = "The permit is valid from %(start)s to %(end)s."
VISA_VALID = "The visa is valid from %(start)s to %(end)s."
APPEAL = (
    "You may appeal against this decision within %(days)s days of its delivery (Administrative "
    "Procedure Code § 83). The appeal is lodged with the Ministry of the Interior, the authority "
    "that issued this decision: in the portal, in person or by post. It is decided by the "
    "Commission for Residence Matters of Foreign Nationals."
)
REASSESSMENT = (
    "Within %(days)s days of the delivery of this decision you may ask the Ministry of the "
    "Interior to re-assess the reasons for refusing the visa (Act No. 326/1999 Coll., § 180e). "
    "This request is the only remedy against this decision. It is lodged with the Ministry of "
    "the Interior in the portal, in person or by post, and the Ministry tells you the outcome of "
    "the re-assessment within %(answer_days)s days."
)
NO_REMEDY = (
    "No appeal or other remedy lies against this decision (Act No. 326/1999 Coll., on the "
    "Residence of Foreign Nationals). It takes legal effect on the day it is delivered."
)
PORTAL_DELIVERY = (
    "The decision is delivered on the day you first open it in the portal, or on the %(days)sth "
    "day after it was made available to you if you do not open it earlier."
)
SIGNATORY_MISSING = "lacks your name, surname or function"


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    # A line may break after the hyphen of a word such as "re-assessment".
    return re.sub(r"\s+", " ", re.sub(r"-\n", "-", text))


def in_language(language: str, text: str, **values: object) -> str:
    with translation.override(language):
        translated = translation.gettext(text)
    return translated % values if values else translated


def instructions_heading(language: str) -> str:
    with translation.override(language):
        return translation.pgettext(*INSTRUCTIONS)


def assert_in_both(text: str, czech: str, other: str) -> None:
    """A part of the document in Czech and again in the applicant's language; while the
    catalogues give both as the English msgid, the same text twice."""
    assert czech in text
    assert other in text
    if czech == other:
        assert text.count(czech) >= 2


def day(value: date) -> str:
    return f"{value:%-d. %-m. %Y}"


def type_name(application: Application, language: str) -> str:
    with translation.override(language):
        return str(application.permit_type.name)


def issue(
    caseworker, outcome: Outcome, *, permit_type: str = "employee_card", **fields
) -> Decision:
    """A decision issued on 4 December 2026 through the services, its PDF rendered."""
    case = {"caseworker": caseworker, "permit_type": PermitType.objects.get(code=permit_type)}
    if outcome == Outcome.STOPPED:
        with time_machine.travel(ISSUED_AT - timedelta(days=40), tick=False):
            application = ApplicationFactory(interrupted=True, **case, **fields)
        with time_machine.travel(ISSUED_AT, tick=False):
            decision = services.application_stop(application=application, actor=caseworker)
    else:
        trait = "decided" if outcome == Outcome.GRANTED else "rejected"
        with time_machine.travel(ISSUED_AT, tick=False):
            application = ApplicationFactory(**{trait: True}, **case, **fields)
        decision = application.decisions.get()
    with time_machine.travel(ISSUED_AT, tick=False):
        render_decision_pdf(decision.pk)
    decision.refresh_from_db()
    assert decision.decided_on == ISSUED_AT.date()
    return decision


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


# --- The parts of a decision (§§ 67-69) ------------------------------------------------------


@pytest.mark.parametrize("outcome", [Outcome.GRANTED, Outcome.REJECTED, Outcome.STOPPED])
def test_the_decision_has_every_part_the_code_requires(outcome, caseworker):
    decision = issue(caseworker, outcome)
    application = decision.application
    party = application.party
    text = pdf_text(decision.document)

    # The authority, the reference number, the place and date of issue.
    assert in_language("cs", "Ministry of the Interior of the Czech Republic") in text
    assert in_language("cs", "Department for Asylum and Migration Policy") in text
    assert application.reference_number in text
    assert f"{PLACE_OF_ISSUE}, 4. 12. 2026" in text
    assert in_language("cs", "Decision") in text
    # The party: name, date of birth, nationality, address of residence.
    assert f"{party.given_names} {party.surname}" in text
    assert "17. 5. 1990" in text
    with translation.override("cs"):
        assert str(party.nationality.name) in text
    assert party.address == "Vinohradská 12, Praha 2"
    assert party.address in text
    # "... rozhodlo takto:" and the operative part on its legal basis.
    formula = in_language("cs", FORMULA)
    assert formula in text
    if formula != FORMULA:
        assert "rozhodl" in formula and formula.endswith("takto:")
    operative = {Outcome.GRANTED: GRANTED_PERMIT, Outcome.REJECTED: REJECTED}.get(outcome, STOPPED)
    assert (
        in_language("cs", operative, basis=decision.legal_basis, type=type_name(application, "cs"))
        in text
    )
    # The reasoning: a refusal and a stop always give it; a grant in full need not (§ 68(4)).
    assert (in_language("cs", "Reasoning") in text) == (outcome != Outcome.GRANTED)
    # The instructions (poučení), and the official's name, surname and function.
    assert instructions_heading("cs") in text
    assert f"{caseworker.get_full_name()} {caseworker.job_title}" in text


def test_a_stop_rests_on_the_procedural_ground_not_on_the_types_provision(caseworker):
    decision = issue(caseworker, Outcome.STOPPED)
    text = pdf_text(decision.document)

    assert decision.legal_basis == services.STOP_LEGAL_BASIS
    assert "§ 66 odst. 1 písm. c)" in text
    assert decision.application.permit_type.legal_basis.startswith("§ 42g")
    assert "§ 42g" not in text


def test_a_grant_states_its_validity(caseworker):
    decision = issue(caseworker, Outcome.GRANTED)
    text = pdf_text(decision.document)

    def validity(language: str) -> dict[str, str]:
        # Each part writes the dates as its language does: 4. 12. 2026 in Czech, 04.12.2026 in
        # Ukrainian.
        with translation.override(language):
            return {
                "start": date_format(decision.valid_from, "SHORT_DATE_FORMAT"),
                "end": date_format(decision.valid_to, "SHORT_DATE_FORMAT"),
            }

    assert_in_both(
        text,
        " ".join(in_language("cs", PERMIT_VALID, **validity("cs")).split()),
        " ".join(in_language("uk", PERMIT_VALID, **validity("uk")).split()),
    )


@pytest.mark.parametrize("outcome", [Outcome.GRANTED, Outcome.REJECTED, Outcome.STOPPED])
def test_no_decision_states_a_computed_appeal_date(outcome, caseworker):
    """The period runs from delivery, which the applicant's first opening can bring forward:
    the document gives the rule, and no date but those of the decision itself."""
    decision = issue(caseworker, outcome)
    application = decision.application
    text = pdf_text(decision.document)

    issued = decision.decided_on
    latest_appeal_due = deadlines.appeal_due(deadlines.delivery_date(issued, None))
    assert day(latest_appeal_due) not in text
    assert day(deadlines.appeal_due(issued)) not in text
    stated = set(re.findall(r"\b\d{1,2}\. \d{1,2}\. \d{4}\b", text))
    own = {issued, application.party.date_of_birth, application.filed_on}
    own |= {d for d in (decision.valid_from, decision.valid_to) if d is not None}
    assert stated <= {day(d) for d in own}
    # The rules instead: 15 days from delivery, delivered on the first opening or the 10th day.
    assert_in_both(text, in_language("cs", APPEAL, days=15), in_language("uk", APPEAL, days=15))
    assert_in_both(
        text,
        in_language("cs", PORTAL_DELIVERY, days=10),
        in_language("uk", PORTAL_DELIVERY, days=10),
    )


def test_a_rejection_reads_in_czech_and_in_the_applicants_language(rejected):
    decision = rejected()
    render_decision_pdf(decision.pk)
    decision.refresh_from_db()
    application = decision.application
    assert application.applicant.preferred_language == "uk"

    text = pdf_text(decision.document)

    assert "means of subsistence are insufficient" in text
    assert in_language("uk", "The decision in your language") in text
    # The operative part and the instructions, in Czech and again in Ukrainian.
    assert_in_both(
        text,
        in_language("cs", REJECTED, basis=decision.legal_basis, type=type_name(application, "cs")),
        in_language("uk", REJECTED, basis=decision.legal_basis, type=type_name(application, "uk")),
    )
    assert_in_both(text, instructions_heading("cs"), instructions_heading("uk"))


# --- Visas ---------------------------------------------------------------------------------


def test_a_refused_visa_allows_a_request_for_re_assessment_and_no_appeal(caseworker):
    decision = issue(
        caseworker,
        Outcome.REJECTED,
        permit_type="long_term_visa",
        channel=Channel.EMBASSY,
        applicant__preferred_language="en",
    )
    assert decision.remedy == Remedy.REASSESSMENT
    text = pdf_text(decision.document)

    values = {"days": 15, "answer_days": 60}
    assert_in_both(
        text, in_language("cs", REASSESSMENT, **values), in_language("en", REASSESSMENT, **values)
    )
    assert_in_both(text, instructions_heading("cs"), instructions_heading("en"))
    # Neither language speaks of an appeal.
    assert "appeal" not in text.lower()
    assert "odvol" not in text.lower()
    assert in_language("cs", APPEAL, days=15) not in text


def test_a_granted_visa_is_a_visa_not_a_permit(caseworker):
    decision = issue(
        caseworker,
        Outcome.GRANTED,
        permit_type="long_term_visa",
        channel=Channel.EMBASSY,
        applicant__address="",
    )
    application = decision.application
    text = pdf_text(decision.document)

    assert_in_both(
        text,
        in_language(
            "cs", GRANTED_VISA, basis=decision.legal_basis, type=type_name(application, "cs")
        ),
        in_language(
            "uk", GRANTED_VISA, basis=decision.legal_basis, type=type_name(application, "uk")
        ),
    )
    validity = {"start": day(decision.valid_from), "end": day(decision.valid_to)}
    assert in_language("cs", VISA_VALID, **validity) in text
    assert "Povolení je platné" not in text
    assert in_language("cs", PERMIT_VALID, **validity) not in text
    # A granted visa leaves nothing to lodge: it takes legal effect when delivered.
    assert decision.remedy == Remedy.NONE
    assert in_language("cs", NO_REMEDY) in text
    # Filed at an embassy, with no address in the Czech Republic: the PDF says so.
    assert (
        in_language(
            "cs", "No address in the Czech Republic; the application was filed at an embassy."
        )
        in text
    )
    assert in_language("cs", "In the portal, to the party's account.") in text


# --- The signatory ---------------------------------------------------------------------------


@pytest.mark.parametrize("incomplete", [{"job_title": ""}, {"last_name": " "}])
def test_an_official_without_a_name_or_a_function_cannot_decide(incomplete):
    official = UserFactory(role=AccountRole.CASEWORKER, **incomplete)
    application = ApplicationFactory(filed=True)
    services.application_claim(application=application, actor=official)
    application.refresh_from_db()
    before = (application.status, application.version, OutboxMessage.objects.count())

    with pytest.raises(ApplicationError, match=SIGNATORY_MISSING):
        services.application_decide(
            application=application, actor=official, outcome=Outcome.REJECTED, reasoning="No."
        )

    application.refresh_from_db()
    assert (application.status, application.version, OutboxMessage.objects.count()) == before
    assert application.status == Status.FILED
    assert not Decision.objects.filter(application=application).exists()
    assert not AuditEntry.objects.filter(application=application, action="decide").exists()


def test_an_official_without_a_function_cannot_stop_the_proceedings(caseworker, supervisor):
    with time_machine.travel(ISSUED_AT - timedelta(days=40), tick=False):
        application = ApplicationFactory(interrupted=True, caseworker=caseworker)
    official = UserFactory(role=AccountRole.CASEWORKER, job_title="")
    application = services.application_assign(
        application=application, actor=supervisor, assignee=official
    )
    version = application.version

    with (
        time_machine.travel(ISSUED_AT, tick=False),
        pytest.raises(ApplicationError, match=SIGNATORY_MISSING),
    ):
        services.application_stop(application=application, actor=official)

    application.refresh_from_db()
    assert (application.status, application.version) == (Status.INTERRUPTED, version)
    assert application.open_interruption is not None
    assert not Decision.objects.filter(application=application).exists()


# --- Typed text ------------------------------------------------------------------------------


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


def test_a_refused_visa_reads_as_a_re_assessment_in_czech_and_in_ukrainian(caseworker):
    # The catalogues' words themselves: the Czech of record and the applicant's Ukrainian.
    decision = issue(
        caseworker,
        Outcome.REJECTED,
        permit_type="long_term_visa",
        channel=Channel.EMBASSY,
        applicant__preferred_language="uk",
    )
    text = pdf_text(decision.document)

    assert "Poučení" in text
    assert "nové posouzení důvodů neudělení víza" in text
    assert "повторний розгляд причин відмови у наданні візи" in text
    assert "odvol" not in text.lower()
    assert "апеляц" not in text.lower()


def test_an_act_named_without_a_section_is_cited_in_the_czech_genitive(caseworker):
    decision = issue(
        caseworker,
        Outcome.REJECTED,
        permit_type="extraordinary_work_visa",
        applicant__preferred_language="en",
    )
    assert decision.legal_basis.startswith("zákon č. 326/1999 Sb.")
    text = pdf_text(decision.document)

    assert "se zamítá podle zákona č. 326/1999 Sb., o pobytu cizinců" in text
    assert "podle zákon č." not in text
    # The English part quotes the Act as the catalogue names it.
    assert "Under zákon č. 326/1999 Sb., o pobytu cizinců" in text
