"""Forms of representation: giving a power of attorney, registering an organisation, adding a
member. They check the shape of the input and find what it names; the services
(``applications.representation``, ``organisations.services``) decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from applications.constants import PowerScope
from applications.forms import ACCEPTED_FILE_TYPES, _helper
from applications.models import Applicant, Application
from core import clock
from organisations.constants import Kind, Role
from organisations.models import Organisation
from organisations.validators import normalise_ico, validate_ico
from permits.models import PermitType

HOLDER_ORGANISATION = "organisation"
HOLDER_PERSON = "person"

_DATE = {"type": "date"}


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs=_DATE, format="%Y-%m-%d")


class PowerForm(forms.Form):
    applicant = forms.ModelChoiceField(
        label=_("Who is represented?"),
        queryset=Applicant.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the person who is represented.")},
    )
    holder = forms.ChoiceField(
        label=_("Who will represent you?"),
        choices=[
            (
                HOLDER_ORGANISATION,
                _("An organisation: an employer, a school, an agency, a law firm"),
            ),
            (HOLDER_PERSON, _("A person with an account in this portal")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an organisation or a person.")},
    )
    ico = forms.CharField(
        label=_("The organisation's IČO"),
        required=False,
        max_length=12,
        help_text=_("Eight digits. The office must have verified the organisation."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("The representative's e-mail address"),
        required=False,
        help_text=_("The address they log in to the portal with."),
    )
    scope = forms.ChoiceField(
        label=_("What may they do for you?"),
        choices=PowerScope.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the power of attorney covers.")},
    )
    application = forms.ModelChoiceField(
        label=_("Which application?"),
        queryset=Application.objects.none(),
        required=False,
        empty_label=_("Choose an application…"),
    )
    permit_type = forms.ModelChoiceField(
        label=_("Which permit type?"),
        queryset=PermitType.objects.none(),
        required=False,
        empty_label=_("Choose a permit type…"),
    )
    valid_from = forms.DateField(label=_("From"), widget=_date_widget())
    valid_to = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        help_text=_("Leave empty for a power of attorney until you end it."),
        widget=_date_widget(),
    )

    def __init__(
        self,
        *args: Any,
        applicants: QuerySet[Applicant],
        applications: QuerySet[Application],
        permit_types: QuerySet[PermitType],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("valid_from", clock.today())
        super().__init__(*args, **kwargs)
        self.fields["applicant"].queryset = applicants  # type: ignore[attr-defined]
        if len(applicants) == 1:
            self.fields["applicant"].widget = forms.HiddenInput()
            self.initial.setdefault("applicant", applicants[0].pk)
        self.fields["application"].queryset = applications  # type: ignore[attr-defined]
        self.fields["permit_type"].queryset = permit_types  # type: ignore[attr-defined]
        self.helper = _helper(*self.fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        holder = data.get("holder")
        data["organisation"] = data["representative"] = None
        if holder == HOLDER_ORGANISATION:
            data["organisation"] = self._organisation(data.get("ico", ""))
        elif holder == HOLDER_PERSON:
            data["representative"] = self._person(data.get("email", ""))
        scope = data.get("scope")
        if scope == PowerScope.CASE and not data.get("application"):
            self.add_error("application", _("Choose the application."))
        if scope == PowerScope.PERMIT_TYPE and not data.get("permit_type"):
            self.add_error("permit_type", _("Choose the permit type."))
        return data

    def _organisation(self, ico: str) -> Organisation | None:
        if not ico.strip():
            self.add_error("ico", _("Enter the organisation's IČO."))
            return None
        try:
            validate_ico(ico)
        except ValidationError as error:
            self.add_error("ico", error)
            return None
        found = Organisation.objects.filter(
            ico=normalise_ico(ico), verified_at__isnull=False
        ).first()
        if found is None:
            self.add_error(
                "ico",
                _(
                    "No organisation with this IČO is verified by the office. Ask the "
                    "organisation to register and wait for its verification."
                ),
            )
        return found

    def _person(self, email: str) -> Any:
        if not email:
            self.add_error("email", _("Enter the representative's e-mail address."))
            return None
        found = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if found is None or found.is_staff_member:
            self.add_error(
                "email",
                _(
                    "No one can represent you with this address: they need their own account "
                    "in the portal."
                ),
            )
            return None
        return found


class EndPowerForm(forms.Form):
    """Nothing to fill in: the button ends it. Kept as a form for CSRF and the audit note."""


class OrganisationForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("organisation", "Name"), max_length=200)
    ico = forms.CharField(
        label=_("IČO"),
        max_length=12,
        help_text=_("Eight digits, as in the business register."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(*self.fields)

    def clean_ico(self) -> str:
        value = self.cleaned_data["ico"]
        validate_ico(value)
        return normalise_ico(value)


class MemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("The address the person logs in with.")
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Role.choices, initial=Role.MEMBER, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(*self.fields)

    def clean_email(self) -> Any:
        email = self.cleaned_data["email"]
        found = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if found is None:
            raise ValidationError(_("No one has an account with this address."))
        return found


MYSELF = "myself"


class UploadPowerForm(forms.Form):
    """A signed power of attorney for one application, filed by the representative."""

    on_behalf = forms.ChoiceField(label=_("Who represents the person?"), widget=forms.RadioSelect)
    reference_number = forms.CharField(
        label=_("The application's reference number"),
        max_length=40,
        help_text=_("As on the person's papers, for example OAM-4217/DP-2026."),
    )
    date_of_birth = forms.DateField(label=_("The person's date of birth"), widget=_date_widget())
    file = forms.FileField(
        label=_("The signed power of attorney"),
        help_text=_("A PDF, JPEG or PNG file."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILE_TYPES}),
        error_messages={"required": _("Choose the file of the signed power of attorney.")},
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        choices = [(MYSELF, _("I do, in person"))] + [
            (key, organisation.name) for key, organisation in self.organisations.items()
        ]
        field = self.fields["on_behalf"]
        field.choices = choices  # type: ignore[attr-defined]
        self.initial.setdefault("on_behalf", choices[-1][0])
        self.helper = _helper(*self.fields)

    def organisation(self) -> Organisation | None:
        return self.organisations.get(self.cleaned_data["on_behalf"])


class RefusePowerForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is refused"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("The representative reads it."),
        error_messages={"required": _("Give the reason for refusing the power of attorney.")},
    )
