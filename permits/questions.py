"""The questions each permit type asks, declared once.

Each type asks only what its rules need (``permits.rules``): the Employee Card asks for the salary
and the weekly hours because [004] sets a minimum for both, the permanent residence permit asks for
the periods of residence because [003] counts them, and so on. Pure Python, no forms and no
database: another module builds the Django form from these declarations, and the rules engine
reads stored answers with :func:`read_answers`, the same code that validates them, so what the
form accepts and what the rules read cannot drift apart.

Answers are stored in ``Application.answers`` (JSON) as :func:`validate_answers` cleans them:
booleans, integers, decimals as strings (``"20800"``, exact), dates as ISO strings, and residence
periods as ``[{"kind": ..., "start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}, ...]``.

A question may depend on the answer to an earlier question of its type (``asked_if``, an
:class:`Answer`): the asylum date only of the family of an asylum holder, the years worked on a
Blue Card only of a holder of another state's Blue Card. An answer to a question that is not
asked is dropped when the answers are read or saved, and the rules treat the question as not
applicable. Dates about the past (``past_only``) are refused when they lie after
``core.clock.today()``; no date answer may lie before 1900.

``required`` means the applicant must answer before filing: the form insists, and the rules
engine reports a blocking error while the answer is missing. Questions are required only where no
document in the file can answer them instead; a salary, for instance, is also in the employment
contract the caseworker verifies, so an unanswered salary gives a warning, not a block.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Final

from django.utils.formats import date_format, number_format
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from core import clock
from permits.calculators import ResidenceKind, ResidencePeriod

Text = str | Promise


class QuestionKind(StrEnum):
    BOOL = "bool"
    INT = "int"
    DECIMAL = "decimal"
    DATE = "date"
    CHOICE = "choice"
    TEXT = "text"
    # A list of {kind, start, end}: residence on one title (permits.calculators.ResidenceKind).
    PERIODS = "periods"


class ShownWhen(StrEnum):
    """When the form shows a question; the rules that read it apply only in that case.

    These are facts of the case. A question may also depend on the answer to another question
    of the same type: see :class:`Answer` (``Question.asked_if``).
    """

    ALWAYS = "always"
    ABROAD = "abroad"  # the application is filed at an embassy
    MINOR = "minor"  # the applicant is under 18 when the proceedings begin


@dataclass(frozen=True, init=False)
class Answer:
    """A condition on an earlier question of the same type: ``Answer("divorced", True)`` asks a
    question only when the applicant answered "yes" to ``divorced``; several values mean any of
    them. A question that is not asked has no answer: saving drops what was typed into it, and
    the rules read it as not applicable (never as a missing answer)."""

    key: str
    values: tuple[Any, ...]

    def __init__(self, key: str, *values: Any) -> None:
        if not values:
            raise ValueError(f"{key}: a condition needs at least one answer")
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "values", values)

    def holds(self, values: Mapping[str, Any]) -> bool:
        """Whether the parsed answers ``values`` meet the condition; False while the question it
        depends on is not asked or not answered."""
        if self.key not in values:
            return False
        answer = values[self.key]
        # True == 1 in Python; an answer matches only a value of its own type.
        return any(type(answer) is type(value) and answer == value for value in self.values)

    @property
    def form_values(self) -> list[str]:
        """The values as the form sends them (what the page's script compares with)."""
        return [
            ("true" if value else "false") if isinstance(value, bool) else str(value)
            for value in self.values
        ]


# Dates before this are typing mistakes (a year 19 for 2019, a birth year for a permit).
EARLIEST_DATE: Final = date(1900, 1, 1)


@dataclass(frozen=True)
class Question:
    key: str
    label: Text
    kind: QuestionKind
    required: bool = False
    choices: tuple[tuple[str, Text], ...] = ()
    help: Text = ""
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    # Text answers only: the whole answer must match (re.fullmatch); pattern_message says how.
    pattern: str | None = None
    pattern_message: Text = ""
    max_length: int = 200
    shown_when: ShownWhen = ShownWhen.ALWAYS
    # Asked only when an earlier question of the type has one of these answers.
    asked_if: Answer | None = None
    # A date (or the start of a period) that has already happened: a future one is refused.
    past_only: bool = False

    def __post_init__(self) -> None:
        # A checkbox always has an answer (unticked is "no"), so "required" would mean nothing.
        if self.required and self.kind == QuestionKind.BOOL:
            raise ValueError(f"{self.key}: a yes/no question cannot be required")
        # A conditional question's need is judged by the rule that reads it, not by the form.
        if self.required and (self.shown_when != ShownWhen.ALWAYS or self.asked_if):
            raise ValueError(f"{self.key}: a conditional question cannot be required")
        if self.asked_if is not None and self.asked_if.key == self.key:
            raise ValueError(f"{self.key}: a question cannot depend on itself")
        if self.past_only and self.kind not in (QuestionKind.DATE, QuestionKind.PERIODS):
            raise ValueError(f"{self.key}: only a date can be in the past")
        if (self.kind == QuestionKind.CHOICE) != bool(self.choices):
            raise ValueError(f"{self.key}: choices go with kind 'choice', and only with it")
        if self.pattern is not None and self.kind != QuestionKind.TEXT:
            raise ValueError(f"{self.key}: a pattern applies to text answers only")

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(value for value, _label in self.choices)

    def choice_label(self, value: str) -> Text:
        return dict(self.choices).get(value, value)


def _display(value: object) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return number_format(value, force_grouping=True)
    if isinstance(value, date):
        return date_format(value)
    return str(value)


def _interpolate(text: Text, params: Mapping[str, object]) -> str:
    return str(text) % {key: _display(value) for key, value in params.items()}


_lazy_interpolate = lazy(_interpolate, str)


def lazy_message(text: Text, **params: object) -> Text:
    """``text % params``, worked out when the message is shown, in the language active then.

    ``gettext_lazy(...) % params`` would translate at once, in whatever language is active
    while the answers are read; numbers and dates are formatted for the reader's language too.
    """
    return _lazy_interpolate(text, params) if params else text


class InvalidAnswer(ValueError):
    """An answer that cannot be read; ``message`` is fit to show next to the question."""

    def __init__(self, message: Text) -> None:
        self.message = message
        super().__init__(str(message))


# --- Parsing one answer ---------------------------------------------------------------------------

_TRUE: Final = frozenset({"true", "on", "1", "yes"})
_FALSE: Final = frozenset({"false", "off", "0", "no", ""})


def _is_missing(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    return isinstance(raw, list | tuple | dict) and not raw


def _parse_bool(question: Question, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    raise InvalidAnswer(_("Answer yes or no."))


def _to_decimal(raw: object) -> Decimal:
    # bool is an int subclass; "True" is not a number anyone meant to type.
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise InvalidAnswer(_("Enter a number."))
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if "," in text and "." not in text:
        # Czech, Ukrainian, Vietnamese and Russian write a decimal comma.
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise InvalidAnswer(_("Enter a number.")) from error
    if not value.is_finite():
        raise InvalidAnswer(_("Enter a number."))
    return value


def _check_range(question: Question, value: Decimal) -> None:
    if question.min_value is not None and value < question.min_value:
        raise InvalidAnswer(
            lazy_message(_("Enter %(minimum)s or more."), minimum=question.min_value)
        )
    if question.max_value is not None and value > question.max_value:
        raise InvalidAnswer(
            lazy_message(_("Enter %(maximum)s or less."), maximum=question.max_value)
        )


def _parse_decimal(question: Question, raw: object) -> Decimal:
    value = _to_decimal(raw)
    _check_range(question, value)
    return value


def _parse_int(question: Question, raw: object) -> int:
    value = _to_decimal(raw)
    if value != value.to_integral_value():
        raise InvalidAnswer(_("Enter a whole number."))
    _check_range(question, value)
    return int(value)


def _to_date(raw: object) -> date:
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise InvalidAnswer(_("Enter a date as YYYY-MM-DD."))


def _check_date(day: date, *, past_only: bool) -> None:
    if day < EARLIEST_DATE:
        raise InvalidAnswer(
            lazy_message(_("Enter a date on or after %(earliest)s."), earliest=EARLIEST_DATE)
        )
    if past_only and day > clock.today():
        raise InvalidAnswer(_("The date cannot be in the future."))


def _parse_date(question: Question, raw: object) -> date:
    day = _to_date(raw)
    _check_date(day, past_only=question.past_only)
    return day


def _parse_choice(question: Question, raw: object) -> str:
    if isinstance(raw, str) and raw.strip() in question.choice_values:
        return raw.strip()
    raise InvalidAnswer(_("Choose one of the answers offered."))


def _parse_text(question: Question, raw: object) -> str:
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise InvalidAnswer(_("Enter text."))
    text = str(raw).strip()
    if len(text) > question.max_length:
        raise InvalidAnswer(
            lazy_message(_("Enter at most %(count)s characters."), count=question.max_length)
        )
    if question.pattern is not None and not re.fullmatch(question.pattern, text):
        raise InvalidAnswer(question.pattern_message or _("The answer is not in the form asked."))
    return text


def _parse_period(index: int, raw: object, *, past_only: bool) -> ResidencePeriod:
    number = index + 1
    if not isinstance(raw, Mapping):
        raise InvalidAnswer(
            lazy_message(_("Period %(number)s: give its kind, start and end."), number=number)
        )
    if raw.get("kind") not in {kind.value for kind in ResidenceKind}:
        raise InvalidAnswer(
            lazy_message(_("Period %(number)s: choose the kind of stay."), number=number)
        )
    try:
        start, end = _to_date(raw.get("start")), _to_date(raw.get("end"))
    except InvalidAnswer as error:
        raise InvalidAnswer(
            lazy_message(
                _("Period %(number)s: enter its start and end as YYYY-MM-DD."), number=number
            )
        ) from error
    if end < start:
        raise InvalidAnswer(
            lazy_message(_("Period %(number)s: the end is before the start."), number=number)
        )
    if start < EARLIEST_DATE:
        raise InvalidAnswer(
            lazy_message(
                _("Period %(number)s: enter a start on or after %(earliest)s."),
                number=number,
                earliest=EARLIEST_DATE,
            )
        )
    # The end may lie ahead: the present permit counts up to its end date.
    if past_only and start > clock.today():
        raise InvalidAnswer(
            lazy_message(_("Period %(number)s: the start cannot be in the future."), number=number)
        )
    return ResidencePeriod(kind=ResidenceKind(raw["kind"]), start=start, end=end)


def _parse_periods(question: Question, raw: object) -> list[ResidencePeriod]:
    if not isinstance(raw, list | tuple):
        raise InvalidAnswer(_("List the periods of your stay."))
    return [
        _parse_period(index, item, past_only=question.past_only) for index, item in enumerate(raw)
    ]


_PARSERS: Final[dict[QuestionKind, Callable[[Question, object], Any]]] = {
    QuestionKind.BOOL: _parse_bool,
    QuestionKind.INT: _parse_int,
    QuestionKind.DECIMAL: _parse_decimal,
    QuestionKind.DATE: _parse_date,
    QuestionKind.CHOICE: _parse_choice,
    QuestionKind.TEXT: _parse_text,
    QuestionKind.PERIODS: _parse_periods,
}


def _dump(value: Any) -> Any:
    """The JSON form of a parsed answer (what Application.answers stores)."""
    if isinstance(value, Decimal):
        # normalize() drops trailing zeros; "f" keeps 20800 from becoming 2.08E+4.
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [
            {"kind": str(p.kind), "start": p.start.isoformat(), "end": p.end.isoformat()}
            for p in value
        ]
    return value


# --- The questions -------------------------------------------------------------------------------

NOT_ANSWERED: Final = _("This question must be answered.")

# Visas over 90 days, long-term residence and permanent residence: the types the 2-year rule for
# applications filed abroad speaks of ("Applications for visas for stay longer than 90 days, for
# a long-term residence permit or for a permanent residence permit, filed from outside the Czech
# Republic") [001]. The rules engine applies that rule to exactly these types.
LONG_STAY_TYPES: Final = frozenset(
    {
        "long_term_visa",
        "extraordinary_work_visa",
        "seasonal_work_visa",
        "tolerated_stay_visa",
        "ltr_family",
        "ltr_eu_resident",
        "ltr_study",
        "ltr_protection",
        "ltr_research",
        "ltr_investment",
        "ltr_tolerated",
        "ltr_job_seeking",
        "long_term_residence_after_visa",
        "employee_card",
        "blue_card",
        "ict_card",
        "ict_card_eu",
        "permanent_residence",
        "permanent_residence_waiver",
    }
)
PERMANENT_RESIDENCE_TYPES: Final = frozenset({"permanent_residence", "permanent_residence_waiver"})
# Types whose catalogue requires the business registration "when the purpose is business".
BUSINESS_TYPES: Final = frozenset(
    {
        "long_term_visa",
        "ltr_eu_resident",
        "ltr_investment",
        "ltr_job_seeking",
        "long_term_residence_after_visa",
        "ltr_extension",
    }
)
# A new residence card for a permit the applicant holds: the card follows that permit
# (permits.validity), so these types ask which permit it is and until when it is valid.
CARD_TYPES: Final = frozenset({"card_replacement", "card_data_change"})
# Every type this office decides on (the catalogue's handled_by_office types).
HANDLED_TYPES: Final = (
    LONG_STAY_TYPES | CARD_TYPES | {"ltr_extension", "purpose_change", "visa_reassessment"}
)

VACANCY_NUMBER_PATTERN: Final = r"\d{5,12}"
# The family members of an asylum holder (the ltr_family question "relationship").
ASYLUM_RELATIONSHIPS: Final = (
    "asylum_spouse",
    "asylum_child",
    "asylum_minor_in_care",
    "parent_of_minor_asylum_holder",
    "parent_of_adult_asylum_holder",
)

_LEGAL_REPRESENTATIVE = Question(
    key="legal_representative",
    label=_("Legal representative (name and relation to the applicant)"),
    kind=QuestionKind.TEXT,
    help=_(
        "A minor applicant files through a legal representative; for a child under 15 the "
        "representative files the application."
    ),
    shown_when=ShownWhen.MINOR,
)
_ABROAD = (
    Question(
        key="files_in_state_of_residence",
        label=_(
            "I am filing at an embassy in a country where I hold long-term or permanent "
            "residence (not the country of my nationality)"
        ),
        kind=QuestionKind.BOOL,
        shown_when=ShownWhen.ABROAD,
    ),
    Question(
        key="years_legal_residence_abroad",
        label=_("Years of continuous legal residence in that country"),
        kind=QuestionKind.DECIMAL,
        min_value=Decimal(0),
        max_value=Decimal(120),
        help=_("Since 1 July 2023 at least 2 continuous years are needed."),
        shown_when=ShownWhen.ABROAD,
        asked_if=Answer("files_in_state_of_residence", True),
    ),
)
_BUSINESS = Question(
    key="business_purpose",
    label=_("The purpose of my stay is business"),
    kind=QuestionKind.BOOL,
)
_PROTECTION_STATUS = Question(
    key="protection_status",
    label=_("Do you hold asylum or subsidiary protection?"),
    kind=QuestionKind.CHOICE,
    choices=(
        ("none", _("No")),
        ("asylum", _("Asylum")),
        ("subsidiary", _("Subsidiary protection")),
    ),
    help=_("Holders of asylum or subsidiary protection pay a lower fee."),
)
_CARD_PERMIT = (
    Question(
        key="card_for_permanent_residence",
        label=_("The card belongs to a permanent residence permit"),
        kind=QuestionKind.BOOL,
    ),
    Question(
        key="permit_valid_to",
        label=_("The residence permit the card belongs to is valid until"),
        kind=QuestionKind.DATE,
        help=_(
            "As shown on your present card; the new card is valid as long as the permit. A "
            "permanent residence permit has no end date: leave this empty."
        ),
        # A permanent residence permit has no end date (permits.validity): not asked then.
        asked_if=Answer("card_for_permanent_residence", False),
    ),
)
_REQUESTED_VALIDITY = Question(
    key="requested_validity_months",
    label=_("For how many months do you ask for the permit?"),
    kind=QuestionKind.INT,
    min_value=Decimal(1),
    max_value=Decimal(120),
)
_INTERIM_VISA = (
    Question(
        key="interim_visa",
        label=_(
            "I stay in the Czech Republic only on an interim visa (my residence permit has "
            "expired and is deemed valid until a final decision on my application)"
        ),
        kind=QuestionKind.BOOL,
    ),
    Question(
        key="eu_family_member",
        label=_("I am a family member of an EU citizen"),
        kind=QuestionKind.BOOL,
        # It matters only for the interim-visa rule (rules.permanent).
        asked_if=Answer("interim_visa", True),
    ),
)

_SPECIFIC: Final[dict[str, tuple[Question, ...]]] = {
    "employee_card": (
        Question(
            key="monthly_salary_czk",
            label=_("Gross monthly salary (CZK)"),
            kind=QuestionKind.DECIMAL,
            min_value=Decimal(0),
            help=_("As stated in the employment contract; it must be at least the minimum wage."),
        ),
        Question(
            key="weekly_hours",
            label=_("Working hours per week"),
            kind=QuestionKind.DECIMAL,
            min_value=Decimal(0),
            max_value=Decimal(168),
            help=_("At least 15 hours a week."),
        ),
        Question(
            key="vacancy_number",
            label=_("Vacancy number in the Central Register of Available Vacancies"),
            kind=QuestionKind.TEXT,
            pattern=VACANCY_NUMBER_PATTERN,
            pattern_message=_("Enter the vacancy number as digits only (5 to 12 digits)."),
            help=_(
                "If you type the number here, you need not attach a printout from the register."
            ),
        ),
        Question(
            key="statutory_body_member",
            label=_(
                "I am a partner or a member of the statutory body of the company and do the "
                "company's business"
            ),
            kind=QuestionKind.BOOL,
        ),
        Question(
            key="seasonal_permit_holder",
            label=_("I hold a permit for seasonal employment"),
            kind=QuestionKind.BOOL,
        ),
    ),
    "blue_card": (
        Question(
            key="contract_months",
            label=_("Length of the work contract or pre-employment contract (months)"),
            kind=QuestionKind.INT,
            min_value=Decimal(1),
            max_value=Decimal(1200),
            help=_("A contract for at least 6 months is enough."),
        ),
        _REQUESTED_VALIDITY,
        Question(
            key="eu_blue_card_holder",
            label=_("I hold a Blue Card issued by another EU Member State"),
            kind=QuestionKind.BOOL,
        ),
        Question(
            key="eu_blue_card_work_years",
            label=_("Years worked on a Blue Card before this application"),
            kind=QuestionKind.DECIMAL,
            min_value=Decimal(0),
            max_value=Decimal(60),
            asked_if=Answer("eu_blue_card_holder", True),
        ),
    ),
    "ltr_extension": (
        Question(
            key="extends_blue_card",
            label=_("The permit to be extended is a Blue Card"),
            kind=QuestionKind.BOOL,
        ),
        _REQUESTED_VALIDITY,
    ),
    "permanent_residence": (
        Question(
            key="residence_periods",
            label=_("Your residence in the Czech Republic, period by period"),
            kind=QuestionKind.PERIODS,
            required=True,
            past_only=True,
            help=_(
                "Long-term visa and long-term residence count in full, study half, short-term "
                "visas not at all; include your present permit up to its end date."
            ),
        ),
        Question(
            key="czech_a2",
            label=_("I have passed the Czech language test at level A2"),
            kind=QuestionKind.BOOL,
        ),
        *_INTERIM_VISA,
    ),
    "permanent_residence_waiver": (
        Question(
            key="ground",
            label=_("Ground for waiving the 5-year residence condition"),
            kind=QuestionKind.CHOICE,
            required=True,
            choices=(
                ("humanitarian", _("Humanitarian reasons")),
                ("special_consideration", _("Other reasons worthy of special consideration")),
                ("state_interest", _("My residence is in the interest of the Czech Republic")),
                (
                    "minor_child_of_permanent_resident",
                    _(
                        "Child of a foreign national with permanent residence (family "
                        "reunification)"
                    ),
                ),
            ),
        ),
        Question(
            key="family_based",
            label=_(
                "I apply as the spouse or child of another person (e.g. of an asylum holder or "
                "of a Czech compatriot)"
            ),
            kind=QuestionKind.BOOL,
        ),
        *_INTERIM_VISA,
    ),
    "purpose_change": (
        Question(
            key="current_purpose",
            label=_("Present purpose of your stay"),
            kind=QuestionKind.CHOICE,
            required=True,
            choices=(
                ("employment", _("Employment")),
                ("business", _("Business")),
                ("study", _("Study")),
                ("research", _("Scientific research")),
                ("family", _("Family reunification")),
                ("other", _("Other")),
            ),
        ),
        Question(
            key="years_resident",
            label=_("Years of residence in the Czech Republic"),
            kind=QuestionKind.DECIMAL,
            required=True,
            min_value=Decimal(0),
            max_value=Decimal(120),
        ),
        Question(
            key="new_purpose_business",
            label=_("The new purpose of my stay is business"),
            kind=QuestionKind.BOOL,
        ),
        Question(
            key="divorced",
            label=_("I am divorced from the family member I joined"),
            kind=QuestionKind.BOOL,
            asked_if=Answer("current_purpose", "family"),
        ),
        Question(
            key="marriage_years",
            label=_("How many years the marriage lasted"),
            kind=QuestionKind.DECIMAL,
            min_value=Decimal(0),
            max_value=Decimal(100),
            asked_if=Answer("divorced", True),
        ),
    ),
    "ltr_family": (
        Question(
            key="relationship",
            label=_("Whom do you join, and how are you related?"),
            kind=QuestionKind.CHOICE,
            required=True,
            # The groups of [004] and [001] (Section 42a of the Act).
            choices=(
                ("spouse", _("Spouse of a foreign national with a residence permit")),
                ("minor_child", _("Minor child of a foreign national with a residence permit")),
                ("spouse_minor_child", _("Minor child of the spouse of such a foreign national")),
                ("minor_in_care", _("Minor in substitute care of, or adopted by, such a person")),
                (
                    "single_over_65_or_unable",
                    _(
                        "Single person over 65, or unable to care for oneself for health "
                        "reasons, joining a parent or child"
                    ),
                ),
                (
                    "adult_dependent_child",
                    _(
                        "Adult child not provided for, of a foreign national with a residence "
                        "permit"
                    ),
                ),
                ("asylum_spouse", _("Spouse of an asylum holder")),
                ("asylum_child", _("Minor or dependent adult child of an asylum holder")),
                ("asylum_minor_in_care", _("Minor in the care of an asylum holder or spouse")),
                ("parent_of_minor_asylum_holder", _("Parent of a minor asylum holder")),
                (
                    "parent_of_adult_asylum_holder",
                    _(
                        "Parent or close relative in the ascending line of an adult asylum "
                        "holder who applied as a minor"
                    ),
                ),
            ),
        ),
        Question(
            key="asylum_granted_on",
            label=_("Date the asylum holder was granted asylum"),
            kind=QuestionKind.DATE,
            help=_(
                "Parents of an adult asylum holder apply within 3 months of the day asylum "
                "was granted."
            ),
            # Asked of the family of a holder of international protection only.
            asked_if=Answer("relationship", *ASYLUM_RELATIONSHIPS),
            past_only=True,
        ),
    ),
    "card_replacement": (_PROTECTION_STATUS, *_CARD_PERMIT),
    "card_data_change": (_PROTECTION_STATUS, *_CARD_PERMIT),
}


def _build_questions() -> dict[str, tuple[Question, ...]]:
    questions: dict[str, tuple[Question, ...]] = {}
    for code in sorted(HANDLED_TYPES):
        declared = list(_SPECIFIC.get(code, ()))
        if code in BUSINESS_TYPES:
            declared.append(_BUSINESS)
        if code in LONG_STAY_TYPES:
            declared.extend(_ABROAD)
        declared.append(_LEGAL_REPRESENTATIVE)
        keys = [q.key for q in declared]
        if len(keys) != len(set(keys)):
            raise ValueError(f"{code}: a question is declared twice")
        for index, question in enumerate(declared):
            # The question a condition reads comes first, so one pass in order decides them all.
            if question.asked_if and question.asked_if.key not in keys[:index]:
                raise ValueError(f"{code}: {question.key} depends on a question not asked before")
        questions[code] = tuple(declared)
    return questions


QUESTIONS: Final[dict[str, tuple[Question, ...]]] = _build_questions()


# --- Public API ----------------------------------------------------------------------------------


def questions_for(
    permit_type_code: str,
    *,
    abroad: bool | None = None,
    minor: bool | None = None,
    answers: Mapping[str, Any] | None = None,
) -> list[Question]:
    """The questions a permit type asks, in order; none for a type outside this office.

    ``abroad``/``minor`` leave out the questions that do not concern this applicant (False) or
    keep them (True); None keeps every question, for a form that shows and hides them itself.
    With ``answers`` (stored or submitted), a question whose ``asked_if`` these answers do not
    meet is left out too.
    """
    left_out = set()
    if abroad is False:
        left_out.add(ShownWhen.ABROAD)
    if minor is False:
        left_out.add(ShownWhen.MINOR)
    asked = None if answers is None else asked_keys(permit_type_code, answers)
    return [
        q
        for q in QUESTIONS.get(permit_type_code, ())
        if q.shown_when not in left_out and (asked is None or q.key in asked)
    ]


def question_for(permit_type_code: str, key: str) -> Question | None:
    return next((q for q in QUESTIONS.get(permit_type_code, ()) if q.key == key), None)


def _read(
    permit_type_code: str, data: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[Text]], set[str]]:
    values: dict[str, Any] = {}
    errors: dict[str, list[Text]] = {}
    asked: set[str] = set()
    for question in QUESTIONS.get(permit_type_code, ()):
        if question.asked_if is not None and not question.asked_if.holds(values):
            continue
        asked.add(question.key)
        raw = data.get(question.key)
        if _is_missing(raw):
            if question.kind == QuestionKind.BOOL:
                values[question.key] = False
            elif question.required:
                errors[question.key] = [NOT_ANSWERED]
            continue
        try:
            values[question.key] = _PARSERS[question.kind](question, raw)
        except InvalidAnswer as problem:
            errors[question.key] = [problem.message]
    return values, errors, asked


def read_answers(
    permit_type_code: str, data: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[Text]]]:
    """Parse stored or submitted answers into Python values, and the problems per key.

    Only the type's own questions are read; anything else in ``data`` is ignored, and so is the
    answer to a question the other answers do not ask (``asked_if``). A missing answer is left
    out (a yes/no question reads as "no"); an invalid one is left out and its problem reported.
    Messages are lazy, so they show in the language active when displayed.
    """
    values, errors, _asked = _read(permit_type_code, data)
    return values, errors


def asked_keys(permit_type_code: str, data: Mapping[str, Any]) -> frozenset[str]:
    """The keys of the questions ``data`` (stored or submitted answers) asks: every question
    without a condition, and those whose condition the answers meet."""
    return frozenset(_read(permit_type_code, data)[2])


def validate_answers(
    permit_type_code: str, data: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Clean submitted answers for storage in ``Application.answers``.

    Returns the JSON-serialisable answers (dates as ISO strings, decimals as strings) and the
    errors per question key, translated into the active language. Store the answers only when
    there are no errors.
    """
    values, errors = read_answers(permit_type_code, data)
    cleaned = {key: _dump(value) for key, value in values.items()}
    return cleaned, {
        key: [str(message) for message in messages] for key, messages in errors.items()
    }
