"""The queries of each main page (the pages `make bench` measures, docs/performance.md), fixed at
5 and at 200 cases: a page whose count grew with the data would query in a loop.

Each page is asked for once with its caches cold (the first request after a change) and, where
it keeps something (a public page, the queue's tab counts, the supervisor's figures), once more
from what it kept: the request most people get.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from applications import queues, services
from applications.case_documents import DocumentChoice, document_upload, documents_verify_many
from applications.constants import OPEN_STATUSES, Status
from applications.models import Application
from permits.models import DocumentKind, PermitType
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, pdf_bytes
from tests.applications.test_queues import FIVE, MIX, bulk_cases, employee_card

pytestmark = pytest.mark.django_db

# The fixed budgets: the exact number of queries of each page, the same at 5 cases as at 200.
# A change to one is a decision about the page's cost, never a side effect: make it on purpose
# and say why in the commit. A count that grows with the data is a query in a loop; fix the
# page, do not raise the budget.
#
# A signed-in page starts with the session (from the database here; from the cache with
# Redis), the account and the second factor (the device of a verified staff session, or for an
# applicant whether one is owed); the header then counts the unread notifications. The
# permissions are kept (accounts.backends). ", kept": the same page answered from what its
# first request kept (core.page_cache, applications.queues.KEPT_COUNTS, applications.dashboard).
PAGE_QUERIES: dict[str, int] = {
    "home": 0,
    "home, kept": 0,
    "login": 0,
    "login, kept": 0,
    "permit catalogue": 1,
    "permit catalogue, kept": 0,
    "permit type page": 2,
    "permit type page, kept": 0,
    "applicant dashboard": 8,
    # An interrupted case (its checklist of documents to supply), first among 5 or 200 of the
    # person's cases, then with 5 or 200 documents in its file.
    "applicant case page": 15,
    "applicant case page, long file": 15,
    # Every tab alike: the tabs' counts (one query, then kept), the page's ids and its cases.
    "caseworker queue": 9,
    "caseworker queue, kept": 8,
    # A filed case of the reader's among 5 or 200 cases (the case `make bench` opens); an
    # interrupted one whose documents deadline has passed (so the form to stop the proceedings,
    # with the office's phrases); then one interrupted within its deadline with 5 or 200
    # documents, their verifications and as many notes. One of them is who represents the
    # person (the powers of attorney covering the case, with their holders and documents).
    "caseworker case page": 22,
    "caseworker case page, interrupted": 23,
    "caseworker case page, long file": 20,
    "caseworker search": 9,
    "supervisor dashboard": 9,
    "supervisor dashboard, kept": 4,
}

SIZES = [5, 200]

# A Thursday morning in Prague, as in tests/applications/test_queues.py, whose plans (MIX)
# put cases in every queue tab from the day they are made.
MOMENT = datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Europe/Prague"))


@pytest.fixture(autouse=True)
def _thursday_in_prague() -> Iterator[None]:
    # Stopped, not ticking: the kept figures and tab counts expire by the clock, and a slow
    # run must not see them expire between the two requests of a test.
    with time_machine.travel(MOMENT, tick=False):
        yield


@pytest.fixture
def owner(applicant):
    """The applicant's own person record (ApplicantFactory): every case below is theirs."""
    return applicant.applicants.get()


# MIX with one case of each state among its first five: five cases are already varied.
EVERY_STATE_FIRST = [MIX[i] for i in (9, 1, 5, 7, 6, 0, 2, 3, 4, 8)]


def owned_cases(count: int, *, owner, caseworker, other) -> list[Application]:
    """``count`` cases of ``owner`` in every state MIX has (drafts, filed, interrupted with the
    interruption open, decided with the decision, appealed, withdrawn), each with the person
    data it was filed with; about half of the open ones the caseworker's."""
    made = bulk_cases(count, caseworker=caseworker, other=other, plans=EVERY_STATE_FIRST)
    Application.objects.filter(pk__in=[case.pk for case in made]).update(applicant=owner)
    return made


