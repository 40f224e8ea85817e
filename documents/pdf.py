"""PDF rendering. WeasyPrint is imported here and nowhere else.

Templates escape every value a person typed, and the URL fetcher refuses every URL: no text in
a decision can make the renderer read a local file or reach the network. A refused resource is
left out (WeasyPrint logs it) and the document still renders.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.template.loader import render_to_string


class FetchRefused(Exception):
    pass


def _refuse_every_url(url: str, *args: Any, **kwargs: Any) -> Any:
    raise FetchRefused(f"The PDF renderer does not fetch resources ({url[:40]!r}).")


@cache
def _fetcher_class() -> type:
    # WeasyPrint (70+) takes a URLFetcher object; built lazily so that importing this module
    # does not load WeasyPrint.
    from weasyprint.urls import URLFetcher

    class RefusingURLFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            return _refuse_every_url(url)

    return RefusingURLFetcher


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a template to PDF bytes with no external resources."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    fetcher = _fetcher_class()(allowed_protocols=set(), fail_on_errors=False)
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
