"""The caseworkers' queues: what each tab lists, in what order, the search, the filters, the
capped counts, and a fixed number of queries per page whatever the number of cases."""

from __future__ import annotations

import csv
import io
import itertools
import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from applications import queues, services
from applications.constants import OPEN_STATUSES, Channel, Outcome, Status
from applications.demo import BulkCase, CasePlan, bulk_create_cases, filed_year, random_applicant
from applications.models import Applicant, Application, Interruption
from applications.queues import KEPT_COUNTS, QueueFilters, SearchIn, Tab
from applications.urgency import working_days_between
from permits.models import PermitType
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pinned_clock():
    """A Thursday morning in Prague: the deadlines and tabs here are read from today."""
    import time_machine

    with time_machine.travel(datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))):
        yield


_sequence = itertools.count(700_000)

# One case for every tab (and two that no open tab lists): cycled to make any number of cases.
MIX: list[tuple[CasePlan, bool]] = [
    # (plan, assigned to "our" caseworker rather than another one)
    (CasePlan(Status.FILED, filed_days_ago=3, assigned=False), False),  # new
    (CasePlan(Status.FILED, filed_days_ago=20, assigned=True), True),  # mine
    # Due within 7 days on any day: 60 days run out tomorrow, and the longest stretch without a
    # working day (Christmas Eve on a Wednesday to the Sunday after) moves that by 5 days at most.
    (CasePlan(Status.FILED, filed_days_ago=59, assigned=True), False),
    (CasePlan(Status.FILED, filed_days_ago=90, assigned=True), True),  # overdue, mine
    (CasePlan(Status.INTERRUPTED, filed_days_ago=60, open_interruption_days_ago=40), True),
    (CasePlan(Status.INTERRUPTED, filed_days_ago=30, open_interruption_days_ago=2), False),
    (
        CasePlan(
            Status.APPEALED,
            filed_days_ago=80,
            decided_days_ago=20,
            outcome=Outcome.REJECTED,
            opened=True,
            appealed=True,
        ),
        True,
    ),
    (CasePlan(Status.DECIDED, filed_days_ago=50, decided_days_ago=3), False),
    (CasePlan(Status.WITHDRAWN, filed_days_ago=30), False),
    (CasePlan(Status.DRAFT), False),
]


def bulk_cases(
    count: int,
    *,
    caseworker,
    other=None,
    plans: Sequence[tuple[CasePlan, bool]] = MIX,
    permit_type: PermitType | None = None,
    applicant_fields: dict | None = None,
    seed: int = 1,
) -> list[Application]:
    """Insert ``count`` whole cases at once (the way ``seed_demo --applications`` does), cycling
    through ``plans``; a plan's flag says whether ``caseworker`` or ``other`` has the case."""
    rng = random.Random(seed)
    today = timezone.localdate()
    other = other or UserFactory(role=Role.CASEWORKER)
    types = [permit_type] if permit_type else list(PermitType.objects.fileable())
    types = [t for t in types if t.can_file_in_country]
    applicants = [random_applicant(rng) for _ in range(count)]
    for applicant in applicants:
        for name, value in (applicant_fields or {}).items():
            setattr(applicant, name, value)
    applicants = Applicant.objects.bulk_create(applicants)
    cases = []
    for index, applicant in enumerate(applicants):
        plan, ours = plans[index % len(plans)]
        number = next(_sequence)
        cases.append(
            BulkCase(
                plan=plan,
                applicant=applicant,
                permit_type=types[index % len(types)],
                caseworker=caseworker if ours else other,
                channel=Channel.IN_PERSON if index % 3 else Channel.ONLINE,
                reference=(filed_year(plan, today), number)
                if plan.status != Status.DRAFT
                else None,
            )
        )
    made = bulk_create_cases(cases, today=today)
    # A bulk insert writes its audit entries without the signal that starts the queues' kept
    # counts afresh: a change of cases, as any other.
    KEPT_COUNTS.bump()
    return made


