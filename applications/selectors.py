"""Reads the applicant's pages and the support centre share (HackSoft selectors).

The applicant's pages show a case to the people on the applicant's side of it: the account that
holds the applicant record (the person, or the parent who represents a child [002]) and the
support-centre worker who created the record or the application [000]. Caseworkers read cases in
their own pages; here another person's case, and a case of someone a caseworker does not represent,
is a 404 (``Http404`` from ``get_object_or_404``), never a 403 that would confirm it exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Exists, Field, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_fsm import has_transition_perm

from accounts.constants import Language
from applications import checks, guards, remedies, representation
from applications.audit import APPLICANT_NOTES, APPLICANT_VISIBLE, AuditAction
from applications.constants import REPORT_PERIOD_DAYS, ChangeKind, Relation, Remedy, Status
from applications.models import (
    PARTY_FIELDS,
    PERSON_DETAILS,
    Appeal,
    Applicant,
    Application,
    AuditEntry,
    ChangeReport,
    Decision,
    Interruption,
    Party,
    PowerOfAttorney,
    change_reportable,
)
from applications.query import may_start_for, represented
from documents.constants import Role
from documents.models import Document, group_item_pages
from permits import deadlines, rules
from permits.questions import Question, questions_for, validate_answers

if TYPE_CHECKING:
    from typing import TypeAlias

    from django_stubs_ext import StrPromise

    from accounts.models import User
    from permits.models import DocumentKind

    # A text to show: plain, or translated lazily (a field's label, a task's title).
    Text: TypeAlias = str | StrPromise


# --- Scoping ---------------------------------------------------------------------------------


def _applicant_side(user: User) -> Q:
    """The cases on whose applicant side ``user`` stands."""
    side = Q(applicant__account=user) | represented(user)
    if user.has_perm("applications.file_on_behalf"):
        side |= Q(created_by=user) | Q(applicant__created_by=user)
    return side


def applications_for_applicant_pages(*, user: User) -> QuerySet[Application]:
    """The cases ``user`` may open in the applicant's pages (a narrower ``visible_to``)."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.visible_to(user).filter(_applicant_side(user))


def application_for_applicant(*, user: User, pk: int) -> Application:
    """One case for the applicant's pages, or 404."""
    queryset = applications_for_applicant_pages(user=user).select_related(
        "applicant", "permit_type"
    )
    return get_object_or_404(
        queryset.prefetch_related(
            Prefetch(
                "interruptions", queryset=Interruption.objects.prefetch_related("requested_kinds")
            ),
            Prefetch("decisions", queryset=Decision.objects.select_related("appeal", "document")),
        ),
        pk=pk,
    )


def applicants_for_account(*, user: User) -> QuerySet[Applicant]:
    """The people an account applies for: the holder and the children they represent [002],
    and those who gave it a power of attorney for more than one case (SPEC §1). Which permit
    types a power covers, the filing service checks (``representation.may_start``)."""
    return Applicant.objects.filter(Q(account=user) | may_start_for(user)).order_by(
        "relation", "given_names"
    )


def support_applications(*, user: User, applicant: Applicant | None = None) -> list[Application]:
    queryset = applications_for_applicant_pages(user=user).filter(
        Q(created_by=user) | Q(applicant__created_by=user)
    )
    if applicant is not None:
        queryset = queryset.filter(applicant=applicant)
    return list(queryset.select_related("applicant", "permit_type").order_by("-created_at")[:50])


# --- The person's details --------------------------------------------------------------------


def _label(name: str) -> Text:
    """The label of a field of the person's record."""
    # The names are the record's own fields, never a reverse relation (which has no label).
    return cast("Field[Any, Any]", Applicant._meta.get_field(name)).verbose_name


def applicant_missing_details(applicant: Applicant) -> list[Text]:
    """The personal details a filing needs that the record does not have yet."""
    return [_label(name) for name in PERSON_DETAILS if not getattr(applicant, name)]


# --- The actions a case allows ---------------------------------------------------------------


