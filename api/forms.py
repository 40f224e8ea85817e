"""The profile's form for a new personal access token. It validates input only;
``api.tokens.create_token`` makes the token."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from api.scopes import SCOPES

DEFAULT_DAYS = 90


class TokenForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("API token", "Name"),
        max_length=100,
        help_text=_("What the token is for, so that you recognise it in the list later."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the token may do"),
        help_text=_("Tick only what your program needs."),
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read per form, not at import: the limit is a setting (API_TOKEN_MAX_DAYS).
        longest = settings.API_TOKEN_MAX_DAYS
        days = self.fields["days"]
        assert isinstance(days, forms.IntegerField)
        days.max_value = longest
        days.validators.append(MaxValueValidator(longest))
        days.widget.attrs["max"] = str(longest)
        days.initial = min(DEFAULT_DAYS, longest)
        days.help_text = _("At most %(days)s days. The token stops working after that.") % {
            "days": longest
        }
        self.helper = FormHelper()
        # The template writes the <form> element, its CSRF token and the button.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("name", "scopes", "days")