# Five cases that put at least one case in every tab (an empty tab skips its list query).
FIVE = [MIX[0], MIX[3], MIX[2], MIX[4], MIX[6]]


def employee_card() -> PermitType:
    # 60 days to decide, filed in the Czech Republic: the plans' dates fall in the right tabs.
    return PermitType.objects.get(code="employee_card")


def listed(user, tab: str, filters: QueueFilters | None = None) -> list[Application]:
    return list(queues.queue_for(user, tab, filters, today=timezone.localdate()))


@pytest.fixture
def mix(caseworker, other_caseworker):
    return bulk_cases(
        len(MIX), caseworker=caseworker, other=other_caseworker, permit_type=employee_card()
    )


# --- What each tab lists -------------------------------------------------------------------


def test_each_tab_lists_its_cases(mix, caseworker):
    by_plan = dict(enumerate(mix))
    today = timezone.localdate()

    assert listed(caseworker, Tab.NEW) == [by_plan[0]]
    assert {a.pk for a in listed(caseworker, Tab.MINE)} == {
        by_plan[1].pk,
        by_plan[3].pk,
        by_plan[4].pk,
        by_plan[6].pk,
    }
    due = listed(caseworker, Tab.DUE_SOON)
    assert due == [by_plan[2]]
    assert today <= due[0].decision_due <= today + timedelta(days=7)
    assert listed(caseworker, Tab.OVERDUE) == [by_plan[3]]
    assert listed(caseworker, Tab.APPEALS) == [by_plan[6]]
    assert {a.pk for a in listed(caseworker, Tab.DECIDED)} == {by_plan[6].pk, by_plan[7].pk}


def test_interrupted_tab_is_ordered_by_the_documents_deadline_and_shows_it(mix, caseworker):
    waiting = listed(caseworker, Tab.INTERRUPTED)

    assert [a.pk for a in waiting] == [mix[4].pk, mix[5].pk]
    open_deadlines = [
        Interruption.objects.get(application=a, ended_on__isnull=True).deadline for a in waiting
    ]
    assert [a.open_deadline for a in waiting] == open_deadlines
    assert open_deadlines[0] < timezone.localdate() <= open_deadlines[1]


def test_interrupted_tab_can_show_only_those_past_the_deadline(mix, caseworker):
    assert listed(caseworker, Tab.INTERRUPTED, QueueFilters(past_deadline=True)) == [mix[4]]


def test_other_tabs_annotate_the_open_interruption_deadline(mix, caseworker):
    mine = {a.pk: a for a in listed(caseworker, Tab.MINE)}

    assert mine[mix[4].pk].open_deadline is not None
    assert mine[mix[1].pk].open_deadline is None


def test_lists_are_ordered_by_decision_due_and_can_be_reversed(caseworker):
    cases = bulk_cases(
        3,
        caseworker=caseworker,
        plans=[
            (CasePlan(Status.FILED, filed_days_ago=10, assigned=False), False),
            (CasePlan(Status.FILED, filed_days_ago=30, assigned=False), False),
            (CasePlan(Status.FILED, filed_days_ago=20, assigned=False), False),
        ],
        permit_type=employee_card(),
    )

    assert listed(caseworker, Tab.NEW) == [cases[1], cases[2], cases[0]]
    assert listed(caseworker, Tab.NEW, QueueFilters(descending=True)) == [
        cases[0],
        cases[2],
        cases[1],
    ]


def test_recently_decided_lists_the_newest_first_and_only_the_last_30_days(caseworker):
    cases = bulk_cases(
        3,
        caseworker=caseworker,
        plans=[
            (CasePlan(Status.DECIDED, filed_days_ago=50, decided_days_ago=10), True),
            (CasePlan(Status.DECIDED, filed_days_ago=50, decided_days_ago=2), True),
            (
                CasePlan(
                    Status.CLOSED,
                    filed_days_ago=150,
                    decided_days_ago=60,
                    outcome=Outcome.GRANTED,
                    opened=True,
                ),
                True,
            ),
        ],
    )

    assert listed(caseworker, Tab.DECIDED) == [cases[1], cases[0]]


