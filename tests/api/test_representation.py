"""A representative through the API: an employer's member, with a token of their own, acts in
the employee's case under the power of attorney the employee gave the employer: reads it,
starts a draft for them, answers the interruption, fetches the decision (which delivers it,
the appeal's 15 days running from that opening) and lodges the appeal. Without a power that
counts, each of those is a 404 and nothing changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.constants import Role
from api import scopes
from applications import representation
from applications.constants import PowerScope, Status
from applications.models import Application, AuditEntry
from organisations import services as organisations
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db

# A Tuesday in Prague.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))


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


@pytest.fixture
def hr(employer):
    return employer.memberships.get(role="admin").user


def give(person_user, employer):
    return representation.power_grant(
        applicant=person_user.applicants.get(),
        actor=person_user,
        second_factor_verified=True,
        organisation=employer,
        scope=PowerScope.ALL,
        valid_from=NOW.date(),
    )


def etag(client, application) -> dict[str, str]:
    return {"HTTP_IF_MATCH": client.get(f"/api/v1/applications/{application.pk}/")["ETag"]}


def test_a_representative_works_the_case_through_the_api(api_as, applicant, employer, hr):
    person = applicant.applicants.get()
    interrupted = ApplicationFactory(applicant=person, interrupted=True)
    decided = ApplicationFactory(applicant=person, rejected=True)
    give(applicant, employer)
    api = api_as(hr, list(scopes.ALL), HTTP_ACCEPT_LANGUAGE="en")

    listed = {row["id"] for row in api.get("/api/v1/applications/").json()["results"]}
    assert {interrupted.pk, decided.pk} <= listed

    draft = api.post(
        "/api/v1/applications/", {"permit_type": "employee_card", "applicant": person.pk}
    )
    assert draft.status_code == 201, draft.json()
    assert Application.objects.get(pk=draft.json()["id"]).applicant == person

    base = f"/api/v1/applications/{interrupted.pk}"
    uploaded = api.post(
        f"{base}/documents/",
        {
            "kind": "accommodation",
            "file": SimpleUploadedFile("lease.pdf", pdf_bytes("lease"), "application/pdf"),
        },
        format="multipart",
        **etag(api, interrupted),
    )
    assert uploaded.status_code == 201, uploaded.json()
    resumed = api.post(f"{base}/interruptions/supply/", **etag(api, interrupted))
    assert resumed.status_code == 200 and resumed.json()["status"] == Status.FILED
    assert AuditEntry.objects.filter(application=interrupted, actor=hr).exists()

    later = NOW + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        base = f"/api/v1/applications/{decided.pk}"
        [decision] = api.get(f"{base}/decisions/").json()
        opened = api.get(f"{base}/decisions/{decision['id']}/").json()
        assert opened["delivered_on"] == later.date().isoformat()
        # 13 March + 15 days is Saturday 28 March: the period ends on Monday 30 (D1, D4).
        assert opened["remedy_due"] == "2026-03-30"
        appeal = api.post(
            f"{base}/appeals/",
            {"grounds": "The contract was overlooked."},
            format="json",
            **etag(api, decided),
        )
    assert appeal.status_code == 201, appeal.json()
    decided.refresh_from_db()
    assert decided.status == Status.APPEALED


def test_the_persons_own_api_opening_no_longer_delivers(api_as, applicant, employer):
    decided = ApplicationFactory(applicant=applicant.applicants.get(), rejected=True)
    give(applicant, employer)
    own = api_as(applicant, [scopes.DECISIONS_READ])
    [decision] = own.get(f"/api/v1/applications/{decided.pk}/decisions/").json()
    assert (
        own.get(f"/api/v1/applications/{decided.pk}/decisions/{decision['id']}/").json()[
            "delivered_on"
        ]
        is None
    )


def test_after_the_power_ends_the_representative_gets_404s(api_as, applicant, employer, hr):
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    power = give(applicant, employer)
    api = api_as(hr, list(scopes.ALL))
    assert api.get(f"/api/v1/applications/{application.pk}/").status_code == 200

    representation.power_end(power=power, actor=applicant)

    assert api.get(f"/api/v1/applications/{application.pk}/").status_code == 404
    withdrawn = api.post(
        f"/api/v1/applications/{application.pk}/withdraw/",
        HTTP_IF_MATCH=f'"{application.version}"',
    )
    assert withdrawn.status_code == 404
    application.refresh_from_db()
    assert application.status == Status.FILED
