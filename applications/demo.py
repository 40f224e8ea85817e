"""Demo and benchmark data: whole cases in any state, dated relative to today.

``build_demo_case`` tells one case's story through the services, each step with the clock set to
the day it happened (``core.clock.fixed_at``): filed, maybe interrupted and resumed, decided,
delivered, appealed, closed or withdrawn, with its documents. What the demo shows is what the
product makes. ``seed_demo`` builds ~40 such cases; their decisions' PDFs and the letters are
rendered by the outbox when it commits, as the services ask.

``bulk_create_cases`` writes the rows of many cases at once, for benchmarks (``seed_demo
--applications N``) and the queue tests: through the services a hundred thousand cases would take
hours. Its rows are the services' rows without files, PDFs or notices.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, cast

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import Model
from django.utils import timezone
from psycopg import sql

from applications import cards, checks, guards, services
from applications.case_documents import document_upload, document_verify
from applications.constants import AppealResult, Channel, InterruptionEnd, Outcome, Status
from applications.models import (
    Appeal,
    Applicant,
    Application,
    AuditEntry,
    Decision,
    Interruption,
    Party,
)
from core import clock
from documents.constants import Verification
from documents.models import case_reference
from documents.sample_pdf import minimal_pdf
from permits import deadlines
from permits.models import DocumentKind, Permit, PermitType, PhrasePurpose, PhraseVersion
from permits.phrases import current_versions

if TYPE_CHECKING:
    from accounts.models import User

GIVEN_NAMES = [
    "Olena",
    "Taras",
    "Nguyen Van",
    "Tran Thi",
    "Aleksandr",
    "Irina",
    "Priya",
    "Arjun",
    "Maria",
    "Jose",
    "Aigerim",
    "Bakhyt",
    "Oksana",
    "Dmytro",
    "Le Thi",
    "Pham Minh",
    "Svetlana",
    "Mikhail",
    "Grace",
    "Samuel",
    "Ana",
    "Luis",
    "Mei",
    "Hiroshi",
]
SURNAMES = [
    "Kovalenko",
    "Shevchenko",
    "Nguyen",
    "Tran",
    "Ivanov",
    "Petrova",
    "Sharma",
    "Patel",
    "Santos",
    "Reyes",
    "Nurlanova",
    "Abenov",
    "Bondarenko",
    "Melnyk",
    "Le",
    "Pham",
    "Smirnova",
    "Volkov",
    "Okafor",
    "Mensah",
    "Garcia",
    "Lopez",
    "Wang",
    "Tanaka",
]
NATIONALITIES = ["UA", "VN", "RU", "IN", "PH", "KZ", "MN", "US", "BR", "NG", "CN", "JP"]
LANGUAGE_OF = {"UA": "uk", "VN": "vi", "RU": "ru", "KZ": "ru"}
STREETS = ["Vinohradská", "Na Poříčí", "Milady Horákové", "Bělehradská", "Jugoslávská", "Karlova"]

# What the office writes and the person answers in the demo's stories.
PAST_INTERRUPTION_REASON = "Doložte prosím doklad o zajištění ubytování s úředně ověřeným podpisem."
OPEN_INTERRUPTION_REASON = (
    "Chybí doklad o zajištění ubytování. Předložte jej prosím ve stanovené lhůtě, jinak bude "
    "řízení zastaveno."
)
REJECTION_REASONING = (
    "Žadatel nedoložil dostatečné prostředky k pobytu na území; podmínky pro vydání povolení "
    "nejsou splněny."
)
# Through the services the stories cite the office's catalogue (``permits.phrases``): the
# applicant reads its phrases in their language, and the office's own words in Czech. (The bulk
# rows keep the whole texts above, as free text.)
INTERRUPTION_PHRASE = "missing-accommodation"
PAST_INTERRUPTION_WORDS = "Podpis na dokladu o zajištění ubytování musí být úředně ověřen."
OPEN_INTERRUPTION_WORDS = "Jinak bude řízení zastaveno."
REJECTION_PHRASE = "rejection-financial-means"
APPEAL_GROUNDS = "Nesouhlasím s posouzením finančních prostředků; přikládám výpis z účtu."
REQUESTED_KIND = "accommodation"
# A decision on paper reaches the person this many days after it is issued.
POST_DAYS = 3


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=clock.PRAGUE)


@dataclass
class CasePlan:
    """What happened to one case, in order, relative to today."""

    status: Status
    filed_days_ago: int = 0
    past_interruption: tuple[int, int] | None = None  # (start after filing, length)
    open_interruption_days_ago: int | None = None
    decided_days_ago: int | None = None
    outcome: Outcome | None = None
    opened: bool = False
    appealed: bool = False
    appeal_result: AppealResult | None = None
    assigned: bool = True
    channel: Channel = Channel.ONLINE


def _document_number(rng: random.Random, nationality: str) -> str:
    """A passport number of the nationality's usual format (``validation``), so that the demo's
    people do not all carry a flag for an unusual number; one draw from ``rng`` each."""
    if nationality == "UA":
        return f"FE{rng.randint(100000, 999999)}"
    if nationality == "VN":
        return f"C{rng.randint(1000000, 9999999)}"
    if nationality == "RU":
        return str(rng.randint(100000000, 999999999))
    return f"{nationality}{rng.randint(1000000, 9999999)}"


def random_applicant(rng: random.Random, *, account=None, created_by=None) -> Applicant:
    nationality = rng.choice(NATIONALITIES)
    return Applicant(
        account=account,
        given_names=rng.choice(GIVEN_NAMES),
        surname=rng.choice(SURNAMES),
        date_of_birth=date(rng.randint(1965, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        nationality=nationality,
        travel_document_number=_document_number(rng, nationality),
        address=f"{rng.choice(STREETS)} {rng.randint(1, 180)}, Praha {rng.randint(1, 10)}",
        email="",
        phone=f"+420 7{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        preferred_language=LANGUAGE_OF.get(nationality, "en"),
        created_by=created_by,
    )


def random_plan(rng: random.Random) -> CasePlan:
    """A plausible mix of states for benchmark data: most cases in proceedings."""
    roll = rng.random()
    age = rng.randint(1, 120)
    channel = Channel.EMBASSY if rng.random() < 0.1 else Channel.ONLINE
    past = (rng.randint(0, 5), rng.randint(3, 20)) if rng.random() < 0.2 else None
    if roll < 0.05:
        return CasePlan(Status.DRAFT)
    if roll < 0.55:
        return CasePlan(
            Status.FILED,
            filed_days_ago=age,
            past_interruption=past if past and past[0] + past[1] < age else None,
            assigned=rng.random() < 0.6,
            channel=channel,
        )
    if roll < 0.67:
        return CasePlan(
            Status.INTERRUPTED,
            filed_days_ago=age + 40,
            open_interruption_days_ago=rng.randint(0, 39),
            channel=channel,
        )
    if roll < 0.77:
        return CasePlan(
            Status.DECIDED,
            filed_days_ago=age + 30,
            decided_days_ago=rng.randint(0, 20),
            outcome=rng.choice([Outcome.GRANTED, Outcome.GRANTED, Outcome.REJECTED]),
            opened=rng.random() < 0.5,
        )
    if roll < 0.79:
        return CasePlan(
            Status.APPEALED,
            filed_days_ago=age + 60,
            decided_days_ago=20,
            outcome=Outcome.REJECTED,
            opened=True,
            appealed=True,
        )
    if roll < 0.97:
        return CasePlan(
            Status.CLOSED,
            filed_days_ago=age + 100,
            decided_days_ago=rng.randint(40, 90),
            outcome=Outcome.GRANTED,
            opened=rng.random() < 0.7,
        )
    return CasePlan(Status.WITHDRAWN, filed_days_ago=age)


def scan(name: str, text: str) -> SimpleUploadedFile:
    """A stand-in scan to upload: a one-page PDF."""
    return SimpleUploadedFile(name, minimal_pdf(text), "application/pdf")


# --- A case told through the services ---------------------------------------------------------


def demo_answers(permit_type: PermitType, *, filed_on: date) -> dict[str, Any]:
    """Answers to the type's questions that the rules accept on ``filed_on``."""
    if permit_type.code == "ltr_family":
        return {"relationship": "spouse"}
    if permit_type.code == "purpose_change":
        return {"current_purpose": "study", "years_resident": "3"}
    if permit_type.code == "permanent_residence":
        lived = {
            "kind": "long_term_residence",
            "start": (filed_on - relativedelta(years=6)).isoformat(),
            "end": (filed_on + relativedelta(years=1)).isoformat(),
        }
        return {"residence_periods": [lived], "czech_a2": True}
    if permit_type.code == "employee_card":
        return {"monthly_salary_czk": "48000", "weekly_hours": "40"}
    return {}


