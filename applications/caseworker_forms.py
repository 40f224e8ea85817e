"""Forms of the caseworker workspace. They validate input only; the services decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from accounts.constants import Language
from applications import remedies
from applications.constants import AppealResult, Channel, Outcome, Remedy, Status
from applications.queues import SearchIn, caseworkers
from permits import deadlines
from permits.models import (
    DocumentKind,
    PermitRequirement,
    PermitType,
    PhrasePurpose,
    PhraseSituation,
)
from permits.phrases import STOP_PHRASE, current_versions
from permits.questions import lazy_message
from permits.validity import ValidityBounds, validity_problems

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


class PhraseChoiceField(forms.ModelMultipleChoiceField):
    """Phrases of the office's catalogue (``permits.phrases``), each by its Czech text: the
    text of record. The applicant reads them in their language."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.text_cs)


def _phrase_field(purpose: PhrasePurpose, label: Any) -> PhraseChoiceField:
    return PhraseChoiceField(
        label=label,
        queryset=current_versions(purpose),
        required=False,
        help_text=_(
            "Standard texts of the office: the applicant reads them in their language. They "
            "come first, in this order, before your own words."
        ),
    )


# The languages a caseworker may translate the office's own words into (Czech is the original).
TRANSLATION_LANGUAGES = [
    ("", _("No translation")),
    *((code, label) for code, label in Language.choices if code != Language.CS),
]