@dataclass(frozen=True)
class CaseFlags:
    """What the person may do on the case now; templates show buttons from these only."""

    can_edit: bool = False
    can_delete: bool = False
    can_upload: bool = False
    can_supply: bool = False
    can_withdraw: bool = False
    can_appeal: bool = False
    has_decision: bool = False
    decision_ready: bool = False
    can_report_change: bool = False


def effective_appeal_due(decision: Decision, *, today: date) -> date | None:
    """The last day to lodge the decision's remedy (an appeal, a request for re-assessment):
    fixed on delivery, or what it would be if opened today (D3, D4). None for a decision that
    allows no remedy."""
    if decision.remedy == Remedy.NONE:
        return None
    if decision.appeal_due is not None:
        return decision.appeal_due
    if decision.made_available_on is None:
        return None
    delivered_on = deadlines.delivery_date(decision.made_available_on, today)
    return remedies.lodging_due(decision.remedy, delivered_on)


def remedy_lodged(decision: Decision | None) -> Appeal | None:
    """The appeal or request for re-assessment lodged against the decision, if any (loaded
    with it: ``select_related("appeal")``)."""
    if decision is None or not guards.hasattr_appeal(decision):
        return None
    return decision.appeal


def _may(application: Application, transition: str, user: User) -> bool:
    """Whether the state machine lets ``user`` run ``transition`` now: it leaves the present
    state, its conditions (the pure guards) hold and its permission is granted (django-fsm)."""
    return has_transition_perm(getattr(application, transition), user)


def _reading_delivers(application: Application, decision: Decision | None, user: User) -> bool:
    """Whether ``user`` opening the decision now is its delivery (D3): a decision made available
    and not delivered yet, opened by whom it is delivered to (``representation.delivers_to``:
    the representative while a power covers the case, otherwise the person in the portal)."""
    return (
        decision is not None
        and decision.made_available_on is not None
        and decision.delivered_on is None
        and decision.opened_on is None
        and representation.delivers_to(application, user)
    )


@contextmanager
def _as_opened(decision: Decision, *, today: date) -> Iterator[None]:
    """Within the block, the decision with the appeal period that opening it today would start
    (D3, D4); the guards read no other part of its delivery."""
    kept = decision.appeal_due
    decision.appeal_due = effective_appeal_due(decision, today=today)
    try:
        yield
    finally:
        decision.appeal_due = kept


def _may_appeal(application: Application, user: User, *, today: date) -> bool:
    """The appeal transition, for this user now. Lodging an appeal opens the decision first
    (``services.application_appeal``), so where that opening delivers it, the period asked
    about is the one the opening starts."""
    decision = application.current_decision
    if decision is None or not _reading_delivers(application, decision, user):
        return _may(application, "appeal", user)
    with _as_opened(decision, today=today):
        return _may(application, "appeal", user)


def case_flags(application: Application, *, user: User, today: date) -> CaseFlags:
    """What the person may do on the case now. The proceedings' steps (appeal, withdraw) are
    asked of the state machine; the draft's own work (edit, upload) follows the state."""
    acting = guards.may_act_as_applicant(application, user)
    decision = application.current_decision
    return CaseFlags(
        can_edit=acting and application.status == Status.DRAFT,
        can_delete=acting and application.status == Status.DRAFT,
        can_upload=acting and application.status in (Status.DRAFT, Status.INTERRUPTED),
        can_supply=acting
        and application.status == Status.INTERRUPTED
        and application.open_interruption is not None,
        can_withdraw=_may(application, "withdraw", user),
        can_appeal=_may_appeal(application, user, today=today),
        has_decision=decision is not None,
        decision_ready=decision is not None and decision.document_id is not None,
        can_report_change=acting and application.accepts_change_reports(on=today),
    )


# --- The dashboard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    """The next thing to do on a case; the template words it from ``code``."""

    code: str
    due: date | None = None
    url: str = ""
    needs_action: bool = False


@dataclass(frozen=True)
class DashboardRow:
    application: Application
    next_step: NextStep
    sort_key: tuple[Any, ...] = field(compare=False)