# --- Filters and search --------------------------------------------------------------------


def test_filters_narrow_the_list(mix, caseworker, other_caseworker):
    mine = listed(caseworker, Tab.MINE)
    one_type = mine[0].permit_type_id

    assert {
        a.permit_type_id for a in listed(caseworker, Tab.MINE, QueueFilters(permit_type=one_type))
    } == {one_type}
    assert {
        a.status for a in listed(caseworker, Tab.MINE, QueueFilters(status=Status.INTERRUPTED))
    } == {Status.INTERRUPTED}
    online = listed(caseworker, Tab.MINE, QueueFilters(channel=Channel.ONLINE))
    assert online and {a.channel for a in online} == {Channel.ONLINE}
    assert listed(caseworker, Tab.DUE_SOON, QueueFilters(assignee=str(other_caseworker.pk))) == [
        mix[2]
    ]
    assert listed(caseworker, Tab.DUE_SOON, QueueFilters(assignee=str(caseworker.pk))) == []
    assert listed(caseworker, Tab.NEW, QueueFilters(assignee="none")) == [mix[0]]


def test_search_by_reference_number_exact_or_prefix(mix, caseworker):
    target = mix[3]
    number = target.reference_number  # OAM-700003/XX-2026

    assert listed(caseworker, Tab.OVERDUE, QueueFilters(q=number)) == [target]
    assert listed(caseworker, Tab.OVERDUE, QueueFilters(q=number.lower())) == [target]
    assert listed(caseworker, Tab.OVERDUE, QueueFilters(q=number.split("/")[0])) == [target]
    digits = number.split("/")[0].removeprefix("OAM-")
    assert listed(caseworker, Tab.OVERDUE, QueueFilters(q=digits)) == [target]
    assert listed(caseworker, Tab.OVERDUE, QueueFilters(q="OAM-1/")) == []


def test_search_by_surname_prefix_ignores_case(caseworker):
    cases = bulk_cases(
        2,
        caseworker=caseworker,
        plans=[(CasePlan(Status.FILED, filed_days_ago=5, assigned=False), False)],
    )
    Applicant.objects.filter(pk=cases[0].applicant_id).update(surname="Kovalenko")
    Applicant.objects.filter(pk=cases[1].applicant_id).update(surname="Novák")

    assert listed(caseworker, Tab.NEW, QueueFilters(q="kOVAL")) == [cases[0]]
    assert listed(caseworker, Tab.NEW, QueueFilters(q="nov")) == [cases[1]]
    assert listed(caseworker, Tab.NEW, QueueFilters(q="valenko")) == []


def test_search_by_travel_document_number_is_exact(caseworker):
    cases = bulk_cases(
        2,
        caseworker=caseworker,
        plans=[(CasePlan(Status.FILED, filed_days_ago=5, assigned=False), False)],
    )
    # Through save(): the number is encrypted and its blind index computed.
    person = Applicant.objects.get(pk=cases[0].applicant_id)
    person.travel_document_number = "FP1234567"
    person.save()

    assert listed(caseworker, Tab.NEW, QueueFilters(q="FP1234567")) == [cases[0]]
    assert listed(caseworker, Tab.NEW, QueueFilters(q="fp1234567")) == [cases[0]]
    assert listed(caseworker, Tab.NEW, QueueFilters(q="FP123456")) == []
    assert listed(
        caseworker, Tab.NEW, QueueFilters(q="FP1234567", search_in=SearchIn.DOCUMENT)
    ) == [cases[0]]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("OAM-4217/DP-2026", SearchIn.REFERENCE),
        ("oam-42", SearchIn.REFERENCE),
        ("4217", SearchIn.REFERENCE),
        ("Nguyen", SearchIn.SURNAME),
        ("Nguyễn Văn", SearchIn.SURNAME),
        ("O'Neil", SearchIn.SURNAME),
        ("FP1234567", SearchIn.DOCUMENT),
        ("UA 123 456", SearchIn.DOCUMENT),
    ],
)
def test_search_guesses_what_was_typed(text, kind):
    assert queues.search_kind(text, SearchIn.AUTO) == kind


