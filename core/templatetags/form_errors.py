"""``{% summarised form %}``: the page's error summary lists the form's own errors (those of no
one field), so the form does not show them again above its fields (``gov_cz/errors.html``)."""

from __future__ import annotations

from django import forms, template

register = template.Library()


@register.simple_tag
def summarised(form: forms.BaseForm | None) -> str:
    if form is not None:
        form.summarised = True  # type: ignore[attr-defined]
    return ""
