"""The Czech monthly minimum wage by date, for the Employee Card's salary condition [004].

The sources say only "not lower than the statutory minimum wage" [004]; the amounts are set
outside the Act on the Residence of Foreign Nationals, under Section 111 of the Labour Code
(Act No. 262/2006 Coll.) and Government Regulation No. 567/2006 Coll. on the minimum wage:

* until 2024 by an amending government regulation each year (2022: No. 405/2021 Coll.,
  2023: No. 465/2022 Coll., 2024: the amendment the government approved on 13 December 2023);
* from 2025 by the coefficient of Government Regulation No. 285/2024 Coll. (0.422 for 2025,
  0.434 for 2026) applied to the Ministry of Finance's forecast of the average wage, the amount
  being announced by a communication of the Ministry of Labour and Social Affairs.

Add next year's figure here each autumn, once the Ministry of Labour announces it; until then
the last figure keeps applying (the engine never guesses a higher one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final


@dataclass(frozen=True)
class MinimumWage:
    valid_from: date
    monthly_czk: int
    source: str


MINIMUM_WAGES: Final = (
    MinimumWage(date(2022, 1, 1), 16_200, "Government Regulation No. 405/2021 Coll."),
    MinimumWage(date(2023, 1, 1), 17_300, "Government Regulation No. 465/2022 Coll."),
    MinimumWage(
        date(2024, 1, 1),
        18_900,
        "Government Regulation No. 567/2006 Coll. as amended for 2024",
    ),
    MinimumWage(
        date(2025, 1, 1),
        20_800,
        "Labour Code s. 111 and Government Regulation No. 285/2024 Coll. (coefficient 0.422)",
    ),
    MinimumWage(
        date(2026, 1, 1),
        22_400,
        "Labour Code s. 111 and Government Regulation No. 285/2024 Coll. (coefficient 0.434)",
    ),
)


def minimum_wage_on(day: date) -> MinimumWage | None:
    """The monthly minimum wage in force on ``day``; None before the table starts."""
    in_force = [wage for wage in MINIMUM_WAGES if wage.valid_from <= day]
    return in_force[-1] if in_force else None
