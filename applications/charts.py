"""Server-rendered SVG bar charts for the supervisor dashboard: no JavaScript, no CDN.

A chart is an image with a title and a description for screen readers; each bar carries its
own ``<title>`` (a tooltip, and read out by some screen readers). The page shows the same numbers
in a table next to it, which is the accessible fallback: the chart is the quick look, the table
is the record.

Labels are never cut: a long one is wrapped over as many lines as it needs, and its row grows to
hold them. Permit types differ at the end of their names ("Long-term residence permit for
study", "... for investment"): a label cut to its first words made several bars look alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, count

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

_ids = count(1)

LABEL_WIDTH = 230
VALUE_WIDTH = 70
BAR_AREA = 340
ROW_HEIGHT = 26
LINE_HEIGHT = 14
BAR_HEIGHT = 18
TOP = 8
# What fits in LABEL_WIDTH at the stylesheet's 12px (site.css, .bar-chart), with room to spare.
LABEL_CHARS = 32


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    # The value as people read it, in the interface language: "12", "87 %", "41,5 dne".
    shown: str = ""

    @property
    def text(self) -> str:
        return self.shown or formats.number_format(self.value, force_grouping=True)


def wrap(label: str, width: int = LABEL_CHARS) -> list[str]:
    """The label in lines of at most ``width`` characters, broken between words; a word longer
    than a line is split. Nothing is left out: the lines joined by spaces are the label."""
    lines: list[str] = []
    line = ""
    for word in label.split():
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines or [""]


def _label(lines: list[str], x: float, middle: float) -> SafeString:
    """A label's lines as <tspan>s, centred on ``middle``."""
    first = middle - (len(lines) - 1) * LINE_HEIGHT / 2
    return format_html_join(
        "",
        '<tspan x="{}" y="{}">{}</tspan>',
        ((x, f"{first + index * LINE_HEIGHT:.1f}", line) for index, line in enumerate(lines)),
    )


def bar_chart(
    *, title: str, bars: Sequence[Bar], description: str = "", maximum: float | None = None
) -> SafeString:
    """A horizontal bar chart as inline SVG; labels and values are escaped."""
    chart_id = f"chart-{next(_ids)}"
    top = maximum if maximum is not None else max((bar.value for bar in bars), default=0)
    scale = BAR_AREA / top if top > 0 else 0
    labels = [wrap(bar.label) for bar in bars]
    # Each row is as tall as its label.
    heights = [max(ROW_HEIGHT, len(lines) * LINE_HEIGHT + 12) for lines in labels]
    # Where each row starts: below the rows before it.
    tops = [TOP + above - own for above, own in zip(accumulate(heights), heights, strict=True)]
    height = TOP * 2 + (sum(heights) if bars else ROW_HEIGHT)
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    rows = format_html_join(
        "\n",
        '<g class="bar"><title>{}: {}</title>'
        '<text text-anchor="end" dominant-baseline="middle">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" rx="2"></rect>'
        '<text x="{}" y="{}" dominant-baseline="middle" class="value">{}</text></g>',
        (
            (
                bar.label,
                bar.text,
                _label(lines, LABEL_WIDTH - 8, row_top + row_height / 2),
                LABEL_WIDTH,
                f"{row_top + (row_height - BAR_HEIGHT) / 2:.1f}",
                f"{max(bar.value, 0) * scale:.1f}",
                BAR_HEIGHT,
                f"{LABEL_WIDTH + max(bar.value, 0) * scale + 6:.1f}",
                f"{row_top + row_height / 2:.1f}",
                bar.text,
            )
            for bar, lines, row_top, row_height in zip(bars, labels, tops, heights, strict=True)
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
