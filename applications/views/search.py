"""The search over every case, for staff (``/caseworker/search/``).

A GET form, so a search is a link: the supervisor dashboard links here with the parameters of
``applications.search.CaseSearch``. A value that cannot be read is an error next to its field,
and nothing is searched until the form is right.

The queue list itself writes no access event (only the case page, documents and exports do), so
neither does this list: opening a case from it is logged by the case page.
"""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from accounts.forms import error_links
from applications.constants import Channel, Outcome, Status
from applications.queues import SearchIn, caseworkers
from applications.search import NOBODY, OPEN, CaseSearch, search_page
from applications.views.caseworker import StaffRequiredMixin
from core import clock
from permits.models import PermitType

# ISO first (what a date input sends and the dashboard links with), then the Czech way of
# writing a day ("4. 12. 2026", "4.12.2026").
DATE_FORMATS = ["%Y-%m-%d", "%d. %m. %Y", "%d.%m.%Y"]
_USER_ID = re.compile(r"[1-9]\d{0,17}")


def _date_field(label: Any, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD or D. M. YYYY.")},
    )


class CaseSearchForm(forms.Form):
    """The search's parameters; every one is optional and each is checked on its own."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_(
            "Reference number (or its beginning), surname (beginning) or travel document number."
        ),
    )
    search_in = forms.ChoiceField(
        label=_("Search in"),
        required=False,
        choices=[
            (SearchIn.AUTO, _("Guess from what I type")),
            (SearchIn.REFERENCE, _("Reference number")),
            (SearchIn.SURNAME, _("Surname")),
            (SearchIn.DOCUMENT, _("Travel document number")),
        ],
    )
    born = _date_field(_("Date of birth"), _("For example 1990-05-17 or 17. 5. 1990."))
    permit_type = forms.TypedChoiceField(
        label=_("Permit type"), required=False, coerce=int, empty_value=None, choices=[]
    )
    status = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All states")),
            (OPEN, _("Open (filed, interrupted or appealed)")),
            *[(value, label) for value, label in Status.choices if value != Status.DRAFT],
        ],
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("Any outcome")), *Outcome.choices]
    )
    assignee = forms.CharField(label=_("Assigned to"), required=False, max_length=20)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    filed_from = _date_field(_("Filed from"))
    filed_to = _date_field(_("Filed until"))
    due_from = _date_field(_("Decision due from"))
    due_to = _date_field(_("Decision due until"))
    decided_from = _date_field(_("Decided from"))
    decided_to = _date_field(_("Decided until"))

    RANGES = (
        ("filed_from", "filed_to"),
        ("due_from", "due_to"),
        ("decided_from", "decided_to"),
    )

    def __init__(self, *args: Any, assignees: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["permit_type"]).choices = [
            ("", _("All types")),
            *[(str(permit_type.pk), permit_type.name) for permit_type in PermitType.objects.all()],
        ]
        self.assignee_options = [
            ("", _("Anyone")),
            (NOBODY, _("Nobody (unassigned)")),
            *[(str(user.pk), user.get_full_name() or user.email) for user in assignees],
        ]

    def clean_assignee(self) -> str:
        # Any user's id: a case closed long ago may be assigned to someone who has left.
        value = self.cleaned_data["assignee"].strip()
        if value and value != NOBODY and not _USER_ID.fullmatch(value):
            raise forms.ValidationError(
                _("Choose a caseworker, or “nobody” for the unassigned cases.")
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for start, end in self.RANGES:
            first, last = cleaned.get(start), cleaned.get(end)
            if first and last and first > last:
                self.add_error(end, _("This date is before the date the range starts on."))
        return cleaned

    # How each field is drawn: the box, the selects, a typed date, then the date ranges.
    LAYOUT = (
        ("q", "search"),
        ("search_in", "select"),
        ("born", "text"),
        ("permit_type", "select"),
        ("status", "select"),
        ("outcome", "select"),
        ("assignee", "select"),
        ("channel", "select"),
        ("filed_from", "date"),
        ("filed_to", "date"),
        ("due_from", "date"),
        ("due_to", "date"),
        ("decided_from", "date"),
        ("decided_to", "date"),
    )

    def _raw(self, name: str) -> str:
        return str(self.data.get(name, "")) if self.is_bound else ""

    def _choices(self, name: str) -> list[tuple[Any, Any]]:
        if name == "assignee":
            choices = list(self.assignee_options)
            chosen = self._raw(name)
            if chosen and chosen not in {str(value) for value, _label in choices}:
                # A linked id of someone who is not a caseworker now, shown as asked for.
                choices.append((chosen, chosen))
            return choices
        return cast("list[tuple[Any, Any]]", cast(forms.ChoiceField, self.fields[name]).choices)

    def _value(self, name: str, kind: str) -> str:
        raw = self._raw(name)
        if kind == "date" and self.is_bound and not self.has_error(name):
            # A date input shows only an ISO date: a Czech one that was read is shown as ISO.
            cleaned = getattr(self, "cleaned_data", {}).get(name)
            return cleaned.isoformat() if cleaned else raw
        return raw

    def widgets(self) -> list[dict[str, Any]]:
        """Each field as the template draws it (a plain loop, as the queue page does):
        name, id, label, kind, value, options (value, label, selected), help and errors."""
        drawn = []
        for name, kind in self.LAYOUT:
            field = self[name]
            value = self._value(name, kind)
            drawn.append(
                {
                    "name": field.html_name,
                    "id": field.id_for_label,
                    "label": field.label,
                    "kind": kind,
                    "value": value,
                    "options": [
                        (str(option), label, str(option) == value)
                        for option, label in self._choices(name)
                    ]
                    if kind == "select"
                    else [],
                    "help": field.help_text,
                    "errors": list(field.errors) if self.is_bound else [],
                }
            )
        return drawn


class CaseSearchView(StaffRequiredMixin, View):
    """Search every case that was filed, whatever its state; 50 a page, the count capped."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CaseSearchForm(request.GET or None, assignees=list(caseworkers()))
        result = None
        if form.is_bound and form.is_valid():
            filters = CaseSearch.from_cleaned(form.cleaned_data)
            if not filters.is_empty:
                result = search_page(
                    filters, today=clock.today(), page_number=request.GET.get("page")
                )
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form,
            "errors": error_links(form) if form.is_bound else [],
            "widgets": form.widgets(),
            "result": result,
            "querystring": query.urlencode(),
            "searched": form.is_bound,
        }
        return render(request, "caseworker/search.html", context)
