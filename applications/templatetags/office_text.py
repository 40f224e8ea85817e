"""The office's words (an interruption's reason, a decision's reasoning) as the reader reads
them: ``{% load office_text %}{% office_text interruption as text %}`` then
``{% include "applications/_office_text.html" with text=text %}``.

The reader's language is the active one: the applicant's interface, an e-mail's language, or
the translated part of a letter (``{% language %}``). In Czech the text of record is shown.
"""

from __future__ import annotations

from django import template
from django.utils import translation

from applications.models import Decision, Interruption
from permits.models import PhraseVersion
from permits.phrases import OfficeText

register = template.Library()


@register.simple_tag
def office_text(source: Interruption | Decision) -> OfficeText:
    return source.office_text(translation.get_language())


@register.filter
def in_reader_language(version: PhraseVersion) -> str:
    """A catalogue phrase in the active language (``{% language %}`` in a letter)."""
    return version.text_in(translation.get_language())
