"""Forms of the profile pages: the account holder's own personal data and their children's.

They validate input only; ``applications.persons`` writes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms.layout import Column, Fieldset, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import preferred_language_field
from applications.forms import _helper
from applications.models import PERSON_DETAILS, Applicant
from applications.persons import PROFILE_FIELDS, validate_child_date_of_birth
from applications.validation import (
    PersonDataFormMixin,
    earliest_date_of_birth,
    validate_date_of_birth,
)
from core import clock


def _date_of_birth_widget() -> forms.DateInput:
    return forms.DateInput(
        format="%Y-%m-%d",
        attrs={
            "type": "date",
            "min": earliest_date_of_birth().isoformat(),
            "max": clock.today().isoformat(),
        },
    )


def _identity_rows() -> list[Any]:
    """Names, date of birth, nationality and travel document number, as the document has them."""
    return [
        Row(Column("given_names"), Column("surname")),
        Row(Column("date_of_birth"), Column("nationality")),
        "travel_document_number",
    ]


class _PersonForm(PersonDataFormMixin, forms.ModelForm):
    """A person's record as the account holder keeps it: their own or a child's, by the rules
    of ``applications.validation``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].widget = _date_of_birth_widget()
        self.fields["address"].widget.attrs["rows"] = 3

    def check_date_of_birth(self, date_of_birth: date) -> None:
        validate_date_of_birth(date_of_birth)

    def clean_date_of_birth(self) -> date:
        date_of_birth = self.cleaned_data["date_of_birth"]
        self.check_date_of_birth(date_of_birth)
        return date_of_birth


class ProfileForm(_PersonForm):
    """The account holder's own personal data and preferred language."""

    preferred_language = preferred_language_field()

    class Meta:
        model = Applicant
        fields = PROFILE_FIELDS
        help_texts = {
            "given_names": _("As written in your travel document."),
            "surname": _("As written in your travel document."),
            "address": _("Street, house number, postcode and town."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        autocomplete = {
            "given_names": "given-name",
            "surname": "family-name",
            "date_of_birth": "bday",
            "nationality": "off",
            "travel_document_number": "off",
            "address": "street-address",
            "phone": "tel",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["phone"].widget.input_type = "tel"
        self.helper = _helper(
            Fieldset(_("Personal data"), *_identity_rows()),
            Fieldset(_("Contact"), "address", "phone"),
            Fieldset(_("Language"), "preferred_language"),
        )


class ChildForm(_PersonForm):
    """A minor child the account holder represents."""

    class Meta:
        model = Applicant
        fields = PERSON_DETAILS
        help_texts = {
            "given_names": _("As written in the child's travel document."),
            "surname": _("As written in the child's travel document."),
            "address": _("Leave empty if the child lives at your address."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Not the account holder's own name and birthday, which a browser would offer.
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "off"
        self.helper = _helper(*_identity_rows(), "address")

    def check_date_of_birth(self, date_of_birth: date) -> None:
        validate_child_date_of_birth(date_of_birth)
