"""What the API says about a person's applications, and what it accepts for them (``api.cases``).

Output serializers format what the views gathered through the selectors (a ``CaseRead``, a
``Document``, a ``Question``); input serializers check the shape of a request only. What an
answer or a file may contain is judged by the code the pages use (``permits.questions``,
``documents.inspection``), inside the services.

Help texts describe fields in the OpenAPI schema, the integrators' documentation, which is in
English (as the schema's other descriptions); messages a caller reads in answers (errors) are
translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from applications.constants import Channel, Delivery, Outcome, Status
from applications.forms import DeclarationForm, permit_types_for_online_filing
from applications.models import Applicant, Application, Interruption
from applications.selectors import CaseFlags, ChecklistItem, NextStep
from documents.constants import Role, Verification
from documents.models import Document
from permits.questions import Question, QuestionKind

# --- What the views gather ------------------------------------------------------------------


@dataclass(frozen=True)
class CaseSummary:
    """One row of the list: the case and its next step (the dashboard's)."""

    application: Application
    next_step: NextStep


@dataclass(frozen=True)
class CaseRead:
    """The case as the applicant's pages show it: its file, what it still needs and what it
    allows now."""

    application: Application
    next_step: NextStep
    flags: CaseFlags
    can_file: bool
    filing_problems: list[str]
    documents: list[Document]
    checklist: list[ChecklistItem]
    interruption: Interruption | None = None


def case_links(application: Application) -> dict[str, str]:
    pk = application.pk
    return {
        "self": reverse("api:case-detail", args=[pk]),
        "questions": reverse("api:case-questions", args=[pk]),
        "answers": reverse("api:case-answers", args=[pk]),
        "documents": reverse("api:case-documents", args=[pk]),
        "declarations": reverse("api:case-declarations", args=[pk]),
        "file": reverse("api:case-file", args=[pk]),
    }


def document_links(document: Document) -> dict[str, str]:
    args = [document.application_id, document.pk]
    return {
        "self": reverse("api:case-document", args=args),
        "file": reverse("api:case-document-file", args=args),
    }


# --- Output ---------------------------------------------------------------------------------


class NextStepSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=(
            "What comes next: draft, upload, deciding, preparing, open_decision, "
            "appeal_possible, reassessment_possible, decision_effective, no_remedy, "
            "reassessment_ended, appeal_pending, reassessment_pending, closed or withdrawn."
        )
    )
    due = serializers.DateField(allow_null=True, help_text=("By when, where there is a date."))
    needs_action = serializers.BooleanField(help_text=("Whether the person must act."))


class CaseLinksSerializer(serializers.Serializer):
    self = serializers.CharField()
    questions = serializers.CharField()
    answers = serializers.CharField()
    documents = serializers.CharField()
    declarations = serializers.CharField()
    file = serializers.CharField()


class CaseSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="application.pk")
    reference_number = serializers.CharField(
        source="application.reference_number",
        allow_null=True,
        help_text=("Given when the application is filed."),
    )
    permit_type = serializers.CharField(source="application.permit_type.code")
    applicant = serializers.IntegerField(
        source="application.applicant_id",
        help_text=("The person the application is for: the account holder or their child."),
    )
    status = serializers.ChoiceField(source="application.status", choices=Status.choices)
    version = serializers.IntegerField(source="application.version")
    created_at = serializers.DateTimeField(source="application.created_at")
    filed_on = serializers.DateField(source="application.filed_on", allow_null=True)
    decision_due = serializers.DateField(
        source="application.decision_due",
        allow_null=True,
        help_text=(
            "The statutory deadline for the decision; empty in a draft and while the "
            "proceedings are interrupted (the clock is stopped)."
        ),
    )
    next_step = NextStepSerializer()
    links = serializers.SerializerMethodField()

    @extend_schema_field(CaseLinksSerializer)
    def get_links(self, row: CaseSummary) -> dict[str, str]:
        return case_links(row.application)


