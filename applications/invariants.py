"""The rules of the proceedings (SPEC §2) checked over the whole database.

The services keep these rules one case at a time; a violation means something wrote around them
(a data fix, the admin, a bug). Each rule is a function of today's date (Prague) that finds the
offending cases in one or two queries, whatever the number of cases, and says what is wrong with
each. ``manage.py check_invariants`` runs them all.

A decision is "in force" unless an appeal returned the case for new proceedings
(``resolve_appeal``, result ``returned``): that decision stays in the record, set aside.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from applications.constants import DECIDED_STATUSES, AppealResult, Outcome, Remedy, Status
from applications.models import Appeal, Application, AuditEntry, Decision, Interruption
from documents.constants import Role
from documents.models import Document
from permits.models import Permit


@dataclass(frozen=True)
class Finding:
    """One case that breaks a rule, and how."""

    application_id: int
    detail: str


@dataclass(frozen=True)
class Rule:
    """A rule of SPEC §2: its name in the output, where the SPEC states it, and its check."""

    code: str
    citation: str
    check: Callable[[date], Iterable[Finding]]


@dataclass(frozen=True)
class Violation:
    application_id: int
    reference: str
    rule: str
    citation: str
    detail: str

    def __str__(self) -> str:
        return (
            f"{self.reference} (id {self.application_id}) {self.rule}: {self.detail} "
            f"[{self.citation}]"
        )


RULES: list[Rule] = []


def rule(code: str, citation: str) -> Callable[[Callable[[date], Iterable[Finding]]], Rule]:
    """Register a check in ``RULES``, in the order the checks are run and listed."""

    def register(check: Callable[[date], Iterable[Finding]]) -> Rule:
        registered = Rule(code=code, citation=citation, check=check)
        RULES.append(registered)
        return registered

    return register


def decisions_in_force() -> QuerySet[Decision]:
    """Decisions not set aside by an appeal that returned the case for new proceedings."""
    return Decision.objects.exclude(appeal__result=AppealResult.RETURNED)


# --- The rules -------------------------------------------------------------------------------


@rule("decision_count", "SPEC §2 states: decided, appealed, closed carry one decision")
def decision_count(today: date) -> Iterator[Finding]:
    """``decided``, ``appealed`` and ``closed`` carry exactly one decision in force; a case in
    any other state (a draft, proceedings under way, a withdrawn application) carries none."""
    per_case = (
        decisions_in_force()
        .filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Application.objects.annotate(
            in_force=Coalesce(Subquery(per_case), Value(0), output_field=IntegerField())
        )
        .filter(
            Q(status__in=DECIDED_STATUSES) & ~Q(in_force=1)
            | ~Q(status__in=DECIDED_STATUSES) & Q(in_force__gt=0)
        )
        .values_list("pk", "status", "in_force")
    )
    for pk, status, in_force in rows:
        expected = 1 if status in DECIDED_STATUSES else 0
        yield Finding(pk, f"{status} with {in_force} decisions in force, expected {expected}")


@rule("decision_pdf", "SPEC §2 decide, §6 decision PDFs, D3 delivery")
def decision_pdf(today: date) -> Iterator[Finding]:
    """A decision is made available, and delivered, only with its PDF in the file."""
    rows = (
        Decision.objects.filter(document__isnull=True)
        .filter(Q(made_available_on__isnull=False) | Q(delivered_on__isnull=False))
        .values_list("application_id", "pk", "made_available_on", "delivered_on")
    )
    for application_id, pk, available, delivered in rows:
        what = f"delivered on {delivered}" if delivered else f"made available on {available}"
        yield Finding(application_id, f"decision {pk} {what} without its PDF document")


@rule("closed_in_appeal_period", "SPEC §2 finalize: only once the appeal deadline passed; D4")
def closed_in_appeal_period(today: date) -> Iterator[Finding]:
    """A case closes without an appeal only after the appeal deadline (``appeal_due``) passed;
    a decision with no remedy, from the day it was delivered (``remedies.lodging_due``)."""
    # One filter() call: every condition applies to the same decision.
    rows = (
        Application.objects.filter(
            Q(decisions__appeal_due__gt=today)
            | (Q(decisions__appeal_due=today) & ~Q(decisions__remedy=Remedy.NONE))
            | Q(decisions__appeal_due__isnull=True),
            status=Status.CLOSED,
            decisions__appeal__isnull=True,
        )
        .values_list("pk", "decisions__appeal_due")
        .distinct()
    )
    for pk, appeal_due in rows:
        if appeal_due is None:
            yield Finding(pk, "closed without an appeal before the decision was delivered")
        else:
            yield Finding(pk, f"closed without an appeal while the appeal runs until {appeal_due}")


@rule("permit_without_grant", "SPEC §2: a granted application yields a permits.Permit")
def permit_without_grant(today: date) -> Iterator[Finding]:
    """A permit stands only on a granted decision in force."""
    granted = decisions_in_force().filter(outcome=Outcome.GRANTED).values("application")
    rows = Permit.objects.exclude(application__in=granted).values_list("application_id", "number")
    for application_id, number in rows:
        yield Finding(application_id, f"permit {number} without a granted decision in force")


@rule("grant_without_permit", "SPEC §2: a granted application yields a permits.Permit")
def grant_without_permit(today: date) -> Iterator[Finding]:
    """A granted decision in force has its permit."""
    rows = (
        decisions_in_force()
        .filter(outcome=Outcome.GRANTED, application__permit__isnull=True)
        .values_list("application_id", "pk")
    )
    for application_id, pk in rows:
        yield Finding(application_id, f"granted decision {pk} without a permit")


@rule("open_interruption", "SPEC §2 interrupt and resume; D2 (the clock halts while open)")
def open_interruption(today: date) -> Iterator[Finding]:
    """An interrupted case has exactly one open interruption; no other case has one."""
    interrupted = (
        Application.objects.filter(status=Status.INTERRUPTED)
        .annotate(open=Count("interruptions", filter=Q(interruptions__ended_on__isnull=True)))
        .exclude(open=1)
        .values_list("pk", "open")
    )
    for pk, count in interrupted:
        yield Finding(pk, f"interrupted with {count} open interruptions, expected 1")
    stray = (
        Interruption.objects.filter(ended_on__isnull=True)
        .exclude(application__status=Status.INTERRUPTED)
        .values_list("application_id", "application__status", "started_on")
    )
    for application_id, status, started_on in stray:
        yield Finding(application_id, f"{status} with an interruption open since {started_on}")


_FILING_FIELDS = ("reference_number", "filed_at", "filed_on", "clock_started_on", "period_days")


@rule("filing_particulars", "SPEC §2 file: reference number OAM-4217/DP-2026; D2 filed_on")
def filing_particulars(today: date) -> Iterator[Finding]:
    """A filed case (and every later state) has its reference number and filing date."""
    missing = Q(reference_number="")
    for name in _FILING_FIELDS:
        missing |= Q(**{f"{name}__isnull": True})
    rows = (
        Application.objects.exclude(status=Status.DRAFT)
        .filter(missing)
        .values_list("pk", "status", *_FILING_FIELDS)
    )
    for pk, status, *values in rows:
        empty = ", ".join(
            name for name, value in zip(_FILING_FIELDS, values, strict=True) if not value
        )
        yield Finding(pk, f"{status} without {empty}")


def _verified_after(statuses: Iterable[str], frozen_at: Subquery) -> QuerySet[Document]:
    return (
        Document.objects.filter(role=Role.EVIDENCE, application__status__in=list(statuses))
        .annotate(frozen_at=frozen_at)
        .filter(verified_at__gt=F("frozen_at"))
    )


@rule("evidence_after_decision", "SPEC §2: after a decision, the file changes only by remedies")
def evidence_after_decision(today: date) -> Iterator[Finding]:
    """No evidence is verified or rejected in a frozen file (``guards.documents_frozen``) after
    the latest decision, or after the withdrawal, that froze it."""
    latest_decision = Subquery(
        Decision.objects.filter(application=OuterRef("application"))
        .order_by("-decided_at")
        .values("decided_at")[:1]
    )
    withdrawal = Subquery(
        AuditEntry.objects.filter(application=OuterRef("application"), action="withdraw")
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    for event, documents in (
        ("the decision", _verified_after(DECIDED_STATUSES, latest_decision)),
        ("the withdrawal", _verified_after([Status.WITHDRAWN], withdrawal)),
    ):
        rows = documents.values_list("application_id", "sub_number", "verification", "verified_at")
        for application_id, sub_number, verification, verified_at in rows:
            yield Finding(
                application_id,
                f"document {sub_number} {verification} at "
                f"{timezone.localtime(verified_at):%Y-%m-%d %H:%M} after {event}",
            )


@rule("appeal_state", "SPEC §2 appeal (decided → appealed), resolve_appeal (→ closed or filed)")
def appeal_state(today: date) -> Iterator[Finding]:
    """A pending appeal belongs to an appealed case; a dismissed one, or one that changed the
    decision, to a closed case; one that returned the case, to a case back in proceedings (or
    decided anew). An appealed case has its pending appeal; an appeal is against a decision of
    its own case."""
    misplaced = Appeal.objects.filter(
        Q(result="") & ~Q(application__status=Status.APPEALED)
        | Q(result__in=[AppealResult.DISMISSED, AppealResult.CHANGED])
        & ~Q(application__status=Status.CLOSED)
        | Q(result=AppealResult.RETURNED) & Q(application__status=Status.DRAFT)
        | ~Q(decision__application=F("application"))
    ).values_list("application_id", "pk", "result", "application__status")
    for application_id, pk, result, status in misplaced:
        yield Finding(application_id, f"appeal {pk} ({result or 'pending'}) on a {status} case")
    unlodged = (
        Application.objects.filter(status=Status.APPEALED)
        .exclude(appeals__result="")
        .values_list("pk", flat=True)
    )
    for pk in unlodged:
        yield Finding(pk, "appealed without a pending appeal")


# --- Running them ----------------------------------------------------------------------------


def violations(*, today: date) -> list[Violation]:
    """Every violation of every rule, by case; one more query for the cases' references."""
    found = [(each, finding) for each in RULES for finding in each.check(today)]
    ids = {finding.application_id for _each, finding in found}
    references = dict(Application.objects.filter(pk__in=ids).values_list("pk", "reference_number"))
    return sorted(
        (
            Violation(
                application_id=finding.application_id,
                reference=references.get(finding.application_id) or "-",
                rule=each.code,
                citation=each.citation,
                detail=finding.detail,
            )
            for each, finding in found
        ),
        key=lambda v: (v.application_id, v.rule, v.detail),
    )
