"""The profile pages: the account holder's own personal data and preferred language, and the
minor children they represent [002].

Thin views: validate a form, call a service in ``applications.persons``, add a message, redirect.
After a change of a person's data the holder is reminded to report it on their open cases [003].
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views import View

from accounts.constants import Role
from accounts.forms import LanguageForm, error_links
from accounts.http import signed_in_user
from accounts.language import remember_language, use_language
from applications import persons
from applications.constants import REPORT_PERIOD_DAYS, ChangeKind, Relation
from applications.forms_profile import ChildForm, ProfileForm
from applications.models import CHANGE_FIELDS, PARTY_FIELDS, Applicant, Party
from applications.selectors import (
    cases_taking_change_reports,
    children_for_user,
    children_oldest_first,
    report_due,
    self_applicant_for_user,
    with_change_report_flag,
)
from core import clock


class ApplicantRequiredMixin(LoginRequiredMixin):
    """Pages for applicants: anonymous visitors log in first, staff accounts are refused (403)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not signed_in_user(request).has_role(Role.APPLICANT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _remind_to_report_changes(request: HttpRequest, applicant: Applicant, before: Party) -> None:
    """After a change of the person's data, tell them to report it on every case that takes
    reports (SPEC §2: a filed case keeps the data as filed): personal data within 3 days, a new
    address within 30 days (D6) [003]."""
    after = Party.of(applicant)
    changed = {name for name in PARTY_FIELDS if getattr(before, name) != getattr(after, name)}
    kinds = [ChangeKind(kind) for kind, names in CHANGE_FIELDS.items() if changed & set(names)]
    if not kinds:
        return
    today = clock.today()
    cases = cases_taking_change_reports(applicant=applicant, today=today)
    if not cases:
        return
    references = ", ".join(case.reference_number or "" for case in cases)
    for kind in kinds:
        values = {
            "days": REPORT_PERIOD_DAYS[kind],
            "date": date_format(report_due(kind, changed_on=today)),
            "cases": references,
        }
        if kind == ChangeKind.ADDRESS:
            message = _(
                "You changed the address. Report the new address to the office within %(days)s "
                "days, by %(date)s, with “Report a change” on the application: %(cases)s. Until "
                "then the office decides on the address that was filed."
            )
        else:
            message = _(
                "You changed personal data. Report the change to the office within %(days)s "
                "days, by %(date)s, with “Report a change” on the application: %(cases)s. Until "
                "then the office decides on the data that was filed."
            )
        messages.warning(request, message % values)


class ProfileView(LoginRequiredMixin, View):
    """The account holder's own personal data and preferred language, and their children.

    Staff accounts hold no applicant record: for them the page keeps the language only.
    """

    template_name = "accounts/profile.html"

    def _is_applicant(self) -> bool:
        return signed_in_user(self.request).has_role(Role.APPLICANT)

    def _form(self, data: Any = None) -> ProfileForm | LanguageForm:
        user = signed_in_user(self.request)
        initial = {"preferred_language": user.preferred_language}
        if not self._is_applicant():
            return LanguageForm(data, initial=initial)
        # The account's own record, and whether a case of theirs takes reported changes [003].
        instance = with_change_report_flag(
            Applicant.objects.filter(account=user, relation=Relation.SELF),
            today=clock.today(),
        ).first()
        return ProfileForm(data, instance=instance, initial=initial)

    def _render(self, form: ProfileForm | LanguageForm) -> HttpResponse:
        is_applicant = self._is_applicant()
        # The form's record, as saved (a failed form's instance holds what was typed).
        own = None
        if isinstance(form, ProfileForm) and getattr(form.instance, "takes_change_reports", False):
            own = form.instance
        context = {
            "form": form,
            "errors": error_links(form) if form.is_bound else [],
            "is_applicant": is_applicant,
            "children": (
                children_oldest_first(user=signed_in_user(self.request)) if is_applicant else []
            ),
            # Cases that keep the data as filed: a change here is reported on each [003].
            "reportable_cases": (
                cases_taking_change_reports(applicant=own, today=clock.today())
                if own is not None
                else []
            ),
            "report_days": {
                "data": REPORT_PERIOD_DAYS[ChangeKind.PERSONAL_DATA],
                "address": REPORT_PERIOD_DAYS[ChangeKind.ADDRESS],
            },
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        user = signed_in_user(request)
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        before = None
        try:
            if isinstance(form, ProfileForm):
                saved = self_applicant_for_user(user=user)
                before = Party.of(saved) if saved is not None else None
                applicant = persons.applicant_profile_update(user=user, data=form.cleaned_data)
            else:
                persons.profile_language_update(
                    user=user, language=form.cleaned_data["preferred_language"]
                )
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(form)
        language = user.preferred_language
        # The confirmation already speaks the language just chosen.
        use_language(language)
        messages.success(request, _("Your profile was saved."))
        if before is not None:
            _remind_to_report_changes(request, applicant, before)
        return remember_language(redirect("profile:profile"), language)


class ChildFormView(ApplicantRequiredMixin, View):
    """Add a minor child the account holder represents, or correct one's data."""

    template_name = "accounts/child_form.html"

    def _child(self) -> Applicant | None:
        pk = self.kwargs.get("pk")
        return None if pk is None else self._load_child(pk)

    def _load_child(self, pk: int) -> Applicant:
        # Scoped to the account: another account's child is a 404.
        return get_object_or_404(children_for_user(user=signed_in_user(self.request)), pk=pk)

    def _render(self, form: ChildForm, child: Applicant | None) -> HttpResponse:
        context = {
            "form": form,
            "child": child,
            "errors": error_links(form) if form.is_bound else [],
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        child = self._child()
        return self._render(ChildForm(instance=child), child)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        child = self._child()
        form = ChildForm(request.POST, instance=child)
        if not form.is_valid():
            return self._render(form, child)
        try:
            if child is None:
                persons.applicant_child_create(user=signed_in_user(request), data=form.cleaned_data)
                messages.success(request, _("The child was added."))
            else:
                # A fresh copy: the form has already written the input onto ``child``.
                fresh = self._load_child(child.pk)
                before = Party.of(fresh)
                saved = persons.applicant_child_update(child=fresh, data=form.cleaned_data)
                messages.success(request, _("The child's data was saved."))
                _remind_to_report_changes(request, saved, before)
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(form, child)
        return HttpResponseRedirect(reverse("profile:profile") + "#children")