def grown_case(count: int, *, caseworker, other_caseworker) -> Application:
    """An interrupted case of the caseworker's whose file has grown, all by the services:
    ``count`` documents the applicant supplied (each with its audit entry), every other one
    rejected with a reason (an entry on the applicant's timeline too) and the rest accepted,
    and ``count`` internal notes by two caseworkers."""
    case = ApplicationFactory(interrupted=True, caseworker=caseworker)
    kind = DocumentKind.objects.get(code="accommodation")
    supplied = [
        document_upload(
            application=case,
            kind=kind,
            upload=SimpleUploadedFile(f"lease-{n}.pdf", pdf_bytes(f"lease {n}"), "application/pdf"),
            actor=case.applicant.account,
        )
        for n in range(count)
    ]
    case.refresh_from_db()
    documents_verify_many(
        application=case,
        actor=caseworker,
        choices=[
            DocumentChoice(document.pk, accepted=bool(n % 2), reason="" if n % 2 else "Unreadable.")
            for n, document in enumerate(supplied)
        ],
        expected_version=case.version,
    )
    for n in range(count):
        author = caseworker if n % 2 else other_caseworker
        services.case_note_add(application=case, author=author, text=f"Note {n}")
    case.refresh_from_db()
    return case


# --- Public pages ----------------------------------------------------------------------------


def _home() -> list[str]:
    return [reverse("permits:catalogue"), reverse("accounts:login")]


def _login() -> list[str]:
    return ['name="username"', 'name="password"']


def _catalogue() -> list[str]:
    """A link to every type that can be filed here."""
    codes = PermitType.objects.fileable().values_list("code", flat=True)
    assert codes
    return [reverse("permits:detail", args=[code]) for code in codes]


def _type_page() -> list[str]:
    """The type's checklist of documents."""
    requirements = employee_card().requirements.select_related("document_kind")
    assert requirements
    return ['id="checklist"'] + [escape(r.document_kind.name_en) for r in requirements]


PUBLIC_PAGES = {
    "home": ("/", _home),
    "login": ("/accounts/login/", _login),
    "permit catalogue": ("/permits/", _catalogue),
    "permit type page": ("/permits/employee_card/", _type_page),
}


@pytest.mark.parametrize("count", SIZES)
@pytest.mark.parametrize("page", list(PUBLIC_PAGES))
def test_public_page(
    page, count, caseworker, other_caseworker, client_for, django_assert_num_queries
):
    path, shown = PUBLIC_PAGES[page]
    bulk_cases(count, caseworker=caseworker, other=other_caseworker)
    browser = client_for(None)

    with django_assert_num_queries(PAGE_QUERIES[page]):
        first = browser.get(path)
    with django_assert_num_queries(PAGE_QUERIES[f"{page}, kept"]):
        kept = browser.get(path)

    for response in (first, kept):
        assert response.status_code == 200
        html = response.content.decode()
        assert [text for text in shown() if text not in html] == []


# --- The applicant's pages -------------------------------------------------------------------


@pytest.mark.parametrize("count", SIZES)
def test_applicant_dashboard(
    count, applicant, owner, caseworker, other_caseworker, client_for, django_assert_num_queries
):
    made = owned_cases(count, owner=owner, caseworker=caseworker, other=other_caseworker)
    assert {case.status for case in made} >= {
        Status.DRAFT,
        Status.FILED,
        Status.INTERRUPTED,
        Status.DECIDED,
        Status.APPEALED,
    }
    browser = client_for(applicant)

    with django_assert_num_queries(PAGE_QUERIES["applicant dashboard"]):
        response = browser.get(reverse("applications:dashboard"))

    assert response.status_code == 200
    assert len(response.context["rows"]) == count
    html = response.content.decode()
    assert [c.pk for c in made if reverse("applications:detail", args=[c.pk]) not in html] == []


