"""The rules engine of the permit catalogue (SPEC §5): who may file what, and what to bring.

Usage::

    from permits import rules

    findings = rules.evaluate(facts)       # facts: a rules.Facts, built by hand or from a case
    rules.blocking_errors(findings)        # errors that block filing
    rules.extra_required_kinds(findings)   # document kinds the rules add
    rules.waived_kinds(findings)           # document kinds the rules lift

``applications.checks`` reads a case into ``Facts`` (``facts_for``) and turns the findings into
the filing guard and the list of required documents.
Rules live in the modules below, grouped by subject; importing this package registers them all.
"""

from permits.rules import common, family, permanent, visas, work  # noqa: F401  (registers)
from permits.rules.engine import (
    AMENDMENT_2023,
    LAST_DAY_BEFORE_AMENDMENT_2023,
    REGISTRY,
    Facts,
    Finding,
    Registry,
    Rule,
    Severity,
    blocking_errors,
    evaluate,
    extra_required_kinds,
    waived_kinds,
)

__all__ = [
    "AMENDMENT_2023",
    "LAST_DAY_BEFORE_AMENDMENT_2023",
    "REGISTRY",
    "Facts",
    "Finding",
    "Registry",
    "Rule",
    "Severity",
    "blocking_errors",
    "evaluate",
    "extra_required_kinds",
    "waived_kinds",
]
