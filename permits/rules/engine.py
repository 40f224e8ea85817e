"""The rules engine: facts in, findings out, under the wording in force when proceedings began.

A rule is a small named function that looks at the :class:`Facts` of a case and yields
:class:`Finding` objects: an error that blocks filing, a warning that does not, or information
(a fee, a document lifted or added). Rules are registered with the permit types they concern and
the period of the law they belong to: "All the proceedings which had commenced before the
Amendment ... (i.e. until and including June 30, 2023), will be completed in accordance with the
previous wording of the Law." [001] So a rule the amendment changed has two versions under one
code, and :func:`evaluate` runs the version in force on the day the proceedings began.

Pure Python: no database. ``applications.checks.facts_for`` builds the facts of an application.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Any, Final

from permits.questions import Text, asked_keys, lazy_message, read_answers
from permits.rules import citations

# The amendment of the Act on the Residence of Foreign Nationals "will come into force on July 1,
# 2023"; proceedings begun "until and including June 30, 2023" finish under the previous wording.
AMENDMENT_2023: Final = date(2023, 7, 1)
LAST_DAY_BEFORE_AMENDMENT_2023: Final = date(2023, 6, 30)


class Severity(StrEnum):
    ERROR = "error"  # blocks filing
    WARNING = "warning"  # shown to the applicant and the caseworker; does not block
    INFO = "info"  # a statement (the fee that applies, a document lifted); does not block


@dataclass(frozen=True)
class Finding:
    """What one rule found about one case.

    ``rule`` and, unless a rule gives its own, ``citation`` are filled in by the engine from the
    rule's registration. ``requires`` and ``waives`` are document-kind codes the finding adds to
    or lifts from the catalogue's requirements (see ``applications.checks``).
    """

    severity: Severity
    message: Text
    citation: str = ""
    rule: str = ""
    requires: frozenset[str] = frozenset()
    waives: frozenset[str] = frozenset()

    @property
    def blocks_filing(self) -> bool:
        return self.severity == Severity.ERROR


def _finding(
    severity: Severity,
    message: Text,
    *,
    citation: str = "",
    requires: Iterable[str] = (),
    waives: Iterable[str] = (),
    **params: object,
) -> Finding:
    return Finding(
        severity=severity,
        message=lazy_message(message, **params),
        citation=citation,
        requires=frozenset(requires),
        waives=frozenset(waives),
    )


def error(message: Text, **kwargs: Any) -> Finding:
    """A finding that blocks filing; ``kwargs`` beyond the Finding fields fill the message."""
    return _finding(Severity.ERROR, message, **kwargs)


def warning(message: Text, **kwargs: Any) -> Finding:
    return _finding(Severity.WARNING, message, **kwargs)


def info(message: Text, **kwargs: Any) -> Finding:
    return _finding(Severity.INFO, message, **kwargs)


@dataclass(frozen=True)
class Facts:
    """The facts of a case the rules look at. Built by ``facts_for`` or, in tests, by hand.

    ``proceedings_began_on`` is the filing date, or today for a draft: it picks the wording of
    the law and is the day ages and periods are measured on. ``answers`` are the stored answers
    to the type's questions (``permits.questions``); rules read them through :meth:`answer`.
    """

    permit_type_code: str
    proceedings_began_on: date
    applicant_birth_date: date
    filed_abroad: bool = False
    answers: Mapping[str, Any] = field(default_factory=dict)
    uploaded_kinds: frozenset[str] = frozenset()
    # The applicant's record is kept by the account of a parent who represents them [002].
    represented_on_record: bool = False

    @cached_property
    def _read(self) -> tuple[dict[str, Any], dict[str, list[Text]]]:
        return read_answers(self.permit_type_code, self.answers)

    def answer(self, key: str) -> Any:
        """The parsed answer (bool, int, Decimal, date, str, periods), or None if not given,
        invalid or not asked; an unanswered yes/no question reads as False."""
        return self._read[0].get(key)

    @cached_property
    def _asked(self) -> frozenset[str]:
        return asked_keys(self.permit_type_code, self.answers)

    def asked(self, key: str) -> bool:
        """Whether the other answers ask this question (``Question.asked_if``); a question that
        is not asked does not apply to the case."""
        return key in self._asked

    @property
    def answer_problems(self) -> dict[str, list[Text]]:
        return self._read[1]

    def unanswered(self, key: str) -> bool:
        """True when the applicant gave no answer at all (an invalid answer is reported by the
        ``answers.complete`` rule instead). A question not asked is not applicable, never
        unanswered."""
        return self.asked(key) and self.answer(key) is None and key not in self.answer_problems

    @property
    def age(self) -> int:
        born, day = self.applicant_birth_date, self.proceedings_began_on
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def is_minor(self) -> bool:
        return self.age < 18

    @property
    def business_purpose(self) -> bool:
        """The catalogue's "business" condition: the (new) purpose of stay is business."""
        return bool(self.answer("business_purpose") or self.answer("new_purpose_business"))