def _translation_fields(free_text_field: str) -> tuple[forms.CharField, forms.ChoiceField]:
    text = forms.CharField(
        label=_("Your own translation (optional)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Your translation of the words above, for the applicant. The Czech stays the text "
            "of record; the applicant sees your translation labelled as yours."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of your translation"), choices=TRANSLATION_LANGUAGES, required=False
    )
    return text, language


def _check_translation(
    form: forms.Form, data: dict[str, Any], *, free_text: str, translation: str
) -> None:
    """A translation needs the Czech words it translates and its language."""
    if not (data.get(translation) or "").strip():
        data[translation] = ""
        data[f"{translation}_language"] = ""
        return
    if not (data.get(free_text) or "").strip():
        form.add_error(translation, _("A translation needs the Czech text it translates."))
    if not data.get(f"{translation}_language"):
        form.add_error(f"{translation}_language", _("Say which language the translation is in."))


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
    """Ask for documents. Given the case's ``permit_type``, the kinds that type requires come
    first; the case page ticks, as ``initial``, the kinds rejected or still missing."""

    document_kinds = forms.ModelMultipleChoiceField(
        label=_("Documents the applicant must supply"),
        queryset=DocumentKind.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    phrases = _phrase_field(PhrasePurpose.INTERRUPTION, _("Reasons from the catalogue"))
    reason = forms.CharField(
        label=_("Reason in your own words (in Czech)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_(
            "The applicant reads this in the letter, after the reasons from the catalogue. "
            "Optional when a reason from the catalogue says it all."
        ),
        # Not required on its own: said when neither a phrase nor words are given (``clean``).
        error_messages={"required": _("Choose a reason from the catalogue or write the reason.")},
    )
    reason_translation, reason_translation_language = _translation_fields("reason")
    deadline_days = forms.IntegerField(
        label=_("Days to supply them"),
        min_value=1,
        max_value=365,
        initial=deadlines.DEFAULT_DOCUMENT_DEADLINE_DAYS,
        help_text=_("Counted from today; a deadline on a weekend or holiday moves on."),
    )

    def __init__(self, *args: Any, permit_type: PermitType | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if permit_type is not None:
            of_type = PermitRequirement.objects.filter(
                permit_type=permit_type, document_kind=OuterRef("pk")
            )
            kinds = cast(
                "forms.ModelMultipleChoiceField[DocumentKind]", self.fields["document_kinds"]
            )
            kinds.queryset = DocumentKind.objects.annotate(of_type=Exists(of_type)).order_by(
                "-of_type", "sort_order", "code"
            )
        # The phrases about the documents the page proposes to ask for come first, ticked.
        # The initial kinds come as instances or as their ids (the console proposes ids).
        proposed = {getattr(kind, "pk", kind) for kind in self.initial.get("document_kinds") or []}
        phrases = cast("PhraseChoiceField", self.fields["phrases"])
        phrases.queryset = current_versions(PhrasePurpose.INTERRUPTION, kinds_first=proposed)
        # Read once whatever is proposed, so that the page's queries do not depend on it.
        offered = list(phrases.queryset)
        if proposed and "phrases" not in self.initial:
            self.initial = {
                **self.initial,
                "phrases": [
                    version.pk
                    for version in offered
                    if version.phrase.situation == PhraseSituation.MISSING
                    and version.phrase.document_kind_id in proposed
                ],
            }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        given = data.get("phrases") or (data.get("reason") or "").strip()
        if not given and "phrases" not in self.errors and "reason" not in self.errors:
            self.add_error("reason", self.fields["reason"].error_messages["required"])
        _check_translation(self, data, free_text="reason", translation="reason_translation")
        return data


class ResumeForm(CaseActionForm):
    pass


def _date_field(label: Any) -> forms.DateField:
    # ISO in the value: a date input (type="date") shows nothing else, whatever the language.
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class DecideForm(CaseActionForm):
    """Grant or reject. Given the case's ``validity`` (``guards.decision_validity`` as of today),
    the form proposes the longest validity from the decision day and refuses, on the field, what
    the decision guard would refuse; without it (the back office) the guard alone checks."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        choices=[
            (Outcome.GRANTED, Outcome.GRANTED.label),
            (Outcome.REJECTED, Outcome.REJECTED.label),
        ],
    )
    valid_from = _date_field(_("Permit valid from"))
    valid_to = _date_field(_("Permit valid to"))
    phrases = _phrase_field(
        PhrasePurpose.REJECTION, _("Reasons for a rejection, from the catalogue")
    )
    reasoning = _reasoning_field(
        rows=5,
        help_text=_(
            "Required for a rejection, from the catalogue or in your own words (in Czech)."
        ),
    )
    reasoning_translation, reasoning_translation_language = _translation_fields("reasoning")
    confirm = forms.BooleanField(
        label=_("I confirm this decision. It is issued to the applicant and cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the decision.")},
    )

    def __init__(self, *args: Any, validity: ValidityBounds | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validity = validity
        if validity is not None:
            self._propose(validity)

    def _propose(self, validity: ValidityBounds) -> None:
        """Offer the decision day and the longest validity from it, and say what the limits
        are next to the fields (and to the browser's date picker)."""
        # A copy: the page hands every action's form the same initial values.
        self.initial = {
            "valid_from": validity.proposed_from,
            "valid_to": validity.proposed_to,
            **self.initial,
        }
        start, end = self.fields["valid_from"], self.fields["valid_to"]
        start.widget.attrs.update(
            min=validity.earliest_start.isoformat(), max=validity.latest_start.isoformat()
        )
        end.widget.attrs["min"] = validity.earliest_start.isoformat()
        # Built for one request: its language is active, so the texts are made at once.
        start.help_text = str(
            lazy_message(
                _("From the day of the decision (%(first)s) to %(last)s at the latest."),
                first=validity.earliest_start,
                last=validity.latest_start,
            )
        )
        if validity.indefinite:
            end.help_text = _("A permanent residence permit has no end date: leave this empty.")
        elif validity.proposed_to is not None:
            end.help_text = str(
                lazy_message(
                    _("From the day of the decision, it may run until %(last)s at the latest."),
                    last=validity.proposed_to,
                )
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        outcome = data.get("outcome")
        if outcome == Outcome.GRANTED:
            self._check_validity(data)
        phrases = data.get("phrases")
        if (
            outcome == Outcome.REJECTED
            and not phrases
            and not (data.get("reasoning") or "").strip()
        ):
            self.add_error("reasoning", _("A rejection must give its reasons."))
        if outcome == Outcome.GRANTED and phrases:
            self.add_error("phrases", _("These are reasons for a rejection."))
        _check_translation(self, data, free_text="reasoning", translation="reasoning_translation")
        return data

    def _check_validity(self, data: dict[str, Any]) -> None:
        if "valid_from" in self.errors or "valid_to" in self.errors:
            return  # a date that could not be read says so already
        if self.validity is None:
            if not data.get("valid_from"):
                self.add_error("valid_from", _("A grant needs the permit's validity."))
            return
        problems = validity_problems(
            self.validity, valid_from=data.get("valid_from"), valid_to=data.get("valid_to")
        )
        for field, problem in problems.items():
            self.add_error(field, str(problem))


class StopForm(CaseActionForm):
    phrases = _phrase_field(PhrasePurpose.STOP, _("Reasoning from the catalogue"))
    reasoning = _reasoning_field(
        rows=3,
        help_text=_(
            "In your own words (in Czech). Leave both empty for the standard text: the "
            "documents were not supplied in time."
        ),
    )
    reasoning_translation, reasoning_translation_language = _translation_fields("reasoning")
    confirm = forms.BooleanField(
        label=_("I confirm that the proceedings are stopped."),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "phrases" not in self.initial:
            offered = current_versions(PhrasePurpose.STOP).filter(phrase__code=STOP_PHRASE)
            self.initial = {**self.initial, "phrases": [v.pk for v in offered]}

    def clean(self) -> dict[str, Any]:
        super().clean()
        _check_translation(
            self, self.cleaned_data, free_text="reasoning", translation="reasoning_translation"
        )
        return self.cleaned_data


class AppealResultForm(CaseActionForm):
    """The result of the remedy lodged (``kind``): the Commission's decision on an appeal, or
    the Ministry's answer to a request for re-assessment, which confirms the reasons for the
    refusal or finds they no longer stand [003] (``remedies.RESULT_LABELS``)."""

    result = forms.ChoiceField(
        label=_("The appellate body's result"),
        widget=forms.RadioSelect,
        choices=AppealResult.choices,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, kind: str = Remedy.APPEAL, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        result = cast("forms.ChoiceField", self.fields["result"])
        result.choices = remedies.result_choices(kind)
        if kind == Remedy.REASSESSMENT:
            result.label = _("The Ministry's answer to the request for re-assessment")


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


class ExtensionAnswerForm(CaseActionForm):
    """The answer to a request for more time to supply documents (Administrative Procedure Code
    § 39(2), outside the seeds): a new deadline, or a refusal with reasons."""

    answer = forms.ChoiceField(
        label=_("Answer"),
        widget=forms.RadioSelect,
        choices=[("grant", _("Grant a new deadline")), ("refuse", _("Refuse the request"))],
    )
    new_deadline = forms.DateField(
        label=_("New deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Later than the present deadline; a weekend or holiday moves to the next working day."
        ),
    )
    reason = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required for a refusal. The applicant reads them in the resolution."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("answer") == "grant" and not data.get("new_deadline"):
            self.add_error("new_deadline", _("Give the new deadline."))
        if data.get("answer") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reasons for refusing the request."))
        return data


class DocumentsVerifyForm(forms.Form):
    """The case page's documents form: for each document waiting for verification, accept it,
    reject it with a reason, or leave it for later, all in one submission. "Accept all
    remaining" accepts every document left for later, once the caseworker confirms they looked
    at each. ``document_ids`` are the documents the page shows; bound, the form reads them from
    what the page posted (``shown``), so a document that arrived meanwhile is never accepted
    unseen."""

    LATER, ACCEPT, REJECT = "later", "accept", "reject"
    MAX_DOCUMENTS = 200

    expected_version = _version_field()
    shown = CaseIdsField(
        label=_("Documents"),
        error_messages={
            "required": _("The page showed no document to verify. Reload it."),
            "invalid": _("The documents could not be read. Reload the page."),
        },
    )
    looked = forms.BooleanField(
        label=_("I have looked at each document"),
        required=False,
        help_text=_('Required for "Accept all remaining".'),
    )
    # The "Accept all remaining" button: present in the data when that button was pressed.
    accept_all = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, document_ids: list[int] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "documents")
        super().__init__(*args, **kwargs)
        if self.is_bound:
            document_ids = self._posted_ids()
        self.document_ids = list(document_ids or [])[: self.MAX_DOCUMENTS]
        self.initial.setdefault("shown", self.document_ids)
        for pk in self.document_ids:
            self.fields[f"doc{pk}_decision"] = forms.ChoiceField(
                label=_("Verification"),
                required=False,
                initial=self.LATER,
                widget=forms.RadioSelect,
                choices=[
                    (self.ACCEPT, _("Accept")),
                    (self.REJECT, _("Reject")),
                    (self.LATER, _("Decide later")),
                ],
            )
            self.fields[f"doc{pk}_reason"] = forms.CharField(
                label=_("Reason for rejection"),
                required=False,
                max_length=2000,
                help_text=_("The applicant sees this reason."),
            )

    def name_documents(self, names: dict[int, str]) -> None:
        """Label each document's fields with its number in the file, so an error in the summary
        says which document it is about."""
        for pk in self.document_ids:
            if pk in names:
                self.fields[f"doc{pk}_decision"].label = str(
                    lazy_message(_("Verification of %(document)s"), document=names[pk])
                )
                self.fields[f"doc{pk}_reason"].label = str(
                    lazy_message(_("Reason for rejecting %(document)s"), document=names[pk])
                )

    def _posted_ids(self) -> list[int]:
        values = (
            self.data.getlist(self.add_prefix("shown")) if hasattr(self.data, "getlist") else []
        )
        ids = []
        for value in values:
            try:
                ids.append(int(value))
            except (TypeError, ValueError):
                continue  # the field itself reports what it could not read
        return sorted(set(ids))

    def decision_field(self, pk: int) -> forms.BoundField:
        return self[f"doc{pk}_decision"]

    def reason_field(self, pk: int) -> forms.BoundField:
        return self[f"doc{pk}_reason"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        chosen = False
        for pk in self.document_ids:
            decision = data.get(f"doc{pk}_decision") or self.LATER
            data[f"doc{pk}_decision"] = decision
            if decision == self.REJECT and not (data.get(f"doc{pk}_reason") or "").strip():
                self.add_error(f"doc{pk}_reason", _("Say why the document is rejected."))
            chosen = chosen or decision != self.LATER
        if data.get("accept_all") and not data.get("looked"):
            self.add_error(
                "looked",
                _(
                    "Tick the box to confirm you have looked at each document before accepting "
                    "them all."
                ),
            )
        elif not data.get("accept_all") and not chosen and not self.errors:
            self.add_error(
                None,
                _('Choose what to do with at least one document, or use "Accept all remaining".'),
            )
        return data

    def choices(self) -> list[tuple[int, bool, str]]:
        """What to do with each document: (id, accepted, reason); the documents left for later
        are accepted only with "Accept all remaining"."""
        data = self.cleaned_data
        accept_rest = bool(data.get("accept_all"))
        chosen = []
        for pk in self.document_ids:
            decision = data[f"doc{pk}_decision"]
            if decision == self.LATER and not accept_rest:
                continue
            rejected = decision == self.REJECT
            chosen.append((pk, not rejected, data.get(f"doc{pk}_reason", "") if rejected else ""))
        return chosen
