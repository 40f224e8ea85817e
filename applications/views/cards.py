"""The residence card's steps on the caseworker's case page (SPEC §2, D6): each posts here,
runs its service in ``applications.cards`` and comes back to the case page's permit panel.

Staff only (``StaffRequiredMixin``); the services let the case's caseworker or a supervisor
record. A refused or invalid step shows the case page again with the form as it was typed
(the panel, ``templatetags/caseworker_permit.py``, reads it from ``request.card_step_forms``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View

from accounts.http import signed_in_user
from applications import cards
from applications.card_forms import CARD_STEPS, CardStepForm
from applications.constants import Status
from applications.views.caseworker import StaffRequiredMixin, case_page
from core.errors import ApplicationError
from permits.models import Permit

# Each step's service, called with the permit, the day, the actor and the note.
_RUN: dict[str, Callable[..., Permit]] = {
    "entry": lambda *, on, **kwargs: cards.permit_record_entry(entered_on=on, **kwargs),
    "appointment": cards.permit_schedule_biometrics,
    "biometrics": cards.permit_record_biometrics,
    "card_ready": cards.permit_record_card_ready,
    "pickup": cards.permit_record_pickup,
}


class CardStepView(StaffRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        card_step = CARD_STEPS.get(step)
        if card_step is None:
            raise Http404("No such step.")
        permit = get_object_or_404(
            Permit.objects.select_related("application").exclude(application__status=Status.DRAFT),
            application_id=pk,
        )
        form = CardStepForm(request.POST, step=card_step)
        if not form.is_valid():
            return self.again(request, pk, step, form)
        data: dict[str, Any] = form.cleaned_data
        day: date = data["day"]
        try:
            _RUN[step](permit=permit, on=day, actor=signed_in_user(request), note=data["note"])
        except ApplicationError as error:
            return self.again(request, pk, step, form, error=error)
        messages.success(request, str(card_step.done))
        return HttpResponseRedirect(f"{reverse('caseworker:case', args=[pk])}#permit")

    def again(
        self,
        request: HttpRequest,
        pk: int,
        step: str,
        form: CardStepForm,
        *,
        error: ApplicationError | None = None,
    ) -> HttpResponse:
        """The case page with the step's form as it was typed, and the service's refusal."""
        request.card_step_forms = {step: form}  # type: ignore[attr-defined]
        return case_page(request, pk, error=error)
