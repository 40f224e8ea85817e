from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.constants import Kind


class PreferencesForm(forms.Form):
    """Which kinds of notification also come by e-mail. Those with legal effect always do."""

    email_kinds = forms.MultipleChoiceField(
        label=_("Also send by e-mail"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Notices that the proceedings were interrupted and decisions always come by e-mail "
            "too: deadlines run from them."
        ),
    )

    def __init__(self, *args: Any, kinds: list[Kind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["email_kinds"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(kind.value, kind.label) for kind in kinds]
