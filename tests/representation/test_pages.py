"""The pages of representation: a person gives a power of attorney only in a session that
passed the second factor, and ends it; an organisation registers, adds and loses members, and
sees the cases it represents, the permits to extend, and a CSV of its cases. Someone else's
power or organisation is a 404."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.constants import Role
from applications import representation
from applications.constants import PowerScope
from applications.models import PowerOfAttorney
from organisations import services as organisations
from organisations.models import Membership, Organisation
from permits.models import Permit
from tests.accounts.factories import UserFactory
from tests.accounts.two_factor import verify_session
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))
POWERS = reverse("representation:powers")
ORGANISATIONS = reverse("representation:organisations")


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def employer(supervisor):
    hr = UserFactory(role=Role.APPLICANT, email="hr@strojirny.example")
    organisation = organisations.organisation_register(
        user=hr, name="Strojírny Brno a.s.", ico="25596641", kind="employer"
    )
    return organisations.organisation_verify(organisation=organisation, actor=supervisor)


@pytest.fixture
def hr(employer):
    return employer.memberships.get(role="admin").user


def org_page(organisation) -> str:
    return reverse("representation:organisation", args=[organisation.pk])


def power_form(**overrides):
    return {
        "holder": "organisation",
        "ico": "255 96 641",
        "email": "",
        "scope": "all",
        "valid_from": "2026-12-04",
        "valid_to": "",
        **overrides,
    }


def test_without_the_second_factor_the_form_is_not_offered_and_a_post_makes_nothing(
    applicant, employer, client_for
):
    browser = client_for(applicant)
    page = browser.get(POWERS).content.decode()
    assert 'id="second-factor-needed"' in page
    assert browser.post(POWERS, power_form()).status_code == 403
    assert not PowerOfAttorney.objects.exists()


def test_with_the_second_factor_a_power_is_given_to_an_organisation_by_its_ico(
    applicant, employer, hr, client_for
):
    browser = client_for(applicant)
    verify_session(browser, applicant)

    # The person is the form's hidden field (one person to choose), as the page sends it.
    page = browser.get(POWERS).content.decode()
    person = applicant.applicants.get()
    assert f'name="applicant" value="{person.pk}"' in page
    answer = browser.post(POWERS, power_form(applicant=person.pk))

    assert answer.status_code == 302
    power = PowerOfAttorney.objects.get()
    assert power.organisation == employer and power.scope == PowerScope.ALL
    assert power.confirmed_at is not None
    listed = browser.get(POWERS).content.decode()
    assert "Strojírny Brno a.s." in listed and "In force" in listed


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ico": "25596642"}, "ico", "This IČO is not valid"),
        ({"ico": "27074358"}, "ico", "No organisation with this IČO is verified"),
        ({"holder": "person", "email": "nobody@example.com"}, "email", "No one can represent"),
        ({"scope": "case"}, "application", "Choose the application."),
        ({"valid_from": "2026-12-03"}, None, "cannot start in the past"),
    ],
)
def test_a_bad_power_is_refused_with_the_reason_and_nothing_is_made(
    applicant, employer, client_for, overrides, field, message
):
    browser = client_for(applicant)
    verify_session(browser, applicant)
    answer = browser.post(POWERS, power_form(applicant=applicant.applicants.get().pk, **overrides))
    assert answer.status_code == 200
    body = answer.content.decode()
    assert message in body
    assert not PowerOfAttorney.objects.exists()
    # What was typed stays in the form.
    if field == "ico":
        assert f'value="{overrides["ico"]}"' in body


def test_either_side_ends_it_and_a_stranger_gets_a_404(
    applicant, other_applicant, employer, hr, client_for
):
    power = representation.power_grant(
        applicant=applicant.applicants.get(),
        actor=applicant,
        second_factor_verified=True,
        organisation=employer,
        scope=PowerScope.ALL,
        valid_from=NOW.date(),
    )
    end = reverse("representation:power_end", args=[power.pk])
    assert client_for(other_applicant).post(end).status_code == 404
    power.refresh_from_db()
    assert power.ended_at is None

    answer = client_for(hr).post(end)
    assert answer.status_code == 302 and answer["Location"] == org_page(employer)
    power.refresh_from_db()
    assert power.ended_by == hr


def test_an_organisation_registers_and_waits_for_verification(applicant, client_for):
    browser = client_for(applicant)
    answer = browser.post(
        ORGANISATIONS, {"name": "Univerzita", "ico": "00216208", "kind": "school"}
    )
    organisation = Organisation.objects.get()
    assert answer.status_code == 302 and answer["Location"] == org_page(organisation)
    page = browser.get(org_page(organisation)).content.decode()
    assert "Waiting for the office to verify it" in page
    bad = browser.post(ORGANISATIONS, {"name": "X", "ico": "12345678", "kind": "school"})
    assert "This IČO is not valid" in bad.content.decode()
    assert Organisation.objects.count() == 1


def test_the_organisation_page_is_for_its_current_members_only(
    employer, hr, other_applicant, client_for
):
    assert client_for(hr).get(org_page(employer)).status_code == 200
    assert client_for(other_applicant).get(org_page(employer)).status_code == 404
    member = UserFactory(role=Role.APPLICANT, email="colleague@strojirny.example")
    client_for(hr).post(
        reverse("representation:member_add", args=[employer.pk]),
        {"email": "colleague@strojirny.example", "role": "member"},
    )
    membership = Membership.objects.get(user=member, left_at__isnull=True)
    browser = client_for(member)
    assert browser.get(org_page(employer)).status_code == 200
    browser.post(reverse("representation:member_leave", args=[employer.pk, membership.pk]))
    assert browser.get(org_page(employer)).status_code == 404


def test_the_organisation_sees_its_cases_and_expiring_permits_and_exports_them(
    applicant, employer, hr, client_for
):
    person = applicant.applicants.get()
    filed = ApplicationFactory(applicant=person, filed=True)
    granted = ApplicationFactory(applicant=person, decided=True)
    Permit.objects.filter(pk=granted.permit.pk).update(
        valid_from=date(2025, 1, 1), valid_to=NOW.date() + timedelta(days=120)
    )
    representation.power_grant(
        applicant=person,
        actor=applicant,
        second_factor_verified=True,
        organisation=employer,
        scope=PowerScope.ALL,
        valid_from=NOW.date(),
    )
    page = client_for(hr).get(org_page(employer)).content.decode()
    assert f'id="case-{filed.pk}"' in page
    assert granted.permit.number in page

    export = client_for(hr).get(reverse("representation:organisation_csv", args=[employer.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "Reference number"
    assert {row[0] for row in rows[1:]} >= {filed.reference_number}
    assert all(person.full_name == row[1] for row in rows[1:])


def test_adding_an_unknown_address_shows_the_page_again_with_the_error(employer, hr, client_for):
    answer = client_for(hr).post(
        reverse("representation:member_add", args=[employer.pk]),
        {"email": "nobody@example.com", "role": "member"},
    )
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "No one has an account with this address." in body
    assert 'value="nobody@example.com"' in body
    assert employer.memberships.count() == 1


def test_the_organisation_page_costs_the_same_queries_for_2_and_8_cases(
    applicant, other_applicant, employer, hr, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def represented_with(person_user, count: int) -> None:
        # Filed and appealed cases (their decisions and appeals are read for the next step),
        # made before the power: the decisions were delivered to the person.
        person = person_user.applicants.get()
        for _ in range(count):
            ApplicationFactory(applicant=person, filed=True)
            ApplicationFactory(applicant=person, appealed=True)
        representation.power_grant(
            applicant=person,
            actor=person_user,
            second_factor_verified=True,
            organisation=employer,
            scope=PowerScope.ALL,
            valid_from=NOW.date(),
        )

    browser = client_for(hr)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(org_page(employer)).status_code == 200
        return len(captured)

    represented_with(applicant, 1)
    few = queries()
    represented_with(other_applicant, 3)
    assert queries() == few
