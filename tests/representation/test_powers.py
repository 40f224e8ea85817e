"""Powers of attorney: given online with the second factor, counting at once within their
scope and dates, ended by either side with effect at once; an uploaded one counts only once
a caseworker verifies it; a member who leaves holds nothing more."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.constants import Role
from applications import representation
from applications.constants import PowerEventKind, PowerScope, PowerSource
from applications.models import Application, PowerOfAttorney, PowerOfAttorneyEvent
from core.errors import NotPermitted, TransitionRefused
from documents.models import Document
from organisations import services as organisations
from permits.models import PermitType
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def employer(supervisor):
    hr = UserFactory(role=Role.APPLICANT)
    organisation = organisations.organisation_register(
        user=hr, name="Strojírny Brno a.s.", ico="25596641", kind="employer"
    )
    return organisations.organisation_verify(organisation=organisation, actor=supervisor)


def hr_of(organisation):
    return organisation.memberships.get(role="admin").user


def give(applicant_user, organisation, **kwargs):
    defaults = {"scope": PowerScope.ALL, "valid_from": TODAY}
    return representation.power_grant(
        applicant=applicant_user.applicants.get(),
        actor=applicant_user,
        second_factor_verified=True,
        organisation=organisation,
        **{**defaults, **kwargs},
    )


def visible(user, application) -> bool:
    return representation.represents(application, user)


def test_an_online_power_counts_at_once_for_every_member_and_is_logged(applicant, employer):
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    hr = hr_of(employer)
    assert not visible(hr, application)

    power = give(applicant, employer)

    assert power.source == PowerSource.ONLINE and power.confirmed_at is not None
    assert visible(hr, application)
    colleague = UserFactory(role=Role.APPLICANT)
    organisations.member_add(organisation=employer, actor=hr, user=colleague)
    assert visible(colleague, application)
    assert list(power.events.values_list("kind", "actor")) == [
        (PowerEventKind.GRANTED, applicant.pk)
    ]


def test_without_the_second_factor_nothing_is_given(applicant, employer):
    with pytest.raises(representation.SecondFactorNeeded):
        representation.power_grant(
            applicant=applicant.applicants.get(),
            actor=applicant,
            second_factor_verified=False,
            organisation=employer,
            scope=PowerScope.ALL,
            valid_from=TODAY,
        )
    assert not PowerOfAttorney.objects.exists()


def test_only_the_person_gives_it_and_only_to_a_verified_organisation(
    applicant, other_applicant, employer, supervisor
):
    with pytest.raises(NotPermitted):
        representation.power_grant(
            applicant=applicant.applicants.get(),
            actor=other_applicant,
            second_factor_verified=True,
            organisation=employer,
            scope=PowerScope.ALL,
            valid_from=TODAY,
        )
    unverified = organisations.organisation_register(
        user=UserFactory(role=Role.APPLICANT), name="Agentura", ico="27074358", kind="agency"
    )
    with pytest.raises(representation.PowerInvalid):
        give(applicant, unverified)
    assert not PowerOfAttorney.objects.exists()


def test_the_scope_decides_which_cases_it_covers(applicant, employer):
    person = applicant.applicants.get()
    card = ApplicationFactory(applicant=person, filed=True)
    blue = PermitType.objects.get(code="blue_card")
    other_type = ApplicationFactory(applicant=person, permit_type=blue, filed=True)
    someone_else = ApplicationFactory(filed=True)
    hr = hr_of(employer)

    give(applicant, employer, scope=PowerScope.CASE, application=card)
    assert visible(hr, card)
    assert not visible(hr, other_type)
    assert not visible(hr, someone_else)

    PowerOfAttorney.objects.update(ended_at=NOW)
    give(applicant, employer, scope=PowerScope.PERMIT_TYPE, permit_type=blue)
    assert not visible(hr, card)
    assert visible(hr, other_type)

    give(applicant, employer)
    assert visible(hr, card) and visible(hr, other_type)
    assert not visible(hr, someone_else)


def test_dates_bound_it_and_a_start_in_the_past_is_refused(applicant, employer):
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    hr = hr_of(employer)
    give(applicant, employer, valid_from=TODAY + timedelta(days=1), valid_to=date(2026, 12, 31))
    assert not visible(hr, application)
    with time_machine.travel(datetime(2026, 12, 5, 0, 0, tzinfo=ZoneInfo("Europe/Prague"))):
        assert visible(hr, application)
    with time_machine.travel(datetime(2026, 12, 31, 23, 59, tzinfo=ZoneInfo("Europe/Prague"))):
        assert visible(hr, application)
    with time_machine.travel(datetime(2027, 1, 1, 0, 0, tzinfo=ZoneInfo("Europe/Prague"))):
        assert not visible(hr, application)
    with pytest.raises(representation.PowerInvalid):
        give(applicant, employer, valid_from=TODAY - timedelta(days=1))


@pytest.mark.parametrize("side", ["person", "organisation admin"])
def test_either_side_ends_it_at_once(applicant, employer, side):
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    hr = hr_of(employer)
    power = give(applicant, employer)
    actor = applicant if side == "person" else hr

    representation.power_end(power=power, actor=actor)

    assert not visible(hr, application)
    assert list(power.events.values_list("kind", flat=True)) == [
        PowerEventKind.GRANTED,
        PowerEventKind.ENDED,
    ]
    with pytest.raises(TransitionRefused):
        representation.power_end(power=power, actor=actor)


def test_a_stranger_or_a_plain_member_cannot_end_it(applicant, other_applicant, employer):
    power = give(applicant, employer)
    member = UserFactory(role=Role.APPLICANT)
    organisations.member_add(organisation=employer, actor=hr_of(employer), user=member)
    for actor in (other_applicant, member):
        with pytest.raises(NotPermitted):
            representation.power_end(power=power, actor=actor)
    power.refresh_from_db()
    assert power.ended_at is None


def test_a_member_who_leaves_holds_nothing_from_that_moment(applicant, employer):
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    give(applicant, employer)
    member = UserFactory(role=Role.APPLICANT)
    membership = organisations.member_add(organisation=employer, actor=hr_of(employer), user=member)
    assert visible(member, application)

    organisations.member_leave(membership=membership, actor=member)

    assert not visible(member, application)
    assert visible(hr_of(employer), application)


def paper_power(applicant_user, representative) -> PowerOfAttorney:
    """An uploaded signed power of attorney, as the representative's upload records it."""
    application = ApplicationFactory(applicant=applicant_user.applicants.get(), filed=True)
    document = Document.objects.filter(application=application).first()
    assert document is not None
    return PowerOfAttorney.objects.create(
        applicant=application.applicant,
        representative=representative,
        scope=PowerScope.CASE,
        application=application,
        valid_from=TODAY,
        source=PowerSource.PAPER,
        granted_by=representative,
        document=document,
    )


