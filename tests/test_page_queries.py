"""The queries of every page `make bench` measures (docs/performance.md), fixed at 5 and at 200
cases: a page whose count grew with the data would query in a loop.

These are budgets. A change to one is a decision about the page's cost: make it on purpose,
and say why in the commit.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.constants import Role
from applications.constants import Status
from applications.models import Application
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicantFactory
from tests.applications.test_queues import MIX, bulk_cases

pytestmark = pytest.mark.django_db

# Signed-in pages start with the session (from the cache with Redis, from the database here),
# the account, and the second factor (the device of a verified session, or for an applicant
# whether one is owed); the header then counts the unread notifications. The permissions are
# kept (accounts.backends).
PAGE_QUERIES = {
    # Public pages: rendered once per language, then kept whole (core.page_cache).
    "home": (0, 0),
    "login": (0, 0),
    "permit catalogue": (1, 0),
    "permit type page": (2, 0),
    # (first request, next request): the queue's tab counts and the supervisor's figures are
    # counted by the first and kept for the next (applications.queues, applications.dashboard);
    # the supervisor's page is rendered once per count and language, then kept.
    "applicant dashboard": (8, 8),
    "applicant case page": (15, 15),
    "caseworker queue": (9, 8),
    "caseworker case page": (21, 21),
    "search": (9, 9),
    "supervisor dashboard": (9, 4),
}

SIZES = [5, 200]


def queries(get: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = get()
    assert response.status_code == 200, response.status_code
    return len(captured.captured_queries)


@pytest.fixture
def people(db):
    caseworker = UserFactory(role=Role.CASEWORKER)
    owner = ApplicantFactory(surname="Novak")
    return {
        "owner": owner,
        "applicant": owner.account,
        "caseworker": caseworker,
        "other": UserFactory(role=Role.CASEWORKER),
        "supervisor": UserFactory(role=Role.SUPERVISOR),
    }


def cases(count: int, people: dict) -> list[Application]:
    """``count`` cases in every state, all the applicant's (named Novak), about half of the
    open ones the caseworker's."""
    made = bulk_cases(count, caseworker=people["caseworker"], other=people["other"], plans=MIX)
    Application.objects.filter(pk__in=[case.pk for case in made]).update(applicant=people["owner"])
    return made


def budget(name: str, first: int, then: int) -> None:
    assert (first, then) == PAGE_QUERIES[name], name


@pytest.mark.parametrize("count", SIZES)
@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("home", "/"),
        ("login", "/accounts/login/"),
        ("permit catalogue", "/permits/"),
        ("permit type page", "/permits/employee_card/"),
    ],
)
def test_public_pages(name, path, count, people, client_for):
    cases(count, people)
    first = queries(lambda: client_for(None).get(path))
    then = queries(lambda: client_for(None).get(path))
    budget(name, first, then)


@pytest.mark.parametrize("count", SIZES)
def test_applicant_dashboard(count, people, client_for):
    made = cases(count, people)
    browser = client_for(people["applicant"])

    first = queries(lambda: browser.get(reverse("applications:dashboard")))
    response = browser.get(reverse("applications:dashboard"))
    then = queries(lambda: browser.get(reverse("applications:dashboard")))

    budget("applicant dashboard", first, then)
    # Every case is on the page.
    page = response.content.decode()
    assert all(case.reference_number in page for case in made if case.reference_number)


@pytest.mark.parametrize("count", SIZES)
def test_applicant_case_page(count, people, client_for):
    cases(count, people)
    case = Application.objects.filter(status=Status.INTERRUPTED).order_by("pk").first()
    browser = client_for(people["applicant"])
    url = reverse("applications:detail", args=[case.pk])

    first = queries(lambda: browser.get(url))
    then = queries(lambda: browser.get(url))

    budget("applicant case page", first, then)
    assert case.reference_number in browser.get(url).content.decode()


@pytest.mark.parametrize("count", SIZES)
def test_caseworker_queue(count, people, client_for):
    cases(count, people)
    browser = client_for(people["caseworker"])
    url = reverse("caseworker:queue")

    first = queries(lambda: browser.get(url))
    then = queries(lambda: browser.get(url))

    budget("caseworker queue", first, then)
    assert browser.get(url).context["rows"]


@pytest.mark.parametrize("count", SIZES)
def test_caseworker_case_page(count, people, client_for):
    cases(count, people)
    case = (
        Application.objects.filter(status=Status.FILED, assigned_to=people["caseworker"])
        .order_by("pk")
        .first()
    )
    browser = client_for(people["caseworker"])
    url = reverse("caseworker:case", args=[case.pk])

    first = queries(lambda: browser.get(url))
    then = queries(lambda: browser.get(url))

    budget("caseworker case page", first, then)
    assert case.reference_number in browser.get(url).content.decode()


@pytest.mark.parametrize("count", SIZES)
def test_search(count, people, client_for):
    cases(count, people)
    browser = client_for(people["caseworker"])
    url = reverse("caseworker:search")

    first = queries(lambda: browser.get(url, {"q": "Novak"}))
    then = queries(lambda: browser.get(url, {"q": "Novak"}))

    budget("search", first, then)
    rows = browser.get(url, {"q": "Novak"}).context["result"].rows
    assert len(rows) == min(Application.objects.exclude(status=Status.DRAFT).count(), 50)


@pytest.mark.parametrize("count", SIZES)
def test_supervisor_dashboard(count, people, client_for):
    cases(count, people)
    browser = client_for(people["supervisor"])
    url = reverse("caseworker:dashboard")

    first = queries(lambda: browser.get(url))
    then = queries(lambda: browser.get(url))

    budget("supervisor dashboard", first, then)
    in_proceedings = Application.objects.filter(
        status__in=[Status.FILED, Status.INTERRUPTED, Status.APPEALED]
    ).count()
    assert browser.get(url).context["stats"].backlog.total.count == in_proceedings > 0


def test_with_redis_a_signed_in_page_reads_its_session_from_the_cache(settings, people, client_for):
    """What REDIS_URL turns on (config/settings.py): sessions kept in the shared cache, and
    written through to the database."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    cases(5, people)
    browser = client_for(people["applicant"])
    browser.get(reverse("applications:dashboard"))

    with CaptureQueriesContext(connection) as captured:
        browser.get(reverse("applications:dashboard"))

    assert not [q for q in captured.captured_queries if "django_session" in q["sql"]]
    assert PAGE_QUERIES["applicant dashboard"][1] - 1 == len(captured.captured_queries)
