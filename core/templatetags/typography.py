"""Typography that a template cannot express with the date formats alone.

``unbroken`` keeps a reference number such as ``OAM-35/STR-2026`` on one line: a browser and
WeasyPrint may otherwise break it after a hyphen or the slash, and a number split over two lines
is misread and mistyped. The text itself is left as it is (no non-breaking hyphens), so that it
is copied and searched exactly as the office writes it; the span's class does the work
(``.nowrap`` in ``static/css/site.css`` and in the letters' style sheet).
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def unbroken(value: object) -> SafeString | str:
    """``value`` in a span that does not break; nothing for an empty value."""
    if value in (None, ""):
        return ""
    return format_html('<span class="nowrap">{}</span>', value)
