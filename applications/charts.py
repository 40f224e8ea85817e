"""Server-rendered SVG bar charts for the supervisor dashboard: no JavaScript, no CDN.

A chart is an image with a title and a description for screen readers; each bar carries its
own ``<title>`` (a tooltip, and read out by some screen readers). The page shows the same numbers
in a table next to it, which is the accessible fallback: the chart is the quick look, the table
is the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

_ids = count(1)

LABEL_WIDTH = 230
VALUE_WIDTH = 70
BAR_AREA = 340
ROW_HEIGHT = 26
BAR_HEIGHT = 18
TOP = 8
LABEL_CHARS = 34


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    # The value as people read it: "12", "87 %", "41.5 days".
    shown: str = ""

    @property
    def text(self) -> str:
        return self.shown or f"{self.value:g}"


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(
    *, title: str, bars: Sequence[Bar], description: str = "", maximum: float | None = None
) -> SafeString:
    """A horizontal bar chart as inline SVG; labels and values are escaped."""
    chart_id = f"chart-{next(_ids)}"
    top = maximum if maximum is not None else max((bar.value for bar in bars), default=0)
    scale = BAR_AREA / top if top > 0 else 0
    height = TOP * 2 + ROW_HEIGHT * max(len(bars), 1)
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    rows = format_html_join(
        "\n",
        '<g class="bar"><title>{}: {}</title>'
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" rx="2"></rect>'
        '<text x="{}" y="{}" dominant-baseline="middle" class="value">{}</text></g>',
        (
            (
                bar.label,
                bar.text,
                LABEL_WIDTH - 8,
                TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2,
                _shorten(bar.label),
                LABEL_WIDTH,
                TOP + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                f"{max(bar.value, 0) * scale:.1f}",
                BAR_HEIGHT,
                LABEL_WIDTH + max(bar.value, 0) * scale + 6,
                TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2,
                bar.text,
            )
            for index, bar in enumerate(bars)
        ),
    )
    return format_html(
        '<svg class="bar-chart" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        # Colours and fonts come from site.css (.bar-chart): the CSP refuses inline <style>.
        "{rows}</svg>",
        id=chart_id,
        w=width,
        h=height,
        title=title,
        desc=description or title,
        rows=rows,
    )