@dataclass(frozen=True)
class Cast:
    """Who acts in a case's story: the person's side (their account, or the support-centre
    worker who files for them) and the caseworker who has the case."""

    applicant_side: User
    caseworker: User


class _Story:
    """One case's story: each step runs with the clock at its day and hour (never before the
    step before it, never after the real present), on the case as the last step left it."""

    def __init__(self, *, today: date, cast: Cast) -> None:
        self.today = today
        self.cast = cast
        self.application: Application | None = None
        self.last = at(today - timedelta(days=10_000))

    @property
    def case(self) -> Application:
        if self.application is None:
            raise RuntimeError("The story has no case before its draft is made.")
        return self.application

    @contextmanager
    def on(self, day: date, hour: int) -> Iterator[None]:
        self.last = max(self.last, min(at(day, hour), timezone.now()))
        if self.application is not None:
            # The services lock the row and compare its state with the one the caller saw.
            self.application.refresh_from_db()
        with clock.fixed_at(self.last):
            yield


def _upload(story: _Story, kinds: Iterable[DocumentKind]) -> None:
    name = story.case.applicant.full_name
    for kind in kinds:
        upload = scan(f"{kind.code}.pdf", f"{kind.code} - {name}")
        document_upload(
            application=story.case, kind=kind, upload=upload, actor=story.cast.applicant_side
        )