def next_step(application: Application, *, today: date) -> NextStep:
    """The next thing the person must do on the case, and by when."""
    pk = application.pk
    status = application.status
    if status == Status.DRAFT:
        return NextStep("draft", url=reverse("applications:detail", args=[pk]), needs_action=True)
    if status == Status.INTERRUPTED:
        interruption = application.open_interruption
        return NextStep(
            "upload",
            due=interruption.deadline if interruption else None,
            url=reverse("applications:documents", args=[pk]),
            needs_action=True,
        )
    if status == Status.FILED:
        return NextStep("deciding", due=application.decision_due)
    if status == Status.DECIDED:
        decision = application.current_decision
        if decision is None or decision.made_available_on is None:
            return NextStep("preparing")
        url = reverse("applications:decision", args=[pk])
        if decision.opened_on is None and decision.delivered_on is None:
            return NextStep("open_decision", url=url, needs_action=True)
        if decision.remedy == Remedy.NONE:
            return NextStep("no_remedy", url=url)
        reassessment = decision.remedy == Remedy.REASSESSMENT
        appeal_due = effective_appeal_due(decision, today=today)
        if appeal_due is not None and today <= appeal_due and not guards.hasattr_appeal(decision):
            code = "reassessment_possible" if reassessment else "appeal_possible"
            return NextStep(code, due=appeal_due, url=url, needs_action=True)
        return NextStep("reassessment_ended" if reassessment else "decision_effective", url=url)
    if status == Status.APPEALED:
        lodged = remedy_lodged(application.current_decision)
        if lodged is not None and lodged.kind == Remedy.REASSESSMENT:
            return NextStep("reassessment_pending", due=lodged.answer_due)
        return NextStep("appeal_pending")
    if status == Status.CLOSED:
        return NextStep("closed")
    return NextStep("withdrawn")


_FINISHED = (Status.CLOSED, Status.WITHDRAWN)


def _sort_key(application: Application, step: NextStep) -> tuple[Any, ...]:
    # Cases waiting for the person first (the nearest deadline first), then cases the office is
    # working on, then finished ones; the newest first within each group.
    if step.needs_action:
        group = 0
    elif application.status in _FINISHED:
        group = 2
    else:
        group = 1
    due = step.due.toordinal() if step.due else date.max.toordinal()
    return (group, due, -application.created_at.timestamp())


def dashboard_rows(*, user: User, today: date) -> list[DashboardRow]:
    """The person's cases (their own and their represented children's), most urgent first.

    A fixed number of queries whatever the number of cases: the case rows with their applicant
    and type, then the interruptions and the decisions (with their appeals) in one query each.
    """
    applications = (
        Application.objects.visible_to(user)
        .filter(Q(applicant__account=user) | represented(user))
        .select_related("applicant", "permit_type")
        .prefetch_related(
            "interruptions",
            Prefetch("decisions", queryset=Decision.objects.select_related("appeal")),
        )
    )
    rows = []
    for application in applications:
        step = next_step(application, today=today)
        rows.append(DashboardRow(application, step, _sort_key(application, step)))
    return sorted(rows, key=lambda row: row.sort_key)


# --- The case page ---------------------------------------------------------------------------


# What the applicant sees of the audit trail: the steps of the proceedings, not staff work
# (claiming or assigning a case).
@dataclass(frozen=True)
class TimelineEntry:
    when: Any
    label: Text
    note: str = ""
    # An interruption's reason as the reader reads it (``permits.phrases.OfficeText``): the
    # catalogue's phrases in their language, the office's own words marked as Czech.
    office: Any = None
    # Who took the step for the person under a power of attorney (its holder), if anyone.
    representative: str = ""


