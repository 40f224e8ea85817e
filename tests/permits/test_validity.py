"""How long a granted permit may be valid (permits.validity): pure, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import translation

from permits.validity import (
    LATEST_START_DAYS,
    ValidityBounds,
    extended_type_code,
    validity_bounds,
    validity_end,
    validity_problems,
)

DECIDED = date(2026, 12, 4)


@dataclass(frozen=True)
class Type:
    code: str
    max_validity_months: int | None


BLUE_CARD = Type("blue_card", 36)
EMPLOYEE_CARD = Type("employee_card", 24)
EXTENSION = Type("ltr_extension", 24)
PERMANENT = Type("permanent_residence", None)
CARD = Type("card_replacement", 36)


def problems(bounds: ValidityBounds, start: date | None, end: date | None) -> dict[str, str]:
    with translation.override("en"):
        return {
            field: str(message)
            for field, message in validity_problems(bounds, valid_from=start, valid_to=end).items()
        }


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 12, 4), 36, date(2029, 12, 3)),  # the day before the same date
        (date(2026, 12, 5), 24, date(2028, 12, 4)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # no 31 February: the month's last day
        (date(2026, 1, 30), 1, date(2026, 2, 28)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # from a leap day, a whole year
        (date(2028, 2, 29), 48, date(2032, 2, 28)),  # to the next leap year
        (date(2027, 3, 1), 12, date(2028, 2, 29)),  # across a leap day
        (date(2026, 7, 1), 6, date(2026, 12, 31)),
    ],
)
def test_a_validity_of_n_months_ends_the_day_before_the_same_date(start, months, end):
    assert validity_end(start, months) == end


def test_the_proposal_is_the_decision_day_to_the_maximum():
    bounds = validity_bounds(BLUE_CARD, decided_on=DECIDED)

    assert (bounds.proposed_from, bounds.proposed_to) == (DECIDED, date(2029, 12, 3))
    assert problems(bounds, bounds.proposed_from, bounds.proposed_to) == {}


def test_one_day_past_the_maximum_is_refused():
    bounds = validity_bounds(BLUE_CARD, decided_on=DECIDED)

    found = problems(bounds, DECIDED, date(2029, 12, 4))

    assert found == {
        "valid_to": "This permit may be valid for at most 36 months: from "
        "4\u00a0December\u00a02026 until "
        "3\u00a0December\u00a02029."
    }


def test_the_maximum_runs_from_the_first_day_of_a_later_start():
    bounds = validity_bounds(EMPLOYEE_CARD, decided_on=DECIDED)
    start = date(2027, 1, 15)

    assert problems(bounds, start, date(2029, 1, 14)) == {}
    assert set(problems(bounds, start, date(2029, 1, 15))) == {"valid_to"}


def test_a_start_before_the_decision_day_is_refused():
    bounds = validity_bounds(EMPLOYEE_CARD, decided_on=DECIDED)

    found = problems(bounds, date(2026, 12, 3), date(2027, 12, 2))

    assert found == {
        "valid_from": "The permit cannot be valid before the day of the decision, "
        "4\u00a0December\u00a02026."
    }


def test_a_validity_that_expired_before_the_decision_is_refused():
    # A family permit granted for 01.01.2020-01.06.2020 expired before it was decided.
    bounds = validity_bounds(Type("ltr_family", 24), decided_on=DECIDED)

    assert set(problems(bounds, date(2020, 1, 1), date(2020, 6, 1))) == {"valid_from"}


def test_a_validity_far_beyond_the_maximum_is_refused():
    # An Employee Card granted for 05.12.2026-31.12.2035.
    bounds = validity_bounds(EMPLOYEE_CARD, decided_on=DECIDED)

    found = problems(bounds, date(2026, 12, 5), date(2035, 12, 31))

    assert found == {
        "valid_to": "This permit may be valid for at most 24 months: from "
        "5\u00a0December\u00a02026 until "
        "4\u00a0December\u00a02028."
    }


def test_a_start_in_the_far_future_is_refused_without_overflowing():
    bounds = validity_bounds(EMPLOYEE_CARD, decided_on=DECIDED)

    found = problems(bounds, date(9999, 12, 31), date(9999, 12, 31))

    assert found == {
        "valid_from": f"The permit must start within {LATEST_START_DAYS} days of the decision, "
        "by 3\u00a0April\u00a02027."
    }
    assert problems(bounds, date(2027, 4, 3), date(2027, 4, 3)) == {}


def test_an_end_before_the_start_and_a_missing_date_are_refused():
    bounds = validity_bounds(EMPLOYEE_CARD, decided_on=DECIDED)

    assert problems(bounds, date(2027, 1, 2), date(2027, 1, 1)) == {
        "valid_to": "The permit cannot end before it starts."
    }
    assert set(problems(bounds, None, None)) == {"valid_from", "valid_to"}


def test_an_extension_of_a_blue_card_is_capped_by_the_blue_card():
    # "Blue card may be newly issued for a maximum period of 3 years. That applies also to
    # extensions of a Blue card." [001]
    assert extended_type_code("ltr_extension", {"extends_blue_card": True}) == "blue_card"
    assert extended_type_code("ltr_extension", {"extends_blue_card": False}) is None
    assert extended_type_code("blue_card", {"extends_blue_card": True}) is None

    blue = validity_bounds(EXTENSION, decided_on=DECIDED, extended_type_max=36)
    other = validity_bounds(EXTENSION, decided_on=DECIDED)

    assert blue.proposed_to == date(2029, 12, 3)
    assert set(problems(blue, DECIDED, date(2029, 12, 4))) == {"valid_to"}
    assert other.proposed_to == date(2028, 12, 3)
    assert set(problems(other, DECIDED, date(2028, 12, 4))) == {"valid_to"}


def test_permanent_residence_has_no_end_date():
    bounds = validity_bounds(PERMANENT, decided_on=DECIDED)

    assert bounds.indefinite
    assert (bounds.proposed_from, bounds.proposed_to) == (DECIDED, None)
    assert problems(bounds, DECIDED, None) == {}
    assert problems(bounds, DECIDED, date(2036, 12, 3)) == {
        "valid_to": "This permit has no end date (permanent residence): leave the end empty."
    }
    assert set(problems(bounds, date(2026, 12, 3), None)) == {"valid_from"}


def test_a_new_card_follows_the_permit_it_belongs_to():
    bounds = validity_bounds(CARD, decided_on=DECIDED, answers={"permit_valid_to": "2027-05-31"})

    assert bounds.proposed_to == date(2027, 5, 31)
    assert problems(bounds, DECIDED, date(2027, 5, 31)) == {}
    assert problems(bounds, DECIDED, date(2027, 6, 1)) == {
        "valid_to": "The new card cannot outlast the permit it belongs to, valid until "
        "31\u00a0May\u00a0"
        "2027."
    }


def test_a_permanent_residents_new_card_has_no_end_and_an_unknown_permit_the_card_maximum():
    permanent = validity_bounds(
        CARD, decided_on=DECIDED, answers={"card_for_permanent_residence": True}
    )
    unknown = validity_bounds(CARD, decided_on=DECIDED, answers={})

    assert permanent.indefinite
    assert problems(permanent, DECIDED, None) == {}
    assert unknown.proposed_to == date(2029, 12, 3)
    assert set(problems(unknown, DECIDED, date(2029, 12, 4))) == {"valid_to"}
