"""The caseworkers' queues: which cases each tab lists, in what order, and how many there are.

Every list is one query (``queue_for``) and the counts of every tab are one more query
(``tab_counts``), whatever the size of the page or of the table. The orders are those of the
indexes in ``applications.models`` and ``applications/migrations/0003_*``; docs/queues.md has the
query plans on a million cases.

Counts are capped: a tab shows the exact number up to ``COUNT_CAP`` and "10,000+" beyond it. An
exact count of a tab holding 200,000 cases reads 200,000 index entries on every page view, and no
caseworker pages that far; the cap bounds every count to ``COUNT_CAP + 1`` entries read. With
filters or a search, the counts come from one conditional aggregate over at most
``COUNT_CAP + 1`` matching cases (``tab_counts``).

The pages read here too: a tab as the queue page shows it (``queue_page``), and a case as the
caseworker's case page shows it (``case_for_caseworker``, ``caseworker_case``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import dateformat, formats
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import has_transition_perm

from applications import checks, guards, remedies, selectors
from applications.constants import OPEN_STATUSES, Remedy, Status
from applications.models import (
    Appeal,
    Application,
    AuditEntry,
    CaseNote,
    ChangeReport,
    Decision,
    Interruption,
    Party,
    travel_document_indexes,
)
from applications.urgency import Urgency, decision_urgency
from core import clock
from core.generations import Generations
from documents.models import Document, group_item_pages
from permits.questions import Question, questions_for
from permits.rules import Finding

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
COUNT_CAP = 10_000
DUE_SOON_DAYS = 7
RECENTLY_DECIDED_DAYS = 30


class Tab:
    """The queue tabs, in the order they are shown."""

    NEW = "new"
    MINE = "mine"
    ARRIVED = "arrived"
    DUE_SOON = "due"
    OVERDUE = "overdue"
    INTERRUPTED = "interrupted"
    APPEALS = "appeals"
    DECIDED = "decided"


TABS: dict[str, Any] = {
    Tab.NEW: _("New and unassigned"),
    Tab.MINE: _("My cases"),
    Tab.ARRIVED: _("Documents arrived"),
    Tab.DUE_SOON: _("Due within 7 days"),
    Tab.OVERDUE: _("Overdue"),
    Tab.INTERRUPTED: _("Waiting for the applicant"),
    Tab.APPEALS: _("Appeals and re-assessments to record"),
    Tab.DECIDED: _("Recently decided"),
}


class SearchIn:
    AUTO = "auto"
    REFERENCE = "reference"
    SURNAME = "surname"
    DOCUMENT = "document"


@dataclass(frozen=True)
class QueueFilters:
    """What the caseworker narrowed the list to; empty values do not filter."""

    permit_type: int | None = None
    status: str = ""
    channel: str = ""
    # A caseworker's id, or "none" for the unassigned cases.
    assignee: str = ""
    q: str = ""
    search_in: str = SearchIn.AUTO
    past_deadline: bool = False
    descending: bool = False

    @classmethod
    def from_cleaned(cls, data: dict[str, Any]) -> QueueFilters:
        assignee = data.get("assignee") or ""
        return cls(
            permit_type=data.get("permit_type") or None,
            status=data.get("status") or "",
            channel=data.get("channel") or "",
            assignee=str(assignee),
            q=(data.get("q") or "").strip(),
            search_in=data.get("search_in") or SearchIn.AUTO,
            past_deadline=bool(data.get("past_deadline")),
            descending=data.get("order") == "desc",
        )


# --- The tabs ------------------------------------------------------------------------------


def tab_condition(tab: str, *, user: User, today: date) -> Q:
    """Which cases a tab lists."""
    if tab == Tab.NEW:
        return Q(status=Status.FILED, assigned_to__isnull=True)
    if tab == Tab.MINE:
        return Q(assigned_to=user, status__in=OPEN_STATUSES)
    if tab == Tab.ARRIVED:
        # Documents or changes came in and wait to be checked (``case_watch``), read from the
        # partial index on ``arrived_at``.
        return Q(arrived_at__isnull=False, status__in=OPEN_STATUSES)
    if tab == Tab.DUE_SOON:
        return Q(
            status=Status.FILED,
            decision_due__gte=today,
            decision_due__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
    if tab == Tab.OVERDUE:
        return Q(status=Status.FILED, decision_due__lt=today)
    if tab == Tab.INTERRUPTED:
        return Q(status=Status.INTERRUPTED)
    if tab == Tab.APPEALS:
        return Q(status=Status.APPEALED)
    if tab == Tab.DECIDED:
        # Only a decision sets decided_on (decided, appealed, closed; an appeal that returns
        # the case clears it), so the date alone selects the tab, from its partial index.
        return Q(decided_on__gte=today - timedelta(days=RECENTLY_DECIDED_DAYS))
    raise ValueError(f"unknown queue tab {tab!r}")


def _open_and_late(today: date) -> Exists:
    """The case's open interruption is past its documents' deadline (proceedings may stop)."""
    return Exists(
        Interruption.objects.filter(
            application=OuterRef("pk"), ended_on__isnull=True, deadline__lt=today
        )
    )


def _count_condition(tab: str, *, user: User, today: date, past_deadline: bool) -> Q:
    """A tab's condition for counting: what the tab lists, with the interrupted tab's
    sub-filter when it is on (on the ``late`` annotation of ``_countable``)."""
    if tab == Tab.INTERRUPTED and past_deadline:
        return Q(status=Status.INTERRUPTED, late=True)
    return tab_condition(tab, user=user, today=today)


def _countable(queryset: QuerySet[Application], *, today: date, past_deadline: bool) -> QuerySet:
    return queryset.annotate(late=_open_and_late(today)) if past_deadline else queryset


_REFERENCE = re.compile(r"(OAM-?)?\d[\dA-Z/-]*")
_NAME = re.compile(r"[^\W\d_][^\W\d_' .-]*(?:[' .-][^\W\d_' .-]*)*")


def search_kind(q: str, search_in: str) -> str:
    """What a search box entry is: a reference number, a surname or a travel document."""
    if search_in != SearchIn.AUTO:
        return search_in
    text = q.strip().upper()
    if _REFERENCE.fullmatch(text) and (text.startswith("OAM") or text[:1].isdigit()):
        # Digits only may also be a passport number; the reference is the likelier meaning in
        # an office that quotes references; "search in" chooses explicitly.
        return SearchIn.REFERENCE
    if _NAME.fullmatch(q.strip()):
        return SearchIn.SURNAME
    return SearchIn.DOCUMENT


def search_condition(q: str, search_in: str = SearchIn.AUTO) -> Q:
    """Reference number (exact or prefix), surname (prefix, any case), travel document (exact,
    ignoring case, spaces and dashes).

    Surname and document are searched in the person's record as it is now, through its indexes
    (the filed data is encrypted and has none): a person who changed name or passport since
    filing is found by what they show today. The list still shows each case as filed (``cell``),
    and the case page has the reported change beside the filed data.
    """
    q = q.strip()
    if not q:
        return Q()
    kind = search_kind(q, search_in)
    if kind == SearchIn.REFERENCE:
        prefix = re.sub(r"\s+", "", q).upper()
        if prefix[:1].isdigit():
            prefix = f"OAM-{prefix}"
        elif prefix.startswith("OAM") and not prefix.startswith("OAM-"):
            prefix = f"OAM-{prefix[3:]}"
        # A full reference is a prefix of itself: one indexed range covers both.
        return Q(reference_number__startswith=prefix)
    if kind == SearchIn.SURNAME:
        return Q(applicant__surname__istartswith=q)
    # The number is stored encrypted: its blind index is searched, under every nationality.
    return Q(applicant__travel_document_index__in=travel_document_indexes(q))


def _filter_condition(filters: QueueFilters) -> Q:
    condition = Q()
    if filters.permit_type:
        condition &= Q(permit_type_id=filters.permit_type)
    if filters.status:
        condition &= Q(status=filters.status)
    if filters.channel:
        condition &= Q(channel=filters.channel)
    if filters.assignee == "none":
        condition &= Q(assigned_to__isnull=True)
    elif filters.assignee:
        condition &= Q(assigned_to_id=int(filters.assignee))
    return condition & search_condition(filters.q, filters.search_in)


def _ordering(tab: str, descending: bool) -> list[Any]:
    if tab == Tab.INTERRUPTED:
        fields = [F("open_deadline"), F("pk")]
    elif tab == Tab.DECIDED:
        # Newest first by default.
        descending = not descending
        fields = [F("decided_on"), F("pk")]
    elif tab == Tab.APPEALS:
        # No decision clock runs on an appeal: the oldest decision waits longest.
        fields = [F("decided_on"), F("pk")]
    elif tab == Tab.ARRIVED:
        # What came in first is checked first.
        fields = [F("arrived_at"), F("pk")]
    else:
        fields = [F("decision_due"), F("pk")]
    # NULLS LAST ascending, NULLS FIRST descending: the orders a b-tree index reads either way.
    return [f.desc(nulls_first=True) if descending else f.asc(nulls_last=True) for f in fields]


def open_interruption_deadline() -> Subquery:
    # At most one interruption is open (a unique constraint): no ordering needed.
    return Subquery(
        Interruption.objects.filter(application=OuterRef("pk"), ended_on__isnull=True)
        .order_by()
        .values("deadline")[:1]
    )


def queue_for(
    user: User, tab: str, filters: QueueFilters | None = None, *, today: date
) -> QuerySet[Application]:
    """The cases of one tab, filtered and in the tab's order, with what the list shows.

    ``open_deadline`` is the deadline of the open interruption (the documents' deadline, D5).
    The interrupted tab joins the open interruption instead of a subquery, so that its order
    (by that deadline) is read from the partial index on open interruptions, not sorted.
    """
    filters = filters or QueueFilters()
    cases = Application.objects.select_related("applicant", "permit_type", "assigned_to")
    if tab == Tab.INTERRUPTED:
        # "deadline is not null" holds for every interruption; it is here to make the join an
        # INNER one (Django makes a join LEFT OUTER for "ended_on is null" alone), so that
        # PostgreSQL reads the open interruptions in deadline order from their partial index.
        condition = Q(
            status=Status.INTERRUPTED,
            interruptions__ended_on__isnull=True,
            interruptions__deadline__isnull=False,
        )
        if filters.past_deadline:
            condition &= Q(interruptions__deadline__lt=today)
        cases = cases.filter(condition).annotate(open_deadline=F("interruptions__deadline"))
    else:
        cases = cases.filter(tab_condition(tab, user=user, today=today)).annotate(
            open_deadline=open_interruption_deadline()
        )
    if tab == Tab.APPEALS:
        # Which remedy waits for its result, and by when a re-assessment is answered [003].
        cases = cases.annotate(
            remedy_kind=_pending_remedy_value("kind"),
            answer_due=_pending_remedy_value("answer_due"),
        )
    return cases.filter(_filter_condition(filters)).order_by(*_ordering(tab, filters.descending))


def _pending_remedy_value(field: str) -> Subquery:
    # At most one remedy waits for its result (one per decision, the current decision's).
    return Subquery(
        Appeal.objects.filter(application=OuterRef("pk"), result="").order_by().values(field)[:1]
    )


def _narrows(filters: QueueFilters) -> bool:
    return bool(
        filters.permit_type or filters.status or filters.channel or filters.assignee or filters.q
    )


@dataclass(frozen=True)
class TabCounts:
    """How many cases each tab holds; a tab in ``capped`` holds at least that many."""

    counts: dict[str, int]
    capped: frozenset[str] = frozenset()

    def __getitem__(self, tab: str) -> int:
        return min(self.counts[tab], COUNT_CAP)

    def shown(self, tab: str) -> str:
        """The count as shown: "1,234", or "10,000+" when it is a lower bound."""
        number = formats.number_format(self[tab], force_grouping=True)
        return f"{number}+" if tab in self.capped else number


def _capped_count_sql(queryset: QuerySet[Any], using: str) -> tuple[str, tuple[Any, ...]]:
    sql, params = (
        queryset.order_by().values("pk")[: COUNT_CAP + 1].query.get_compiler(using).as_sql()
    )
    # The inner SQL is compiled by the ORM, its values are parameters: nothing a person typed is
    # formatted into the statement.
    return f"(SELECT COUNT(*) FROM ({sql}) AS capped)", tuple(params)  # noqa: S608  # nosec B608


def tab_counts_sql(
    user: User, filters: QueueFilters | None = None, *, today: date
) -> tuple[str, list[Any], list[str], str]:
    """The statement behind ``tab_counts`` for an unfiltered queue: one capped scalar subquery
    per tab. Returns its SQL, parameters, the tab of each column, and the database alias."""
    filters = filters or QueueFilters()
    using = Application.objects.db
    sqls: list[str] = []
    params: list[Any] = []
    for tab in TABS:
        if tab == Tab.INTERRUPTED and filters.past_deadline:
            # Counted on the open interruptions' own partial index: a case has one open
            # interruption exactly while it is interrupted (a unique constraint and the
            # services: interrupt opens it; resume, stop and withdraw close it).
            counted: QuerySet[Any] = Interruption.objects.filter(
                ended_on__isnull=True, deadline__lt=today
            )
        else:
            counted = Application.objects.filter(tab_condition(tab, user=user, today=today))
        sql, part_params = _capped_count_sql(counted, using)
        sqls.append(sql)
        params.extend(part_params)
    return "SELECT " + ", ".join(sqls), params, list(TABS), using


def _filtered_counts(user: User, filters: QueueFilters, *, today: date) -> TabCounts:
    """One ``COUNT(*) FILTER (WHERE ...)`` aggregate over the first ``COUNT_CAP + 1`` cases
    that match the filters and search. Few match (a search): exact counts. Many match: each
    tab's count is a lower bound, shown with a "+", and the filters should be narrowed."""
    in_any_tab = Q(status__in=OPEN_STATUSES) | Q(
        decided_on__gte=today - timedelta(days=RECENTLY_DECIDED_DAYS)
    )
    candidates = _countable(
        Application.objects.filter(_filter_condition(filters) & in_any_tab),
        today=today,
        past_deadline=filters.past_deadline,
    ).order_by()[: COUNT_CAP + 1]
    # Aggregating a sliced queryset counts over a subquery: the matching cases are read once.
    counted = candidates.aggregate(
        examined=Count("pk"),
        **{
            tab: Count(
                "pk",
                filter=_count_condition(
                    tab, user=user, today=today, past_deadline=filters.past_deadline
                ),
            )
            for tab in TABS
        },
    )
    examined = counted.pop("examined")
    capped = frozenset(TABS) if examined > COUNT_CAP else frozenset()
    return TabCounts(counts=counted, capped=capped)


# The unfiltered counts of a caseworker's tabs are kept (``core.generations``) until a case
# changes: every change writes an audit entry, whose saving starts a new generation
# (``applications.apps``). An office with a change a second counts at most once a second per
# caseworker instead of on every page view; a quiet one, once a minute (the day turns, a
# deadline passes with no change written).
KEPT_COUNTS = Generations("figures", "queue-counts:generation")
KEPT_COUNTS_SECONDS = 60


def tab_counts(user: User, filters: QueueFilters | None = None, *, today: date) -> TabCounts:
    """How many cases each tab holds under the current filters: one query either way.

    Unfiltered, a capped scalar subquery per tab reads at most ``COUNT_CAP + 1`` entries of the
    tab's own index. Filtered or searched, the tabs' indexes no longer answer alone (a filter
    on the channel or a surname must read the rows), so one conditional aggregate counts all
    tabs at once over at most ``COUNT_CAP + 1`` matching cases. One aggregate over *every*
    case, filtered or not, reads most of a million-row table on each page view; docs/queues.md
    has the numbers.
    """
    filters = filters or QueueFilters()
    if _narrows(filters):
        return _filtered_counts(user, filters, today=today)
    key = f"queue-counts:{user.pk}:{today.isoformat()}:{int(filters.past_deadline)}"
    generation, counts = KEPT_COUNTS.read(key)
    if counts is None:
        sql, params, keys, using = tab_counts_sql(user, filters, today=today)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        counts = dict(zip(keys, row, strict=True))
        KEPT_COUNTS.keep(key, generation, counts, timeout=KEPT_COUNTS_SECONDS)
    return TabCounts(
        counts=counts, capped=frozenset(tab for tab, n in counts.items() if n > COUNT_CAP)
    )


class CappedPaginator(Paginator):
    """A paginator that is told its count (from ``tab_counts``) instead of counting.

    So a page costs one query. When the count is a lower bound, the last reachable page is
    the one it reaches (at most the 200th): narrow the list with the filters to see the rest.
    """

    def __init__(
        self, object_list: QuerySet[Application], per_page: int, *, count: int, capped: bool
    ) -> None:
        super().__init__(object_list, per_page)
        # The list as the queryset it is: a page reads it twice, the ids and then the cases.
        self.cases = object_list
        self._known_count = count
        self.is_capped = capped

    @cached_property
    def count(self) -> int:
        return self._known_count

    def page(self, number: Any) -> Page:
        """A page by deferred join: the page's ids first, read from the tab's index alone
        (OFFSET then skips index entries, not joined rows), then those cases with what the list
        shows. Two queries, however deep the page."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top <= bottom:
            return Page([], number, self)
        ids = list(self.cases.values_list("pk", flat=True)[bottom:top])
        loaded = {case.pk: case for case in self.cases.order_by().filter(pk__in=ids)}
        return Page([loaded[pk] for pk in ids if pk in loaded], number, self)


# --- What a list shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: Any


_COMMON_COLUMNS = [
    Column("reference", _("Reference number")),
    Column("applicant", _("Applicant")),
    Column("permit_type", _("Permit type")),
    Column("status", _("State")),
    Column("channel", _("Channel")),
    Column("assignee", _("Assigned to")),
    Column("filed_on", _("Filed on")),
]


def columns_for(tab: str) -> list[Column]:
    """The columns of a tab's table; the CSV export has exactly these."""
    if tab == Tab.ARRIVED:
        return [*_COMMON_COLUMNS, Column("arrived_on", _("Arrived on"))]
    if tab == Tab.INTERRUPTED:
        return [*_COMMON_COLUMNS, Column("open_deadline", _("Documents due by"))]
    if tab == Tab.APPEALS:
        return [
            *_COMMON_COLUMNS,
            Column("decided_on", _("Decided on")),
            Column("outcome", _("Outcome")),
            Column("remedy_kind", _("Remedy")),
            Column("answer_due", _("Answer due")),
        ]
    if tab == Tab.DECIDED:
        return [
            *_COMMON_COLUMNS,
            Column("decided_on", _("Decided on")),
            Column("outcome", _("Outcome")),
        ]
    if tab == Tab.MINE:
        return [
            *_COMMON_COLUMNS,
            Column("decision_due", _("Decision due")),
            Column("days_left", _("Days left")),
            Column("open_deadline", _("Documents due by")),
        ]
    return [
        *_COMMON_COLUMNS,
        Column("decision_due", _("Decision due")),
        Column("days_left", _("Days left")),
    ]


def case_urgency(application: Application, *, today: date) -> Urgency:
    """The case against its decision deadline, from the row itself (no query)."""
    return decision_urgency(
        status=application.status,
        due=application.decision_due,
        today=today,
        soon_within=DUE_SOON_DAYS,
    )


def cell(application: Application, key: str, *, today: date | None = None) -> Any:
    """The value of one column for one case: text, a date, an ``Urgency`` (its words) or None.
    ``today`` is the day the days left are counted from (``clock.today()`` unless given)."""
    if key == "days_left":
        return case_urgency(application, today=today or clock.today()).text or None
    if key == "reference":
        return application.reference_number
    if key == "applicant":
        # The person as filed (SPEC §2), decrypted from the row itself: no query per row. The
        # search still finds them by the name and document they have now (``search_condition``).
        party = application.party
        return f"{party.surname}, {party.given_names}"
    if key == "permit_type":
        return application.permit_type.name
    if key == "status":
        return application.get_status_display()
    if key == "channel":
        return application.get_channel_display()
    if key == "assignee":
        user = application.assigned_to
        return (user.get_full_name() or user.email) if user else ""
    if key == "outcome":
        return application.get_outcome_display()
    if key == "remedy_kind":
        kind = getattr(application, "remedy_kind", "")
        return Remedy(kind).label if kind else ""
    if key == "arrived_on":
        # The Prague calendar day of the first arrival, not the stored instant's UTC day.
        arrived = application.arrived_at
        return clock.local_date(arrived) if arrived else None
    return getattr(application, key)


def shown_value(value: Any, date_format: str) -> str:
    """A cell as the page shows it: a date in the given format, "—" for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return dateformat.format(value, date_format)
    return str(value)


def queue_rows(
    cases: Iterable[Application], columns: list[Column], *, tab: str, today: date
) -> list[dict[str, Any]]:
    """The cases of a page as table rows: the reference is the row's header and link (carrying
    the tab, so the case page offers the tab's next case), the other columns are text. A case
    overdue or due soon is marked on its row and, in words, in its "days left" cell."""
    shown = [column.key for column in columns if column.key != "reference"]
    short_date = formats.get_format("SHORT_DATE_FORMAT")
    rows = []
    for application in cases:
        urgency = case_urgency(application, today=today)
        rows.append(
            {
                "pk": application.pk,
                "reference": application.reference_number,
                "url": f"{reverse('caseworker:case', args=[application.pk])}?from={tab}",
                "urgency": urgency,
                "cells": [
                    {"key": "days_left", "text": urgency.text or "—", "urgency": urgency}
                    if key == "days_left"
                    else {"key": key, "text": shown_value(cell(application, key), short_date)}
                    for key in shown
                ],
            }
        )
    return rows


@dataclass(frozen=True)
class QueuePage:
    """One tab as its page shows it: every tab with its count, and one page of cases."""

    tab: str
    tab_label: Any
    tabs: list[dict[str, Any]]
    past_deadline: bool
    columns: list[Column]
    rows: list[dict[str, Any]]
    page: Page
    paginator: CappedPaginator
    # The tab's count as shown ("1,234", "10,000+").
    total: str


def queue_page(
    user: User, tab: str, filters: QueueFilters, *, today: date, page_number: Any
) -> QueuePage:
    """One page of a tab with the counts of every tab: three queries (``tab_counts`` and the
    page's two, ``CappedPaginator.page``), whatever the number of cases."""
    counts = tab_counts(user, filters, today=today)
    paginator = CappedPaginator(
        queue_for(user, tab, filters, today=today),
        PAGE_SIZE,
        count=counts[tab],
        capped=tab in counts.capped,
    )
    page = paginator.get_page(page_number)
    columns = columns_for(tab)
    return QueuePage(
        tab=tab,
        tab_label=TABS[tab],
        tabs=[
            {"key": key, "label": label, "count": counts.shown(key)} for key, label in TABS.items()
        ],
        past_deadline=filters.past_deadline,
        columns=columns,
        rows=queue_rows(page, columns, tab=tab, today=today),
        page=page,
        paginator=paginator,
        total=counts.shown(tab),
    )


# --- The case page and the people ----------------------------------------------------------


def case_for_caseworker(pk: int) -> Application:
    """One case with everything the case page shows, in a fixed number of queries.

    Staff see every case; raises ``Application.DoesNotExist`` for an unknown id.
    """
    return (
        Application.objects.select_related("applicant", "permit_type", "assigned_to", "permit")
        .prefetch_related(
            Prefetch(
                "interruptions",
                queryset=Interruption.objects.prefetch_related("requested_kinds"),
            ),
            "decisions__document",
            "decisions__decided_by",
            "appeals",
            Prefetch(
                "documents",
                queryset=Document.objects.select_related("kind", "uploaded_by", "verified_by"),
            ),
            Prefetch("audit_entries", queryset=AuditEntry.objects.select_related("actor")),
            Prefetch("notes", queryset=CaseNote.objects.select_related("author")),
            Prefetch(
                "change_reports",
                queryset=ChangeReport.objects.select_related(
                    "reported_by", "acknowledged_by"
                ).prefetch_related("attachments"),
            ),
        )
        .exclude(status=Status.DRAFT)
        .get(pk=pk)
    )


# The permission to assign cases: supervisors (and admins) have it.
ASSIGN = "applications.assign_application"


def _awaits_receipt(application: Application) -> bool:
    """A decision delivered on paper (post, in person) is out, and the day the person received
    it is not recorded yet (D3)."""
    decision = application.current_decision
    return (
        application.status == Status.DECIDED
        and not application.delivers_in_portal
        and decision is not None
        and decision.made_available_on is not None
        and decision.delivered_on is None
    )


def allowed_actions(application: Application, user: User) -> dict[str, bool]:
    """What this user may do on this case now: the state machine's own permissions and
    conditions (django-fsm), and the assignment rules of the services. Only the caseworker the
    case is assigned to, or a supervisor, acts on it (``guards.may_act_on_case``, SPEC §2); any
    caseworker reads it and adds notes. The services refuse what this hides."""
    in_proceedings = application.status not in (Status.DRAFT, Status.CLOSED, Status.WITHDRAWN)
    supervisor = user.has_perm(ASSIGN)
    assignee_id = application.assigned_to_id
    frozen = guards.documents_frozen(application.status)

    def transition(name: str) -> bool:
        # The transition from this state, its conditions and its permission.
        return has_transition_perm(getattr(application, name), user)

    return {
        "claim": in_proceedings and assignee_id is None,
        "release": in_proceedings
        and assignee_id is not None
        and (assignee_id == user.pk or supervisor),
        "assign": in_proceedings and supervisor,
        "interrupt": transition("interrupt"),
        "resume": transition("resume"),
        # Only the assigned caseworker decides (guards.may_decide); the service enforces it.
        "decide": transition("decide"),
        "stop": transition("stop"),
        "appeal_result": transition("resolve_appeal"),
        # As the services allow: the assigned caseworker or a supervisor.
        "record_receipt": _awaits_receipt(application) and (assignee_id == user.pk or supervisor),
        # After a decision the file changes only through the remedies (SPEC §2).
        "verify_documents": not frozen and guards.may_act_on_case(application, user),
        "documents_frozen": frozen,
    }


def _rule_findings(application: Application) -> list[Finding] | None:
    """What the rules say about the case; None when a rule breaks (the page opens anyway)."""
    try:
        return checks.findings(application)
    except Exception:  # the page must open even if a rule breaks
        logger.exception("The rules could not be evaluated for application %s", application.pk)
        return None


def _answer_text(value: Any, question: Question | None) -> str:
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if question is not None and getattr(question, "choices", None):
        labels = dict(question.choices)
        if isinstance(value, list):
            return ", ".join(str(labels.get(item, item)) for item in value)
        return str(labels.get(value, value))
    if isinstance(value, list):
        return "; ".join(
            " ".join(str(part) for part in item.values()) if isinstance(item, dict) else str(item)
            for item in value
        )
    return "—" if value in (None, "") else str(value)


def case_answers(application: Application) -> list[tuple[str, str]]:
    """The answers as filed, labelled by their questions in the questions' order; answers to
    questions the catalogue no longer asks follow under their keys."""
    answers = application.answers or {}
    questions = questions_for(application.permit_type.code)
    known = {question.key for question in questions}
    shown = [
        (str(question.label), _answer_text(answers[question.key], question))
        for question in questions
        if question.key in answers
    ]
    return shown + [
        (key, _answer_text(value, None)) for key, value in answers.items() if key not in known
    ]


def _preview(document: Document) -> str | None:
    if document.content_type.startswith("image/"):
        return "image"
    if document.content_type == "application/pdf":
        return "pdf"
    return None


@dataclass(frozen=True)
class DecisionClock:
    """The decision period as the case page shows it (D2)."""

    paused: bool
    due: date | None
    days_left: int | None
    days_overdue: int
    runs: bool
    # Working days left, "paused" or overdue, in words (``applications.urgency``).
    urgency: Urgency


@dataclass(frozen=True)
class CaseworkerCase:
    """What the caseworker's case page shows of a case, besides the forms (the view's)."""

    application: Application
    # The person as filed (SPEC §2); the changes reported since are shown beside it.
    applicant: Party
    reported_changes: list[selectors.ReportedChange]
    may_acknowledge_changes: bool
    today: date
    actions: dict[str, bool]
    # Each document in the file, in the order of its number, with how it can be previewed.
    documents: list[tuple[Document, str | None]]
    interruption: Interruption | None
    interruptions: list[Interruption]
    decisions: list[Decision]
    appeals: list[Appeal]
    # The appeal or request for re-assessment waiting for its result (``appealed``).
    pending_remedy: Appeal | None
    clock: DecisionClock
    findings: list[Finding] | None
    answers: list[tuple[str, str]]
    timeline: list[dict[str, Any]]
    notes: list[CaseNote]
    is_assignee: bool


def pending_remedy(application: Application) -> Appeal | None:
    """The appeal or request for re-assessment lodged on the case that waits for its result
    (read from the case's ``appeals``, prefetched on the case page)."""
    return next((appeal for appeal in application.appeals.all() if not appeal.result), None)


def caseworker_case(application: Application, *, user: User, today: date) -> CaseworkerCase:
    """The case page's reading of a case loaded by ``case_for_caseworker`` (its prefetches)."""
    due = application.decision_due
    return CaseworkerCase(
        application=application,
        applicant=application.party,
        reported_changes=selectors.reported_changes(application, application.change_reports.all()),
        may_acknowledge_changes=application.assigned_to_id == user.pk or user.has_perm(ASSIGN),
        today=today,
        actions=allowed_actions(application, user),
        documents=[
            (document, _preview(document))
            for document in group_item_pages(
                sorted(application.documents.all(), key=lambda d: d.sub_number)
            )
        ],
        interruption=application.open_interruption,
        interruptions=list(application.interruptions.all()),
        decisions=sorted(application.decisions.all(), key=lambda d: d.decided_at, reverse=True),
        appeals=list(application.appeals.all()),
        pending_remedy=pending_remedy(application),
        clock=DecisionClock(
            paused=application.status == Status.INTERRUPTED,
            due=due,
            days_left=(due - today).days if due else None,
            days_overdue=(today - due).days if due and due < today else 0,
            runs=application.status == Status.FILED,
            urgency=case_urgency(application, today=today),
        ),
        findings=_rule_findings(application),
        answers=case_answers(application),
        timeline=[
            {
                "entry": entry,
                "label": remedies.audit_label(entry),
                "actor": selectors.actor_label(entry.actor, application),
            }
            for entry in application.audit_entries.all()
        ],
        notes=list(application.notes.all()),
        is_assignee=application.assigned_to_id == user.pk,
    )


def caseworkers() -> QuerySet[Any]:
    """The people cases can be assigned to: active users who may process applications."""
    may_process = {"app_label": "applications", "codename": "process_application"}
    through_group = Q(
        groups__permissions__content_type__app_label=may_process["app_label"],
        groups__permissions__codename=may_process["codename"],
    )
    directly = Q(
        user_permissions__content_type__app_label=may_process["app_label"],
        user_permissions__codename=may_process["codename"],
    )
    return (
        get_user_model()
        .objects.filter(through_group | directly, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )
