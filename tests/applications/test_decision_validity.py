"""A grant's validity keeps the limits of its type (permits.validity), whoever decides: the
decision guard refuses a start before the decision day and an end past the maximum for every type
the office decides, and the caseworker's form proposes the longest lawful validity and shows the
same refusals on its fields."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from applications import services
from applications.constants import Channel, Outcome, Status
from applications.demo import demo_answers
from applications.models import Application, Decision
from core.errors import TransitionRefused
from documents.constants import Verification
from documents.models import Document
from permits.catalogue import PERMIT_TYPES
from permits.models import PermitType
from permits.questions import HANDLED_TYPES
from permits.validity import validity_end
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

DECIDED_AT = datetime(2026, 12, 4, 10, tzinfo=ZoneInfo("Europe/Prague"))
DECIDED = DECIDED_AT.date()
CATALOGUE_MONTHS = {spec["code"]: spec["max_validity_months"] for spec in PERMIT_TYPES}

# Answers the rules need before a type may be filed, beyond what the demo data gives.
ANSWERS = {"permanent_residence_waiver": {"ground": "humanitarian"}}


@pytest.fixture(autouse=True)
def _decision_day():
    with time_machine.travel(DECIDED_AT, tick=False):
        yield


def assigned_case(code: str, caseworker, *, answers: dict | None = None) -> Application:
    """A filed case of type ``code``, every document verified, assigned to ``caseworker``."""
    permit_type = PermitType.objects.get(code=code)
    application = ApplicationFactory(
        filed=True,
        permit_type=permit_type,
        channel=Channel.ONLINE if permit_type.can_file_in_country else Channel.EMBASSY,
        answers={
            **demo_answers(permit_type, filed_on=DECIDED),
            **ANSWERS.get(code, {}),
            **(answers or {}),
        },
    )
    Document.objects.filter(application=application).update(verification=Verification.ACCEPTED)
    services.application_claim(application=application, actor=caseworker)
    application.refresh_from_db()
    return application


def grant(application: Application, caseworker, start: date, end: date | None) -> Decision:
    return services.application_decide(
        application=Application.objects.get(pk=application.pk),
        actor=caseworker,
        outcome=Outcome.GRANTED,
        valid_from=start,
        valid_to=end,
    )


def expected_end(code: str) -> date | None:
    """The longest validity from the decision day, worked out from the catalogue itself."""
    months = CATALOGUE_MONTHS[code]
    return None if months is None else validity_end(DECIDED, months)


@pytest.mark.parametrize("code", sorted(HANDLED_TYPES))
def test_every_decided_type_keeps_its_validity_limits(code, caseworker):
    application = assigned_case(code, caseworker)
    longest = expected_end(code)

    # A day before the decision day.
    with pytest.raises(TransitionRefused, match="before the day of the decision"):
        grant(application, caseworker, DECIDED - timedelta(days=1), longest)
    # One day past the maximum; a permanent residence permit has no end at all.
    past = DECIDED + timedelta(days=3650) if longest is None else longest + timedelta(days=1)
    with pytest.raises(TransitionRefused, match=r"at most|no end date"):
        grant(application, caseworker, DECIDED, past)
    application.refresh_from_db()
    assert application.status == Status.FILED

    # What the form proposes: the decision day to the maximum.
    decision = grant(application, caseworker, DECIDED, longest)

    assert (decision.valid_from, decision.valid_to) == (DECIDED, longest)
    application.refresh_from_db()
    assert application.status == Status.DECIDED
    assert (application.permit.valid_from, application.permit.valid_to) == (DECIDED, longest)


def test_every_decided_type_has_a_limit_or_is_permanent():
    for code in HANDLED_TYPES:
        assert (CATALOGUE_MONTHS[code] is None) == code.startswith("permanent_residence"), code


@pytest.mark.parametrize(
    ("extends_blue_card", "months"),
    [(True, 36), (False, 24)],
)
def test_an_extension_is_capped_by_the_permit_it_extends(extends_blue_card, months, caseworker):
    # "Blue card may be newly issued for a maximum period of 3 years. That applies also to
    # extensions of a Blue card." [001]
    application = assigned_case(
        "ltr_extension", caseworker, answers={"extends_blue_card": extends_blue_card}
    )
    longest = validity_end(DECIDED, months)

    with pytest.raises(TransitionRefused, match=f"at most {months} months"):
        grant(application, caseworker, DECIDED, longest + timedelta(days=1))
    decision = grant(application, caseworker, DECIDED, longest)

    assert decision.valid_to == longest


def test_the_blue_cards_maximum_as_the_admin_keeps_it_caps_its_extension(caseworker):
    PermitType.objects.filter(code="blue_card").update(max_validity_months=30)
    application = assigned_case("ltr_extension", caseworker, answers={"extends_blue_card": True})

    with pytest.raises(TransitionRefused, match="at most 30 months"):
        grant(application, caseworker, DECIDED, validity_end(DECIDED, 30) + timedelta(days=1))


def test_a_new_card_ends_with_the_permit_it_belongs_to(caseworker):
    application = assigned_case(
        "card_replacement", caseworker, answers={"permit_valid_to": "2027-08-31"}
    )

    with pytest.raises(TransitionRefused, match="cannot outlast the permit"):
        grant(application, caseworker, DECIDED, date(2027, 9, 1))
    decision = grant(application, caseworker, DECIDED, date(2027, 8, 31))

    assert decision.valid_to == date(2027, 8, 31)


def test_a_permanent_residents_new_card_has_no_end(caseworker):
    application = assigned_case(
        "card_data_change", caseworker, answers={"card_for_permanent_residence": True}
    )

    with pytest.raises(TransitionRefused, match="no end date"):
        grant(application, caseworker, DECIDED, date(2036, 12, 3))
    decision = grant(application, caseworker, DECIDED, None)

    assert decision.valid_to is None


def test_the_reviewed_grants_are_refused(caseworker):
    # An Employee Card for 05.12.2026-31.12.2035; a validity long expired; a start in year 9999.
    application = assigned_case("employee_card", caseworker)

    for start, end, refusal in [
        (date(2026, 12, 5), date(2035, 12, 31), "at most 24 months"),
        (date(2020, 1, 1), date(2020, 6, 1), "before the day of the decision"),
        (date(9999, 12, 31), date(9999, 12, 31), "within 120 days"),
        (date(2027, 1, 10), date(2027, 1, 9), "cannot end before it starts"),
    ]:
        with pytest.raises(TransitionRefused, match=refusal):
            grant(application, caseworker, start, end)
    assert not Decision.objects.filter(application=application).exists()


# --- The caseworker's form -------------------------------------------------------------------


def decide_form(client, application: Application):
    response = client.get(reverse("caseworker:case", args=[application.pk]))
    assert response.status_code == 200
    return response.context["forms"]["decide"]


def post_decision(client, application: Application, start: str, end: str):
    return client.post(
        reverse("caseworker:decide", args=[application.pk]),
        {
            "decide-expected_version": application.version,
            "decide-outcome": "granted",
            "decide-valid_from": start,
            "decide-valid_to": end,
            "decide-reasoning": "",
            "decide-confirm": "on",
        },
    )


def test_the_form_proposes_the_decision_day_to_the_maximum(caseworker, client_for):
    application = assigned_case("blue_card", caseworker)

    form = decide_form(client_for(caseworker), application)

    assert form["valid_from"].value() == DECIDED
    assert form["valid_to"].value() == date(2029, 12, 3)
    html = str(form["valid_to"])
    assert 'value="2029-12-03"' in html
    assert 'min="2026-12-04"' in html


def test_the_form_proposes_no_end_for_permanent_residence(caseworker, client_for):
    application = assigned_case("permanent_residence", caseworker)

    form = decide_form(client_for(caseworker), application)

    assert (form["valid_from"].value(), form["valid_to"].value()) == (DECIDED, None)
    assert "no end date" in str(form.fields["valid_to"].help_text)


def test_the_form_shows_the_refusals_on_their_fields(caseworker, client_for):
    application = assigned_case("employee_card", caseworker)

    response = post_decision(client_for(caseworker), application, "2026-12-03", "2028-12-04")

    assert response.status_code == 200
    errors = response.context["forms"]["decide"].errors
    assert errors["valid_from"] == [
        "The permit cannot be valid before the day of the decision, 4\u00a0December\u00a02026."
    ]
    assert "valid_to" not in errors  # from a start refused, the end is not measured
    response = post_decision(client_for(caseworker), application, "2026-12-04", "2028-12-04")
    assert response.context["forms"]["decide"].errors["valid_to"] == [
        "This permit may be valid for at most 24 months: from 4\u00a0December\u00a02026 "
        "until 3\u00a0December\u00a02028."
    ]
    assert not Decision.objects.filter(application=application).exists()


def test_the_proposed_validity_is_granted_from_the_form(caseworker, client_for):
    application = assigned_case("ltr_extension", caseworker, answers={"extends_blue_card": True})
    client = client_for(caseworker)
    form = decide_form(client, application)

    response = post_decision(
        client,
        application,
        form["valid_from"].value().isoformat(),
        form["valid_to"].value().isoformat(),
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.permit.valid_to == date(2029, 12, 3)  # a Blue Card's 3 years [001]
