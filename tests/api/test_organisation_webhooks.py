"""An organisation's webhooks: made through the API by one of its administrators, they hear of
the cases the organisation's powers of attorney cover, and only while they cover them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.constants import Role
from api import scopes
from applications import representation, services
from applications.constants import PowerScope
from organisations import services as organisations
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.webhooks.test_webhooks import Receiver, deliver_all
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))


@pytest.fixture(autouse=True)
def _pinned_clock_and_local_receivers(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def employer(supervisor):
    organisation = organisations.organisation_register(
        user=UserFactory(role=Role.APPLICANT), name="Strojírny", ico="25596641", kind="employer"
    )
    return organisations.organisation_verify(organisation=organisation, actor=supervisor)


@pytest.fixture
def hr(employer):
    return employer.memberships.get(role="admin").user


def test_the_organisation_hears_of_the_cases_it_represents_only_while_it_does(
    api_as, applicant, employer, hr
):
    with Receiver() as receiver:
        made = api_as(hr, [scopes.WEBHOOKS]).post(
            "/api/v1/webhooks/",
            {"url": receiver.url, "events": ["filed", "withdrawn"], "organisation": employer.pk},
            format="json",
        )
        assert made.status_code == 201, made.json()
        assert made.json()["organisation"] == employer.pk
        receiver.secret = made.json()["secret"]
        person = applicant.applicants.get()

        ApplicationFactory(applicant=person, filed=True)  # before the power: not heard
        power = representation.power_grant(
            applicant=person,
            actor=applicant,
            second_factor_verified=True,
            organisation=employer,
            scope=PowerScope.ALL,
            valid_from=NOW.date(),
        )
        covered = ApplicationFactory(applicant=person, filed=True)
        ApplicationFactory(filed=True)  # someone else's: not heard
        deliver_all()
        assert [(m["type"], m["data"]["application_id"]) for m in receiver.received] == [
            ("case.filed", covered.pk)
        ]

        representation.power_end(power=power, actor=applicant)
        services.application_withdraw(application=covered, actor=applicant)
        deliver_all()
        assert len(receiver.received) == 1
        assert receiver.bad_signatures == 0


def test_only_its_administrators_make_and_see_its_subscriptions(api_as, applicant, employer, hr):
    member = UserFactory(role=Role.APPLICANT)
    organisations.member_add(organisation=employer, actor=hr, user=member)
    body = {
        "url": "https://hooks.example/x",
        "events": ["filed"],
        "organisation": employer.pk,
    }
    refused = api_as(member, [scopes.WEBHOOKS], HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/webhooks/", body, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["pointer"] == "#/organisation"
    assert not Subscription.objects.exists()

    subscription = Subscription.objects.create(
        owner=hr, organisation=employer, url="https://hooks.example/x", events=["filed"], secret="s"
    )
    second_admin = UserFactory(role=Role.APPLICANT)
    organisations.member_add(organisation=employer, actor=hr, user=second_admin, role="admin")
    path = f"/api/v1/webhooks/{subscription.pk}/"
    assert api_as(second_admin, [scopes.WEBHOOKS]).get(path).status_code == 200
    assert api_as(member, [scopes.WEBHOOKS]).get(path).status_code == 404
    assert api_as(applicant, [scopes.WEBHOOKS]).get(path).status_code == 404
    assert Delivery.objects.count() == 0


def test_a_change_sent_with_the_organisation_field_changes_only_what_may_change(api_as, applicant):
    """schemathesis found a 500 here: the change passed every field to the service."""
    subscription = Subscription.objects.create(
        owner=applicant, url="https://hooks.example/x", events=["filed"], secret="s"
    )
    changed = api_as(applicant, [scopes.WEBHOOKS]).patch(
        f"/api/v1/webhooks/{subscription.pk}/",
        {
            "url": "https://93.184.216.34/y",
            "events": ["filed"],
            "active": False,
            "organisation": None,
        },
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    subscription.refresh_from_db()
    assert (subscription.url, subscription.active, subscription.organisation) == (
        "https://93.184.216.34/y",
        False,
        None,
    )