def _verify_all(story: _Story) -> None:
    """The caseworker accepts every current document still waiting to be checked."""
    pending = story.case.documents.current_evidence().filter(verification=Verification.PENDING)
    for document in pending:
        document_verify(document=document, actor=story.cast.caseworker, accepted=True)


def _draft(story: _Story, plan: CasePlan, *, permit_type: PermitType, **start: Any) -> None:
    """The draft as the person leaves it: answers given, documents uploaded (two of them only
    while it stays a draft)."""
    actor = story.cast.applicant_side
    filed_on = story.today - timedelta(days=plan.filed_days_ago)
    with story.on(filed_on - timedelta(days=1), 18):
        story.application = services.application_create(
            permit_type=permit_type, actor=actor, **start
        )
        answers = demo_answers(permit_type, filed_on=filed_on)
        if answers:
            services.application_save_answers(application=story.case, actor=actor, answers=answers)
        kinds = checks.required_document_kinds(story.case)
        _upload(story, kinds[:2] if plan.status == Status.DRAFT else kinds)


def _phrases(purpose: PhrasePurpose, code: str) -> list[PhraseVersion]:
    """The catalogue's current wording of the phrase ``code`` (none if the catalogue lacks it)."""
    return list(current_versions(purpose).filter(phrase__code=code))


def _interrupt(story: _Story, day: date, words: str, whole: str) -> None:
    """Interrupt for the proof of accommodation, with the letter that asks for it (D5): the
    catalogue's phrase and the office's own ``words``; the ``whole`` reason in Czech if the
    catalogue lacks the phrase."""
    phrases = _phrases(PhrasePurpose.INTERRUPTION, INTERRUPTION_PHRASE)
    with story.on(day, 11):
        services.application_interrupt_with_letter(
            application=story.case,
            actor=story.cast.caseworker,
            phrases=phrases,
            reason=words if phrases else whole,
            document_kinds=DocumentKind.objects.filter(code=REQUESTED_KIND),
        )