# --- Counts --------------------------------------------------------------------------------


def test_tab_counts_are_one_query_and_match_the_lists(mix, caseworker, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = queues.tab_counts(caseworker, today=timezone.localdate())

    for tab in queues.TABS:
        assert counts[tab] == len(listed(caseworker, tab)), tab
    assert not counts.capped


def test_interrupted_count_follows_the_past_deadline_sub_filter(mix, caseworker):
    today = timezone.localdate()
    late = QueueFilters(past_deadline=True)

    assert queues.tab_counts(caseworker, today=today)[Tab.INTERRUPTED] == 2
    assert queues.tab_counts(caseworker, late, today=today)[Tab.INTERRUPTED] == 1
    with_filter = QueueFilters(past_deadline=True, channel=mix[4].channel)
    assert queues.tab_counts(caseworker, with_filter, today=today)[Tab.INTERRUPTED] == 1


@pytest.mark.parametrize(
    "filters",
    [
        QueueFilters(status=Status.INTERRUPTED),
        QueueFilters(channel=Channel.IN_PERSON),
        QueueFilters(q="OAM-70"),
        QueueFilters(assignee="none"),
    ],
)
def test_filtered_counts_are_one_query_and_match_the_lists(
    mix, caseworker, filters, django_assert_num_queries
):
    with django_assert_num_queries(1):
        counts = queues.tab_counts(caseworker, filters, today=timezone.localdate())

    for tab in queues.TABS:
        assert counts[tab] == len(listed(caseworker, tab, filters)), tab
    assert not counts.capped


def test_tab_counts_apply_the_filters(mix, caseworker):
    counts = queues.tab_counts(
        caseworker, QueueFilters(status=Status.INTERRUPTED), today=timezone.localdate()
    )
    assert counts[Tab.INTERRUPTED] == 2
    assert counts[Tab.NEW] == counts[Tab.APPEALS] == 0


def test_counts_are_capped(mix, caseworker, monkeypatch):
    monkeypatch.setattr(queues, "COUNT_CAP", 1)
    counts = queues.tab_counts(caseworker, today=timezone.localdate())

    assert counts[Tab.MINE] == 1  # 4 cases, counted up to the cap + 1
    assert counts.shown(Tab.MINE) == "1+"
    assert counts.shown(Tab.NEW) == "1"
    assert Tab.NEW not in counts.capped


def test_filtered_counts_are_lower_bounds_beyond_the_cap(mix, caseworker, monkeypatch):
    monkeypatch.setattr(queues, "COUNT_CAP", 2)
    counts = queues.tab_counts(
        caseworker, QueueFilters(channel=Channel.IN_PERSON), today=timezone.localdate()
    )

    assert counts.capped == frozenset(queues.TABS)
    assert all(counts.shown(tab).endswith("+") for tab in queues.TABS)


def test_capped_paginator_does_not_count(django_assert_num_queries):
    paginator = queues.CappedPaginator(Application.objects.all(), 50, count=120, capped=True)
    with django_assert_num_queries(0):
        assert paginator.num_pages == 3
    assert paginator.is_capped


# --- The list page -------------------------------------------------------------------------


def arrive_on_open_cases(tab: str) -> None:
    """The bulk cases have nothing that arrived after filing: for the "documents arrived" tab,
    mark every open case as if documents had come in (``case_watch.mark_arrived``)."""
    if tab == Tab.ARRIVED:
        Application.objects.filter(arrived_at__isnull=True, status__in=OPEN_STATUSES).update(
            arrived_at=timezone.now()
        )


@pytest.mark.parametrize("tab", list(queues.TABS))
def test_queue_page_runs_the_same_queries_for_5_and_200_cases(
    client, caseworker, tab, django_assert_num_queries
):
    client.force_login(caseworker)
    url = reverse("caseworker:queue_tab", args=[tab])
    other = UserFactory(role=Role.CASEWORKER)
    bulk_cases(5, caseworker=caseworker, other=other, plans=FIVE, permit_type=employee_card())
    arrive_on_open_cases(tab)
    with CaptureQueriesContext(connection) as few:
        small = client.get(url)
    assert small.status_code == 200

    bulk_cases(195, caseworker=caseworker, other=other, seed=2)
    arrive_on_open_cases(tab)
    with django_assert_num_queries(len(few.captured_queries)):
        large = client.get(url)

    assert large.status_code == 200
    assert 0 < len(small.context["rows"]) < len(large.context["rows"])


def test_queue_page_with_filters_and_search_has_the_same_query_count(
    client, supervisor, caseworker, django_assert_num_queries
):
    client.force_login(supervisor)
    url = reverse("caseworker:queue_tab", args=[Tab.MINE])
    query = {"q": "OAM-7", "status": "filed", "channel": "in_person", "order": "desc"}
    bulk_cases(5, caseworker=supervisor, other=caseworker, plans=FIVE, permit_type=employee_card())
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, query).status_code == 200
    bulk_cases(195, caseworker=supervisor, other=caseworker, seed=3)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url, query)
    pks = [row["pk"] for row in response.context["rows"]]
    assert pks
    assert set(Application.objects.filter(pk__in=pks).values_list("status", flat=True)) == {
        Status.FILED
    }


