"""Finding a person by travel document number, which is stored encrypted: the caseworkers'
search, the support centre's and the back office's go through the blind index."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from accounts.constants import Role
from applications.models import Applicant, travel_document_indexes
from encryption import crypto
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicantFactory, ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def namesakes():
    """Two people whose passports carry the same number, issued by different countries."""
    ukrainian = ApplicationFactory(
        filed=True, applicant=ApplicantFactory(nationality="UA", travel_document_number="FE123456")
    )
    vietnamese = ApplicationFactory(
        filed=True, applicant=ApplicantFactory(nationality="VN", travel_document_number="FE123456")
    )
    return ukrainian, vietnamese


@pytest.fixture
def queue(client_for) -> Callable[..., list]:
    """``queue(caseworker, q, **params)``: the cases the tab of new cases lists for a search."""

    def search(caseworker, q: str, **params) -> list:
        response = client_for(caseworker).get(
            reverse("caseworker:queue_tab", args=["new"]), {"q": q, **params}
        )
        assert response.status_code == 200
        return list(response.context["page"].object_list)

    return search


def test_the_index_is_kept_on_save_and_reveals_nothing(namesakes):
    ukrainian, _vietnamese = namesakes
    person = ukrainian.applicant

    assert person.travel_document_index == crypto.blind_index("UA", "FE123456")
    assert "FE123456" not in person.travel_document_index
    person.travel_document_number = "FE000001"
    person.save(update_fields=["travel_document_number"])
    person.refresh_from_db()
    assert person.travel_document_index == crypto.blind_index("UA", "FE000001")
    person.nationality = "PL"
    person.save(update_fields=["nationality"])
    person.refresh_from_db()
    assert person.travel_document_index == crypto.blind_index("PL", "FE000001")


def test_the_caseworker_search_finds_the_person_by_number(namesakes, caseworker, queue):
    ukrainian, vietnamese = namesakes

    for typed in ("FE123456", "fe 123-456", "fe123456"):
        assert set(queue(caseworker, typed)) == {ukrainian, vietnamese}, typed
    assert queue(caseworker, "FE12345") == []
    assert set(queue(caseworker, "FE123456", search_in="document")) == {ukrainian, vietnamese}


def test_the_nationality_tells_namesakes_apart(namesakes, caseworker, queue):
    ukrainian, vietnamese = namesakes

    assert queue(caseworker, "UA FE123456") == [ukrainian]
    assert queue(caseworker, "VN FE123456") == [vietnamese]
    assert queue(caseworker, "PL FE123456") == []
    assert Applicant.objects.get(travel_document_index=crypto.blind_index("VN", "FE123456")) == (
        vietnamese.applicant
    )


def test_the_search_is_one_query_on_the_index(namesakes, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = list(
            Applicant.objects.filter(travel_document_index__in=travel_document_indexes("FE123456"))
        )
    assert len(found) == 2


def test_the_admin_finds_people_and_cases_by_number(namesakes, superuser, client_for):
    ukrainian, vietnamese = namesakes
    client = client_for(superuser)

    people = client.get(reverse("admin:applications_applicant_changelist"), {"q": "fe123456"})
    cases = client.get(reverse("admin:applications_application_changelist"), {"q": "UA FE123456"})
    by_name = client.get(
        reverse("admin:applications_applicant_changelist"), {"q": ukrainian.applicant.surname}
    )

    assert set(people.context["cl"].result_list) == {ukrainian.applicant, vietnamese.applicant}
    assert list(cases.context["cl"].result_list) == [ukrainian]
    assert ukrainian.applicant in by_name.context["cl"].result_list


def test_the_support_centre_finds_people_by_number_whoever_recorded_them(client_for):
    """Any support worker finds everyone on record (a person may come to any centre); the
    number is matched through its blind index, spaces and case ignored."""
    support = UserFactory(role=Role.SUPPORT)
    mine = ApplicantFactory(
        account=None, created_by=support, nationality="UA", travel_document_number="FX100"
    )
    theirs = ApplicantFactory(account=None, nationality="UA", travel_document_number="FX100")
    ApplicantFactory(account=None, nationality="UA", travel_document_number="FX101")

    response = client_for(support).get(reverse("support:home"), {"q": "fx 100"})

    assert {person.pk for person in response.context["applicants"]} == {mine.pk, theirs.pk}