def _supply(story: _Story, day: date) -> None:
    """The person uploads what was asked for; the proceedings resume (SPEC §2)."""
    with story.on(day, 12):
        _upload(story, DocumentKind.objects.filter(code=REQUESTED_KIND))
        services.application_supply_requested_documents(
            application=story.case, actor=story.cast.applicant_side
        )


def _decide(story: _Story, day: date, outcome: Outcome) -> None:
    """Check the file and decide; the decision is made available that day (D3)."""
    with story.on(day, 13):
        _verify_all(story)
    granted = outcome == Outcome.GRANTED
    months = min(story.case.permit_type.max_validity_months or 12, 12)
    valid_from = day + timedelta(days=14)
    # A permanent residence permit has no end date (permits.validity).
    ends = granted and not guards.decision_validity(story.case, decided_on=day).indefinite
    phrases = [] if granted else _phrases(PhrasePurpose.REJECTION, REJECTION_PHRASE)
    with story.on(day, 14):
        decision = services.application_decide(
            application=story.case,
            actor=story.cast.caseworker,
            outcome=outcome,
            phrases=phrases,
            reasoning="" if granted or phrases else REJECTION_REASONING,
            valid_from=valid_from if granted else None,
            valid_to=valid_from + relativedelta(months=months, days=-1) if ends else None,
        )
        # Its PDF, and the interruptions' letters, are rendered by the outbox once the seed
        # commits (the decision's text is dated by the decision): rendering is most of the cost.
        services.decision_make_available(decision=decision, on=day)


def _deliver(story: _Story, *, opened: bool) -> None:
    """In the portal: opened the next day, or delivered by the 10-day rule once that day has
    come (D3). On paper: its receipt is recorded when the post has arrived."""
    decision = story.case.current_decision
    if decision is None:
        return
    if not story.case.delivers_in_portal:
        received_on = decision.decided_on + timedelta(days=POST_DAYS)
        if received_on <= story.today:
            with story.on(received_on, 15):
                services.decision_record_receipt(
                    decision=decision,
                    actor=story.cast.caseworker,
                    received_on=received_on,
                    proof=scan("dorucenka.pdf", f"Delivery receipt {story.case}"),
                )
    elif opened:
        with story.on(min(decision.decided_on + timedelta(days=1), story.today), 9):
            services.decision_open(decision=decision, actor=story.cast.applicant_side)
    else:
        fiction = deadlines.delivery_date(decision.decided_on, None)
        if fiction <= story.today:
            # The night's system step (``decisions_deliver_unopened``) on that day.
            with story.on(fiction, 2):
                services.decisions_deliver_unopened(today=fiction)


def _remedies(story: _Story, plan: CasePlan) -> None:
    """The appeal and its result, or the decision taking effect once its period has run."""
    story.case.refresh_from_db()
    decision = story.case.current_decision
    if decision is None or decision.delivered_on is None:
        return
    if plan.appealed:
        lodged_on = min(decision.delivered_on + timedelta(days=5), story.today)
        with story.on(lodged_on, 16):
            services.application_appeal(
                application=story.case, actor=story.cast.applicant_side, grounds=APPEAL_GROUNDS
            )
        if plan.appeal_result:
            with story.on(min(lodged_on + timedelta(days=30), story.today), 12):
                services.application_resolve_appeal(
                    application=story.case, actor=story.cast.caseworker, result=plan.appeal_result
                )
    elif plan.status == Status.CLOSED and decision.appeal_due and decision.appeal_due < story.today:
        # The night's system step after the appeal period ran out.
        with story.on(decision.appeal_due + timedelta(days=1), 2):
            services.application_finalize(application=story.case, actor=None)


