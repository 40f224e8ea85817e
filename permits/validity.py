"""How long a granted permit may be valid: the bounds of a grant's "valid from" and "valid to"
(SPEC §2, ``decide``: "validity capped by the type's maximum").

Pure: no database. The caller passes the permit type as the admin keeps it (its ``code`` and
``max_validity_months``, see ``permits.catalogue``), the day of the decision, the application's
answers and, for an extension, the maximum of the permit extended (``extended_type_code`` names
that type). The decision guard refuses a grant outside these bounds and the caseworker's form
proposes and checks the same ones.

* A permit is not valid before the day it is granted: it starts on the decision day at the
  earliest, and at the latest ``LATEST_START_DAYS`` after it. A validity that continues a stay
  starts when the present visa or permit ends, and such an application is filed at the earliest
  120 days before that end (Act No. 326/1999 Coll., § 44a odst. 3 and § 47 odst. 1, outside the
  seeds); no grant needs a later start, and a start years ahead is a typing error.
* It lasts at most the type's ``max_validity_months`` from its first day (``validity_end``): the
  Blue Card 3 years, "That applies also to extensions of a Blue card" [001]; a visa "generally
  no longer than one year, and for certain specific types, six months" [004].
* An extension (``ltr_extension``) is capped by the permit extended: a Blue Card's extension by
  the Blue Card's maximum [001], any other by the extension type's own figure.
* Permanent residence has no end: the permit is indefinite, so a grant leaves "valid to" empty
  (``Permit.valid_to`` is the permit's end, not the plastic card's; a card is renewed as a card,
  the permit does not end with it).
* A new card (replacement, change of data) follows the permit it belongs to: it ends when that
  permit ends, as the application states, and a permanent resident's card has no end. Where the
  application does not say, the card type's own maximum caps it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final, Protocol

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

from permits.questions import (
    CARD_TYPES,
    PERMANENT_RESIDENCE_TYPES,
    Text,
    lazy_message,
    read_answers,
)

LATEST_START_DAYS: Final = 120

# The generic extension of a long-term residence permit, and the answer that says it extends
# a Blue Card (permits.questions).
EXTENSION_TYPE: Final = "ltr_extension"
BLUE_CARD_TYPE: Final = "blue_card"


class PermitTypeLike(Protocol):
    code: str
    max_validity_months: int | None


def validity_end(start: date, months: int) -> date:
    """The last day of a validity of ``months`` months whose first day is ``start``.

    The day before the same date ``months`` later; where that month has no such date (a start on
    the 29th to 31st), the month's last day: 2026-01-31 + 1 month ends 2026-02-28, 2028-02-29 +
    12 months ends 2029-02-28, and 2027-03-01 + 12 months ends 2028-02-29.
    """
    same_date = start + relativedelta(months=months)
    if same_date.day != start.day:  # relativedelta fell back to the month's last day
        return same_date
    return same_date - timedelta(days=1)


@dataclass(frozen=True)
class ValidityBounds:
    """What a grant decided on ``earliest_start`` may say about the permit's validity."""

    earliest_start: date
    latest_start: date
    # The longest validity from the first day; None: the type sets no length of its own.
    months: int | None = None
    # No validity ends after this day, whatever its start: the permit a new card belongs to.
    end_by: date | None = None
    # The permit has no end date (permanent residence): "valid to" stays empty.
    indefinite: bool = False

    def latest_end(self, start: date) -> date | None:
        """The last day a validity starting on ``start`` may reach; None when nothing caps it."""
        if self.indefinite:
            return None
        ends = [] if self.months is None else [validity_end(start, self.months)]
        if self.end_by is not None:
            ends.append(self.end_by)
        return min(ends, default=None)

    @property
    def proposed_from(self) -> date:
        """The first day a caseworker is offered: the decision day."""
        return self.earliest_start

    @property
    def proposed_to(self) -> date | None:
        """The last day a caseworker is offered: the longest validity from the decision day."""
        return self.latest_end(self.earliest_start)


def extended_type_code(permit_type_code: str, answers: Mapping[str, Any]) -> str | None:
    """The permit type whose maximum caps this application's grant instead of its own: the
    Blue Card, for an extension whose application says it extends one [001]."""
    if permit_type_code != EXTENSION_TYPE:
        return None
    values, _errors = read_answers(permit_type_code, answers)
    return BLUE_CARD_TYPE if values.get("extends_blue_card") else None


def validity_bounds(
    permit_type: PermitTypeLike,
    *,
    decided_on: date,
    answers: Mapping[str, Any] | None = None,
    extended_type_max: int | None = None,
) -> ValidityBounds:
    """The bounds of a grant of ``permit_type`` decided on ``decided_on``.

    ``answers`` are the application's (a new card reads which permit it belongs to);
    ``extended_type_max`` is the maximum of the type ``extended_type_code`` names, if any.
    """
    values, _errors = read_answers(permit_type.code, answers or {})
    earliest, latest = decided_on, decided_on + timedelta(days=LATEST_START_DAYS)
    is_card = permit_type.code in CARD_TYPES
    if permit_type.code in PERMANENT_RESIDENCE_TYPES or (
        is_card and values.get("card_for_permanent_residence")
    ):
        return ValidityBounds(earliest, latest, indefinite=True)
    months = permit_type.max_validity_months if extended_type_max is None else extended_type_max
    end_by = values.get("permit_valid_to") if is_card else None
    return ValidityBounds(earliest, latest, months=months, end_by=end_by)


def validity_problems(
    bounds: ValidityBounds, *, valid_from: date | None, valid_to: date | None
) -> dict[str, Text]:
    """What is wrong with a grant's validity, keyed by the field at fault (``valid_from``,
    ``valid_to``); empty when the validity keeps the bounds. Messages are lazy."""
    problems: dict[str, Text] = {}
    start_problem = _start_problem(bounds, valid_from)
    if start_problem is not None:
        problems["valid_from"] = start_problem
    end_problem = _end_problem(bounds, valid_from, valid_to, start_ok=start_problem is None)
    if end_problem is not None:
        problems["valid_to"] = end_problem
    return problems


def _start_problem(bounds: ValidityBounds, valid_from: date | None) -> Text | None:
    if valid_from is None:
        return _("A grant needs the day the permit is valid from.")
    if valid_from < bounds.earliest_start:
        return lazy_message(
            _("The permit cannot be valid before the day of the decision, %(day)s."),
            day=bounds.earliest_start,
        )
    if valid_from > bounds.latest_start:
        return lazy_message(
            _("The permit must start within %(days)s days of the decision, by %(day)s."),
            days=LATEST_START_DAYS,
            day=bounds.latest_start,
        )
    return None


def _end_problem(
    bounds: ValidityBounds, valid_from: date | None, valid_to: date | None, *, start_ok: bool
) -> Text | None:
    if bounds.indefinite:
        if valid_to is not None:
            return _("This permit has no end date (permanent residence): leave the end empty.")
        return None
    if valid_to is None:
        return _("A grant needs the day the permit is valid to.")
    if valid_from is None:
        return None
    if valid_to < valid_from:
        return _("The permit cannot end before it starts.")
    latest = bounds.latest_end(valid_from) if start_ok else None
    if latest is None or valid_to <= latest:
        return None
    if bounds.end_by is not None and latest == bounds.end_by:
        return lazy_message(
            _("The new card cannot outlast the permit it belongs to, valid until %(day)s."),
            day=bounds.end_by,
        )
    return lazy_message(
        _("This permit may be valid for at most %(months)s months: from %(start)s until %(day)s."),
        months=bounds.months,
        start=valid_from,
        day=latest,
    )