def case_timeline(application: Application) -> list[TimelineEntry]:
    entries = list(
        AuditEntry.objects.filter(application=application, action__in=APPLICANT_VISIBLE).order_by(
            "created_at", "pk"
        )
    )
    # Each interruption wrote one entry; its note is the reason's Czech text of record, which
    # a reader of another language reads through the catalogue instead.
    interrupts = [entry for entry in entries if entry.action == AuditAction.INTERRUPT]
    reasons: dict[int, Any] = {}
    if interrupts:
        interruptions = list(
            Interruption.objects.filter(application=application)
            .prefetch_related("phrase_uses__phrase_version")
            .order_by("started_on", "pk")
        )
        if len(interruptions) == len(interrupts):
            language = translation.get_language()
            reasons = {
                entry.pk: interruption.office_text(language)
                for entry, interruption in zip(interrupts, interruptions, strict=True)
            }
    # The representatives who acted, in one query (``audit.acting_under``).
    power_ids = {entry.data["acting_under"] for entry in entries if "acting_under" in entry.data}
    holders = (
        {
            power.pk: power.holder_name
            for power in PowerOfAttorney.objects.filter(pk__in=power_ids).select_related(
                "organisation", "representative"
            )
        }
        if power_ids
        else {}
    )
    return [
        TimelineEntry(
            when=entry.created_at,
            label=remedies.audit_label(entry),
            note=entry.note if entry.action in APPLICANT_NOTES else "",
            office=reasons.get(entry.pk),
            representative=holders.get(entry.data.get("acting_under"), ""),
        )
        for entry in entries
    ]


def case_documents(application: Application) -> list[Document]:
    """Every document in the file, in the order of their sub-numbers [002]."""
    return list(
        application.documents.filter(Q(is_current=True) | ~Q(role=Role.EVIDENCE))
        .select_related("kind")
        .order_by("sub_number")
    )


@dataclass(frozen=True)
class FiledCase:
    """What the applicant's case page shows of a filed case: its steps, its file, the
    interruption and what it asks for, the decision, and the person as filed with the changes
    reported since (SPEC §2)."""

    timeline: list[TimelineEntry]
    documents: list[Document]
    interruption: Interruption | None
    checklist: list[ChecklistItem]
    decision: Decision | None
    appeal_due: date | None
    # The appeal or request for re-assessment lodged against the decision.
    appeal: Appeal | None
    filed: list[tuple[Text, str]]
    reports: list[ReportedChange]


def filed_case(application: Application, *, today: date) -> FiledCase:
    """The applicant's case page of a filed case (``application_for_applicant``'s prefetches)."""
    decision = application.current_decision
    return FiledCase(
        timeline=case_timeline(application),
        documents=case_documents(application),
        interruption=application.open_interruption,
        checklist=(
            document_checklist(application) if application.status == Status.INTERRUPTED else []
        ),
        decision=decision,
        appeal_due=effective_appeal_due(decision, today=today) if decision else None,
        appeal=remedy_lodged(decision),
        filed=filed_values(application.party, PARTY_FIELDS),
        reports=reported_changes(application),
    )


# --- Changes reported after filing ------------------------------------------------------------


def change_reports_of(application: Application) -> list[ChangeReport]:
    """The changes reported on the case, in the order of their numbers, with their documents."""
    return list(
        application.change_reports.select_related("reported_by", "acknowledged_by")
        .prefetch_related("attachments")
        .order_by("sub_number")
    )


@dataclass(frozen=True)
class ChangeRow:
    """One field of a reported change beside the value the case was filed with."""

    label: Text
    filed: str
    reported: str
    changed: bool


