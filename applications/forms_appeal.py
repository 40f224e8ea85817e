"""The forms of the remedy's steps: the form (grounds and attachments, with the attachments kept
from before listed to remove), then the check page, which carries only the case's version."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from applications.appeal_drafts import PendingFile
from applications.forms import AppealForm, VersionForm


class AppealDraftForm(AppealForm):
    """The remedy's grounds and attachments (``AppealForm``), with the attachments chosen
    before (``kept``, shown after "Change"), each of which may be removed. Together they are at
    most ``APPEAL_MAX_ATTACHMENTS``."""

    remove = forms.MultipleChoiceField(
        label=_("Attachments you added before"),
        help_text=_("They are kept. Tick any you want to remove."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, kept: list[PendingFile] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kept = list(kept or [])
        fields = ["grounds", "attachments", "version"]
        if self.kept:
            remove = self.fields["remove"]
            assert isinstance(remove, forms.MultipleChoiceField)
            remove.choices = [
                (str(index), f"{file.name} ({filesizeformat(file.size)})")
                for index, file in enumerate(self.kept)
            ]
            fields.insert(1, "remove")
        else:
            del self.fields["remove"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*fields)

    def kept_files(self) -> list[PendingFile]:
        """The attachments chosen before that stay (after ``is_valid``)."""
        removed = set(self.cleaned_data.get("remove") or [])
        return [file for index, file in enumerate(self.kept) if str(index) not in removed]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "attachments" in cleaned and self.kept:
            limit = settings.APPEAL_MAX_ATTACHMENTS
            if len(self.kept_files()) + len(cleaned["attachments"]) > limit:
                self.add_error(
                    "attachments",
                    _("Attach at most %(count)s files; put several pages into one PDF.")
                    % {"count": limit},
                )
        return cleaned


class LodgeForm(VersionForm):
    """The check page's "Lodge": the case's version the page was shown with."""
