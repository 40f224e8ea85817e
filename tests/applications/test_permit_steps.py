"""The residence card after a grant, handled by caseworkers (SPEC §2, D6) [002][003]: each step
through its service and through the case page, who may record it, what the record says, and
what the caseworker's and the applicant's pages show."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.constants import Role
from applications.audit import APPLICANT_VISIBLE, AuditAction
from applications.cards import (
    permit_record_biometrics,
    permit_record_card_ready,
    permit_record_pickup,
    permit_schedule_biometrics,
)
from applications.constants import Channel
from applications.models import AuditEntry
from applications.queues import case_for_caseworker
from core.errors import ApplicationError, NotPermitted
from core.models import OutboxMessage
from permits.models import Permit
from tests.accounts.factories import UserFactory
from tests.applications.card_days import GRANTED_ON, granted_day, on  # noqa: F401 (a fixture)
from tests.applications.factories import ApplicationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("granted_day")]


@pytest.fixture
def permit(caseworker) -> Permit:
    return ApplicationFactory(decided=True, caseworker=caseworker).permit


@pytest.fixture
def stranger(db):
    """A caseworker the case is not assigned to."""
    return UserFactory(role=Role.CASEWORKER)


def actions(permit: Permit) -> list[tuple[str, str, dict]]:
    return [
        (entry.action, entry.note, entry.data)
        for entry in AuditEntry.objects.filter(
            application=permit.application_id,
            action__in=[
                AuditAction.BIOMETRICS_SCHEDULED,
                AuditAction.BIOMETRICS_RECORDED,
                AuditAction.CARD_READY,
                AuditAction.CARD_PICKED_UP,
            ],
        ).order_by("pk")
    ]


def fresh(permit: Permit) -> Permit:
    return Permit.objects.get(pk=permit.pk)


# --- The services ---------------------------------------------------------------------------------


def test_the_steps_in_order_each_audited(permit, caseworker):
    appointment = GRANTED_ON + timedelta(days=7)
    permit_schedule_biometrics(permit=permit, on=appointment, actor=caseworker, note="By phone.")
    with on(appointment):
        permit_record_biometrics(permit=permit, on=appointment, actor=caseworker)
    with on(appointment + timedelta(days=21)):
        permit_record_card_ready(
            permit=permit, on=appointment + timedelta(days=21), actor=caseworker
        )
    with on(appointment + timedelta(days=30)):
        permit_record_pickup(permit=permit, on=appointment + timedelta(days=30), actor=caseworker)

    recorded = fresh(permit)
    assert recorded.biometrics_appointment_on == date(2026, 3, 9)
    assert recorded.biometrics_on == date(2026, 3, 9)
    assert recorded.card_ready_on == date(2026, 3, 30)
    # 60 days after the biometrics [002][003]: 8 May, a public holiday, so the next working day.
    assert recorded.pickup_due == date(2026, 5, 11)
    assert recorded.picked_up_on == date(2026, 4, 8)
    assert [
        (a, n, d.get(key))
        for (a, n, d), key in zip(
            actions(permit),
            ["biometrics_appointment_on", "biometrics_on", "card_ready_on", "picked_up_on"],
            strict=True,
        )
    ] == [
        ("biometrics_scheduled", "By phone.", "2026-03-09"),
        ("biometrics_recorded", "", "2026-03-09"),
        ("card_ready", "", "2026-03-30"),
        ("card_picked_up", "", "2026-04-08"),
    ]
    assert AuditEntry.objects.filter(application=permit.application_id).last().actor == caseworker


def test_the_applicant_sees_the_new_steps_in_the_timeline():
    assert {AuditAction.BIOMETRICS_SCHEDULED, AuditAction.CARD_READY} <= APPLICANT_VISIBLE


def test_an_appointment_may_be_booked_again_and_each_booking_is_recorded(permit, caseworker):
    permit_schedule_biometrics(permit=permit, on=GRANTED_ON + timedelta(days=3), actor=caseworker)
    permit_schedule_biometrics(permit=permit, on=GRANTED_ON, actor=caseworker)

    assert fresh(permit).biometrics_appointment_on == GRANTED_ON
    assert [d["biometrics_appointment_on"] for _, _, d in actions(permit)] == [
        "2026-03-05",
        "2026-03-02",
    ]


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (GRANTED_ON - timedelta(days=1), "a day that has passed"),
        # Entered on 2 March: due by 1 April (30 days [003]).
        (date(2026, 4, 2), "on or before 1\u00a0Apr\u00a02026"),
    ],
)
def test_an_appointment_outside_the_deadlines_is_refused(permit, caseworker, day, message):
    from applications.cards import permit_record_entry

    permit_record_entry(permit=permit, entered_on=GRANTED_ON, actor=caseworker)
    before = actions(permit)

    with pytest.raises(ApplicationError, match=message):
        permit_schedule_biometrics(permit=permit, on=day, actor=caseworker)

    assert fresh(permit).biometrics_appointment_on is None
    assert actions(permit) == before
    # The last day itself is fine.
    permit_schedule_biometrics(permit=permit, on=date(2026, 4, 1), actor=caseworker)


def test_no_appointment_once_the_data_are_taken(permit, caseworker):
    permit_record_biometrics(permit=permit, on=GRANTED_ON, actor=caseworker)
    with pytest.raises(ApplicationError, match="already taken"):
        permit_schedule_biometrics(
            permit=permit, on=GRANTED_ON + timedelta(days=1), actor=caseworker
        )


def test_the_card_is_ready_only_after_biometrics_and_not_in_the_future(permit, caseworker):
    with pytest.raises(ApplicationError, match="biometric data were taken first"):
        permit_record_card_ready(permit=permit, on=GRANTED_ON, actor=caseworker)
    with on(GRANTED_ON + timedelta(days=5)):
        permit_record_biometrics(permit=permit, on=GRANTED_ON + timedelta(days=5), actor=caseworker)
        with pytest.raises(ApplicationError, match="before biometric data were taken"):
            permit_record_card_ready(permit=permit, on=GRANTED_ON, actor=caseworker)
        with pytest.raises(ApplicationError, match="in the future"):
            permit_record_card_ready(
                permit=permit, on=GRANTED_ON + timedelta(days=6), actor=caseworker
            )
    assert fresh(permit).card_ready_on is None
    assert not OutboxMessage.objects.filter(payload__event="permit_ready").exists()


def test_the_card_ready_queues_the_holders_notice_in_its_transaction(permit, caseworker):
    permit_record_biometrics(permit=permit, on=GRANTED_ON, actor=caseworker)
    assert not OutboxMessage.objects.filter(payload__event="permit_ready").exists()
    permit_record_card_ready(permit=permit, on=GRANTED_ON, actor=caseworker)
    assert OutboxMessage.objects.filter(
        payload={"application_id": permit.application_id, "event": "permit_ready"}
    ).exists()


def test_a_card_is_not_collected_before_it_was_ready(permit, caseworker):
    with on(GRANTED_ON + timedelta(days=10)):
        permit_record_biometrics(permit=permit, on=GRANTED_ON, actor=caseworker)
        permit_record_card_ready(permit=permit, on=GRANTED_ON + timedelta(days=9), actor=caseworker)
        with pytest.raises(ApplicationError, match="before it was ready"):
            permit_record_pickup(permit=permit, on=GRANTED_ON + timedelta(days=8), actor=caseworker)
    assert fresh(permit).picked_up_on is None


def test_a_collected_card_takes_no_more_steps(permit, caseworker):
    permit_record_biometrics(permit=permit, on=GRANTED_ON, actor=caseworker)
    permit_record_pickup(permit=permit, on=GRANTED_ON, actor=caseworker)
    before = actions(permit)

    for step in (permit_schedule_biometrics, permit_record_card_ready, permit_record_pickup):
        with pytest.raises(ApplicationError, match="was collected on"):
            step(permit=permit, on=GRANTED_ON, actor=caseworker)

    assert actions(permit) == before


def test_a_permit_set_aside_on_appeal_takes_no_steps(permit, caseworker):
    # What ``_set_aside_permit`` leaves: the permit is gone, a stale copy remains in hand.
    Permit.objects.filter(pk=permit.pk).delete()
    with pytest.raises(ApplicationError, match="set aside on appeal"):
        permit_schedule_biometrics(permit=permit, on=GRANTED_ON, actor=caseworker)


def test_only_the_assignee_or_a_supervisor_records(permit, stranger, supervisor):
    for step in (permit_schedule_biometrics, permit_record_biometrics):
        with pytest.raises(NotPermitted):
            step(permit=permit, on=GRANTED_ON, actor=stranger)
    assert actions(permit) == []
    assert fresh(permit).biometrics_appointment_on is None

    permit_schedule_biometrics(permit=permit, on=GRANTED_ON, actor=supervisor)
    assert AuditEntry.objects.filter(
        application=permit.application_id, action="biometrics_scheduled", actor=supervisor
    ).exists()


# --- The case page: the panel and its forms -----------------------------------------------------


def step_url(permit: Permit, step: str) -> str:
    return reverse("caseworker:permit_step", args=[permit.application_id, step])


def case_url(permit: Permit) -> str:
    return reverse("caseworker:case", args=[permit.application_id])


def render_panel(application, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load caseworker_permit %}{% permit_panel application %}")
    return template.render(Context({"application": application, "request": request}))


def test_the_panel_shows_the_card_and_the_next_steps_without_a_query(permit, caseworker):
    permit_schedule_biometrics(permit=permit, on=GRANTED_ON + timedelta(days=4), actor=caseworker)
    application = case_for_caseworker(permit.application_id)
    caseworker.has_perm("applications.assign_application")  # the page has read the permissions

    with CaptureQueriesContext(connection) as queries:
        html = render_panel(application, caseworker)

    assert len(queries) == 0
    assert permit.number in html
    assert "6\u00a0Mar\u00a02026" in html  # the appointment
    assert 'id="action-card-appointment"' in html  # booked again to move it
    assert 'id="action-card-biometrics"' in html
    assert "action-card-card_ready" not in html and "action-card-pickup" not in html


def test_the_panel_shows_the_next_step_only_and_days_left(permit, caseworker):
    permit_record_biometrics(permit=permit, on=GRANTED_ON, actor=caseworker)
    html = render_panel(case_for_caseworker(permit.application_id), caseworker)
    assert 'id="action-card-card_ready"' in html
    assert "action-card-appointment" not in html and "action-card-pickup" not in html
    # Due 4 May 2026 (1 May is a holiday): 63 days from 2 March.
    assert "4\u00a0May\u00a02026 · 63 days left" in html

    permit_record_card_ready(permit=permit, on=GRANTED_ON, actor=caseworker)
    html = render_panel(case_for_caseworker(permit.application_id), caseworker)
    assert 'id="action-card-pickup"' in html and "action-card-card_ready" not in html


def test_an_application_filed_abroad_asks_for_the_day_of_entry_first(caseworker):
    application = ApplicationFactory(decided=True, caseworker=caseworker, channel=Channel.EMBASSY)
    html = render_panel(case_for_caseworker(application.pk), caseworker)
    assert html.index('id="action-card-entry"') < html.index('id="action-card-appointment"')


def test_a_stranger_sees_the_card_but_no_forms(permit, stranger):
    html = render_panel(case_for_caseworker(permit.application_id), stranger)
    assert permit.number in html
    assert "<form" not in html


def test_no_panel_without_a_permit(caseworker):
    application = ApplicationFactory(filed=True)
    assert render_panel(case_for_caseworker(application.pk), caseworker).strip() == ""


def test_a_step_posted_by_the_assignee_is_recorded(permit, caseworker, client_for):
    browser = client_for(caseworker)
    response = browser.post(
        step_url(permit, "appointment"),
        {"card-appointment-day": "2026-03-10", "card-appointment-note": "Agreed by phone."},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{case_url(permit)}#permit"
    assert fresh(permit).biometrics_appointment_on == date(2026, 3, 10)
    [(action, note, data)] = actions(permit)
    assert (action, note, data["biometrics_appointment_on"]) == (
        "biometrics_scheduled",
        "Agreed by phone.",
        "2026-03-10",
    )
    page = browser.get(case_url(permit))
    assert "The appointment for biometric data is booked." in page.content.decode()


def test_each_step_through_the_view(permit, caseworker, client_for):
    browser = client_for(caseworker)
    for step, field in [
        ("appointment", "biometrics_appointment_on"),
        ("biometrics", "biometrics_on"),
        ("card_ready", "card_ready_on"),
        ("pickup", "picked_up_on"),
    ]:
        response = browser.post(step_url(permit, step), {f"card-{step}-day": "2026-03-02"})
        assert response.status_code == 302, step
        assert getattr(fresh(permit), field) == GRANTED_ON
    assert [a for a, _, _ in actions(permit)] == [
        "biometrics_scheduled",
        "biometrics_recorded",
        "card_ready",
        "card_picked_up",
    ]


def test_a_refused_step_comes_back_with_what_was_typed(permit, caseworker, client_for):
    response = client_for(caseworker).post(
        step_url(permit, "card_ready"),
        {"card-card_ready-day": "2026-03-02", "card-card_ready-note": "Batch 12 from the printer."},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Record the day biometric data were taken first" in html
    assert "Batch 12 from the printer." in html
    assert 'id="action-card-card_ready" open' in html
    assert fresh(permit).card_ready_on is None
    assert actions(permit) == []


def test_an_invalid_form_comes_back_with_its_errors_and_the_note(permit, caseworker, client_for):
    response = client_for(caseworker).post(
        step_url(permit, "appointment"),
        {"card-appointment-day": "not a day", "card-appointment-note": "Agreed by phone."},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid date." in html
    assert "Agreed by phone." in html
    assert 'id="action-card-appointment" open' in html
    assert actions(permit) == []


def test_a_stranger_caseworker_is_refused(permit, stranger, client_for):
    response = client_for(stranger).post(
        step_url(permit, "appointment"), {"card-appointment-day": "2026-03-10"}
    )
    assert response.status_code == 200
    assert "Only the caseworker assigned to this case or a supervisor can do this." in (
        response.content.decode()
    )
    assert fresh(permit).biometrics_appointment_on is None


def test_a_supervisor_may_record(permit, supervisor, client_for):
    response = client_for(supervisor).post(
        step_url(permit, "appointment"), {"card-appointment-day": "2026-03-10"}
    )
    assert response.status_code == 302
    assert fresh(permit).biometrics_appointment_on == date(2026, 3, 10)


def test_outsiders_and_wrong_requests(permit, caseworker, client_for):
    url = step_url(permit, "appointment")
    data = {"card-appointment-day": "2026-03-10"}
    owner = permit.application.applicant.account

    assert client_for(owner).post(url, data).status_code == 403
    assert client_for(UserFactory(role=Role.SUPPORT)).post(url, data).status_code == 403
    anonymous = client_for(None).post(url, data)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert client_for(caseworker).get(url).status_code == 405
    assert client_for(caseworker).post(step_url(permit, "nonsense"), data).status_code == 404
    no_permit = ApplicationFactory(filed=True)
    no_permit_url = reverse("caseworker:permit_step", args=[no_permit.pk, "appointment"])
    assert client_for(caseworker).post(no_permit_url, data).status_code == 404
    assert fresh(permit).biometrics_appointment_on is None


def test_the_case_page_with_a_permit_costs_at_most_one_query_more(permit, caseworker, client_for):
    browser = client_for(caseworker)
    url = case_url(permit)
    browser.get(url)  # warm: sessions, permissions, translations
    with CaptureQueriesContext(connection) as with_permit:
        page = browser.get(url)
    assert permit.number in page.content.decode()

    # The same case without its card.
    Permit.objects.filter(pk=permit.pk).delete()
    browser.get(url)
    with CaptureQueriesContext(connection) as without_permit:
        browser.get(url)

    assert len(with_permit) <= len(without_permit) + 1
    assert not [q for q in with_permit if q["sql"].lstrip().startswith('SELECT "permits_permit"')]


# --- The applicant's case page -------------------------------------------------------------------


def test_the_applicant_sees_the_cards_next_step(permit, caseworker, client_for):
    owner = permit.application.applicant.account
    url = reverse("applications:detail", args=[permit.application_id])
    browser = client_for(owner)

    html = browser.get(url).content.decode()
    assert "The office will contact you to arrange a day to give your biometric data" in html

    permit_schedule_biometrics(permit=permit, on=date(2026, 3, 10), actor=caseworker)
    html = browser.get(url).content.decode()
    assert "Your appointment to give biometric data: 10\u00a0March\u00a02026." in html
    assert "Appointment for biometric data booked" in html  # the timeline

    # The steps on their days; the page is read on the day of the grant (the session's).
    with on(date(2026, 3, 10)):
        permit_record_biometrics(permit=permit, on=date(2026, 3, 10), actor=caseworker)
    html = browser.get(url).content.decode()
    assert "Collect it by 11\u00a0May\u00a02026 at the latest" in html  # 9 May is a Saturday

    with on(date(2026, 4, 1)):
        permit_record_card_ready(permit=permit, on=date(2026, 4, 1), actor=caseworker)
    html = browser.get(url).content.decode()
    assert "Collect your card at the office by 11\u00a0May\u00a02026 at the latest." in html
    assert "Residence card ready for collection" in html  # the timeline
