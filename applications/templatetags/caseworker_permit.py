"""The "Residence permit" panel of the caseworker's case page (SPEC §2): the card a grant
yielded, the holder's steps after it [002][003], and the form of each next step for whoever
may record them.

``{% load caseworker_permit %}{% permit_panel application %}``: the permit comes with the case
(``queues.case_for_caseworker`` selects it), so the panel makes no query of its own.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from applications import guards
from applications.card_forms import CARD_STEPS, CardStepForm, next_card_steps
from applications.models import Application
from core import clock
from permits.models import Permit

register = template.Library()


def _permit_of(application: Application) -> Permit | None:
    try:
        return application.permit
    except ObjectDoesNotExist:
        return None


@register.inclusion_tag("caseworker/_permit.html", takes_context=True)
def permit_panel(context: template.Context, application: Application) -> dict[str, Any]:
    permit = _permit_of(application)
    if permit is None:
        return {"permit": None}
    request = context.get("request")
    user = getattr(request, "user", None)
    may_record = user is not None and guards.may_act_on_case(application, user)
    # A step that was posted and failed comes back as it was typed (views/cards.py), even one
    # the card is not waiting for (the service said why).
    bound: dict[str, CardStepForm] = getattr(request, "card_step_forms", {})
    steps = []
    if may_record:
        offered = set(next_card_steps(permit, application)) | set(bound)
        for key in [key for key in CARD_STEPS if key in offered]:
            step = CARD_STEPS[key]
            steps.append(
                {
                    "key": f"card-{key}",
                    "step": step,
                    "form": bound.get(key) or CardStepForm(step=step),
                    "url": reverse("caseworker:permit_step", args=[application.pk, key]),
                    "open": key in bound,
                }
            )
    pickup_days_left = None
    if permit.pickup_due is not None and permit.picked_up_on is None:
        pickup_days_left = (permit.pickup_due - clock.today()).days
    return {
        "permit": permit,
        "application": application,
        "steps": steps,
        "pickup_days_left": pickup_days_left,
    }
