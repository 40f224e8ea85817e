"""A representative acting in the pages under a power of attorney: the case is theirs to open
and act in within the power's scope and dates, a 404 otherwise (without a power, outside its
scope, after it ended, after the member left); the decision is delivered by their opening, and
the person's own opening no longer delivers it (D3); the person still sees everything."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.constants import Role
from applications import representation
from applications.constants import PowerScope
from applications.models import AuditEntry
from organisations import services as organisations
from permits.models import PermitType
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

# A Tuesday in Prague, away from holidays.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))


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


@pytest.fixture
def hr(employer):
    return employer.memberships.get(role="admin").user


def give(person, employer, **kwargs):
    return representation.power_grant(
        applicant=person.applicants.get(),
        actor=person,
        second_factor_verified=True,
        organisation=employer,
        **{"scope": PowerScope.ALL, "valid_from": NOW.date(), **kwargs},
    )


def page(name, application):
    return reverse(f"applications:{name}", args=[application.pk])


def test_a_representative_opens_the_case_and_the_person_still_does(
    applicant, employer, hr, client_for
):
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    assert client_for(hr).get(page("detail", application)).status_code == 404

    give(applicant, employer)

    assert client_for(hr).get(page("detail", application)).status_code == 200
    assert client_for(applicant).get(page("detail", application)).status_code == 200
    dashboard = client_for(hr).get(reverse("applications:dashboard")).content.decode()
    assert page("detail", application) in dashboard


@pytest.mark.parametrize("how", ["outside its scope", "after it ended", "after the member left"])
def test_without_a_power_that_counts_every_page_is_a_404(applicant, employer, hr, client_for, how):
    person = applicant.applicants.get()
    application = ApplicationFactory(applicant=person, filed=True)
    colleague = UserFactory(role=Role.APPLICANT)
    membership = organisations.member_add(organisation=employer, actor=hr, user=colleague)
    if how == "outside its scope":
        other = ApplicationFactory(applicant=person, filed=True)
        give(applicant, employer, scope=PowerScope.CASE, application=other)
    else:
        power = give(applicant, employer)
        assert client_for(colleague).get(page("detail", application)).status_code == 200
        if how == "after it ended":
            representation.power_end(power=power, actor=applicant)
        else:
            organisations.member_leave(membership=membership, actor=colleague)
    before = application.version

    browser = client_for(colleague)
    for name in ("detail", "documents", "decision", "appeal", "withdraw"):
        assert browser.get(page(name, application)).status_code == 404, name
    assert browser.post(page("withdraw", application)).status_code == 404
    application.refresh_from_db()
    assert application.version == before


def test_a_representative_withdraws_and_the_audit_names_them(applicant, employer, hr, client_for):
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    give(applicant, employer)

    answer = client_for(hr).post(page("withdraw", application), {"confirm": "on"})

    assert answer.status_code in (200, 302)
    application.refresh_from_db()
    assert application.status == "withdrawn", answer.content.decode()[:2000]
    entry = AuditEntry.objects.filter(application=application).latest("pk")
    assert entry.actor_id == hr.pk
    assert entry.to_status == "withdrawn"


def test_the_representatives_opening_delivers_the_decision_and_the_persons_does_not(
    applicant, employer, hr, client_for
):
    application = ApplicationFactory(applicant=applicant.applicants.get(), rejected=True)
    give(applicant, employer)
    decision = application.decisions.get()
    assert decision.delivered_on is None

    client_for(applicant).get(page("decision", application))
    decision.refresh_from_db()
    assert decision.delivered_on is None

    later = NOW + timedelta(days=2)
    with time_machine.travel(later, tick=False):
        client_for(hr).get(page("decision", application))
    decision.refresh_from_db()
    assert decision.delivered_on == later.date()
    assert decision.opened_on == later.date()
    # 15 days from the representative's opening (D4): 12 March + 15 = 27 March, a Friday.
    assert decision.appeal_due == later.date() + timedelta(days=15)


def test_without_a_power_the_persons_opening_delivers_as_before(applicant, client_for):
    application = ApplicationFactory(applicant=applicant.applicants.get(), rejected=True)
    client_for(applicant).get(page("decision", application))
    assert application.decisions.get().delivered_on == NOW.date()


def test_a_type_scoped_power_covers_that_type_only(applicant, employer, hr, client_for):
    person = applicant.applicants.get()
    card = ApplicationFactory(applicant=person, filed=True)
    blue = ApplicationFactory(
        applicant=person, permit_type=PermitType.objects.get(code="blue_card"), filed=True
    )
    give(applicant, employer, scope=PowerScope.PERMIT_TYPE, permit_type=card.permit_type)
    assert client_for(hr).get(page("detail", card)).status_code == 200
    assert client_for(hr).get(page("detail", blue)).status_code == 404


def test_the_persons_timeline_names_the_representative_who_acted(
    applicant, employer, hr, client_for
):
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    power = give(applicant, employer)
    client_for(hr).post(page("withdraw", application), {"confirm": "on"})

    entry = AuditEntry.objects.filter(application=application).latest("pk")
    assert entry.data["acting_under"] == power.pk
    body = client_for(applicant).get(page("detail", application)).content.decode()
    assert "By your representative Strojírny Brno a.s." in body


def test_the_persons_own_steps_name_no_representative(applicant, employer, client_for):
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    give(applicant, employer)
    client_for(applicant).post(page("withdraw", application), {"confirm": "on"})
    entry = AuditEntry.objects.filter(application=application).latest("pk")
    assert "acting_under" not in entry.data


def test_a_representative_starts_a_draft_for_the_person_in_the_pages(
    applicant, employer, hr, client_for
):
    person = applicant.applicants.get()
    give(applicant, employer)
    browser = client_for(hr)

    answer = browser.post(
        reverse("applications:start"),
        {
            "applicant": person.pk,
            "permit_type": PermitType.objects.get(code="employee_card").pk,
        },
    )

    assert answer.status_code == 302
    draft = person.applications.get()
    assert draft.created_by_id == hr.pk
    assert browser.get(answer["Location"]).status_code == 200
    # The person sees the draft made for them.
    assert client_for(applicant).get(page("detail", draft)).status_code == 200


def test_a_power_for_one_type_or_one_case_starts_nothing_else(applicant, employer, hr):
    from applications import services
    from core.errors import NotPermitted

    person = applicant.applicants.get()
    card = PermitType.objects.get(code="employee_card")
    blue = PermitType.objects.get(code="blue_card")
    give(applicant, employer, scope=PowerScope.PERMIT_TYPE, permit_type=card)

    assert services.application_create(applicant=person, permit_type=card, actor=hr)
    with pytest.raises(NotPermitted):
        services.application_create(applicant=person, permit_type=blue, actor=hr)
    stranger = UserFactory(role=Role.APPLICANT)
    with pytest.raises(NotPermitted):
        services.application_create(applicant=person, permit_type=card, actor=stranger)


def test_the_offices_notices_go_to_the_representative_and_the_person(
    applicant, employer, hr, client_for
):
    from applications.notices import notify_application_event
    from notifications.models import Notification

    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    give(applicant, employer)
    colleague = UserFactory(role=Role.APPLICANT)
    membership = organisations.member_add(organisation=employer, actor=hr, user=colleague)
    organisations.member_leave(membership=membership, actor=colleague)
    Notification.objects.all().delete()

    notify_application_event(application_id=application.pk, event="filed")

    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {applicant.pk, hr.pk}


def test_a_representative_asks_for_more_time_and_a_stranger_may_not(
    applicant, other_applicant, employer, hr
):
    from applications.extensions import extension_request
    from core.errors import NotPermitted

    application = ApplicationFactory(applicant=applicant.applicants.get(), interrupted=True)
    give(applicant, employer)

    with pytest.raises(NotPermitted):
        extension_request(actor=other_applicant, application=application, reason="Please.")
    asked = extension_request(
        actor=hr, application=application, reason="The employer's papers come next week."
    )

    assert asked.interruption.application_id == application.pk
    entry = AuditEntry.objects.filter(application=application).latest("pk")
    assert entry.actor_id == hr.pk and "acting_under" in entry.data


def test_deadline_reminders_reach_the_representative_too(applicant, employer, hr):
    from applications.notices import notify_reminder
    from notifications.constants import Kind
    from notifications.models import Notification

    application = ApplicationFactory(applicant=applicant.applicants.get(), interrupted=True)
    interruption = application.interruptions.get()
    give(applicant, employer)
    Notification.objects.all().delete()

    notify_reminder(
        kind=Kind.DOCUMENT_DEADLINE_REMINDER,
        object_id=interruption.pk,
        due_on=interruption.deadline,
        days_before=3,
    )

    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        applicant.pk,
        hr.pk,
    }
