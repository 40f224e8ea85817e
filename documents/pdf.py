"""PDF rendering. WeasyPrint is imported here and nowhere else.

Templates escape every value a person typed, and the URL fetcher refuses every URL: no text in
a decision can make the renderer read a local file or reach the network.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


class FetchRefused(Exception):
    pass


def _refuse_every_url(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise FetchRefused(f"The PDF renderer does not fetch resources ({url[:40]!r}).")


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a template to PDF bytes with no external resources."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=None, url_fetcher=_refuse_every_url).write_pdf()
