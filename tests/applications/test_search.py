"""The search over every case (``/caseworker/search/``): closed and withdrawn cases are found,
each parameter of the supervisor dashboard's contract narrows as it says, bad input is an error
next to its field, staff only, and a page costs the same queries for 5 cases as for 200."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.constants import Role
from applications import search
from applications.constants import Channel, Outcome, Status
from applications.demo import BulkCase, CasePlan, bulk_create_cases, filed_year, random_applicant
from applications.models import Applicant, Application
from applications.queues import Tab, queue_for
from applications.search import CaseSearch, search_cases
from core import clock
from permits.models import PermitType
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

# A Friday morning in Prague; OAM-29's story: decided in the summer, closed in August.
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))
URL = "caseworker:search"

_numbers = itertools.count(900_000)


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class Person:
    surname: str = ""
    born: date | None = None
    nationality: str = ""
    document: str = ""


def make_cases(
    plans: list[CasePlan],
    *,
    caseworker,
    people: list[Person] | None = None,
    types: list[PermitType] | None = None,
    channels: list[Channel] | None = None,
    seed: int = 1,
) -> list[Application]:
    """Whole cases at once, in their plans' states (as ``seed_demo --applications`` writes
    them); people, types and channels are cycled when given."""
    rng = random.Random(seed)
    today = clock.today()
    types = types or [t for t in PermitType.objects.fileable() if t.can_file_in_country]
    applicants = []
    for index in range(len(plans)):
        applicant = random_applicant(rng)
        person = people[index % len(people)] if people else Person()
        applicant.surname = person.surname or applicant.surname
        applicant.date_of_birth = person.born or applicant.date_of_birth
        applicant.nationality = person.nationality or applicant.nationality
        applicant.travel_document_number = person.document or applicant.travel_document_number
        applicants.append(applicant)
    applicants = Applicant.objects.bulk_create(applicants)
    return bulk_create_cases(
        [
            BulkCase(
                plan=plan,
                applicant=applicant,
                permit_type=types[index % len(types)],
                caseworker=caseworker,
                channel=channels[index % len(channels)] if channels else Channel.IN_PERSON,
                reference=(filed_year(plan, today), next(_numbers))
                if plan.status != Status.DRAFT
                else None,
            )
            for index, (plan, applicant) in enumerate(zip(plans, applicants, strict=True))
        ],
        today=today,
    )


CLOSED = CasePlan(
    Status.CLOSED, filed_days_ago=200, decided_days_ago=120, outcome=Outcome.GRANTED, opened=True
)
WITHDRAWN = CasePlan(Status.WITHDRAWN, filed_days_ago=150)
FILED = CasePlan(Status.FILED, filed_days_ago=20, assigned=True)
UNASSIGNED = CasePlan(Status.FILED, filed_days_ago=3, assigned=False)
INTERRUPTED = CasePlan(Status.INTERRUPTED, filed_days_ago=60, open_interruption_days_ago=10)
REJECTED = CasePlan(Status.DECIDED, filed_days_ago=50, decided_days_ago=3, outcome=Outcome.REJECTED)
GRANTED = CasePlan(Status.DECIDED, filed_days_ago=80, decided_days_ago=10, outcome=Outcome.GRANTED)
APPEALED = CasePlan(
    Status.APPEALED,
    filed_days_ago=90,
    decided_days_ago=20,
    outcome=Outcome.REJECTED,
    opened=True,
    appealed=True,
)
DRAFT = CasePlan(Status.DRAFT)


def rows_of(response) -> list[int]:
    assert response.status_code == 200
    result = response.context["result"]
    return [row["pk"] for row in result.rows] if result else []


# --- Closed and withdrawn cases are found ----------------------------------------------------

BORN = date(1987, 3, 9)


@pytest.fixture
def ended(caseworker) -> list[Application]:
    """A closed case (decided 120 days ago: in no queue tab) and a withdrawn one, of two people
    found nowhere else, among cases of other people."""
    people = [
        Person("Okonkwo", BORN, "NG", "A0711223"),
        Person("Okafor", date(1990, 1, 2), "NG", "B0711224"),
    ]
    cases = make_cases([CLOSED, WITHDRAWN], caseworker=caseworker, people=people)
    make_cases([FILED, GRANTED, CLOSED], caseworker=caseworker, seed=2)
    return cases


def test_the_queues_do_not_find_a_case_closed_months_ago(ended, caseworker):
    closed = ended[0]
    listed = {
        case.pk
        for tab in (Tab.NEW, Tab.MINE, Tab.DECIDED, Tab.APPEALS, Tab.INTERRUPTED)
        for case in queue_for(caseworker, tab, today=clock.today())
    }
    assert closed.pk not in listed  # why this search exists


@pytest.mark.parametrize(
    ("query", "finds"),
    [
        ({"q": "REF0"}, [0]),
        ({"q": "REF1"}, [1]),
        ({"q": "REF0-prefix"}, [0]),
        ({"q": "Okonk"}, [0]),
        ({"q": "okaf", "search_in": "surname"}, [1]),
        ({"q": "Oko"}, [0]),
        ({"q": "A0711223"}, [0]),
        ({"q": "b 0711-224", "search_in": "document"}, [1]),
        ({"born": "1987-03-09"}, [0]),
        ({"born": "9. 3. 1987"}, [0]),
        ({"born": "1990-01-02", "status": "withdrawn"}, [1]),
    ],
)
def test_closed_and_withdrawn_cases_are_found(query, finds, ended, caseworker, client_for):
    query = dict(query)
    if query["q" if "q" in query else "born"].startswith("REF"):
        reference = ended[int(query["q"][3])].reference_number
        # "OAM-900000/XX-2026": the number alone is a prefix of it.
        query["q"] = reference.split("/")[0] if query["q"].endswith("prefix") else reference

    found = rows_of(client_for(caseworker).get(reverse(URL), query))

    assert [pk for pk in found if pk in {case.pk for case in ended}] == [ended[i].pk for i in finds]
    assert {Application.objects.get(pk=pk).status for pk in found} <= {
        Status.CLOSED,
        Status.WITHDRAWN,
    }


def test_a_person_is_found_by_their_name_now_and_shown_as_filed(ended, caseworker, client_for):
    person = ended[0].applicant
    person.surname = "Adeyemi"
    person.save()

    response = client_for(caseworker).get(reverse(URL), {"q": "Adeyemi"})

    assert rows_of(response) == [ended[0].pk]
    assert response.context["result"].rows[0]["cells"][0].startswith("Okonkwo, ")
    assert b"as it was filed" in response.content
    assert not rows_of(client_for(caseworker).get(reverse(URL), {"q": "Okonkwo"}))


def test_drafts_are_never_found(caseworker):
    draft = make_cases([DRAFT], caseworker=caseworker, people=[Person("Zyxwv")])[0]

    assert draft.reference_number is None
    assert not search_cases(CaseSearch(q="Zyxwv"), today=clock.today()).exists()


# --- Each filter narrows ---------------------------------------------------------------------


@pytest.fixture
def spread(caseworker, other_caseworker) -> dict[str, Any]:
    """Cases in every state, of two types, in two channels, for two caseworkers and nobody."""
    types = list(PermitType.objects.fileable().filter(code__in=["employee_card", "blue_card"]))
    plans = [CLOSED, WITHDRAWN, FILED, UNASSIGNED, INTERRUPTED, REJECTED, GRANTED, APPEALED, DRAFT]
    mine = make_cases(
        plans * 2, caseworker=caseworker, types=types, channels=[Channel.ONLINE, Channel.EMBASSY]
    )
    theirs = make_cases(plans, caseworker=other_caseworker, types=types[::-1], seed=3)
    return {
        "cases": [case for case in mine + theirs if case.status != Status.DRAFT],
        "type": types[0],
        "caseworker": caseworker,
    }


def _on(field: str, start: date | None = None, end: date | None = None) -> Callable[..., bool]:
    def check(case: Application, _spread: dict[str, Any]) -> bool:
        value = getattr(case, field)
        return (
            value is not None
            and (start is None or value >= start)
            and (end is None or value <= end)
        )

    return check


TODAY = NOW.date()
FILTERS: list[tuple[dict[str, str], Callable[[Application, dict[str, Any]], bool]]] = [
    ({"permit_type": "{type}"}, lambda c, s: c.permit_type_id == s["type"].pk),
    ({"status": "closed"}, lambda c, s: c.status == Status.CLOSED),
    ({"status": "withdrawn"}, lambda c, s: c.status == Status.WITHDRAWN),
    ({"status": "interrupted"}, lambda c, s: c.status == Status.INTERRUPTED),
    ({"status": "decided"}, lambda c, s: c.status == Status.DECIDED),
    ({"status": "appealed"}, lambda c, s: c.status == Status.APPEALED),
    ({"status": "filed"}, lambda c, s: c.status == Status.FILED),
    (
        {"status": "open"},
        lambda c, s: c.status in (Status.FILED, Status.INTERRUPTED, Status.APPEALED),
    ),
    ({"outcome": "granted"}, lambda c, s: c.outcome == Outcome.GRANTED),
    ({"outcome": "rejected"}, lambda c, s: c.outcome == Outcome.REJECTED),
    ({"assignee": "{caseworker}"}, lambda c, s: c.assigned_to_id == s["caseworker"].pk),
    ({"assignee": "none"}, lambda c, s: c.assigned_to_id is None),
    ({"channel": "embassy"}, lambda c, s: c.channel == Channel.EMBASSY),
    ({"filed_from": str(TODAY - timedelta(days=60))}, _on("filed_on", TODAY - timedelta(60))),
    ({"filed_to": str(TODAY - timedelta(days=60))}, _on("filed_on", None, TODAY - timedelta(60))),
    (
        {"filed_from": "4. 7. 2026", "filed_to": "2026-10-15"},
        _on("filed_on", date(2026, 7, 4), date(2026, 10, 15)),
    ),
    ({"due_from": str(TODAY)}, _on("decision_due", TODAY)),
    ({"due_to": str(TODAY + timedelta(days=45))}, _on("decision_due", None, TODAY + timedelta(45))),
    ({"decided_from": str(TODAY - timedelta(days=10))}, _on("decided_on", TODAY - timedelta(10))),
    (
        {"decided_from": str(TODAY - timedelta(days=200)), "decided_to": str(TODAY - timedelta(5))},
        _on("decided_on", TODAY - timedelta(200), TODAY - timedelta(5)),
    ),
    (
        {"status": "closed", "permit_type": "{type}"},
        lambda c, s: c.status == Status.CLOSED and c.permit_type_id == s["type"].pk,
    ),
]


@pytest.mark.parametrize(("query", "matches"), FILTERS, ids=lambda v: str(v)[:60])
def test_each_filter_narrows_to_exactly_its_cases(query, matches, spread, client_for):
    values = {"type": spread["type"].pk, "caseworker": spread["caseworker"].pk}
    query = {key: value.format(**values) for key, value in query.items()}
    expected = {case.pk for case in spread["cases"] if matches(case, spread)}
    assert 0 < len(expected) < len(spread["cases"])  # the filter does narrow

    found = rows_of(client_for(spread["caseworker"]).get(reverse(URL), query))

    assert set(found) == expected
    assert len(found) == len(expected)


def test_stopped_proceedings_are_found_by_their_outcome(caseworker, client_for):
    stopped = make_cases(
        [CasePlan(Status.DECIDED, filed_days_ago=90, decided_days_ago=5, outcome=Outcome.STOPPED)],
        caseworker=caseworker,
    )[0]
    make_cases([GRANTED, REJECTED], caseworker=caseworker, seed=4)

    assert rows_of(client_for(caseworker).get(reverse(URL), {"outcome": "stopped"})) == [stopped.pk]


def test_newest_filing_first_then_reference_order_for_a_reference(spread, caseworker, client_for):
    client = client_for(caseworker)
    found = rows_of(client.get(reverse(URL), {"status": "open"}))
    cases = Application.objects.in_bulk(found)
    keys = [(cases[pk].filed_on, -pk) for pk in found]
    assert keys == sorted(keys, reverse=True)

    by_reference = rows_of(client.get(reverse(URL), {"q": "OAM-9"}))
    references = dict(
        Application.objects.filter(pk__in=by_reference).values_list("pk", "reference_number")
    )
    assert len(by_reference) == len(spread["cases"])
    assert [references[pk] for pk in by_reference] == sorted(references.values())


def test_the_count_is_capped_and_the_order_stays(spread, caseworker, client_for, monkeypatch):
    client = client_for(caseworker)
    # Below the cap every match is sorted; above it the order is read from its index.
    everything = rows_of(client.get(reverse(URL), {"status": "open"}))
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    response = client.get(reverse(URL), {"status": "open"})

    result = response.context["result"]
    assert (result.total, result.capped) == ("3+", True)
    assert b"(3+)" in response.content
    assert rows_of(response) == everything[:3]


# --- Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"born": "31. 2. 1990"}, "born"),
        ({"born": "yesterday"}, "born"),
        ({"permit_type": "abc"}, "permit_type"),
        ({"permit_type": "999999"}, "permit_type"),
        ({"status": "draft"}, "status"),
        ({"status": "lost"}, "status"),
        ({"outcome": "maybe"}, "outcome"),
        ({"assignee": "someone"}, "assignee"),
        ({"channel": "pigeon"}, "channel"),
        ({"search_in": "everywhere", "q": "Kov"}, "search_in"),
        ({"filed_from": "2026-13-01"}, "filed_from"),
        ({"due_to": "1. 1."}, "due_to"),
        ({"decided_from": "2026-10-02", "decided_to": "2026-10-01"}, "decided_to"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_bad_input_is_an_error_next_to_its_field_and_nothing_is_searched(
    query, field, ended, caseworker, client_for
):
    # With a good filter beside the bad one: still nothing is searched.
    response = client_for(caseworker).get(reverse(URL), {"channel": "in_person", **query})

    assert response.status_code == 200
    assert response.context["result"] is None
    assert field in response.context["form"].errors
    assert f'id="id_{field}-error"'.encode() in response.content
    assert f'href="#id_{field}"'.encode() in response.content  # the summary links to it


def test_an_empty_form_searches_nothing(ended, caseworker, client_for):
    response = client_for(caseworker).get(reverse(URL))

    assert response.status_code == 200
    assert response.context["result"] is None
    assert b"Fill in at least one field" in response.content


# --- Who may search --------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client_for):
    response = client_for(None).get(reverse(URL), {"q": "Kov"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.SUPPORT])
def test_other_roles_are_refused(role, client_for):
    assert client_for(UserFactory(role=role)).get(reverse(URL), {"q": "Kov"}).status_code == 403


def test_the_workspace_links_to_the_search(caseworker, client_for):
    page = client_for(caseworker).get(reverse("caseworker:queue")).content.decode()

    assert f'href="{reverse(URL)}"' in page


# --- A fixed number of queries ---------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"status": "open"},
        {"q": "OAM-9"},
        {"q": "Okonkwo"},
        {"q": "A0711223", "search_in": "document"},
        {"born": "1987-03-09", "channel": "in_person", "filed_from": "2025-01-01"},
    ],
    ids=["state", "reference", "surname", "document", "born and more"],
)
def test_a_page_runs_the_same_queries_for_5_and_200_cases(
    query, caseworker, client_for, django_assert_num_queries
):
    client = client_for(caseworker)
    person = [Person("Okonkwo", BORN, "NG", "A0711223")]
    plans = [FILED, INTERRUPTED, APPEALED, GRANTED, CLOSED]
    make_cases(plans, caseworker=caseworker, people=person)
    with CaptureQueriesContext(connection) as few:
        small = client.get(reverse(URL), query)
    make_cases(plans * 39, caseworker=caseworker, people=person, seed=5)

    with django_assert_num_queries(len(few.captured_queries)):
        large = client.get(reverse(URL), query)

    assert 0 < len(rows_of(small)) < len(rows_of(large)) <= 50
