"""Representation pages: the powers of attorney a person gives and ends (under the profile),
and an organisation's pages for its members: its members, the people it represents, their
cases with the statutory deadlines, the permits to extend in time, and a CSV of the cases.

Thin views: a form checks the input, a service decides (``applications.representation``,
``organisations.services``). Someone else's power, or an organisation one is not a current
member of, is a 404.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from accounts.forms import error_links
from accounts.http import second_factor_verified, signed_in_user
from applications import representation, selectors
from applications.forms_representation import (
    MemberForm,
    OrganisationForm,
    PowerForm,
    UploadPowerForm,
)
from applications.models import Application, PowerOfAttorney
from applications.views.caseworker import Echo, csv_value
from core import clock
from core.errors import ApplicationError
from documents.inspection import UploadRefused
from organisations import services as organisations
from organisations.constants import Role
from organisations.models import Membership, Organisation
from permits.models import PermitType
from privacy.constants import Action
from privacy.services import record_access


def power_state(power: PowerOfAttorney, today: Any) -> str:
    """How a power stands today, for its row: the words are the template's."""
    if power.ended_at:
        return "ended"
    if power.refused_at:
        return "refused"
    if power.confirmed_at is None and power.verified_at is None:
        return "to_verify"
    if power.valid_to is not None and power.valid_to < today:
        return "expired"
    if power.valid_from > today:
        return "not_started"
    return "active"


