"""The permit catalogue in the back office: permit types, their requirements and document kinds,
edited by staff. Issued permits are records of proceedings: their admin is the case's
(``applications.admin``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from permits.models import (
    PHRASE_LANGUAGES,
    DocumentKind,
    PermitRequirement,
    PermitType,
    Phrase,
    PhraseVersion,
)
from permits.phrases import phrase_version_add


class PermitRequirementInline(admin.TabularInline):
    model = PermitRequirement
    extra = 0
    autocomplete_fields = ["document_kind"]


@admin.register(PermitType)
class PermitTypeAdmin(TabbedTranslationAdmin):
    list_display = [
        "code",
        "short_code",
        "name",
        "purpose",
        "decision_period_days",
        "decision_period_days_abroad",
        "max_validity_months",
        "fee_czk",
        "handled_by_office",
        "is_active",
    ]
    list_filter = ["purpose", "handled_by_office", "is_active", "can_file_at_embassy"]
    search_fields = ["code", "short_code", "name"]
    list_editable = ["decision_period_days", "decision_period_days_abroad", "is_active"]
    inlines = [PermitRequirementInline]


@admin.register(DocumentKind)
class DocumentKindAdmin(TabbedTranslationAdmin):
    list_display = ["code", "name", "sort_order"]
    search_fields = ["code", "name"]


# --- The office's phrase catalogue -------------------------------------------------------------

_LANGUAGE_LABELS = {
    "cs": _("Text in Czech"),
    "en": _("Text in English"),
    "uk": _("Text in Ukrainian"),
    "vi": _("Text in Vietnamese"),
    "ru": _("Text in Russian"),
}


def _text_field(code: str) -> forms.CharField:
    return forms.CharField(
        label=_LANGUAGE_LABELS[code],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Every version needs this text.")},
    )


class PhraseForm(forms.ModelForm):
    """A phrase and its wording. The five texts start as the current version's; changing any
    writes a new version (``phrases.phrase_version_add``), the earlier ones stay as they were.
    A version is usable only in Czech and all four translations, so each is required."""

    text_cs = _text_field("cs")
    text_en = _text_field("en")
    text_uk = _text_field("uk")
    text_vi = _text_field("vi")
    text_ru = _text_field("ru")

    class Meta:
        model = Phrase
        fields = ["code", "purpose", "document_kind", "situation", "active", "sort_order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.versions.first() if self.instance.pk else None
        if current is not None:
            for code in PHRASE_LANGUAGES:
                self.fields[f"text_{code}"].initial = current.text_in(code)

    def texts(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"text_{code}"].strip() for code in PHRASE_LANGUAGES}


_VERSION_FIELDS = (
    "number",
    *(f"text_{code}" for code in PHRASE_LANGUAGES),
    "created_at",
    "created_by",
)


class PhraseVersionInline(admin.TabularInline):
    """The versions, newest first, as they were written: never changed."""

    model = PhraseVersion
    extra = 0
    can_delete = False
    fields = _VERSION_FIELDS
    readonly_fields = _VERSION_FIELDS

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Phrase)
class PhraseAdmin(admin.ModelAdmin):
    form = PhraseForm
    list_display = ["code", "purpose", "document_kind", "situation", "active", "current_czech"]
    list_filter = ["purpose", "situation", "active"]
    search_fields = ["code", "versions__text_cs", "versions__text_en"]
    inlines = [PhraseVersionInline]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return [
            (
                None,
                {
                    "fields": [
                        "code",
                        "purpose",
                        "document_kind",
                        "situation",
                        "active",
                        "sort_order",
                    ]
                },
            ),
            (
                _("Current wording (a change writes a new version)"),
                {"fields": [f"text_{code}" for code in PHRASE_LANGUAGES]},
            ),
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Phrase]:
        newest = PhraseVersion.objects.filter(phrase=OuterRef("pk")).order_by("-number")
        return (
            super()
            .get_queryset(request)
            .select_related("document_kind")
            .annotate(current_cs=Subquery(newest.values("text_cs")[:1]))
        )

    @admin.display(description=_("current text in Czech"))
    def current_czech(self, obj: Phrase) -> str:
        return getattr(obj, "current_cs", None) or ""

    def save_model(self, request: HttpRequest, obj: Phrase, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        texts = form.texts()
        current = obj.versions.first()
        if current is None or any(current.text_in(c) != t for c, t in texts.items()):
            user = request.user if request.user.is_authenticated else None
            phrase_version_add(phrase=obj, texts=texts, created_by=user)
