"""Visas for a stay over 90 days [004][003]: what is brought only once the visa is granted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from django.utils.translation import gettext_lazy as _

from permits.rules import citations
from permits.rules.engine import Facts, Finding, info, rule

# The catalogue's visa types (purpose "visa"), each with the insurance as a "rule" requirement.
VISA_TYPES: Final = frozenset(
    {"long_term_visa", "extraordinary_work_visa", "seasonal_work_visa", "tolerated_stay_visa"}
)


@rule(
    "visa.travel_health_insurance_after_grant",
    citation=citations.TRAVEL_HEALTH_INSURANCE,
    types=VISA_TYPES,
)
def travel_health_insurance_after_grant(facts: Facts) -> Iterator[Finding]:
    """Travel health insurance is proven "prior to the issuance of the visa" [004], once "your
    visa is granted" [003]: not to file, and not for the decision to grant, so it is lifted from
    the documents of the application and the applicant is told when to bring it."""
    yield info(
        _(
            "You need not attach travel health insurance to the application. Bring proof of "
            "travel health insurance, and of the premium paid, once the visa is granted, before "
            "it is issued."
        ),
        waives={"travel_health_insurance"},
    )
