"""The form template pack (``templates/gov_cz``): what it marks and says once."""

from __future__ import annotations

from django import forms
from django.template import Context, Template
from django.utils import translation


class Choices(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Also send by e-mail",
        choices=[("a", "A"), ("b", "B")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    colour = forms.ChoiceField(
        label="Colour",
        choices=[("r", "Red"), ("g", "Green")],
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Note", required=False)

    def clean(self):
        raise forms.ValidationError("The whole form is wrong.")


def render(form: forms.Form) -> str:
    with translation.override("en"):
        return Template("{% load crispy_forms_tags %}{% crispy form %}").render(
            Context({"form": form})
        )


def test_a_group_of_checkboxes_is_not_marked_optional_but_other_fields_are():
    html = render(Choices())
    legend = html.split("Also send by e-mail", 1)[1].split("</legend>", 1)[0]

    assert "(optional)" not in legend
    assert html.count("(optional)") == 2  # the radio buttons and the text field


def test_an_error_of_the_whole_form_is_shown_once_with_or_without_a_summary():
    form = Choices(data={"note": "x"})
    assert not form.is_valid()
    assert render(form).count("The whole form is wrong.") == 1

    form = Choices(data={"note": "x"})
    form.is_valid()
    form.summarised = True  # the page's error summary lists it
    assert render(form).count("The whole form is wrong.") == 0
