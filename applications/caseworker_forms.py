"""Forms of the caseworker workspace. They validate input only; the services decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.constants import AppealResult, Channel, Outcome, Status
from applications.queues import SearchIn, caseworkers
from permits import deadlines
from permits.models import DocumentKind, PermitType

if TYPE_CHECKING:
    from accounts.models import User


class QueueFilterForm(forms.Form):
    """The filters and search above a queue; every field is optional."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Reference number (or its beginning), surname (beginning) or travel document."),
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
    permit_type = forms.TypedChoiceField(
        label=_("Permit type"), required=False, coerce=int, empty_value=None, choices=[]
    )
    status = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states"))]
        + [(value, label) for value, label in Status.choices if value != Status.DRAFT],
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    assignee = forms.TypedChoiceField(label=_("Assigned to"), required=False, choices=[])
    past_deadline = forms.BooleanField(
        label=_("Only those past the documents' deadline"), required=False
    )
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("", _("Default order")), ("desc", _("Reversed"))],
    )

    # The selects are drawn by the queue template from ``select_options`` (a plain loop is
    # several times faster than rendering each option through the widget templates).
    SELECTS = ("search_in", "permit_type", "status", "channel", "assignee", "order")

    def __init__(self, *args: Any, assignees: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["permit_type"]).choices = [
            ("", _("All types")),
            *[
                (str(permit_type.pk), permit_type.name)
                for permit_type in PermitType.objects.filter(handled_by_office=True)
            ],
        ]
        cast(forms.TypedChoiceField, self.fields["assignee"]).choices = [
            ("", _("Anyone")),
            ("none", _("Nobody (unassigned)")),
            *[(str(user.pk), user.get_full_name() or user.email) for user in assignees],
        ]

    def select_options(self) -> list[dict[str, Any]]:
        """Each select as its name, id, label and options (value, label, selected)."""
        selects = []
        for name in self.SELECTS:
            field = self[name]
            chosen = str(self.data.get(field.html_name, "")) if self.is_bound else ""
            # Read back, a ChoiceField's choices are (value, label) pairs: Django normalises
            # them when set (the stubs type the getter as anything the setter accepts).
            choices = cast("list[tuple[Any, Any]]", cast(forms.ChoiceField, field.field).choices)
            selects.append(
                {
                    "name": field.html_name,
                    "id": field.id_for_label,
                    "label": field.label,
                    "options": [
                        (str(value), label, str(value) == chosen) for value, label in choices
                    ],
                }
            )
        return selects


def _version_field() -> forms.IntegerField:
    # The version of the case the form was shown with: a concurrent change is detected, not
    # overwritten (optimistic locking in the services).
    return forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _reasoning_field(*, rows: int, help_text: Any) -> forms.CharField:
    # The reasoning of a decision (or of stopping the proceedings), written into its PDF.
    return forms.CharField(
        label=_("Reasoning"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class CaseActionForm(forms.Form):
    """An action on a case: carries the version the caseworker saw."""

    expected_version = _version_field()


class AssignForm(CaseActionForm):
    assignee: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Caseworker"), queryset=None, empty_label=_("Choose a caseworker")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["assignee"]).queryset = caseworkers()


class CaseIdsField(forms.Field):
    """The ids of the cases ticked in a queue (the checkboxes are in the queue's table)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("The ticked cases could not be read.")}

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        try:
            return sorted({int(item) for item in value})
        except (TypeError, ValueError) as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class BulkAssignForm(forms.Form):
    MAX_CASES = 200

    cases = CaseIdsField(label=_("Cases"), error_messages={"required": _("Tick the cases.")})
    assignee: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Assign the ticked cases to"),
        queryset=None,
        empty_label=_("Choose a caseworker"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["assignee"]).queryset = caseworkers()

    def clean_cases(self) -> list[int]:
        cases = self.cleaned_data["cases"]
        if len(cases) > self.MAX_CASES:
            raise forms.ValidationError(
                _("Assign at most %(count)s cases at once.") % {"count": self.MAX_CASES}
            )
        return cases


class InterruptForm(CaseActionForm):
    document_kinds = forms.ModelMultipleChoiceField(
        label=_("Documents the applicant must supply"),
        queryset=DocumentKind.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("The applicant reads this in the letter."),
    )
    deadline_days = forms.IntegerField(
        label=_("Days to supply them"),
        min_value=1,
        max_value=365,
        initial=deadlines.DEFAULT_DOCUMENT_DEADLINE_DAYS,
        help_text=_("Counted from today; a deadline on a weekend or holiday moves on."),
    )


class ResumeForm(CaseActionForm):
    pass


class DecideForm(CaseActionForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        choices=[
            (Outcome.GRANTED, Outcome.GRANTED.label),
            (Outcome.REJECTED, Outcome.REJECTED.label),
        ],
    )
    valid_from = forms.DateField(
        label=_("Permit valid from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    valid_to = forms.DateField(
        label=_("Permit valid to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reasoning = _reasoning_field(rows=5, help_text=_("Required for a rejection."))
    confirm = forms.BooleanField(
        label=_("I confirm this decision. It is issued to the applicant and cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the decision.")},
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        outcome = data.get("outcome")
        if outcome == Outcome.GRANTED:
            for name in ("valid_from", "valid_to"):
                if not data.get(name):
                    self.add_error(name, _("A grant needs the permit's validity."))
        if outcome == Outcome.REJECTED and not (data.get("reasoning") or "").strip():
            self.add_error("reasoning", _("A rejection must give its reasons."))
        return data


class StopForm(CaseActionForm):
    reasoning = _reasoning_field(
        rows=3,
        help_text=_("Leave empty for the standard text: the documents were not supplied in time."),
    )
    confirm = forms.BooleanField(
        label=_("I confirm that the proceedings are stopped."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class AppealResultForm(CaseActionForm):
    result = forms.ChoiceField(
        label=_("The appellate body's result"),
        widget=forms.RadioSelect,
        choices=AppealResult.choices,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RecordReceiptForm(CaseActionForm):
    """The day a decision sent by post or handed over in person was received, and its proof."""

    received_on = forms.DateField(
        label=_("Day of receipt"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "As the delivery receipt shows. The decision is delivered on this day and the "
            "period for an appeal runs from it."
        ),
        error_messages={"required": _("Enter the day the decision was received.")},
    )
    proof = forms.FileField(
        label=_("Proof of delivery"),
        help_text=_(
            "The scanned delivery receipt (doručenka) or the signed record of handing over: "
            "PDF, JPEG or PNG. It is filed in the case."
        ),
        error_messages={
            "required": _(
                "Attach the scan of the delivery receipt or of the signed record of handing over."
            )
        },
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by staff only, never by the applicant. Notes cannot be edited."),
    )


class VerifyDocumentForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Verification"),
        widget=forms.RadioSelect,
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
    )
    reason = forms.CharField(
        label=_("Reason for rejection"),
        required=False,
        max_length=2000,
        help_text=_("The applicant sees this reason."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the document is rejected."))
        return data
