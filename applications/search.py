"""The search over every case: filed, in proceedings, decided, closed or withdrawn.

The queues list the cases the office has work on and those decided in the last 30 days; this
search finds any case that was ever filed (a draft is the applicant's own, SPEC §1). The free-text
box is the queues' own (``queues.search_condition``): reference number (exact or prefix), surname
(prefix) or travel document (its blind index), in the person's record as it is now; the list
shows each case as filed (``queues.cell``).

The GET parameters are a contract: the supervisor dashboard links here with them (``CaseSearch``
says what each means). A page is three queries whatever the number of cases: a count capped at
``COUNT_CAP`` (exact below it, "1,000+" above), the page's ids, then those cases
(``queues.CappedPaginator``). docs/search.md has the plans and timings on a million cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page
from django.db.models import F, OrderBy, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.constants import OPEN_STATUSES, Status
from applications.models import Application
from applications.queues import (
    PAGE_SIZE,
    CappedPaginator,
    Column,
    SearchIn,
    cell,
    search_condition,
    search_kind,
    shown_value,
)
from encryption.crypto import blind_index

# ``status=open``: every state in which proceedings run.
OPEN = "open"
NOBODY = "none"

# A search counts exactly up to here and shows "1,000+" beyond: a person narrows a search of
# a thousand cases rather than pages through it, and the count of a very common surname then
# reads 1,001 index entries instead of 10,001 (docs/search.md). Below it the matches are few
# enough to sort (``_ordering``).
COUNT_CAP = 1_000


@dataclass(frozen=True)
class CaseSearch:
    """What the search is narrowed to; an empty value does not filter.

    Each field is the GET parameter of the same name (the supervisor dashboard links with them):
    ``q`` and ``search_in`` as in the queues; ``born`` the date of birth (exact day);
    ``permit_type`` a PermitType id; ``status`` one state or ``open``; ``outcome``; ``assignee``
    a user id or ``none``; ``channel``; and inclusive date ranges on the filing day, the decision
    due day and the decision day.
    """

    q: str = ""
    search_in: str = SearchIn.AUTO
    born: date | None = None
    permit_type: int | None = None
    status: str = ""
    outcome: str = ""
    assignee: str = ""
    channel: str = ""
    filed_from: date | None = None
    filed_to: date | None = None
    due_from: date | None = None
    due_to: date | None = None
    decided_from: date | None = None
    decided_to: date | None = None

    @classmethod
    def from_cleaned(cls, data: dict[str, Any]) -> CaseSearch:
        values: dict[str, Any] = {
            name: data[name]
            for name in cls.__dataclass_fields__
            if data.get(name) not in (None, "")
        }
        if "q" in values:
            values["q"] = str(values["q"]).strip()
        if "assignee" in values:
            values["assignee"] = str(values["assignee"])
        return cls(**values)

    @property
    def is_empty(self) -> bool:
        return self == CaseSearch(search_in=self.search_in)

    @property
    def by_reference(self) -> bool:
        """The search box holds a reference number: the list is in reference order."""
        return bool(self.q) and search_kind(self.q, self.search_in) == SearchIn.REFERENCE


def _between(field: str, start: date | None, end: date | None) -> Q:
    condition = Q()
    if start is not None:
        condition &= Q(**{f"{field}__gte": start})
    if end is not None:
        condition &= Q(**{f"{field}__lte": end})
    return condition


def search_condition_for(filters: CaseSearch) -> Q:
    """The filters as one condition on ``Application`` (drafts not excluded here)."""
    condition = search_condition(filters.q, filters.search_in)
    if filters.born is not None:
        # The date is stored encrypted; its blind index is computed as the field computes it
        # (``BlindIndexField.compute``: ``blind_index`` of the date itself).
        condition &= Q(applicant__date_of_birth_index=blind_index(filters.born))
    if filters.permit_type:
        condition &= Q(permit_type_id=filters.permit_type)
    if filters.status == OPEN:
        condition &= Q(status__in=OPEN_STATUSES)
    elif filters.status:
        condition &= Q(status=filters.status)
    if filters.outcome:
        condition &= Q(outcome=filters.outcome)
    if filters.assignee == NOBODY:
        condition &= Q(assigned_to__isnull=True)
    elif filters.assignee:
        condition &= Q(assigned_to_id=int(filters.assignee))
    if filters.channel:
        condition &= Q(channel=filters.channel)
    condition &= _between("filed_on", filters.filed_from, filters.filed_to)
    condition &= _between("decision_due", filters.due_from, filters.due_to)
    condition &= _between("decided_on", filters.decided_from, filters.decided_to)
    return condition


def search_cases(filters: CaseSearch, *, today: date) -> QuerySet[Application]:
    """Every filed case (any state) that matches, with what the list shows, in the list's order:
    by reference number for a reference search, otherwise newest filing first, then id.

    ``today`` is not used by any filter yet; it is part of the signature so that relative
    filters (overdue, due soon) need no change of the callers.
    """
    del today
    return (
        Application.objects.select_related("applicant", "permit_type", "assigned_to")
        .exclude(status=Status.DRAFT)
        .filter(search_condition_for(filters))
        .order_by(*_ordering(filters))
    )


def _ordering(filters: CaseSearch, *, sort_matches: bool = False) -> list[OrderBy]:
    """The list's order. With ``sort_matches`` its leading key is wrapped in an expression no
    index serves (``COALESCE``, a no-op: a filed case has both values), so PostgreSQL finds the
    matching cases through the filters' own indexes and sorts them, instead of reading the
    order's index until 50 match. For a search that matches few cases (a document, a birth
    date, a rare name) the ordered index would be read to its end: 13 s instead of 7 ms on
    770,000 cases (docs/search.md). ``search_page`` turns it on when the capped count says
    that at most ``COUNT_CAP`` cases match."""
    if filters.by_reference:
        reference: Any = F("reference_number")
        if sort_matches:
            reference = Coalesce(reference, Value(""))
        return [reference.asc()]
    filed: Any = F("filed_on")
    if sort_matches:
        filed = Coalesce(filed, Value(date.min))
    return [filed.desc(), F("pk").asc()]


def capped_count(cases: QuerySet[Application]) -> int:
    """How many cases match, counted up to ``COUNT_CAP + 1``: one query, one subquery."""
    return cases.order_by().values("pk")[: COUNT_CAP + 1].count()


COLUMNS = [
    Column("reference", _("Reference number")),
    Column("applicant", _("Applicant (as filed)")),
    Column("permit_type", _("Permit type")),
    Column("status", _("State")),
    Column("assignee", _("Assigned to")),
    Column("filed_on", _("Filed on")),
    Column("deadline", _("Decision due / decided on")),
]


def _deadline_cell(application: Application, date_format: str) -> str:
    if application.decided_on is not None:
        return gettext("decided %(day)s") % {
            "day": shown_value(application.decided_on, date_format)
        }
    if application.decision_due is not None:
        return gettext("due %(day)s") % {"day": shown_value(application.decision_due, date_format)}
    return "—"


def search_rows(cases: list[Application]) -> list[dict[str, Any]]:
    short_date = formats.get_format("SHORT_DATE_FORMAT")
    return [
        {
            "pk": application.pk,
            "reference": application.reference_number,
            "url": reverse("caseworker:case", args=[application.pk]),
            "cells": [
                shown_value(cell(application, key), short_date)
                for key in ("applicant", "permit_type", "status", "assignee", "filed_on")
            ]
            + [_deadline_cell(application, short_date)],
        }
        for application in cases
    ]


@dataclass(frozen=True)
class SearchPage:
    columns: list[Column]
    rows: list[dict[str, Any]]
    page: Page
    paginator: CappedPaginator
    # The count as shown: "1,234", or "10,000+" when it is a lower bound.
    total: str
    count: int
    capped: bool


def search_page(filters: CaseSearch, *, today: date, page_number: Any) -> SearchPage:
    """One page of the search: three queries (the capped count, the page's ids, the cases),
    whatever the number of cases that match."""
    cases = search_cases(filters, today=today)
    counted = capped_count(cases)
    capped = counted > COUNT_CAP
    if not capped:
        # Few enough to sort them all: read them through the filters' indexes (``_ordering``).
        cases = cases.order_by(*_ordering(filters, sort_matches=True))
    count = min(counted, COUNT_CAP)
    paginator = CappedPaginator(cases, PAGE_SIZE, count=count, capped=capped)
    page = paginator.get_page(page_number)
    number = formats.number_format(count, force_grouping=True)
    return SearchPage(
        columns=COLUMNS,
        rows=search_rows(list(page)),
        page=page,
        paginator=paginator,
        total=f"{number}+" if capped else number,
        count=count,
        capped=capped,
    )