def stated(facts: Facts, key: str, *, if_unanswered: Finding) -> Generator[Finding, None, Any]:
    """The answer to ``key``, for a rule to read with ``yield from``; None unless answered.

    While the applicant has given no answer at all, ``if_unanswered`` is yielded first: a warning
    where a document the office checks also shows the answer, an error where nothing else does.
    An answer that cannot be read yields nothing here: the ``answers.complete`` rule reports it.
    A question the other answers do not ask yields nothing either: it does not apply.
    """
    value = facts.answer(key)
    if value is None and facts.unanswered(key):
        yield if_unanswered
    return value


RuleCheck = Callable[[Facts], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """One version of a rule: its code, what it checks, where and when it applies."""

    code: str
    check: RuleCheck
    citation: str
    permit_types: frozenset[str] | None = None  # None: every permit type
    valid_from: date | None = None  # first day of proceedings it applies to
    valid_until: date | None = None  # last day, inclusive

    def in_force_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    def applies_to(self, permit_type_code: str) -> bool:
        return self.permit_types is None or permit_type_code in self.permit_types

    def overlaps(self, other: Rule) -> bool:
        starts_before_other_ends = (
            self.valid_from is None
            or other.valid_until is None
            or self.valid_from <= other.valid_until
        )
        ends_after_other_starts = (
            self.valid_until is None
            or other.valid_from is None
            or other.valid_from <= self.valid_until
        )
        return starts_before_other_ends and ends_after_other_starts

    def run(self, facts: Facts) -> Iterator[Finding]:
        for finding in self.check(facts):
            yield replace(finding, rule=self.code, citation=finding.citation or self.citation)


class Registry:
    """The rules, each code with one or more versions that never overlap in time."""

    def __init__(self) -> None:
        self._rules: list[Rule] = []

    def add(self, new: Rule) -> Rule:
        if new.valid_from and new.valid_until and new.valid_until < new.valid_from:
            raise ValueError(f"{new.code}: valid_until before valid_from")
        clash = next((r for r in self.versions(new.code) if r.overlaps(new)), None)
        if clash is not None:
            # Two versions in force on one day would make the result depend on import order.
            raise ValueError(f"{new.code}: two versions in force on the same day")
        self._rules.append(new)
        return new

    def rule(
        self,
        code: str,
        *,
        citation: str,
        types: Iterable[str] | None = None,
        valid_from: date | None = None,
        valid_until: date | None = None,
    ) -> Callable[[RuleCheck], RuleCheck]:
        """Register the decorated function as a version of the rule ``code``."""

        def register(check: RuleCheck) -> RuleCheck:
            self.add(
                Rule(
                    code=code,
                    check=check,
                    citation=citation,
                    permit_types=None if types is None else frozenset(types),
                    valid_from=valid_from,
                    valid_until=valid_until,
                )
            )
            return check

        return register

    def versions(self, code: str) -> list[Rule]:
        return [r for r in self._rules if r.code == code]

    def codes(self) -> list[str]:
        return list(dict.fromkeys(r.code for r in self._rules))

    def in_force(self, *, permit_type_code: str, on: date) -> list[Rule]:
        """The rule versions that judge a case of this type whose proceedings began ``on``."""
        return [r for r in self._rules if r.applies_to(permit_type_code) and r.in_force_on(on)]


REGISTRY: Final = Registry()
rule = REGISTRY.rule


def _no_findings(facts: Facts) -> Iterator[Finding]:
    return iter(())


def new_in_amendment_2023(code: str, *, types: Iterable[str] | None = None) -> None:
    """Register the version of the rule ``code`` for proceedings begun before the amendment as
    finding nothing: the requirement came with the amendment, and those proceedings finish under
    the previous wording [001]."""
    rule(
        code,
        citation=citations.TRANSITION_2023,
        types=types,
        valid_until=LAST_DAY_BEFORE_AMENDMENT_2023,
    )(_no_findings)


def evaluate(facts: Facts, *, registry: Registry = REGISTRY) -> list[Finding]:
    """Every finding of every rule in force for these facts, in registration order."""
    rules = registry.in_force(
        permit_type_code=facts.permit_type_code, on=facts.proceedings_began_on
    )
    return [finding for r in rules for finding in r.run(facts)]


def blocking_errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocks_filing]


def extra_required_kinds(findings: Iterable[Finding]) -> frozenset[str]:
    """Document-kind codes the rules add to what the catalogue asks for."""
    return frozenset(code for f in findings for code in f.requires)


def waived_kinds(findings: Iterable[Finding]) -> frozenset[str]:
    """Document-kind codes the rules lift ("rule"-conditioned requirements only, see checks)."""
    return frozenset(code for f in findings for code in f.waives)