def test_queue_page_paginates_by_50(client, caseworker):
    bulk_cases(
        60,
        caseworker=caseworker,
        plans=[(CasePlan(Status.FILED, filed_days_ago=5, assigned=False), False)],
    )
    client.force_login(caseworker)

    first = client.get(reverse("caseworker:queue_tab", args=[Tab.NEW]))
    second = client.get(reverse("caseworker:queue_tab", args=[Tab.NEW]), {"page": 2})

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 10
    assert first.context["total"] == "60"
    in_order = [case.pk for case in listed(caseworker, Tab.NEW)]
    shown = [row["pk"] for row in first.context["rows"] + second.context["rows"]]
    assert shown == in_order


def test_queue_page_ignores_filters_it_cannot_read(client, caseworker, mix):
    client.force_login(caseworker)

    response = client.get(reverse("caseworker:queue_tab", args=[Tab.MINE]), {"status": "nonsense"})

    assert response.status_code == 200
    assert len(response.context["rows"]) == 4
    assert "could not be read" in response.content.decode()


def test_unknown_tab_is_404(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("caseworker:queue_tab", args=["everything"])).status_code == 404


# --- CSV export ----------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_csv_export_streams_the_current_list_with_the_columns_shown(client, caseworker, mix):
    client.force_login(caseworker)

    response = client.get(reverse("caseworker:queue_export", args=[Tab.INTERRUPTED]))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="queue-interrupted-')
    rows = read_csv(response)
    header = rows[0]
    assert header == [str(c.label) for c in queues.columns_for(Tab.INTERRUPTED)]
    assert "Documents due by" in header
    assert "Date of birth" not in header and "Travel document number" not in header
    assert [row[0] for row in rows[1:]] == [mix[4].reference_number, mix[5].reference_number]
    deadline = Interruption.objects.get(application=mix[4], ended_on__isnull=True).deadline
    assert rows[1][header.index("Documents due by")] == deadline.isoformat()
    applicant = mix[4].applicant
    assert rows[1][1] == f"{applicant.surname}, {applicant.given_names}"


def test_csv_export_applies_the_same_filters(client, caseworker, mix):
    client.force_login(caseworker)

    response = client.get(
        reverse("caseworker:queue_export", args=[Tab.INTERRUPTED]), {"past_deadline": "on"}
    )

    assert [row[0] for row in read_csv(response)[1:]] == [mix[4].reference_number]


