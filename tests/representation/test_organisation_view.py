"""An organisation's view: the cases its powers cover, and the permits of the people it
represents that end within 120 days, exactly (calendar days, the boundary on both sides)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.constants import Role
from applications import representation
from applications.constants import PowerScope
from organisations import services as organisations
from permits.models import Permit
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicantFactory, ApplicationFactory

pytestmark = pytest.mark.django_db

# A Saturday: working days play no part in a permit's validity.
NOW = datetime(2026, 12, 5, 9, 0, tzinfo=ZoneInfo("Europe/Prague"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def employer(supervisor):
    organisation = organisations.organisation_register(
        user=UserFactory(role=Role.APPLICANT), name="Strojírny", ico="25596641", kind="employer"
    )
    return organisations.organisation_verify(organisation=organisation, actor=supervisor)


def represented_permit(employer, ends_on: date | None, *, represented: bool = True) -> Permit:
    person = ApplicantFactory()
    application = ApplicationFactory(applicant=person, decided=True)
    permit = application.permit
    Permit.objects.filter(pk=permit.pk).update(valid_from=date(2024, 1, 1), valid_to=ends_on)
    if represented:
        representation.power_grant(
            applicant=person,
            actor=person.account,
            second_factor_verified=True,
            organisation=employer,
            scope=PowerScope.ALL,
            valid_from=TODAY,
        )
    return permit


def test_exactly_the_permits_ending_within_120_days_are_listed(employer):
    listed = {
        days: represented_permit(employer, TODAY + timedelta(days=days))
        for days in (-1, 0, 1, 119, 120, 121, 365)
    }
    permanent = represented_permit(employer, None)
    not_ours = represented_permit(employer, TODAY + timedelta(days=30), represented=False)

    found = representation.expiring_permits(employer, today=TODAY)

    assert [p.pk for p in found] == [listed[days].pk for days in (0, 1, 119, 120)]
    assert permanent not in found and not_ours not in found
    # 120 days from 5 December 2026 is 4 April 2027, whatever the weekday.
    assert TODAY + timedelta(days=120) == date(2027, 4, 4)


def test_the_list_follows_the_powers_that_count_today(employer):
    permit = represented_permit(employer, TODAY + timedelta(days=10))
    assert representation.expiring_permits(employer, today=TODAY) == [permit]
    power = permit.holder.powers_of_attorney.get()
    representation.power_end(power=power, actor=permit.holder.account)
    assert representation.expiring_permits(employer, today=TODAY) == []


def test_the_cases_are_those_its_powers_cover_with_one_query(employer, django_assert_num_queries):
    covered = [represented_permit(employer, None).application for _ in range(3)]
    ApplicationFactory(filed=True)  # someone it does not represent

    with django_assert_num_queries(3):  # the cases, their interruptions, their decisions
        cases = representation.organisation_cases(employer, today=TODAY)

    assert {case.pk for case in cases} == {case.pk for case in covered}
