"""Demo and benchmark data: whole cases in any state, dated relative to today.

A case is built in memory as a consistent story (filed, maybe interrupted and resumed, decided,
appealed, closed) with its dates from the deadline engine and one audit row per step, then
saved. ``seed_demo`` saves ~40 such cases one by one with files; ``seed_demo --applications N``
bulk-inserts N of them for benchmarks.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

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
from permits import deadlines
from permits.models import PermitType

PRAGUE = ZoneInfo(settings.TIME_ZONE)

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


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=PRAGUE)


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


@dataclass
class BuiltCase:
    application: Application
    interruptions: list[Interruption] = field(default_factory=list)
    decision: Decision | None = None
    appeal: Appeal | None = None
    audit: list[AuditEntry] = field(default_factory=list)
    requested_kind_ids: list[int] = field(default_factory=list)


def random_applicant(rng: random.Random, *, account=None, created_by=None) -> Applicant:
    nationality = rng.choice(NATIONALITIES)
    return Applicant(
        account=account,
        given_names=rng.choice(GIVEN_NAMES),
        surname=rng.choice(SURNAMES),
        date_of_birth=date(rng.randint(1965, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        nationality=nationality,
        travel_document_number=f"{nationality}{rng.randint(1000000, 9999999)}",
        address=f"{rng.choice(STREETS)} {rng.randint(1, 180)}, Praha {rng.randint(1, 10)}",
        email="",
        phone=f"+420 7{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        preferred_language=LANGUAGE_OF.get(nationality, "en"),
        created_by=created_by,
    )


def build_case(
    plan: CasePlan,
    *,
    applicant: Applicant,
    permit_type: PermitType,
    reference: tuple[int, int] | None,
    today: date,
    caseworker,
    actor_applicant=None,
    staff=None,
) -> BuiltCase:
    """Build one case's rows, unsaved, consistent with what the services would have written."""
    # The status field is protected (only transitions change it), so the story is written into
    # a namespace and the Application is constructed once, in its final state.
    app = _Fields(
        applicant=applicant,
        permit_type=permit_type,
        channel=plan.channel,
        status=Status.DRAFT,
        created_by=actor_applicant,
    )
    built = BuiltCase(application=None)  # type: ignore[arg-type]
    if plan.status == Status.DRAFT:
        built.application = Application(**vars(app))
        return built

    def log(day: date, action: str, frm: str, to: str, actor=None, note: str = "") -> None:
        built.audit.append(
            AuditEntry(
                action=action,
                from_status=frm,
                to_status=to,
                actor=actor,
                note=note,
                created_at=at(day, 11),
            )
        )

    filed_on = today - timedelta(days=plan.filed_days_ago)
    year, sequence = reference
    app.reference_year, app.reference_sequence = year, sequence
    app.reference_number = f"OAM-{sequence}/{permit_type.short_code}-{year}"
    app.filed_at = at(filed_on, 9)
    app.filed_on = app.clock_started_on = filed_on
    app.period_days = permit_type.decision_period_for(abroad=plan.channel == Channel.EMBASSY)
    app.declarations_confirmed_at = app.filed_at
    # Filing froze the person's data onto the case (SPEC §2).
    app.filed_party = Party.of(applicant).stored()
    app.assigned_to = caseworker if plan.assigned else None
    log(filed_on, "file", Status.DRAFT, Status.FILED, actor_applicant)

    intervals: list[tuple[date, date | None]] = []
    if plan.past_interruption:
        start = filed_on + timedelta(days=plan.past_interruption[0])
        end = start + timedelta(days=plan.past_interruption[1])
        built.interruptions.append(
            Interruption(
                reason="Doložte prosím doklad o zajištění ubytování s úředně ověřeným podpisem.",
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
    app.status = Status.FILED
    app.decision_due = Application(
        clock_started_on=app.clock_started_on, period_days=app.period_days
    ).compute_decision_due(intervals)

    if plan.open_interruption_days_ago is not None:
        start = today - timedelta(days=plan.open_interruption_days_ago)
        built.interruptions.append(
            Interruption(
                reason=(
                    "Chybí doklad o zajištění ubytování. Předložte jej prosím ve stanovené lhůtě, "
                    "jinak bude řízení zastaveno."
                ),
                started_on=start,
                deadline=deadlines.document_deadline(start),
                created_by=caseworker,
            )
        )
        app.status = Status.INTERRUPTED
        app.decision_due = None
        log(start, "interrupt", Status.FILED, Status.INTERRUPTED, caseworker)

    if plan.decided_days_ago is not None:
        decided_on = today - timedelta(days=plan.decided_days_ago)
        outcome = plan.outcome or Outcome.GRANTED
        app.status, app.outcome, app.decided_on, app.decision_due = (
            Status.DECIDED,
            outcome,
            decided_on,
            None,
        )
        granted = outcome == Outcome.GRANTED
        decision = Decision(
            outcome=outcome,
            reasoning=""
            if granted
            else (
                "Žadatel nedoložil dostatečné prostředky k pobytu na území; podmínky pro vydání "
                "povolení nejsou splněny."
            ),
            legal_basis=permit_type.legal_basis,
            valid_from=decided_on + timedelta(days=14) if granted else None,
            valid_to=(decided_on + timedelta(days=14 + 364)) if granted else None,
            language=applicant.preferred_language,
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
        built.decision = decision
        if plan.appealed and decision.delivered_on:
            lodged_on = min(decision.delivered_on + timedelta(days=5), today)
            built.appeal = Appeal(
                grounds="Nesouhlasím s posouzením finančních prostředků; přikládám výpis z účtu.",
                lodged_by=actor_applicant,
                lodged_at=at(lodged_on, 16),
                lodged_on=lodged_on,
            )
            app.status = Status.APPEALED
            log(lodged_on, "appeal", Status.DECIDED, Status.APPEALED, actor_applicant)
            if plan.appeal_result:
                done = min(lodged_on + timedelta(days=30), today)
                built.appeal.result = plan.appeal_result
                built.appeal.result_recorded_at = at(done, 12)
                built.appeal.recorded_by = caseworker
                app.status, app.closed_on = Status.CLOSED, done
                log(done, "resolve_appeal", Status.APPEALED, Status.CLOSED, caseworker)
        elif plan.status == Status.CLOSED and decision.appeal_due and decision.appeal_due < today:
            app.status = Status.CLOSED
            app.closed_on = decision.appeal_due + timedelta(days=1)
            log(app.closed_on, "finalize", Status.DECIDED, Status.CLOSED, None)

    if plan.status == Status.WITHDRAWN:
        withdrawn_on = today - timedelta(days=max(plan.filed_days_ago // 2, 0))
        if built.interruptions and built.interruptions[-1].ended_on is None:
            built.interruptions[-1].ended_on = withdrawn_on
            built.interruptions[-1].end_reason = InterruptionEnd.WITHDRAWN
        frm = app.status
        app.status, app.withdrawn_on, app.decision_due = Status.WITHDRAWN, withdrawn_on, None
        log(withdrawn_on, "withdraw", frm, Status.WITHDRAWN, actor_applicant)

    if app.status != plan.status:
        raise ValueError(f"The plan {plan} does not end in {plan.status} (got {app.status}).")
    app.version = len(built.audit)
    built.application = Application(**vars(app))
    return built


class _Fields:
    """Attribute bag for an Application's fields while its story is built."""

    def __init__(self, **fields: object) -> None:
        self.__dict__.update(fields)


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


def minimal_pdf(text: str) -> bytes:
    """A small valid one-page PDF showing a line of text: stand-in scans for demo documents."""
    safe = "".join(ch if 32 <= ord(ch) < 127 and ch not in "()\\" else "?" for ch in text)[:80]
    stream = f"BT /F1 18 Tf 72 720 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def stable_seed(*parts: object) -> int:
    return zlib.crc32("|".join(map(str, parts)).encode())