def _card_steps(story: _Story) -> None:
    """The holder's steps after a grant [002][003], each on its day as far as today reaches:
    abroad, the day of entry (biometric data are due within 30 days of it); the appointment,
    booked a few days after the decision; the biometric data taken that day; the card ready
    some weeks later (the holder is told); the card collected within the 60 days, or, for
    every third case by its number, not collected yet. Each holder's pace comes from their
    case's reference number, so the demo is the same on every run and shows cards at every
    step."""
    permit = Permit.objects.filter(application=story.case).first()
    decision = story.case.current_decision
    if permit is None or decision is None:
        return
    pace = random.Random(story.case.reference_number)  # noqa: S311 (demo data, not secrets)
    caseworker = story.cast.caseworker

    def step(day: date, record: Any, **kwargs: Any) -> bool:
        if day > story.today:
            return False
        with story.on(day, 11):
            permit.refresh_from_db()
            record(permit=permit, actor=caseworker, **kwargs)
        return True

    # The story's clock only moves forward: when a later step of the proceedings (the appeal
    # period running out, say) was already told, the holder's steps start from that day, so
    # that no appointment is booked for a day that has passed.
    told_until = timezone.localdate(story.last)
    booked_on = max(decision.decided_on + timedelta(days=pace.randint(1, 3)), told_until)
    if story.case.is_abroad:
        entered_on = max(permit.valid_from + timedelta(days=pace.randint(0, 5)), told_until)
        if not step(entered_on, cards.permit_record_entry, entered_on=entered_on):
            return
        permit.refresh_from_db()  # the entry set the 30-day deadline the appointment keeps
        booked_on = entered_on
    appointment = booked_on + timedelta(days=pace.randint(5, 25))
    if permit.biometrics_due is not None:
        appointment = min(appointment, permit.biometrics_due)
    if not step(booked_on, cards.permit_schedule_biometrics, on=appointment):
        return
    if not step(appointment, cards.permit_record_biometrics, on=appointment):
        return
    ready_on = appointment + timedelta(days=pace.randint(20, 30))
    if not step(ready_on, cards.permit_record_card_ready, on=ready_on):
        return
    if (story.case.reference_sequence or 0) % 3 == 0:
        return  # a holder who has not come for the card yet (the office sees the deadline)
    pickup_due = deadlines.card_pickup_due(appointment)
    collected_on = min(ready_on + timedelta(days=pace.randint(2, 30)), pickup_due)
    step(collected_on, cards.permit_record_pickup, on=collected_on)


