"""Forms of the public guidance pages: the advisor questionnaire and the self-check calculators.

They validate input only; the answers come from ``permits.advisor`` and ``permits.calculators``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from accounts.forms import ErrorLink, error_links
from permits.advisor import CurrentStatus, NationalityGroup, StayLength, StayPurpose
from permits.calculators import ResidenceKind

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# Dates outside this range are typing mistakes; the bounds also keep the calculators' day-by-day
# work small whatever is entered.
EARLIEST_DATE = date(1950, 1, 1)
LATEST_DATE = date(2100, 12, 31)

# Rows a person may enter in one calculator; "Add a row" stops here.
MAX_ROWS = 20


class CalendarDateField(forms.DateField):
    """A date picked with the browser's date input (ISO ``YYYY-MM-DD`` on the wire)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                format="%Y-%m-%d",
                attrs={
                    "type": "date",
                    "min": EARLIEST_DATE.isoformat(),
                    "max": LATEST_DATE.isoformat(),
                },
            ),
        )
        message = _("Enter a date between 1950 and 2100.")
        kwargs.setdefault(
            "validators",
            [
                MinValueValidator(EARLIEST_DATE, message=message),
                MaxValueValidator(LATEST_DATE, message=message),
            ],
        )
        super().__init__(**kwargs)


def _inline_helper(layout: Layout) -> FormHelper:
    # Forms rendered inside one <form> element that the template writes (several forms, one CSRF
    # token, one submit button).
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = layout
    return helper


def _last_day_not_before_first(
    form: forms.Form, first: str, last: str, message: StrPromise
) -> None:
    """Reject the day in field ``last`` when it comes before the day in field ``first``."""
    first_day, last_day = form.cleaned_data.get(first), form.cleaned_data.get(last)
    if first_day and last_day and last_day < first_day:
        form.add_error(last, message)


class _RowForm(forms.Form):
    """One row of a calculator: its fields side by side, the last day not before the first."""

    columns: tuple[str, ...]  # the fields, side by side where the screen is wide enough
    first_day: str
    last_day: str
    out_of_order: StrPromise

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _inline_helper(Layout(Row(*(Column(name) for name in self.columns))))

    def clean(self) -> dict[str, Any]:
        super().clean()
        _last_day_not_before_first(self, self.first_day, self.last_day, self.out_of_order)
        return self.cleaned_data


class BaseRowFormSet(forms.BaseFormSet):
    # Each row's legend, numbered from 1.
    row_label: StrPromise = _("Period %(number)s")

    def filled_forms(self) -> list[forms.Form]:
        """The rows with data; rows left empty are ignored."""
        return [form for form in self.forms if form.cleaned_data]

    def numbered_rows(self) -> list[tuple[str, forms.Form]]:
        """Each row with its legend: "Period 1", "Period 2", ..."""
        return [
            (self.row_label % {"number": number}, form)
            for number, form in enumerate(self.forms, start=1)
        ]


def _row_formset(
    form: type[forms.Form], formset: type[BaseRowFormSet]
) -> type[forms.BaseFormSet[Any]]:
    """A calculator's rows: four empty ones to start with, at most ``MAX_ROWS``."""
    return forms.formset_factory(
        form,
        formset=formset,
        extra=4,
        max_num=MAX_ROWS,
        validate_max=True,
        absolute_max=MAX_ROWS,
    )


# --- "Which permit fits me?" ----------------------------------------------------------------------


class AdvisorForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("What do you want to do in the Czech Republic?"),
        choices=StayPurpose.choices,
        widget=forms.RadioSelect,
    )
    length = forms.ChoiceField(
        label=_("How long do you want to stay?"),
        choices=StayLength.choices,
        widget=forms.RadioSelect,
    )
    status = forms.ChoiceField(
        label=_("Where are you now, and on what?"),
        choices=CurrentStatus.choices,
        widget=forms.RadioSelect,
    )
    nationality = forms.ChoiceField(
        label=_("Your citizenship"),
        choices=NationalityGroup.choices,
        widget=forms.RadioSelect,
    )
    years_in_czech_republic = forms.IntegerField(
        label=_("Years of residence in the Czech Republic"),
        help_text=_("Whole years of continuous residence so far."),
        required=False,
        min_value=0,
        max_value=99,
    )
    holds_eu_blue_card = forms.BooleanField(
        label=_("I hold an EU Blue Card of another EU member state"),
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "advisor-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Row(Column("purpose"), Column("length", "nationality")),
            Row(Column("status"), Column("years_in_czech_republic", "holds_eu_blue_card")),
            Submit("submit", _("Show suggestions")),
        )