def test_an_uploaded_power_counts_only_once_a_caseworker_verifies_it(applicant, caseworker):
    lawyer = UserFactory(role=Role.APPLICANT)
    power = paper_power(applicant, lawyer)
    application = Application.objects.get(pk=power.application_id)
    assert not visible(lawyer, application)

    with pytest.raises(NotPermitted):
        representation.power_verify(power=power, actor=lawyer)
    assert not visible(lawyer, application)

    representation.power_verify(power=power, actor=caseworker)
    assert visible(lawyer, application)
    assert representation.representation_of(application) == [power]


def test_a_refused_upload_never_counts_and_needs_a_reason(applicant, caseworker):
    lawyer = UserFactory(role=Role.APPLICANT)
    power = paper_power(applicant, lawyer)
    application = Application.objects.get(pk=power.application_id)
    with pytest.raises(representation.PowerInvalid):
        representation.power_refuse(power=power, actor=caseworker, reason="  ")

    representation.power_refuse(
        power=power, actor=caseworker, reason="The signature does not match the passport."
    )

    assert not visible(lawyer, application)
    with pytest.raises(TransitionRefused):
        representation.power_verify(power=power, actor=caseworker)
    assert not visible(lawyer, application)
    assert representation.representation_of(application) == []


def test_the_log_is_append_only(applicant, employer):
    give(applicant, employer)
    event = PowerOfAttorneyEvent.objects.get()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        PowerOfAttorneyEvent.objects.update(note="x")