def _proceedings(story: _Story, plan: CasePlan, *, verified: bool) -> None:
    filed_on = story.today - timedelta(days=plan.filed_days_ago)
    with story.on(filed_on, 9):
        actor = story.cast.applicant_side
        services.application_confirm_declarations(application=story.case, actor=actor)
        services.application_file(application=story.case, actor=actor)
    if plan.assigned:
        with story.on(filed_on, 10):
            services.application_claim(application=story.case, actor=story.cast.caseworker)
    # Only the caseworker who has the case checks its documents (SPEC §2,
    # ``guards.may_act_on_case``): an unassigned case waits with them unchecked.
    if verified and plan.assigned:
        with story.on(filed_on + timedelta(days=1), 10):
            _verify_all(story)
    if plan.past_interruption:
        start = filed_on + timedelta(days=plan.past_interruption[0])
        supplied_on = start + timedelta(days=plan.past_interruption[1])
        if not plan.assigned:
            # Only the caseworker who has the case interrupts it (SPEC §2): a case back in the
            # queue was claimed for it and released once the documents came.
            with story.on(start, 10):
                services.application_claim(application=story.case, actor=story.cast.caseworker)
        _interrupt(story, start, PAST_INTERRUPTION_WORDS, PAST_INTERRUPTION_REASON)
        _supply(story, supplied_on)
        if not plan.assigned:
            with story.on(supplied_on, 14):
                services.application_release(application=story.case, actor=story.cast.caseworker)
    if plan.open_interruption_days_ago is not None:
        start = story.today - timedelta(days=plan.open_interruption_days_ago)
        _interrupt(story, start, OPEN_INTERRUPTION_WORDS, OPEN_INTERRUPTION_REASON)
    if plan.decided_days_ago is not None:
        day = story.today - timedelta(days=plan.decided_days_ago)
        _decide(story, day, plan.outcome or Outcome.GRANTED)
        _deliver(story, opened=plan.opened)
        _remedies(story, plan)
        _card_steps(story)
    if plan.status == Status.WITHDRAWN:
        with story.on(story.today - timedelta(days=plan.filed_days_ago // 2), 15):
            services.application_withdraw(application=story.case, actor=story.cast.applicant_side)


def build_demo_case(
    plan: CasePlan,
    *,
    applicant: Applicant,
    permit_type: PermitType,
    channel: Channel,
    cast: Cast,
    today: date,
    verified: bool,
) -> Application:
    """One case in the plan's state, each step made by its service on its own day.

    ``verified``: the caseworker checks the documents the day after filing (a decision checks
    them anyway). Raises ``ValueError`` when the plan cannot end in its state by ``today``.
    """
    story = _Story(today=today, cast=cast)
    _draft(story, plan, permit_type=permit_type, applicant=applicant, channel=channel)
    if plan.status != Status.DRAFT:
        _proceedings(story, plan, verified=verified)
    story.case.refresh_from_db()
    if story.case.status != plan.status:
        raise ValueError(f"The plan {plan} ends in {story.case.status}, not {plan.status}.")
    return story.case


# --- Many cases' rows at once -----------------------------------------------------------------


@dataclass(frozen=True)
class BulkCase:
    """One case of a bulk insert: its plan, its saved applicant and what the office gave it.
    ``reference`` is (year, sequence) of the filing year (``filed_year``); None for a draft."""

    plan: CasePlan
    applicant: Applicant
    permit_type: PermitType
    caseworker: User | None
    channel: Channel
    reference: tuple[int, int] | None


def filed_year(plan: CasePlan, today: date) -> int:
    return (today - timedelta(days=plan.filed_days_ago)).year


@dataclass
class _Rows:
    application: Application
    interruptions: list[Interruption] = field(default_factory=list)
    decision: Decision | None = None
    appeal: Appeal | None = None
    audit: list[AuditEntry] = field(default_factory=list)


def _case_rows(case: BulkCase, *, today: date, actor: User | None) -> _Rows:
    """One case's rows, unsaved: the dates and audit rows the services would have written."""
    plan, permit_type, caseworker = case.plan, case.permit_type, case.caseworker
    # The status is protected (only transitions change it): the fields are gathered here and the
    # Application is made once, in its final state.
    app: dict[str, Any] = {
        "applicant": case.applicant,
        "permit_type": permit_type,
        "channel": case.channel,
        "status": Status.DRAFT,
        "created_by": actor,
    }
    rows = _Rows(application=None)  # type: ignore[arg-type]
    if plan.status == Status.DRAFT:
        rows.application = Application(**app)
        return rows

    def log(day: date, action: str, frm: str, to: str, who: User | None = None) -> None:
        rows.audit.append(
            AuditEntry(
                action=action, from_status=frm, to_status=to, actor=who, created_at=at(day, 11)
            )
        )

    if case.reference is None:
        raise ValueError(f"A filed case needs its reference number: {plan}.")
    filed_on = today - timedelta(days=plan.filed_days_ago)
    year, sequence = case.reference
    app.update(
        reference_year=year,
        reference_sequence=sequence,
        reference_number=case_reference(
            sequence=sequence, short_code=permit_type.short_code, year=year
        ),
        filed_at=at(filed_on, 9),
        filed_on=filed_on,
        clock_started_on=filed_on,
        period_days=permit_type.decision_period_for(abroad=case.channel == Channel.EMBASSY),
        declarations_confirmed_at=at(filed_on, 9),
        # Filing froze the person's data onto the case (SPEC §2).
        filed_party=Party.of(case.applicant).stored(),
        assigned_to=caseworker if plan.assigned else None,
    )
    log(filed_on, "file", Status.DRAFT, Status.FILED, actor)
    intervals: list[tuple[date, date | None]] = []
    if plan.past_interruption:
        start = filed_on + timedelta(days=plan.past_interruption[0])
        end = start + timedelta(days=plan.past_interruption[1])
        rows.interruptions.append(
            Interruption(
                reason=PAST_INTERRUPTION_REASON,
                started_on=start,
                deadline=deadlines.document_deadline(start),
                ended_on=end,
                end_reason=InterruptionEnd.RESUMED,
                created_by=caseworker,
            )
        )
        intervals.append((start, end))
        log(start, "interrupt", Status.FILED, Status.INTERRUPTED, caseworker)
        log(end, "resume", Status.INTERRUPTED, Status.FILED, caseworker)
    app["status"] = Status.FILED
    app["decision_due"] = Application(
        clock_started_on=filed_on, period_days=app["period_days"]
    ).compute_decision_due(intervals)
    if plan.open_interruption_days_ago is not None:
        start = today - timedelta(days=plan.open_interruption_days_ago)
        rows.interruptions.append(
            Interruption(
                reason=OPEN_INTERRUPTION_REASON,
                started_on=start,
                deadline=deadlines.document_deadline(start),
                created_by=caseworker,
            )
        )
        app.update(status=Status.INTERRUPTED, decision_due=None)
        log(start, "interrupt", Status.FILED, Status.INTERRUPTED, caseworker)
    if plan.decided_days_ago is not None:
        _decision_rows(plan, app, rows, log, today=today, caseworker=caseworker, actor=actor)
    if plan.status == Status.WITHDRAWN:
        withdrawn_on = today - timedelta(days=max(plan.filed_days_ago // 2, 0))
        if rows.interruptions and rows.interruptions[-1].ended_on is None:
            rows.interruptions[-1].ended_on = withdrawn_on
            rows.interruptions[-1].end_reason = InterruptionEnd.WITHDRAWN
        log(withdrawn_on, "withdraw", app["status"], Status.WITHDRAWN, actor)
        app.update(status=Status.WITHDRAWN, withdrawn_on=withdrawn_on, decision_due=None)
    if app["status"] != plan.status:
        raise ValueError(f"The plan {plan} does not end in {plan.status} (got {app['status']}).")
    app["version"] = len(rows.audit)
    rows.application = Application(**app)
    return rows


def _decision_rows(
    plan: CasePlan,
    app: dict[str, Any],
    rows: _Rows,
    log: Any,
    *,
    today: date,
    caseworker: User | None,
    actor: User | None,
) -> None:
    """The decision, its delivery (opened the next day, or the 10-day rule) and the remedies."""
    decided_on = today - timedelta(days=plan.decided_days_ago or 0)
    outcome = plan.outcome or Outcome.GRANTED
    app.update(status=Status.DECIDED, outcome=outcome, decided_on=decided_on, decision_due=None)
    granted = outcome == Outcome.GRANTED
    decision = Decision(
        outcome=outcome,
        reasoning="" if granted else REJECTION_REASONING,
        legal_basis=app["permit_type"].legal_basis,
        valid_from=decided_on + timedelta(days=14) if granted else None,
        valid_to=(decided_on + timedelta(days=14 + 364)) if granted else None,
        language=app["applicant"].preferred_language,
        decided_by=caseworker,
        decided_at=at(decided_on, 14),
        decided_on=decided_on,
        made_available_on=decided_on,
    )
    log(decided_on, "decide", Status.FILED, Status.DECIDED, caseworker)
    fiction = deadlines.delivery_date(decided_on, None)
    if plan.opened:
        decision.opened_on = min(decided_on + timedelta(days=1), today)
        decision.delivered_on = deadlines.delivery_date(decided_on, decision.opened_on)
    elif fiction <= today:
        decision.delivered_on = fiction
    if decision.delivered_on:
        decision.appeal_due = deadlines.appeal_due(decision.delivered_on)
    rows.decision = decision
    if plan.appealed and decision.delivered_on:
        lodged_on = min(decision.delivered_on + timedelta(days=5), today)
        rows.appeal = Appeal(
            grounds=APPEAL_GROUNDS,
            lodged_by=actor,
            lodged_at=at(lodged_on, 16),
            lodged_on=lodged_on,
        )
        app["status"] = Status.APPEALED
        log(lodged_on, "appeal", Status.DECIDED, Status.APPEALED, actor)
        if plan.appeal_result:
            done = min(lodged_on + timedelta(days=30), today)
            rows.appeal.result = plan.appeal_result
            rows.appeal.result_recorded_at = at(done, 12)
            rows.appeal.recorded_by = caseworker
            app.update(status=Status.CLOSED, closed_on=done)
            log(done, "resolve_appeal", Status.APPEALED, Status.CLOSED, caseworker)
    elif plan.status == Status.CLOSED and decision.appeal_due and decision.appeal_due < today:
        app.update(status=Status.CLOSED, closed_on=decision.appeal_due + timedelta(days=1))
        log(app["closed_on"], "finalize", Status.DECIDED, Status.CLOSED, None)


# Field classes (exactly these, not their subclasses) whose value psycopg writes as it is.
PLAIN_FIELDS = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.BigIntegerField,
        models.BooleanField,
        models.CharField,
        models.DateField,
        models.DateTimeField,
        models.EmailField,
        models.ForeignKey,
        models.IntegerField,
        models.OneToOneField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.SlugField,
        models.SmallIntegerField,
        models.TextField,
        models.UUIDField,
    }
)


def bulk_insert(model: type[Model], rows: list[Any]) -> list[Any]:
    """Insert many rows fast: PostgreSQL's COPY with ids taken from the table's sequence in
    one query (so children can point at their parents), ``bulk_create`` elsewhere."""
    if not rows:
        return rows
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_create(rows)
    meta = model._meta
    fields = meta.concrete_fields
    auto_now_add = [
        f for f in fields if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
    ]
    # The wrapper itself: every field below asks it for its features, and through Django's
    # proxy each question costs a thread-local lookup (a fifth of a million-case load).
    database = connections[DEFAULT_DB_ALIAS]
    # Plain columns go to psycopg as they are (it adapts str, int, bool, dates, times, UUIDs
    # itself); the rest (encrypted fields, JSON, anything else) is prepared as save() would.
    plain = [type(f) in PLAIN_FIELDS and f not in auto_now_add for f in fields]
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
            for auto in auto_now_add:
                setattr(row, auto.attname, now)
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(meta.db_table),
            # A concrete field is one with a column (Django's Field.concrete); the stubs allow None.
            sql.SQL(", ").join(sql.Identifier(cast(str, f.column)) for f in fields),
        )
        with cursor.cursor.copy(statement) as copy:
            attnames = [f.attname for f in fields]
            for row in rows:
                # pre_save(), as save() would: it encrypts personal data (bound to the row's
                # row_key) and computes blind indexes.
                values = row.__dict__
                copy.write_row(
                    [
                        values[attname]
                        if is_plain
                        else f.get_db_prep_save(f.pre_save(row, True), database)
                        for f, attname, is_plain in zip(fields, attnames, plain, strict=True)
                    ]
                )
    return rows


def bulk_create_cases(
    cases: Sequence[BulkCase], *, today: date, actor: User | None = None
) -> list[Application]:
    """Write whole cases, each in its plan's state, in a few statements per table (no files,
    PDFs or notices). ``actor`` is who filed them (support staff, or nobody)."""
    built = [_case_rows(case, today=today, actor=actor) for case in cases]
    bulk_insert(Application, [rows.application for rows in built])
    interruptions, decisions, audit = [], [], []
    for rows in built:
        for interruption in rows.interruptions:
            interruption.application = rows.application
        for entry in rows.audit:
            entry.application = rows.application
        interruptions += rows.interruptions
        audit += rows.audit
        if rows.decision is not None:
            rows.decision.application = rows.application
            decisions.append(rows.decision)
    bulk_insert(Interruption, interruptions)
    bulk_insert(Decision, decisions)
    bulk_insert(AuditEntry, audit)
    appeals = []
    for rows in built:
        if rows.appeal is not None and rows.decision is not None:
            rows.appeal.application = rows.application
            rows.appeal.decision = rows.decision
            appeals.append(rows.appeal)
    bulk_insert(Appeal, appeals)
    return [rows.application for rows in built]