# --- Schengen 90/180 calculator -----------------------------------------------------------------


EXIT_BEFORE_ENTRY = _("The day of exit cannot be before the day of entry.")


class StayForm(_RowForm):
    """One stay in the Schengen Area, past or planned."""

    entry = CalendarDateField(
        label=_("Day of entry"), error_messages={"required": _("Enter the day of entry.")}
    )
    exit = CalendarDateField(
        label=_("Day of exit"), error_messages={"required": _("Enter the day of exit.")}
    )

    columns = ("entry", "exit")
    first_day, last_day, out_of_order = "entry", "exit", EXIT_BEFORE_ENTRY


class SchengenForm(forms.Form):
    check_date = CalendarDateField(
        label=_("Date to check"),
        help_text=_("How many days are left on this date, counting the 180 days up to it."),
        error_messages={"required": _("Enter the date to check.")},
    )
    planned_entry = CalendarDateField(label=_("Planned trip: day of entry"), required=False)
    planned_exit = CalendarDateField(label=_("Planned trip: day of exit"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _inline_helper(
            Layout(
                Row(Column("check_date")),
                Fieldset(
                    _("A planned trip (optional)"),
                    Row(Column("planned_entry"), Column("planned_exit")),
                ),
            )
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        entry, exit_ = cleaned.get("planned_entry"), cleaned.get("planned_exit")
        if entry and not exit_ and "planned_exit" not in self.errors:
            self.add_error("planned_exit", _("Enter the day of exit of the planned trip."))
        if exit_ and not entry and "planned_entry" not in self.errors:
            self.add_error("planned_entry", _("Enter the day of entry of the planned trip."))
        _last_day_not_before_first(self, "planned_entry", "planned_exit", EXIT_BEFORE_ENTRY)
        return cleaned


class BaseStayFormSet(BaseRowFormSet):
    row_label = _("Stay %(number)s")


StayFormSet = _row_formset(StayForm, BaseStayFormSet)


# --- Permanent-residence calculator ---------------------------------------------------------------

RESIDENCE_KIND_CHOICES = [
    (ResidenceKind.LONG_TERM_VISA.value, _("Long-term visa")),
    (ResidenceKind.LONG_TERM_RESIDENCE.value, _("Long-term residence permit")),
    (ResidenceKind.STUDY.value, _("Study (visa or residence permit for study)")),
    (ResidenceKind.SHORT_TERM.value, _("Short-term visa or stay without a visa")),
]


class ResidencePeriodForm(_RowForm):
    kind = forms.ChoiceField(
        label=_("Residence title"),
        choices=[("", _("Choose…")), *RESIDENCE_KIND_CHOICES],
        error_messages={"required": _("Choose what you stayed on.")},
    )
    start = CalendarDateField(
        label=_("From"), error_messages={"required": _("Enter the first day.")}
    )
    end = CalendarDateField(label=_("To"), error_messages={"required": _("Enter the last day.")})

    columns = ("kind", "start", "end")
    first_day, last_day = "start", "end"
    out_of_order = _("The last day cannot be before the first day.")


class BaseResidencePeriodFormSet(BaseRowFormSet):
    def clean(self) -> None:
        super().clean()
        if not any(form.errors for form in self.forms) and not self.filled_forms():
            raise ValidationError(_("Enter at least one period of residence."), code="empty")


ResidencePeriodFormSet = _row_formset(ResidencePeriodForm, BaseResidencePeriodFormSet)


# --- Error summary ------------------------------------------------------------------------------


def formset_error_links(formset: BaseRowFormSet) -> list[ErrorLink]:
    """Summary links for the rows of ``formset``, each label led by its row's legend; an error
    about the whole formset links to its fieldset (the formset's prefix)."""
    links = [
        ErrorLink(target=formset.prefix or "", label="", message=str(error))
        for error in formset.non_form_errors()
    ]
    for legend, form in formset.numbered_rows():
        # An error about a whole row links to the row's fieldset.
        links += error_links(form, row_label=legend, non_field_target=form.prefix or "")
    return links
