"""Forms of the applicant's pages and the support centre. They validate input only: the
services in ``applications.services`` and ``applications.case_documents`` do the rest."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Field, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from applications import remedies
from applications.constants import (
    ADDRESS_MAX_LENGTH,
    CHANGE_REPORT_MAX_ATTACHMENTS,
    Delivery,
    Relation,
    Remedy,
)
from applications.models import CHANGE_FIELDS, PARTY_FIELDS, Applicant
from applications.validation import PersonDataFormMixin
from core import clock
from documents.inspection import UploadRefused, validate_upload
from permits.forms import MAX_ROWS, BaseRowFormSet, ResidencePeriodForm
from permits.models import PermitType
from permits.questions import (
    EARLIEST_DATE,
    NOT_ANSWERED,
    Question,
    QuestionKind,
    asked_keys,
    validate_answers,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

ACCEPTED_FILE_TYPES = ".pdf,.jpg,.jpeg,.png"


def _helper(*fields: Any, form_tag: bool = False) -> FormHelper:
    """A layout for a form the template wraps in its own <form> element and buttons."""
    helper = FormHelper()
    helper.form_tag = form_tag
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


# --- Error summary ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorLink:
    """One line of the error summary at the top of a page: what is wrong and a link to it."""

    target: str  # the id of the element to jump to
    message: str
    label: str = ""


def error_links(form: forms.BaseForm | None, *, row_label: str = "") -> list[ErrorLink]:
    """The errors of ``form`` as links to their fields, in the order of the fields.

    The page's error summary (``_error_summary.html``) then lists the form's own errors (those
    of no one field), so the form is marked ``summarised`` and does not show them a second time
    above its fields (``gov_cz/errors.html``).
    """
    if form is None or not form.is_bound:
        return []
    form.summarised = True  # type: ignore[attr-defined]
    links = []
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
            target, label = getattr(form, "non_field_target", "") or "main", row_label
        else:
            field = form[name]
            # Radio buttons have no single labelled element: jump to the first one.
            target = field.id_for_label or f"{field.auto_id}_0"
            label = f"{row_label}: {field.label}" if row_label else str(field.label)
        links += [ErrorLink(target=target, label=label, message=str(error)) for error in errors]
    return links


# --- Starting an application -----------------------------------------------------------------


class ApplicantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Applicant) -> str:
        if obj.relation == Relation.CHILD:
            return str(_("%(name)s (your child)") % {"name": obj.full_name})
        return str(_("%(name)s (yourself)") % {"name": obj.full_name})


def permit_types_for_online_filing() -> QuerySet[PermitType]:
    """Types this office decides on that can be applied for from within the Czech Republic."""
    return PermitType.objects.fileable().filter(can_file_in_country=True)


class StartApplicationForm(forms.Form):
    permit_type = forms.ModelChoiceField(
        label=_("Which permit do you apply for?"),
        queryset=PermitType.objects.none(),
        empty_label=_("Choose a permit…"),
        error_messages={"required": _("Choose the permit you apply for.")},
        help_text=_(
            "Visas for stays over 90 days are applied for at an embassy and are not listed here."
        ),
    )
    applicant = ApplicantChoiceField(
        label=_("Who is the application for?"),
        queryset=Applicant.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the person the application is for.")},
    )

    def __init__(
        self,
        *args: Any,
        permit_types: QuerySet[PermitType],
        applicants: QuerySet[Applicant] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(
            "forms.ModelChoiceField[PermitType]", self.fields["permit_type"]
        ).queryset = permit_types
        if applicants is None:
            # Support staff choose the person before they get here.
            del self.fields["applicant"]
        else:
            applicant = cast(ApplicantChoiceField, self.fields["applicant"])
            applicant.queryset = applicants
            if len(applicants) == 1:
                # Nobody to choose between: the account holder applies for themselves.
                applicant.widget = forms.HiddenInput()
        self.helper = _helper(*self.fields)


# --- The type's questions --------------------------------------------------------------------


class PeriodRowsFormSet(BaseRowFormSet):
    def initial_form_count(self) -> int:
        # Once submitted, every row may be empty: emptying a saved period removes it.
        return 0 if self.is_bound else super().initial_form_count()


# formset_factory() is typed to return BaseFormSet; it returns a subclass of ``formset``.
PeriodFormSet = cast(
    "type[PeriodRowsFormSet]",
    forms.formset_factory(
        ResidencePeriodForm,
        formset=PeriodRowsFormSet,
        extra=0,
        max_num=MAX_ROWS,
        validate_max=True,
        absolute_max=MAX_ROWS,
    ),
)
_EMPTY_PERIOD_ROWS = 2
# Up to this many answers show as radio buttons, more as a drop-down list.
RADIO_CHOICES_MAX = 6


def _field_for(question: Question) -> forms.Field:
    common: dict[str, Any] = {
        "label": question.label,
        "help_text": question.help,
        "required": question.required,
        "error_messages": {"required": NOT_ANSWERED},
    }
    kind = question.kind
    if kind == QuestionKind.BOOL:
        return forms.BooleanField(**{**common, "required": False})
    if kind == QuestionKind.CHOICE:
        choices = list(question.choices)
        if len(choices) <= RADIO_CHOICES_MAX:
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        return forms.ChoiceField(choices=[("", _("Choose…")), *choices], **common)
    if kind == QuestionKind.DATE:
        # The browser's date picker offers the dates the answer may have; the server decides.
        attrs = {"type": "date", "min": EARLIEST_DATE.isoformat()}
        if question.past_only:
            attrs["max"] = clock.today().isoformat()
        widget = forms.DateInput(attrs=attrs, format="%Y-%m-%d")
        return forms.CharField(widget=widget, **common)
    if kind in (QuestionKind.INT, QuestionKind.DECIMAL):
        mode = "numeric" if kind == QuestionKind.INT else "decimal"
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": mode}), **common)
    return forms.CharField(
        widget=forms.TextInput(attrs={"maxlength": question.max_length}), strip=True, **common
    )


class AnswersForm(forms.Form):
    """The permit type's questions (``permits.questions``) as a form.

    Every answer is checked by ``validate_answers``, the code that stores it and that the rules
    engine reads it with; the Django fields only render. Residence periods are a formset each.
    With ``allow_unanswered`` ("save and come back later") a required question may stay empty.

    A question asked only after another answer (``Question.asked_if``) is on the page in a
    wrapper that says what it depends on, hidden while the answers shown do not ask it. Without
    JavaScript the page asks in steps: the hidden field ``shown_questions`` lists what the page
    showed, and :meth:`questions_to_ask_next` names what the new answers ask beyond it. With
    JavaScript (static/js/conditional-questions.js) the wrappers open as the answers change and
    the script keeps ``shown_questions`` up to date.
    """

    SHOWN_FIELD = "shown_questions"

    def __init__(
        self,
        *args: Any,
        permit_type_code: str,
        questions: list[Question],
        allow_unanswered: bool = False,
        add_row_for: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.permit_type_code = permit_type_code
        self.questions = questions
        self.answers: dict[str, Any] = {}
        self.period_formsets: dict[str, PeriodRowsFormSet] = {}
        self.period_errors: dict[str, list[str]] = {}
        self.allow_unanswered = allow_unanswered
        stored = self.initial
        for question in questions:
            if question.kind == QuestionKind.PERIODS:
                self.period_formsets[question.key] = self._period_formset(
                    question, stored.get(question.key), add_row=add_row_for == question.key
                )
                continue
            field = _field_for(question)
            if allow_unanswered:
                field.required = False
            self.fields[question.key] = field
        # What the page shows: the questions the answers on it ask (as typed, once submitted).
        asked = asked_keys(permit_type_code, self.data if self.is_bound else stored)
        self.shown_keys = [q.key for q in questions if q.key in asked]
        self.helper = _helper(*(self._layout_item(q) for q in questions if q.key in self.fields))

    def _layout_item(self, question: Question) -> Any:
        condition = question.asked_if
        if condition is None:
            return question.key
        return Div(
            question.key,
            css_class="conditional-question",
            css_id=f"question-{question.key}",
            data_question=question.key,
            data_asked_if=condition.key,
            data_asked_values=json.dumps(condition.form_values),
            hidden=question.key not in self.shown_keys,
        )

    @property
    def shown_value(self) -> str:
        """The value of the hidden field ``shown_questions``."""
        return ",".join(self.shown_keys)

    def questions_to_ask_next(self) -> list[Question]:
        """The questions the saved answers ask that the submitted page did not show: the page
        comes back with them. None when the page did not say what it showed."""
        sent = self.data.get(self.SHOWN_FIELD) if self.is_bound else None
        if sent is None:
            return []
        shown = {key.strip() for key in str(sent).split(",")}
        asked = asked_keys(self.permit_type_code, self.answers)
        return [q for q in self.questions if q.key in asked and q.key not in shown]

    def _period_formset(
        self, question: Question, stored: Any, *, add_row: bool
    ) -> PeriodRowsFormSet:
        prefix = question.key
        if self.is_bound:
            data = self.data
            if add_row:
                data = data.copy() if isinstance(data, QueryDict) else dict(data)
                total = f"{prefix}-TOTAL_FORMS"
                data[total] = str(min(int(data.get(total) or 0) + 1, MAX_ROWS))
            return PeriodFormSet(data, prefix=prefix)
        rows = [
            {"kind": row.get("kind", ""), "start": row.get("start"), "end": row.get("end")}
            for row in (stored or [])
            if isinstance(row, dict)
        ]
        formset_class = cast(
            "type[PeriodRowsFormSet]",
            forms.formset_factory(
                ResidencePeriodForm,
                formset=PeriodRowsFormSet,
                extra=_EMPTY_PERIOD_ROWS if not rows else 1,
                max_num=MAX_ROWS,
                absolute_max=MAX_ROWS,
            ),
        )
        return formset_class(initial=rows, prefix=prefix)

    @property
    def period_fieldsets(self) -> list[tuple[Question, PeriodRowsFormSet, list[str]]]:
        return [
            (q, self.period_formsets[q.key], self.period_errors.get(q.key, []))
            for q in self.questions
            if q.key in self.period_formsets
        ]

    def is_valid(self) -> bool:
        formsets_valid = all(formset.is_valid() for formset in self.period_formsets.values())
        return super().is_valid() and formsets_valid and not self.period_errors

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        data: dict[str, Any] = {key: cleaned.get(key) for key in self.fields}
        for key, formset in self.period_formsets.items():
            if formset.is_valid():
                data[key] = [
                    {
                        "kind": row.cleaned_data["kind"],
                        "start": row.cleaned_data["start"].isoformat(),
                        "end": row.cleaned_data["end"].isoformat(),
                    }
                    for row in formset.filled_forms()
                ]
        _answers, errors = validate_answers(self.permit_type_code, data)
        for key, messages in errors.items():
            if key in self.errors or key not in data:
                # Django's own check already said what is wrong, or a period row did.
                continue
            if self.allow_unanswered and data[key] in (None, "", []):
                continue
            if key in self.fields:
                for message in messages:
                    self.add_error(key, message)
            elif key in self.period_formsets:
                self.period_errors[key] = messages
        self.answers = data
        return cleaned

    def error_summary(self) -> list[ErrorLink]:
        if not self.is_bound:
            return []
        links = error_links(self)
        for question, formset, messages in self.period_fieldsets:
            target = f"{question.key}-fieldset"
            links += [
                ErrorLink(target=target, label=str(question.label), message=m) for m in messages
            ]
            for error in formset.non_form_errors():
                links.append(
                    ErrorLink(target=target, label=str(question.label), message=str(error))
                )
            for number, row in enumerate(formset.forms, start=1):
                label = str(_("Period %(number)s") % {"number": number})
                links += error_links(row, row_label=label)
        return links


# --- Documents -------------------------------------------------------------------------------


class DocumentUploadForm(forms.Form):
    """One file for one item of the documents checklist (the form's prefix is the kind)."""

    file = forms.FileField(
        label=_("Choose a file"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILE_TYPES}),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty."),
            "invalid": _("No file was sent. Choose the file again."),
        },
    )

    def __init__(self, *args: Any, kind_name: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind_name:
            # Every item on the page has a file input: each label says which document it is for.
            self.fields["file"].label = _("Choose a file: %(kind)s") % {"kind": kind_name}
        self.fields["file"].help_text = _("PDF, JPEG or PNG, at most %(limit)s.") % {
            "limit": filesizeformat(settings.DOCUMENT_MAX_UPLOAD_BYTES)
        }
        self.helper = _helper("file")


# --- Check, declaration, filing --------------------------------------------------------------


class DeclarationForm(forms.Form):
    truthful = forms.BooleanField(
        label=_(
            "I declare that the information I have given is true and complete, and that the "
            "documents are genuine."
        ),
        error_messages={"required": _("Confirm that the information you have given is true.")},
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the Ministry of the Interior processes my personal data for these "
            "proceedings and may check them with other authorities."
        ),
        error_messages={"required": _("Confirm that you agree to the processing of your data.")},
    )

    delivery = forms.ChoiceField(
        label=_("How do you want to receive the decision?"),
        choices=Delivery.choices,
        initial=Delivery.PORTAL,
        # Left out, the case keeps the delivery it has (portal, or paper for a person without
        # an account).
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "In the portal, the decision is delivered on the day you first open it, or on the "
            "10th day after it is made available. By post or in person, it is delivered on the "
            "day you receive it. The period for an appeal runs from delivery."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("delivery", "truthful", "consent")


class VersionForm(forms.Form):
    """Carries the case's version the person saw, so a change meanwhile is caught."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("version")


# --- Appeal ----------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILE_TYPES}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AppealForm(VersionForm):
    """The grounds of the remedy the decision allows: an appeal, or a request to re-assess the
    reasons for refusing a long-term visa [003] (``kind``), worded for it."""

    grounds = forms.CharField(
        label=_("Why do you disagree with the decision?"),
        help_text=_(
            "Say which part of the decision you appeal against, why you think it is wrong, and "
            "what you propose instead."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        error_messages={"required": remedies.GROUNDS_MISSING[Remedy.APPEAL]},
    )
    # Not required: the form's template marks it "(optional)", so the label does not.
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, kind: str = Remedy.APPEAL, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == Remedy.REASSESSMENT:
            grounds = self.fields["grounds"]
            grounds.label = _("Why do the reasons for refusing the visa not stand?")
            grounds.help_text = _(
                "Say which of the reasons given in the decision you dispute and why, and add "
                "anything the Ministry should take into account."
            )
            grounds.error_messages["required"] = remedies.GROUNDS_MISSING[Remedy.REASSESSMENT]
        self.fields["attachments"].help_text = _(
            "PDF, JPEG or PNG, at most %(limit)s each. You can choose up to %(count)s files."
        ) % {
            "limit": filesizeformat(settings.DOCUMENT_MAX_UPLOAD_BYTES),
            "count": settings.APPEAL_MAX_ATTACHMENTS,
        }
        self.helper = _helper("grounds", "attachments", "version")

    def clean_attachments(self) -> list[Any]:
        return _checked_uploads(
            self.cleaned_data.get("attachments") or [], limit=settings.APPEAL_MAX_ATTACHMENTS
        )


def _checked_uploads(uploads: list[Any], *, limit: int) -> list[Any]:
    """At most ``limit`` files, each one the portal accepts (the services inspect them again)."""
    if len(uploads) > limit:
        raise forms.ValidationError(
            _("Attach at most %(count)s files; put several pages into one PDF.") % {"count": limit}
        )
    for upload in uploads:
        try:
            validate_upload(upload)
        except UploadRefused as refusal:
            raise forms.ValidationError(
                _("%(name)s: %(reason)s") % {"name": upload.name, "reason": refusal.message}
            ) from refusal
        finally:
            upload.seek(0)
    return uploads


# --- A change reported after filing ----------------------------------------------------------


class ChangeReportForm(PersonDataFormMixin, forms.Form):
    """A change of personal data, or a new address, reported after filing [003]. It has the
    fields of its kind (``CHANGE_FIELDS``); the service compares them with what the office
    knows and refuses a report that changes nothing."""

    # Not required: the form's template marks it "(optional)", so the label does not.
    attachments = MultipleFileField(label=_("Documents"), required=False)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        names = CHANGE_FIELDS[kind]
        model_fields = forms.fields_for_model(Applicant, fields=names)
        for name in names:
            field = model_fields[name]
            field.required = True
            self.fields[name] = field
        if "date_of_birth" in self.fields:
            self.fields["date_of_birth"].widget = forms.DateInput(
                format="%Y-%m-%d", attrs={"type": "date", "min": "1900-01-01"}
            )
        if "address" in self.fields:
            self.fields["address"] = forms.CharField(
                label=self.fields["address"].label,
                max_length=ADDRESS_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
                help_text=_("Street, house number, postcode and town."),
            )
        if "travel_document_number" in self.fields:
            self.fields["travel_document_number"].widget.attrs["autocomplete"] = "off"
        # The documents come after the data, as on paper.
        self.fields["attachments"] = self.fields.pop("attachments")
        self.fields["attachments"].help_text = _(
            "For example a copy of your new travel document. PDF, JPEG or PNG, at most "
            "%(limit)s each; up to %(count)s files."
        ) % {
            "limit": filesizeformat(settings.DOCUMENT_MAX_UPLOAD_BYTES),
            "count": CHANGE_REPORT_MAX_ATTACHMENTS,
        }
        self.helper = _helper(*names, "attachments")

    def clean_date_of_birth(self) -> Any:

        born = self.cleaned_data["date_of_birth"]
        if born and born > clock.today():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return born

    def clean_attachments(self) -> list[Any]:
        return _checked_uploads(
            self.cleaned_data.get("attachments") or [], limit=CHANGE_REPORT_MAX_ATTACHMENTS
        )

    @property
    def reported(self) -> dict[str, Any]:
        """The reported values, for ``change_report_submit``."""
        return {name: self.cleaned_data[name] for name in CHANGE_FIELDS[self.kind]}


# --- Support centre --------------------------------------------------------------------------


class ApplicantSearchForm(forms.Form):
    """The support centre looks a person up among everyone recorded: by name or travel document
    number, and/or by the exact date of birth."""

    q = forms.CharField(
        label=_("Name or travel document number"),
        required=False,
        max_length=150,
        help_text=_(
            "The surname or its beginning, without diacritics if you like (nguyen finds "
            "Nguyễn); add the given names after a comma (Nguyen, Van An)."
        ),
    )
    born = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column(Field("q", autocomplete="off")), Column("born")),
            Div(Submit("search", _("Search")), css_class="cluster form-actions"),
        )

    def clean_q(self) -> str:
        return str(self.cleaned_data.get("q") or "").strip()


class SupportApplicantForm(PersonDataFormMixin, forms.ModelForm):
    """A new person recorded at the support centre. When people already recorded may be the
    same person, the page lists them; recording anyway takes ``confirm_new_person``, for the
    people listed (``matches_seen``, their ids): a match that appears later is shown first."""

    confirm_new_person = forms.BooleanField(
        label=_("None of the people listed is this person: record them as a new person"),
        required=False,
    )
    matches_seen = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Applicant
        # The person's data as a filing freezes it: the support centre records all of it.
        fields = PARTY_FIELDS
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "address": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rendered by the template next to the matches, not with the person's data.
        self.helper = _helper(
            Row(Column("given_names"), Column("surname")),
            Row(Column("date_of_birth"), Column("nationality")),
            "travel_document_number",
            "address",
            Row(Column("email"), Column("phone")),
            "preferred_language",
        )

    def clean_matches_seen(self) -> frozenset[int]:
        raw = str(self.cleaned_data.get("matches_seen") or "")
        return frozenset(int(part) for part in raw.split(",") if part.strip().isdigit())

    def confirms(self, match_ids: frozenset[int] | set[int]) -> bool:
        """Whether the person is to be recorded though these people may be them: the box is
        ticked and every one of them was on the page the staff member ticked it on."""
        data = self.cleaned_data
        return bool(data.get("confirm_new_person")) and match_ids <= data["matches_seen"]

    def show_matches(self, match_ids: frozenset[int] | set[int]) -> None:
        """Prepare the form to come back with the matches listed: the data as typed, the ids
        of the people shown, the box unticked; an error on the box when the staff member saw
        the same list before and sent the form again without ticking it."""
        seen_before = self.cleaned_data.get("matches_seen") or frozenset()
        ticked = bool(self.cleaned_data.get("confirm_new_person"))
        data = QueryDict(mutable=True)
        data.update(self.data)
        data["matches_seen"] = ",".join(str(pk) for pk in sorted(match_ids))
        data.pop("confirm_new_person", None)
        self.data = data
        if match_ids <= seen_before and not ticked:
            self.add_error(
                "confirm_new_person",
                _("Use one of the people listed, or tick this box to record a new person anyway."),
            )


# --- More time to supply documents -----------------------------------------------------------


class ExtensionRequestForm(VersionForm):
    """A request for more time to supply the documents the office asked for (Administrative
    Procedure Code § 39(2), outside the seeds)."""

    reason = forms.CharField(
        label=_("Why do you need more time?"),
        help_text=_(
            "Say what keeps you from supplying the documents by the deadline, and how long you "
            "need. The office reads this when it decides on your request."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": _("Say why you need more time.")},
    )
    requested_until = forms.DateField(
        # Not required: the form's template marks it "(optional)", so the label does not.
        label=_("Until when do you ask for"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("A day after the present deadline. The office sets the new deadline."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("reason", "requested_until", "version")
