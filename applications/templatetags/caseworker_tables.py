"""The caseworker's lists (queue and search) as tables whose rows turn into cards on a phone:
each cell carries its column's name (``data-label``, docs/design-system.md).

    {% load caseworker_tables %}
    {% with cell_columns=columns|cell_columns %}{% for row in rows %}
      {% for cell, column in row.cells|with_columns:cell_columns %}…{% endfor %}
    {% endfor %}{% endwith %}

The reference is the row's header and the first column, so a row's cells fill the columns after
it. The labels are translated once for the page, and each row is paired with them in one pass,
where a template looking the column up for each cell would loop over every column for every
cell (50 rows of 10 cells: about 20 ms more per page).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import template

register = template.Library()


@register.filter
def cell_columns(columns: Sequence[Any]) -> list[dict[str, str]]:
    """The columns the cells fill (all but the first, the row's header): key and label."""
    return [{"key": column.key, "label": str(column.label)} for column in columns[1:]]


@register.filter
def with_columns(cells: Iterable[Any], columns: Sequence[Any]) -> list[tuple[Any, Any]]:
    """Each cell of a row beside its column (from ``cell_columns``)."""
    return list(zip(cells, columns, strict=False))