class DocumentLinksSerializer(serializers.Serializer):
    self = serializers.CharField()
    file = serializers.CharField(help_text=("The file itself (GET)."))


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(source="kind.code", allow_null=True, default=None)
    role = serializers.ChoiceField(choices=Role.choices)
    name = serializers.CharField(source="original_name")
    sub_number = serializers.IntegerField(help_text=("The document's number in the case's file."))
    item_number = serializers.IntegerField(
        help_text=("The sub-number of the document this file is a page of.")
    )
    page = serializers.IntegerField()
    verification = serializers.ChoiceField(choices=Verification.choices)
    rejection_reason = serializers.CharField(
        help_text=("Why the office rejected the document; empty otherwise.")
    )
    size = serializers.IntegerField(help_text=("In bytes."))
    content_type = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    links = serializers.SerializerMethodField()

    @extend_schema_field(DocumentLinksSerializer)
    def get_links(self, document: Document) -> dict[str, str]:
        return document_links(document)


class ChecklistItemSerializer(serializers.Serializer):
    kind = serializers.CharField(source="kind.code")
    name = serializers.CharField(source="kind.name")
    uploaded = serializers.BooleanField()


class CaseFlagsSerializer(serializers.Serializer):
    can_edit = serializers.BooleanField(help_text=("Answers may be changed (a draft)."))
    can_delete = serializers.BooleanField()
    can_upload = serializers.BooleanField()
    can_file = serializers.BooleanField(
        help_text=("The draft can be filed now: nothing in filing_problems.")
    )
    can_supply = serializers.BooleanField(
        help_text=("The documents an interruption asked for can be handed in.")
    )
    can_withdraw = serializers.BooleanField()
    can_appeal = serializers.BooleanField()
    has_decision = serializers.BooleanField()
    decision_ready = serializers.BooleanField()
    can_report_change = serializers.BooleanField()


class OfficeTextSerializer(serializers.Serializer):
    language = serializers.CharField(help_text="The language the phrases are given in.")
    record = serializers.CharField(help_text="The Czech text of record, as the office wrote it.")
    phrases = serializers.ListField(
        child=serializers.CharField(),
        help_text="The office's standard phrases in the language asked by Accept-Language.",
    )
    free_text = serializers.CharField(
        allow_blank=True, help_text="The office's own words, in Czech (not translated)."
    )
    translation = serializers.CharField(
        allow_blank=True, help_text="The caseworker's translation of them, if given."
    )
    translation_language = serializers.CharField(allow_blank=True)


class InterruptionSerializer(serializers.Serializer):
    started_on = serializers.DateField(help_text="The day the proceedings were interrupted.")
    documents_due = serializers.DateField(
        source="deadline",
        help_text=(
            "The last day to hand in what was asked for (the checklist lists it); the "
            "decision's clock stands still until then."
        ),
    )
    extension_requested = serializers.SerializerMethodField(
        help_text="A request for more time awaits the office's answer."
    )
    reason = serializers.SerializerMethodField()

    def get_extension_requested(self, interruption: Interruption) -> bool:
        return interruption.open_extension is not None

    @extend_schema_field(OfficeTextSerializer)
    def get_reason(self, interruption: Interruption) -> dict[str, Any]:
        text = interruption.office_text(translation.get_language())
        return OfficeTextSerializer(text).data


class CaseSerializer(CaseSummarySerializer):
    channel = serializers.ChoiceField(source="application.channel", choices=Channel.choices)
    delivery = serializers.ChoiceField(source="application.delivery", choices=Delivery.choices)
    outcome = serializers.ChoiceField(
        source="application.outcome",
        choices=[("", ""), *Outcome.choices],
        help_text=("Empty until the application is decided."),
    )
    declarations_confirmed_at = serializers.DateTimeField(
        source="application.declarations_confirmed_at", allow_null=True
    )
    answers = serializers.DictField(
        source="application.answers",
        child=serializers.JSONField(),
        help_text=("The answers to the permit type's questions, by question key."),
    )
    documents = DocumentSerializer(many=True)
    checklist = ChecklistItemSerializer(
        many=True,
        help_text=(
            "The document kinds the application needs now (a draft's required documents, or "
            "those an interruption asked for), and whether each is uploaded."
        ),
    )
    filing_problems = serializers.ListField(
        child=serializers.CharField(),
        help_text=("What stops filing the draft; empty when it can be filed, or once filed."),
    )
    interruption = InterruptionSerializer(
        allow_null=True,
        help_text="While the proceedings are interrupted: why, and by when to answer.",
    )
    flags = serializers.SerializerMethodField()

    @extend_schema_field(CaseFlagsSerializer)
    def get_flags(self, case: CaseRead) -> dict[str, bool]:
        return {**vars(case.flags), "can_file": case.can_file}


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class AskedIfSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=("The earlier question this one depends on."))
    values = serializers.ListField(
        child=serializers.JSONField(), help_text=("The answers to it that ask this question.")
    )


class QuestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    help = serializers.CharField()
    kind = serializers.ChoiceField(choices=[(kind.value, kind.value) for kind in QuestionKind])
    required = serializers.BooleanField(help_text=("Filing needs an answer."))
    choices = ChoiceSerializer(many=True)
    min_value = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    max_value = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    max_length = serializers.IntegerField(
        allow_null=True, help_text=("Text answers: the most characters.")
    )
    pattern = serializers.CharField(
        allow_null=True, help_text=("Text answers: a regular expression the whole answer fits.")
    )
    asked_if = AskedIfSerializer(allow_null=True)
    asked = serializers.BooleanField(
        help_text=(
            "Whether the stored answers ask this question (its asked_if holds); the answer to a "
            "question not asked is dropped."
        )
    )


def question_data(question: Question, *, asked: bool) -> dict[str, Any]:
    condition = question.asked_if
    is_text = question.kind == QuestionKind.TEXT
    return {
        "key": question.key,
        "label": str(question.label),
        "help": str(question.help),
        "kind": question.kind.value,
        "required": question.required,
        "choices": [{"value": value, "label": str(label)} for value, label in question.choices],
        "min_value": question.min_value,
        "max_value": question.max_value,
        "max_length": question.max_length if is_text else None,
        "pattern": question.pattern if is_text else None,
        "asked_if": (
            {"key": condition.key, "values": list(condition.values)} if condition else None
        ),
        "asked": asked,
    }


# --- Input ----------------------------------------------------------------------------------


class CaseCreateSerializer(serializers.Serializer):
    """A new draft: the permit type and the person it is for (as the start page asks)."""

    permit_type = serializers.SlugRelatedField(
        slug_field="code",
        queryset=permit_types_for_online_filing(),
        help_text=("The permit type's code (from the catalogue); online filing only."),
        error_messages={
            "required": _("Choose the permit you apply for."),
            "does_not_exist": _("There is no permit type %(value)s that can be applied for here."),
        },
    )
    applicant = serializers.PrimaryKeyRelatedField(
        queryset=Applicant.objects.none(),
        required=False,
        help_text=(
            "The person the application is for: the account holder's own record or a child they "
            "represent. May be left out when the account has only one."
        ),
        error_messages={
            "does_not_exist": _("There is no person %(pk_value)s you may apply for."),
        },
    )

    def __init__(
        self, *args: Any, applicants: QuerySet[Applicant] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if applicants is not None:
            self.fields["applicant"].queryset = applicants

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "applicant" in attrs:
            return attrs
        applicants = list(self.fields["applicant"].queryset[:2])
        if len(applicants) == 1:
            # Nobody to choose between: the account holder applies for themselves.
            return {**attrs, "applicant": applicants[0]}
        if not applicants:
            message = _("Save your personal details in your profile before you apply.")
        else:
            message = _("Choose the person the application is for.")
        raise serializers.ValidationError({"applicant": [message]})


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text=(
            "Answers by question key, as the questions resource describes them: booleans, "
            "numbers (or numbers as text), dates as YYYY-MM-DD, a choice's value, text, and "
            'residence periods as [{"kind", "start", "end"}]. The answers sent replace those '
            "stored under the same keys; null removes an answer; other answers stay."
        ),
    )


def _declaration_required(name: str) -> Any:
    # The declaration page's own words (``DeclarationForm``).
    return DeclarationForm.base_fields[name].error_messages["required"]


class DeclarationsSerializer(serializers.Serializer):
    truthful = serializers.BooleanField(help_text=DeclarationForm.base_fields["truthful"].label)
    consent = serializers.BooleanField(help_text=DeclarationForm.base_fields["consent"].label)
    delivery = serializers.ChoiceField(
        choices=Delivery.choices,
        required=False,
        help_text=(
            "How the decision is delivered; left out, the application keeps the delivery it has."
        ),
    )

    def validate_truthful(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(_declaration_required("truthful"))
        return value

    def validate_consent(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(_declaration_required("consent"))
        return value


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.CharField(
        max_length=40,
        help_text=("The code of a document kind of the application's checklist."),
    )
    file = serializers.FileField(
        help_text=("One file: PDF, JPEG or PNG, at most DOCUMENT_MAX_UPLOAD_BYTES.")
    )