def _shown(name: str, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if name == "date_of_birth":
        return date_format(value, "SHORT_DATE_FORMAT")
    if name == "nationality":
        return str(value.name or value.code)
    if name == "preferred_language":
        return str(dict(Language.choices).get(value, value))
    return str(value)


def filed_values(party: Party, names: Iterable[str]) -> list[tuple[Text, str]]:
    """The named fields of the data as filed, each with its label, ready to show."""
    return [(capfirst(_label(name)), _shown(name, getattr(party, name))) for name in names]


def change_rows(report: ChangeReport, filed: Party) -> list[ChangeRow]:
    """The reported values beside the filed ones, field by field (for the caseworker, who
    decides on what was filed and must see what changed since)."""
    reported = report.values
    rows = []
    for name in report.fields:
        before, after = getattr(filed, name), reported[name]
        rows.append(
            ChangeRow(
                label=capfirst(_label(name)),
                filed=_shown(name, before),
                reported=_shown(name, after),
                changed=_shown(name, before) != _shown(name, after),
            )
        )
    return rows


def actor_label(actor: User | None, application: Application) -> str:
    """Who acted on a case, as staff pages name them. The applicant's own account is "the
    applicant": its name follows the person's profile, and the case shows the person as filed
    (SPEC §2)."""
    if actor is None:
        return str(_("the system"))
    if actor.pk == application.applicant.account_id:
        return str(_("the applicant"))
    return actor.get_full_name() or actor.email


@dataclass(frozen=True)
class ReportedChange:
    report: ChangeReport
    rows: list[ChangeRow]
    # Who reported it (``actor_label``).
    reporter: str = ""


def reported_changes(
    application: Application, reports: Iterable[ChangeReport] | None = None
) -> list[ReportedChange]:
    """Each reported change with its rows; ``reports`` when the caller prefetched them."""
    filed = application.party
    found = change_reports_of(application) if reports is None else reports
    return [
        ReportedChange(
            report,
            change_rows(report, filed),
            actor_label(report.reported_by, application) if report.reported_by_id else "",
        )
        for report in sorted(found, key=lambda report: report.sub_number)
    ]


def cases_taking_change_reports(*, applicant: Applicant, today: date) -> list[Application]:
    """The person's cases on which a change of their data is to be reported [003]: in
    proceedings or awaiting the remedies, or the case of a valid permit. One query."""
    return list(
        Application.objects.filter(applicant=applicant)
        .filter(change_reportable(today=today))
        .select_related("permit_type")
        .order_by("filed_at", "pk")
    )


def with_change_report_flag(applicants: QuerySet[Applicant], *, today: date) -> QuerySet[Applicant]:
    """The people with ``takes_change_reports``: whether any of their cases takes reported
    changes (``cases_taking_change_reports``), in the same query."""
    cases = Application.objects.filter(applicant=OuterRef("pk")).filter(
        change_reportable(today=today)
    )
    return applicants.annotate(takes_change_reports=Exists(cases))


def report_due(kind: str, *, changed_on: date) -> date:
    """The last day to report a change made on ``changed_on``: 3 days for personal data, 30 for
    an address (D6) [003], counted as every period is (D1)."""
    return deadlines.period_end(changed_on, REPORT_PERIOD_DAYS[ChangeKind(kind)])


# --- The documents checklist -----------------------------------------------------------------


@dataclass
class ChecklistItem:
    kind: DocumentKind
    # Every file uploaded for the kind: the pages of its documents, document by document.
    documents: list[Document]
    error: str = ""

    @property
    def uploaded(self) -> bool:
        return bool(self.documents)

    @property
    def items(self) -> list[Document]:
        """The documents of the kind, each once: its first page, carrying all its pages
        (``Document.item_pages``)."""
        return group_item_pages(self.documents)

    @property
    def anchor(self) -> str:
        return f"document-{self.kind.code}"


def document_checklist(application: Application) -> list[ChecklistItem]:
    """The documents the case needs now, each with what is uploaded for it.

    In a draft: every required kind (the catalogue and the rules) and its current document.
    During an interruption: the kinds the office asked for and what was supplied for it. A
    document's pages come together, in their order.
    """
    interruption = application.open_interruption
    if application.status == Status.INTERRUPTED and interruption is not None:
        kinds = list(interruption.requested_kinds.all())
        supplied = application.documents.usable().filter(interruption=interruption)
    else:
        kinds = checks.required_document_kinds(application)
        supplied = application.documents.usable()
    by_kind: dict[int, list[Document]] = {}
    for document in supplied.order_by("item_number", "page", "sub_number"):
        by_kind.setdefault(document.kind_id, []).append(document)
    return [ChecklistItem(kind=kind, documents=by_kind.get(kind.pk, [])) for kind in kinds]


# --- The draft's task list -------------------------------------------------------------------


class TaskState:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANNOT_START = "cannot_start"


TASK_STATE_LABELS: dict[str, Text] = {
    TaskState.NOT_STARTED: _("Not started"),
    TaskState.IN_PROGRESS: _("In progress"),
    TaskState.COMPLETED: _("Completed"),
    TaskState.CANNOT_START: _("Cannot start yet"),
}


@dataclass(frozen=True)
class Task:
    key: str
    title: Text
    state: str
    url: str = ""
    hint: Text = ""

    @property
    def state_label(self) -> Text:
        return TASK_STATE_LABELS[self.state]


def questions_for_application(application: Application, *, today: date) -> list[Question]:
    return questions_for(
        application.permit_type.code,
        abroad=application.is_abroad,
        minor=application.party.is_minor_on(today),
    )


def answers_state(application: Application, *, today: date) -> str:
    questions = questions_for_application(application, today=today)
    if not questions:
        return TaskState.COMPLETED
    answered = {q.key for q in questions} & set(application.answers or {})
    if not answered:
        return TaskState.NOT_STARTED
    _cleaned, errors = validate_answers(application.permit_type.code, application.answers or {})
    shown = {q.key for q in questions}
    return TaskState.IN_PROGRESS if shown & set(errors) else TaskState.COMPLETED


def draft_tasks(application: Application, *, user: User, today: date) -> list[Task]:
    """The sections of a draft and how far each is (GOV.UK task list)."""
    pk = application.pk
    missing_details = applicant_missing_details(application.applicant)
    is_owner = application.applicant.account_id == user.pk
    details = Task(
        "details",
        _("Personal details"),
        TaskState.IN_PROGRESS if missing_details else TaskState.COMPLETED,
        url="/accounts/profile/" if is_owner else "",
        hint=_("Missing: %(fields)s") % {"fields": ", ".join(str(f) for f in missing_details)}
        if missing_details
        else "",
    )
    questions = Task(
        "questions",
        _("Questions about your application"),
        answers_state(application, today=today),
        url=reverse("applications:questions", args=[pk]),
    )
    checklist = document_checklist(application)
    uploaded = sum(1 for item in checklist if item.uploaded)
    if uploaded == 0 and checklist:
        documents_state = TaskState.NOT_STARTED
    elif uploaded < len(checklist):
        documents_state = TaskState.IN_PROGRESS
    else:
        documents_state = TaskState.COMPLETED
    documents = Task(
        "documents",
        _("Documents"),
        documents_state,
        url=reverse("applications:documents", args=[pk]),
        hint=_("%(uploaded)s of %(total)s uploaded")
        % {"uploaded": uploaded, "total": len(checklist)},
    )
    ready = all(task.state == TaskState.COMPLETED for task in (details, questions, documents))
    check = Task(
        "check",
        _("Check your answers"),
        TaskState.NOT_STARTED if ready else TaskState.CANNOT_START,
        url=reverse("applications:check", args=[pk]) if ready else "",
    )
    declaration = Task(
        "file",
        _("Declaration and filing"),
        TaskState.NOT_STARTED if ready else TaskState.CANNOT_START,
        url=reverse("applications:file", args=[pk]) if ready else "",
    )
    return [details, questions, documents, check, declaration]


# --- Filing problems as links ----------------------------------------------------------------


@dataclass(frozen=True)
class ProblemLink:
    message: str
    url: str = ""


def filing_problem_links(application: Application) -> list[ProblemLink]:
    """What stops filing, each linked to the section where it is put right."""
    pk = application.pk
    documents_url = reverse("applications:documents", args=[pk])
    links = [
        ProblemLink(
            str(_("Missing document: %(kind)s.") % {"kind": kind.name}),
            f"{documents_url}#document-{kind.code}",
        )
        for kind in checks.missing_document_kinds(application)
    ]
    questions_url = reverse("applications:questions", args=[pk])
    links += [
        ProblemLink(str(finding.message), questions_url)
        for finding in rules.blocking_errors(checks.findings(application))
    ]
    return links


# --- The account holder's people ---------------------------------------------------------------


def self_applicant_for_user(*, user: User) -> Applicant | None:
    """The account holder's own applicant record, once they have saved their personal data."""
    return Applicant.objects.filter(account=user, relation=Relation.SELF).first()


def children_for_user(*, user: User) -> QuerySet[Applicant]:
    """The minor children the account holder represents (never another account's)."""
    return Applicant.objects.filter(account=user, relation=Relation.CHILD).order_by("pk")


def children_oldest_first(*, user: User) -> list[Applicant]:
    """The account holder's children, the eldest first.

    Sorted here, not by the database: the date of birth is stored encrypted.
    """
    return sorted(
        children_for_user(user=user), key=lambda child: (child.date_of_birth, child.given_names)
    )