def test_csv_export_neutralises_formulas(client, caseworker):
    # Filed with that surname: the list shows the person as filed (SPEC §2).
    bulk_cases(
        1,
        caseworker=caseworker,
        plans=[(CasePlan(Status.FILED, filed_days_ago=5, assigned=False), False)],
        applicant_fields={"surname": "=HYPERLINK(1)"},
    )
    client.force_login(caseworker)

    rows = read_csv(client.get(reverse("caseworker:queue_export", args=[Tab.NEW])))

    assert rows[1][1].startswith("'=HYPERLINK(1)")


# --- Urgency: days left, badges ------------------------------------------------------------


def test_rows_say_the_working_days_left_and_mark_the_urgent_ones(client, caseworker):
    plans = [
        (CasePlan(Status.FILED, filed_days_ago=3, assigned=True), True),
        (CasePlan(Status.FILED, filed_days_ago=59, assigned=True), True),
        (CasePlan(Status.FILED, filed_days_ago=90, assigned=True), True),
    ]
    running, soon, overdue = bulk_cases(
        3, caseworker=caseworker, plans=plans, permit_type=employee_card()
    )
    today = timezone.localdate()
    client.force_login(caseworker)

    response = client.get(reverse("caseworker:queue_tab", args=[Tab.MINE]))

    labels = [str(column.label) for column in response.context["columns"]]
    assert "Days left" in labels
    rows = {row["pk"]: row for row in response.context["rows"]}
    days = labels.index("Days left") - 1  # the reference is the row's header, not a cell
    left = working_days_between(today, running.decision_due)
    assert rows[running.pk]["cells"][days]["text"] == f"{left} working days left"
    assert not rows[running.pk]["urgency"].is_marked
    overdue_by = (today - overdue.decision_due).days
    assert rows[overdue.pk]["cells"][days]["text"] == f"Overdue by {overdue_by} days"
    assert rows[soon.pk]["urgency"].level == "soon"
    html = response.content.decode()
    assert '<tr class="urgency-overdue">' in html
    assert f'<span class="urgency-badge">Overdue by {overdue_by} days</span>' in html
    # The tab travels with the link, for the case page's "next case".
    assert f'href="/caseworker/cases/{overdue.pk}/?from=mine"' in html


def test_csv_export_has_the_days_left_in_words(client, caseworker):
    [overdue] = bulk_cases(
        1,
        caseworker=caseworker,
        plans=[(CasePlan(Status.FILED, filed_days_ago=90, assigned=True), True)],
        permit_type=employee_card(),
    )
    client.force_login(caseworker)

    rows = read_csv(client.get(reverse("caseworker:queue_export", args=[Tab.OVERDUE])))

    header = rows[0]
    assert header == [str(c.label) for c in queues.columns_for(Tab.OVERDUE)]
    overdue_by = (timezone.localdate() - overdue.decision_due).days
    assert rows[1][header.index("Days left")] == f"Overdue by {overdue_by} days"


def test_tab_counts_are_kept_until_a_case_changes(caseworker, django_assert_num_queries):
    unassigned = [(CasePlan(Status.FILED, filed_days_ago=5, assigned=False), False)]
    cases = bulk_cases(3, caseworker=caseworker, plans=unassigned)
    today = timezone.localdate()
    assert queues.tab_counts(caseworker, today=today)[Tab.NEW] == 3
    # A write that bypasses the services (and writes no audit entry) is not counted yet.
    Application.objects.filter(pk=cases[0].pk).update(assigned_to=caseworker)

    with django_assert_num_queries(0):
        assert queues.tab_counts(caseworker, today=today)[Tab.NEW] == 3
    # Claiming writes an audit entry: every caseworker's counts are counted again.
    services.application_claim(application=cases[1], actor=caseworker)

    assert queues.tab_counts(caseworker, today=today)[Tab.NEW] == 1
    assert queues.tab_counts(caseworker, today=today)[Tab.MINE] == 2
