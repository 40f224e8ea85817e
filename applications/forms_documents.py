"""The forms of the applicant's documents checklist: the files of one document (its pages), and
moving a page of it.

Forms validate input only; what a file may contain is checked by the service
(``case_documents.document_upload_pages``), file by file.
"""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from applications.forms import ACCEPTED_FILE_TYPES


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that takes several files at once (``<input type="file" multiple>``)."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field: a list of uploads, each checked as ``FileField`` checks one."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        """The files sent, at least one. What each holds (empty, too large, of a wrong type) is
        for the service to judge file by file, so that one bad page does not refuse the others."""
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


class DocumentPagesForm(forms.Form):
    """The files of one item of the documents checklist (the form's prefix is the kind): one file
    per page, several at once."""

    file = MultipleFileField(
        label=_("Choose files"),
        widget=MultipleFileInput(attrs={"accept": ACCEPTED_FILE_TYPES}),
        error_messages={
            "required": _("Choose a file to upload."),
        },
    )

    def __init__(self, *args: Any, kind_name: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind_name:
            # Every item on the page has a file input: each label says which document it is for.
            self.fields["file"].label = _("Choose files: %(kind)s") % {"kind": kind_name}
        self.fields["file"].help_text = _(
            "One file per page: you can choose several at once. PDF, JPEG or PNG, at most "
            "%(limit)s each."
        ) % {"limit": filesizeformat(settings.DOCUMENT_MAX_UPLOAD_BYTES)}
        # The template wraps the fields in its own <form> element and buttons.
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("file")


class PageMoveForm(forms.Form):
    """Which way a page of a document moves: one place up (towards the first page) or down."""

    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
