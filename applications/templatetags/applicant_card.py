"""The applicant's residence card on their case page: the next step and its deadline, then
every step in order with its date, each shown done once the office records it
(``applications.cards``) (SPEC §2, D6) [002][003].

``{% load applicant_card %}{% card_next_step application decision %}``: one query, made only for
a granted decision (a case with no grant has no card).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import template

from applications.constants import Outcome
from applications.models import Application, Decision
from permits import deadlines
from permits.models import Permit

register = template.Library()


def _next_step(permit: Permit) -> str:
    """What the holder does next: collected (nothing), collect the ready card, wait for it,
    give biometric data on the appointment, by the deadline after entry, or arrange a day."""
    if permit.picked_up_on is not None:
        return "collected"
    if permit.card_ready_on is not None:
        return "collect"
    if permit.biometrics_on is not None:
        return "being_made"
    if permit.biometrics_appointment_on is not None:
        return "appointment"
    if permit.biometrics_due is not None:
        return "biometrics_due"
    return "arrange"


@dataclass(frozen=True)
class CardStep:
    """One of the holder's steps: ``key`` names it for the template; ``done_on`` is the day the
    office recorded it, ``planned_on`` the day booked for it, ``due`` its last day."""

    key: str
    done_on: date | None = None
    planned_on: date | None = None
    due: date | None = None


def card_steps(permit: Permit, *, abroad: bool) -> list[CardStep]:
    """The holder's steps in order: for one who applied abroad, entering the Czech Republic
    (biometric data are due within 30 days of it [003]); giving biometric data on the booked day
    [002][003]; the card ready; collecting it within 60 days of giving the data [002][003]."""
    steps = []
    if abroad:
        steps.append(CardStep("entry", done_on=permit.entered_on))
    steps += [
        CardStep(
            "biometrics",
            done_on=permit.biometrics_on,
            planned_on=permit.biometrics_appointment_on,
            due=permit.biometrics_due,
        ),
        CardStep("card_ready", done_on=permit.card_ready_on),
        CardStep("pickup", done_on=permit.picked_up_on, due=permit.pickup_due),
    ]
    return steps


@register.inclusion_tag("applications/_card.html")
def card_next_step(application: Application, decision: Decision | None) -> dict[str, Any]:
    if decision is None or decision.outcome != Outcome.GRANTED:
        return {"permit": None}
    permit = Permit.objects.filter(application=application).first()
    if permit is None:  # set aside on appeal
        return {"permit": None}
    return {
        "permit": permit,
        "next_step": _next_step(permit),
        "steps": card_steps(permit, abroad=application.is_abroad),
        "abroad": application.is_abroad,
        "pickup_days": deadlines.CARD_PICKUP_DAYS,
        "biometrics_days": deadlines.BIOMETRICS_AFTER_ENTRY_DAYS,
    }