# --- The person's powers of attorney -------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class PowersView(LoginRequiredMixin, View):
    """The powers of attorney the person gave, and the form to give one: offered, and its POST
    accepted, only in a session that passed the second factor (the power lets someone act in
    their proceedings, so giving it needs more than the password)."""

    template_name = "representation/powers.html"

    def _form(self, data: Any = None) -> PowerForm:
        user = signed_in_user(self.request)
        people = selectors.applicants_for_account(user=user).filter(account=user)
        return PowerForm(
            data,
            applicants=people,
            applications=Application.objects.filter(applicant__account=user)
            .select_related("permit_type")
            .order_by("-created_at"),
            permit_types=PermitType.objects.filter(is_active=True).order_by("pk"),
        )

    def _render(self, form: PowerForm | None, status: int = 200) -> HttpResponse:
        user = signed_in_user(self.request)
        today = clock.today()
        powers = list(
            PowerOfAttorney.objects.filter(applicant__account=user).select_related(
                "applicant", "organisation", "representative", "application", "permit_type"
            )
        )
        context = {
            "form": form,
            "errors": error_links(form) if form is not None and form.is_bound else [],
            "can_give": second_factor_verified(self.request),
            "rows": [{"power": p, "state": power_state(p, today)} for p in powers],
            "held": [
                {"power": p, "state": power_state(p, today)}
                # Current ones only: once a power ends, the person's data is no longer theirs
                # to see.
                for p in PowerOfAttorney.objects.filter(
                    representative=user, ended_at__isnull=True, refused_at__isnull=True
                ).select_related("applicant", "application", "permit_type")
            ],
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(self._form() if second_factor_verified(request) else None)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not second_factor_verified(request):
            messages.error(request, representation.SecondFactorNeeded().message)
            return self._render(None, status=403)
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        data = form.cleaned_data
        try:
            representation.power_grant(
                applicant=data["applicant"],
                actor=signed_in_user(request),
                second_factor_verified=True,
                scope=data["scope"],
                valid_from=data["valid_from"],
                valid_to=data.get("valid_to"),
                organisation=data["organisation"],
                representative=data["representative"],
                application=data.get("application"),
                permit_type=data.get("permit_type"),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
            return self._render(form)
        messages.success(
            request, _("The power of attorney is given. It counts from its first day.")
        )
        return redirect("representation:powers")


@method_decorator(never_cache, name="dispatch")
class UploadPowerView(LoginRequiredMixin, View):
    """A representative files a signed power of attorney for one application; it counts once a
    caseworker verifies it. A failed upload keeps the rest of the form."""

    template_name = "representation/upload.html"

    def _form(self, data: Any = None, files: Any = None) -> UploadPowerForm:
        user = signed_in_user(self.request)
        verified = [
            m.organisation
            for m in Membership.objects.filter(
                user=user, left_at__isnull=True, organisation__verified_at__isnull=False
            ).select_related("organisation")
        ]
        return UploadPowerForm(data, files, organisations=verified)

    def _render(self, form: UploadPowerForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "errors": error_links(form) if form.is_bound else []}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(form)
        try:
            representation.power_upload(
                actor=signed_in_user(request),
                reference_number=form.cleaned_data["reference_number"],
                date_of_birth=form.cleaned_data["date_of_birth"],
                upload=form.cleaned_data["file"],
                organisation=form.organisation(),
            )
        except UploadRefused as refusal:
            form.add_error("file", str(refusal))
            return self._render(form)
        except ApplicationError as error:
            form.add_error(None, error.message)
            return self._render(form)
        messages.success(
            request,
            _("The power of attorney is filed. It counts once the office has verified it."),
        )
        organisation = form.organisation()
        if organisation is not None:
            return redirect("representation:organisation", pk=organisation.pk)
        return redirect("representation:powers")


class EndPowerView(LoginRequiredMixin, View):
    """Either side ends a power of attorney, at once. Anyone else: 404."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = signed_in_user(request)
        power = get_object_or_404(PowerOfAttorney.objects.select_related("applicant"), pk=pk)
        if not representation.may_end(power, user):
            raise Http404
        try:
            representation.power_end(power=power, actor=user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The power of attorney has ended."))
        if power.organisation_id and power.applicant.account_id != user.pk:
            return redirect("representation:organisation", pk=power.organisation_id)
        return redirect("representation:powers")


# --- Organisations -------------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class OrganisationsView(LoginRequiredMixin, View):
    """The organisations the person is a member of, and registering a new one."""

    template_name = "representation/organisations.html"

    def _render(self, form: OrganisationForm, status: int = 200) -> HttpResponse:
        memberships = Membership.objects.filter(
            user=signed_in_user(self.request), left_at__isnull=True
        ).select_related("organisation")
        context = {
            "form": form,
            "errors": error_links(form) if form.is_bound else [],
            "memberships": memberships,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(OrganisationForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OrganisationForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            organisation = organisations.organisation_register(
                user=signed_in_user(request),
                name=form.cleaned_data["name"],
                ico=form.cleaned_data["ico"],
                kind=form.cleaned_data["kind"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
            return self._render(form)
        except ValidationError as error:
            form.add_error("ico", error)
            return self._render(form)
        messages.success(
            request,
            _(
                "The organisation is registered. The office will verify it; until then it "
                "cannot represent anyone."
            ),
        )
        return redirect("representation:organisation", pk=organisation.pk)


def _membership(request: HttpRequest, pk: int) -> Membership:
    """The signed-in person's current membership of organisation ``pk``, or 404."""
    return get_object_or_404(
        Membership.objects.select_related("organisation"),
        organisation_id=pk,
        user=signed_in_user(request),
        left_at__isnull=True,
    )


@method_decorator(never_cache, name="dispatch")
class OrganisationView(LoginRequiredMixin, View):
    """An organisation for its members: who is in it, whom it represents, their cases with
    the deadlines, and the permits ending within 120 days."""

    template_name = "representation/organisation.html"

    def get(self, request: HttpRequest, pk: int, form: MemberForm | None = None) -> HttpResponse:
        membership = _membership(request, pk)
        organisation = membership.organisation
        today = clock.today()
        is_admin = membership.role == Role.ADMIN
        cases = representation.organisation_cases(organisation, today=today)
        context = {
            "organisation": organisation,
            "membership": membership,
            "is_admin": is_admin,
            "members": organisation.memberships.filter(left_at__isnull=True).select_related("user"),
            "powers": [
                {"power": p, "state": power_state(p, today)}
                for p in organisation.powers_of_attorney.filter(
                    ended_at__isnull=True
                ).select_related("applicant", "application", "permit_type")
            ],
            "rows": [
                {"application": case, "next_step": selectors.next_step(case, today=today)}
                for case in cases
            ],
            "expiring": representation.expiring_permits(organisation, today=today),
            "expiry_days": representation.EXPIRY_WARNING_DAYS,
            "form": form or (MemberForm() if is_admin else None),
            "errors": error_links(form) if form is not None and form.is_bound else [],
        }
        return render(request, self.template_name, context)


class MemberAddView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        membership = _membership(request, pk)
        form = MemberForm(request.POST)
        if not form.is_valid():
            # The organisation's page again, with the form as sent and its errors.
            page = OrganisationView()
            page.setup(request, pk=pk)
            return page.get(request, pk, form=form)
        try:
            organisations.member_add(
                organisation=membership.organisation,
                actor=signed_in_user(request),
                user=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The member is added."))
        return redirect("representation:organisation", pk=pk)


class MemberLeaveView(LoginRequiredMixin, View):
    """A member leaves, or an administrator removes them: their access ends at once."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, member: int) -> HttpResponse:
        _membership(request, pk)
        leaving = get_object_or_404(Membership, pk=member, organisation_id=pk, left_at__isnull=True)
        user = signed_in_user(request)
        try:
            organisations.member_leave(membership=leaving, actor=user)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("representation:organisation", pk=pk)
        if leaving.user_id == user.pk:
            messages.success(request, _("You have left the organisation."))
            return redirect("representation:organisations")
        messages.success(request, _("The member is removed."))
        return redirect("representation:organisation", pk=pk)


class OrganisationCasesCsvView(LoginRequiredMixin, View):
    """The organisation's cases as CSV: the person, the application, its state and deadlines."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, pk: int) -> StreamingHttpResponse:
        organisation: Organisation = _membership(request, pk).organisation
        today = clock.today()
        cases = representation.organisation_cases(organisation, today=today)
        record_access(request, Action.EXPORT, object_type="organisation", object_id=organisation.pk)
        writer = csv.writer(Echo())
        header = [
            _("Reference number"),
            _("Person"),
            _("Permit type"),
            _("Status"),
            _("Decision due"),
            _("Next step"),
            _("Due"),
        ]

        def lines() -> Iterator[str]:
            yield "\ufeff"
            yield writer.writerow(header)
            for case in cases:
                step = selectors.next_step(case, today=today)
                yield writer.writerow(
                    [
                        csv_value(value)
                        for value in (
                            case.reference_number,
                            case.applicant.full_name,
                            case.permit_type.name,
                            case.get_status_display(),
                            case.decision_due,
                            _step_words(step),
                            step.due,
                        )
                    ]
                )

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="cases-{organisation.ico}-{today.isoformat()}.csv"'
        )
        response["Cache-Control"] = "no-store"
        return response


def _step_words(step: Any) -> str:
    """The next step in the words of the dashboard (``applications/_next_step.html``)."""
    return " ".join(
        strip_tags(
            render_to_string("applications/_next_step.html", {"row": {"next_step": step}})
        ).split()
    )
