"""The queries of each main page (the pages `make bench` measures, docs/performance.md), fixed at
5 and at 200 cases: a page whose count grew with the data would query in a loop.

Each page is asked for once with its caches cold (the first request after a change) and, where
it keeps something (a public page, the queue's tab counts, the supervisor's figures), once more
from what it kept: the request most people get.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from applications import queues, services
from applications.case_documents import document_upload
from applications.constants import OPEN_STATUSES, Status
from applications.models import Application
from permits.models import DocumentKind, PermitType
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicantFactory, ApplicationFactory, pdf_bytes
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
    "applicant case page": 15,
    "caseworker queue": 9,
    "caseworker queue, kept": 8,
    "caseworker case page": 21,
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


def owned_cases(count: int, *, owner, caseworker, other) -> list[Application]:
    """``count`` cases of ``owner`` in every state MIX has (drafts, filed, interrupted with the
    interruption open, decided with the decision, appealed, withdrawn), each with the person
    data it was filed with; about half of the open ones the caseworker's."""
    made = bulk_cases(count, caseworker=caseworker, other=other, plans=MIX)
    Application.objects.filter(pk__in=[case.pk for case in made]).update(applicant=owner)
    return made


def grown_case(count: int, *, caseworker, other_caseworker) -> Application:
    """An interrupted case of the caseworker's whose file has grown: ``count`` documents the
    applicant supplied (each with its audit entry) and ``count`` internal notes by two
    caseworkers, all written by the services."""
    case = ApplicationFactory(interrupted=True, caseworker=caseworker)
    kind = DocumentKind.objects.get(code="accommodation")
    for number in range(count):
        document_upload(
            application=case,
            kind=kind,
            upload=SimpleUploadedFile(f"lease-{number}.pdf", pdf_bytes(str(number)), "application/pdf"),
            actor=case.applicant.account,
        )
    for number in range(count):
        author = caseworker if number % 2 else other_caseworker
        services.case_note_add(application=case, author=author, text=f"Note {number}")
    case.refresh_from_db()
    return case


# --- Public pages ----------------------------------------------------------------------------


def _catalogue_lists_every_type(html: str) -> None:
    for code in PermitType.objects.fileable().values_list("code", flat=True):
        assert reverse("permits:detail", args=[code]) in html, code


def _type_page_has_its_checklist(html: str) -> None:
    permit_type = employee_card()
    assert 'id="checklist"' in html
    for requirement in permit_type.requirements.select_related("document_kind"):
        assert escape(requirement.document_kind.name_en) in html


PUBLIC_PAGES = [
    ("home", "/", lambda html: reverse("permits:catalogue") in html),
    ("login", "/accounts/login/", lambda html: 'name="password"' in html),
    ("permit catalogue", "/permits/", _catalogue_lists_every_type),
    ("permit type page", "/permits/employee_card/", _type_page_has_its_checklist),
]


@pytest.mark.parametrize("count", SIZES)
@pytest.mark.parametrize(("page", "path", "shows"), PUBLIC_PAGES, ids=[p[0] for p in PUBLIC_PAGES])
def test_public_page(
    page, path, shows, count, caseworker, other_caseworker, client_for, django_assert_num_queries
):
    bulk_cases(count, caseworker=caseworker, other=other_caseworker)
    browser = client_for(None)

    with django_assert_num_queries(PAGE_QUERIES[page]):
        first = browser.get(path)
    with django_assert_num_queries(PAGE_QUERIES[f"{page}, kept"]):
        kept = browser.get(path)

    for response in (first, kept):
        assert response.status_code == 200
        assert shows(response.content.decode()) is not False