@pytest.mark.parametrize("count", SIZES)
def test_applicant_case_page_among_many_cases(
    count, applicant, owner, caseworker, other_caseworker, client_for, django_assert_num_queries
):
    owned_cases(count, owner=owner, caseworker=caseworker, other=other_caseworker)
    case = Application.objects.filter(status=Status.INTERRUPTED).order_by("pk").first()
    browser = client_for(applicant)

    with django_assert_num_queries(PAGE_QUERIES["applicant case page"]):
        response = browser.get(reverse("applications:detail", args=[case.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert case.reference_number in html
    assert response.context["interruption"] is not None


@pytest.mark.parametrize("count", SIZES)
def test_applicant_case_page_of_a_grown_file(
    count, caseworker, other_caseworker, client_for, django_assert_num_queries
):
    case = grown_case(count, caseworker=caseworker, other_caseworker=other_caseworker)
    browser = client_for(case.applicant.account)

    with django_assert_num_queries(PAGE_QUERIES["applicant case page, long file"]):
        response = browser.get(reverse("applications:detail", args=[case.pk]))

    assert response.status_code == 200
    assert case.reference_number in response.content.decode()
    supplied = [d for d in response.context["documents"] if d.original_name.startswith("lease-")]
    assert len(supplied) == count
    rejected = [entry for entry in response.context["timeline"] if entry.note == "Unreadable."]
    assert len(rejected) == (count + 1) // 2


# --- The caseworkers' pages ------------------------------------------------------------------


@pytest.mark.parametrize("count", SIZES)
@pytest.mark.parametrize("tab", list(queues.TABS))
def test_caseworker_queue(
    tab, count, caseworker, other_caseworker, client_for, django_assert_num_queries
):
    # FIVE puts a case in every tab; beyond five, MIX's plans over every permit type.
    bulk_cases(
        5, caseworker=caseworker, other=other_caseworker, plans=FIVE, permit_type=employee_card()
    )
    if count > 5:
        bulk_cases(count - 5, caseworker=caseworker, other=other_caseworker, seed=2)
    if tab == queues.Tab.ARRIVED:
        # Bulk cases have nothing that came in after filing (case_watch.mark_arrived).
        Application.objects.filter(status__in=OPEN_STATUSES).update(arrived_at=timezone.now())
    browser = client_for(caseworker)
    url = reverse("caseworker:queue_tab", args=[tab])
    in_tab = len(list(queues.queue_for(caseworker, tab, today=timezone.localdate())))

    with django_assert_num_queries(PAGE_QUERIES["caseworker queue"]):
        first = browser.get(url)
    with django_assert_num_queries(PAGE_QUERIES["caseworker queue, kept"]):
        kept = browser.get(url)

    for response in (first, kept):
        assert response.status_code == 200
        assert len(response.context["rows"]) == min(in_tab, queues.PAGE_SIZE) > 0
        html = response.content.decode()
        for row in response.context["rows"]:
            assert reverse("caseworker:case", args=[row["pk"]]) in html
    if count > 5:
        assert in_tab > 5


@pytest.mark.parametrize("count", SIZES)
@pytest.mark.parametrize(
    ("status", "budget"),
    [
        (Status.FILED, "caseworker case page"),
        (Status.INTERRUPTED, "caseworker case page, interrupted"),
    ],
)
def test_caseworker_case_page_among_many_cases(
    status, budget, count, caseworker, other_caseworker, client_for, django_assert_num_queries
):
    bulk_cases(count, caseworker=caseworker, other=other_caseworker)
    case = Application.objects.filter(status=status, assigned_to=caseworker).order_by("pk").first()
    browser = client_for(caseworker)

    with django_assert_num_queries(PAGE_QUERIES[budget]):
        response = browser.get(reverse("caseworker:case", args=[case.pk]))

    assert response.status_code == 200
    assert case.reference_number in response.content.decode()
    assert response.context["is_assignee"]


@pytest.mark.parametrize("count", SIZES)
def test_caseworker_case_page_of_a_grown_file(
    count, caseworker, other_caseworker, client_for, django_assert_num_queries
):
    case = grown_case(count, caseworker=caseworker, other_caseworker=other_caseworker)
    browser = client_for(caseworker)

    with django_assert_num_queries(PAGE_QUERIES["caseworker case page, long file"]):
        response = browser.get(reverse("caseworker:case", args=[case.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert case.reference_number in html
    assert len(response.context["notes"]) == count
    assert len(response.context["documents"]) > count
    assert len(response.context["timeline"]) > count
    assert "Note 0" in html and f"Note {count - 1}" in html


@pytest.mark.parametrize("count", SIZES)
def test_caseworker_search(
    count, caseworker, other_caseworker, client_for, django_assert_num_queries
):
    # ``count`` cases of people named Novak, none a draft (the search leaves drafts out), among
    # cases of other people.
    filed = [plan for plan in MIX if plan[0].status != Status.DRAFT]
    matching = bulk_cases(
        count,
        caseworker=caseworker,
        other=other_caseworker,
        plans=filed,
        applicant_fields={"surname": "Novak"},
    )
    bulk_cases(20, caseworker=caseworker, other=other_caseworker, seed=3)
    browser = client_for(caseworker)

    with django_assert_num_queries(PAGE_QUERIES["caseworker search"]):
        response = browser.get(reverse("caseworker:search"), {"q": "Novak"})

    assert response.status_code == 200
    result = response.context["result"]
    assert result.count == count
    rows = {row["pk"] for row in result.rows}
    assert len(rows) == min(count, queues.PAGE_SIZE)
    assert rows <= {case.pk for case in matching}
    html = response.content.decode()
    assert all(reverse("caseworker:case", args=[pk]) in html for pk in rows)


@pytest.mark.parametrize("count", SIZES)
def test_supervisor_dashboard(count, supervisor, client_for, django_assert_num_queries):
    # The cases shared among several caseworkers, more of them with more cases: the workload
    # table has a row for each.
    staff = [UserFactory(role=Role.CASEWORKER) for _ in range(2 + count // 20)]
    made = bulk_cases(count, caseworker=staff[0], other=staff[1])
    assigned = [case.pk for case in made if case.assigned_to_id]
    for index, person in enumerate(staff):
        Application.objects.filter(pk__in=assigned[index :: len(staff)]).update(assigned_to=person)
    browser = client_for(supervisor)
    url = reverse("caseworker:dashboard")

    with django_assert_num_queries(PAGE_QUERIES["supervisor dashboard"]):
        first = browser.get(url)
    with django_assert_num_queries(PAGE_QUERIES["supervisor dashboard, kept"]):
        kept = browser.get(url)

    assert first.status_code == kept.status_code == 200
    stats = first.context["stats"]
    open_cases = Application.objects.filter(status__in=OPEN_STATUSES)
    assert stats.backlog.total.count == open_cases.count() > 0
    workload = {row.user_id: row.open.count for row in stats.workload}
    for person in staff:
        assert workload[person.pk] == open_cases.filter(assigned_to=person).count() > 0
    # The kept page shows the figures the first request counted: every count, in order.
    assert counted(kept) == counted(first)
    assert str(stats.backlog.total.count) in counted(first)


def counted(response) -> list[str]:
    """The counts of a dashboard page, each a link to its cases (``data-count``)."""
    counts = re.findall(r'data-count="(\d+)"', response.content.decode())
    assert len(counts) > 10
    return counts


def test_with_redis_a_signed_in_page_reads_its_session_from_the_cache(
    settings, applicant, owner, caseworker, other_caseworker, client_for, django_assert_num_queries
):
    """What REDIS_URL turns on (config/settings.py): sessions kept in the shared cache and
    written through to the database, so a signed-in page costs one query fewer than above."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    owned_cases(5, owner=owner, caseworker=caseworker, other=other_caseworker)
    browser = client_for(applicant)
    browser.get(reverse("applications:dashboard"))

    with django_assert_num_queries(PAGE_QUERIES["applicant dashboard"] - 1) as captured:
        response = browser.get(reverse("applications:dashboard"))

    assert response.status_code == 200
    assert not [q for q in captured.captured_queries if "django_session" in q["sql"]]
