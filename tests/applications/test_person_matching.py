"""Who may already be recorded (``persons.matching_people``), the service's refusal of a second
record of the same travel document, and the support centre's search of everyone on record
(``persons.people_for_support``)."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from accounts.constants import Role
from applications import persons
from applications.constants import Relation
from applications.models import Applicant
from applications.persons import MatchReason
from core.errors import NotPermitted
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicantFactory

pytestmark = pytest.mark.django_db

BORN = date(1988, 2, 29)

NEW = {
    "given_names": "Văn An",
    "surname": "Nguyễn",
    "date_of_birth": BORN,
    "nationality": "VN",
    "travel_document_number": "C1234567",
}


@pytest.fixture
def other_support(db):
    return UserFactory(role=Role.SUPPORT)


def recorded(**kwargs) -> Applicant:
    """Someone on record: without an account unless told, recorded by nobody in particular."""
    kwargs.setdefault("account", None)
    return ApplicantFactory(**kwargs)


def reasons_by_person(matches: list[persons.Match]) -> dict[int, tuple[MatchReason, ...]]:
    return {match.person.pk: match.reasons for match in matches}


# --- matching_people ---------------------------------------------------------------------------


def test_the_same_travel_document_matches_whatever_the_name(django_assert_num_queries):
    same = recorded(
        given_names="Anh",
        surname="Tran",
        date_of_birth=date(1970, 1, 1),
        nationality="VN",
        travel_document_number="c 123-4567",
    )
    recorded(nationality="UA", travel_document_number="C1234567")  # another country's number

    with django_assert_num_queries(1):
        matches = persons.matching_people(**NEW)

    assert reasons_by_person(matches) == {same.pk: (MatchReason.TRAVEL_DOCUMENT,)}
    assert matches[0].strong
    assert matches[0].masked_document == "•••• 4567"
    assert matches[0].reason_labels == ["Same travel document (nationality and number)"]


def test_the_same_name_and_birth_date_match_without_diacritics_or_case():
    same = recorded(
        given_names="VAN  an",
        surname="nguyen",
        date_of_birth=BORN,
        nationality="CZ",
        travel_document_number="NEW999",
    )
    recorded(given_names="Văn An", surname="Nguyễn", date_of_birth=date(1988, 3, 1))

    matches = persons.matching_people(**NEW)

    assert reasons_by_person(matches) == {same.pk: (MatchReason.NAME_AND_BIRTH,)}
    assert matches[0].strong


def test_the_same_surname_and_birth_date_with_other_given_names_is_a_weaker_match():
    weaker = recorded(given_names="Thi Mai", surname="Nguyen", date_of_birth=BORN)
    recorded(given_names="Văn An", surname="Nguyễnová", date_of_birth=BORN)  # another surname

    matches = persons.matching_people(**NEW)

    assert reasons_by_person(matches) == {weaker.pk: (MatchReason.SURNAME_AND_BIRTH,)}
    assert not matches[0].strong


def test_the_strongest_matches_come_first_and_say_every_reason():
    weaker = recorded(given_names="Thi Mai", surname="Nguyen", date_of_birth=BORN)
    by_name = recorded(given_names="Van An", surname="Nguyen", date_of_birth=BORN)
    by_everything = recorded(**NEW)

    matches = persons.matching_people(**NEW)

    assert [match.person for match in matches] == [by_everything, by_name, weaker]
    assert matches[0].reasons == (MatchReason.TRAVEL_DOCUMENT, MatchReason.NAME_AND_BIRTH)


def test_people_with_accounts_count_and_anonymised_people_do_not(other_support):
    with_account = ApplicantFactory(**NEW)
    child = ApplicantFactory(
        given_names="Van An", surname="Nguyen", date_of_birth=BORN, relation=Relation.CHILD
    )
    gone = recorded(**NEW, created_by=other_support)
    persons.applicant_anonymise(applicant=gone)
    gone_by_name = recorded(given_names="Van An", surname="Nguyen", date_of_birth=BORN)
    persons.applicant_anonymise(applicant=gone_by_name)

    matches = persons.matching_people(**NEW)

    assert {match.person for match in matches} == {with_account, child}
    labels = {match.person: str(match.account_label) for match in matches}
    assert labels == {with_account: "Has an account", child: "A child on a parent's account"}


def test_matches_are_bounded(django_assert_num_queries):
    for _ in range(persons.MATCH_LIMIT + 5):
        recorded(given_names="Thi Mai", surname="Nguyen", date_of_birth=BORN)

    with django_assert_num_queries(1):
        matches = persons.matching_people(**NEW)

    assert len(matches) == persons.MATCH_LIMIT


def test_nobody_matches_a_different_person():
    recorded(given_names="Van An", surname="Nguyen", date_of_birth=date(1989, 2, 28))
    recorded(given_names="Oksana", surname="Kovalenko", date_of_birth=BORN)

    assert persons.matching_people(**NEW) == []


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("C1234567", "•••• 4567"),
        ("FE 123 456", "•••• 3456"),
        ("AB12345", "•••• 345"),
        ("X12", "••••"),
    ],
)
def test_a_masked_number_hides_at_least_four_characters(number, masked):
    assert persons.mask_travel_document(number) == masked


# --- The service refuses a second record of the same travel document --------------------------


def test_the_service_refuses_a_second_record_of_the_same_travel_document(support, other_support):
    first = recorded(**NEW, created_by=other_support)
    data = {
        **NEW,
        "travel_document_number": " c1234567 ",
        "given_names": "Someone",
        "surname": "Else",
    }

    with pytest.raises(persons.PossibleDuplicate) as refused:
        persons.applicant_create_by_support(actor=support, data=data)

    assert [match.person for match in refused.value.matches] == [first]
    assert "already recorded" in str(refused.value)
    assert Applicant.objects.count() == 1


def test_a_confirmed_duplicate_is_recorded_and_logged(support, caplog):
    first = recorded(**NEW)

    with caplog.at_level(logging.INFO, logger="applications.persons"):
        second = persons.applicant_create_by_support(
            actor=support, data=NEW, confirmed_duplicate=True
        )

    assert second.pk != first.pk
    assert second.created_by == support
    assert second.account is None
    [record] = [r for r in caplog.records if r.name == "applications.persons"]
    message = record.getMessage()
    assert "Possible duplicate overridden" in message
    assert str(first.pk) in message and str(second.pk) in message
    assert "Nguy" not in message and "C1234567" not in message


def test_the_same_name_and_birth_date_alone_is_for_the_page_to_show_not_to_refuse(support):
    recorded(given_names="Van An", surname="Nguyen", date_of_birth=BORN)

    person = persons.applicant_create_by_support(actor=support, data=NEW)

    assert Applicant.objects.filter(pk=person.pk).exists()


def test_only_support_staff_record_people(applicant):
    with pytest.raises(NotPermitted):
        persons.applicant_create_by_support(actor=applicant, data=NEW)
    assert not Applicant.objects.filter(name_key="NGUYEN|VAN AN").exists()


# --- The search of everyone on record ----------------------------------------------------------


def test_a_name_is_found_by_its_beginning_without_diacritics(other_support):
    nguyen = recorded(**NEW, created_by=other_support)
    recorded(given_names="Anh", surname="Tran")

    assert list(persons.people_for_support(name_or_document="nguy")) == [nguyen]
    assert list(persons.people_for_support(name_or_document="NGUYỄN, văn")) == [nguyen]
    assert list(persons.people_for_support(name_or_document="Nguyen, Thi")) == []
    # The given names alone are not a surname.
    assert list(persons.people_for_support(name_or_document="Van An")) == []


def test_a_person_is_found_by_birth_date_or_document_and_both_narrow(other_support):
    nguyen = recorded(**NEW, created_by=other_support)
    namesake = recorded(given_names="Van An", surname="Nguyen", date_of_birth=date(1990, 1, 2))

    assert list(persons.people_for_support(date_of_birth=BORN)) == [nguyen]
    assert list(persons.people_for_support(name_or_document="VN C1234567")) == [nguyen]
    assert list(persons.people_for_support(name_or_document="c 1234567")) == [nguyen]
    assert set(persons.people_for_support(name_or_document="Nguyen")) == {nguyen, namesake}
    assert list(
        persons.people_for_support(name_or_document="Nguyen", date_of_birth=date(1990, 1, 2))
    ) == [namesake]


def test_an_empty_search_finds_nobody_and_the_anonymised_are_never_found():
    gone = recorded(**NEW)
    persons.applicant_anonymise(applicant=gone)

    assert not persons.people_for_support().exists()
    assert not persons.people_for_support(name_or_document="anonymised").exists()
    assert not persons.people_for_support(date_of_birth=date(1988, 1, 1)).exists()


@pytest.mark.parametrize(
    ("typed", "prefix"),
    [
        ("nguyễn", "NGUYEN"),
        ("  Nováková-Smith ", "NOVAKOVA SMITH"),
        ("Nguyen, Van  An", "NGUYEN|VAN AN"),
        ("Nguyen,", "NGUYEN|"),
        (", Van", ""),
        ("", ""),
    ],
)
def test_a_typed_name_becomes_a_prefix_of_the_name_key(typed, prefix):
    assert persons.name_prefix_of(typed) == prefix
