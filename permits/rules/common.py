"""Rules for every permit type: complete answers, minors, applications filed abroad, card fees."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from permits.questions import LONG_STAY_TYPES, question_for
from permits.rules import citations
from permits.rules.engine import AMENDMENT_2023, Facts, Finding, error, info, rule, stated

# --- The answers ----------------------------------------------------------------------------------


@rule("answers.complete", citation=citations.COMPLETE_APPLICATION)
def answers_complete(facts: Facts) -> Iterator[Finding]:
    """A required question left unanswered, or an answer that cannot be read, blocks filing."""
    for key, problems in facts.answer_problems.items():
        question = question_for(facts.permit_type_code, key)
        label = question.label if question else key
        for problem in problems:
            yield error(_("%(question)s: %(problem)s"), question=label, problem=problem)


# --- Minors [002][004] ----------------------------------------------------------------------------


@rule("minor.legal_representative", citation=citations.LEGAL_REPRESENTATIVE)
def minor_legal_representative(facts: Facts) -> Iterator[Finding]:
    """Minors file through a legal representative; a child under 15 is represented (SPEC §5)."""
    if not facts.is_minor or facts.represented_on_record or facts.answer("legal_representative"):
        return
    if facts.age < 15:
        yield error(
            _(
                "An applicant under 15 is represented: the legal representative files the "
                "application on the child's behalf. Name the legal representative."
            )
        )
    else:
        yield error(
            _(
                "A minor applicant files through a legal representative. Name the legal "
                "representative."
            )
        )


@rule("minor.parental_consent", citation=citations.PARENTAL_CONSENT)
def minor_parental_consent(facts: Facts) -> Iterator[Finding]:
    """Most types already require the consent under the catalogue's "minor" condition; this
    adds it where a type's catalogue does not (card replacement, card data change, ...)."""
    if facts.is_minor:
        yield info(
            _("A minor applicant brings the consent of the parents (legal representatives)."),
            requires={"parental_consent"},
        )


# --- Applications filed abroad [001] --------------------------------------------------------------


@rule(
    "abroad.two_years_residence",
    citation=citations.ABROAD_TWO_YEARS,
    types=LONG_STAY_TYPES,
    valid_from=AMENDMENT_2023,
)
def abroad_two_years_residence(facts: Facts) -> Iterator[Finding]:
    """Filed at an embassy in a state of residence: 2 continuous years of legal residence there.

    A new requirement of the amendment, so proceedings begun before 1 July 2023 have no version.
    Filing in one's own country (the usual case) is not concerned.
    """
    if not facts.filed_abroad or not facts.answer("files_in_state_of_residence"):
        return
    years = yield from stated(
        facts,
        "years_legal_residence_abroad",
        if_unanswered=error(
            _(
                "State how many years you have resided legally and continuously in the "
                "country where you are filing."
            ),
            requires={"continuous_residence"},
        ),
    )
    if years is None:
        return
    if years < 2:
        yield error(
            _(
                "An application filed in a country where you reside needs at least 2 years' "
                "continuous legal residence there; you state %(years)s."
            ),
            years=years,
        )
        return
    yield info(
        _("Bring proof of your 2 years' continuous legal residence in the country where you file."),
        requires={"continuous_residence"},
    )


# --- Fees for residence cards [001] ---------------------------------------------------------------

_PROTECTED = frozenset({"asylum", "subsidiary"})


@rule(
    "fee.card_replacement",
    citation=citations.FEE_CARD_REPLACEMENT,
    types={"card_replacement"},
    valid_from=AMENDMENT_2023,
)
def fee_card_replacement(facts: Facts) -> Iterator[Finding]:
    """The fee for a new card replacing a damaged, lost or stolen one, as reduced on 1 July 2023.

    [001] gives reduced fees for two groups without saying which wins for a minor with asylum;
    we state the lower one (CZK 1,000), the more favourable reading. Earlier fees are not in the
    sources, so proceedings begun before 1 July 2023 get no fee statement.
    """
    if facts.is_minor:
        fee = 1_000
    elif facts.answer("protection_status") in _PROTECTED:
        fee = 2_000
    else:
        fee = 2_500
    yield info(_("The administrative fee is CZK %(fee)s, paid in duty stamps."), fee=fee)


@rule(
    "fee.card_data_change",
    citation=citations.FEE_CARD_DATA_CHANGE,
    types={"card_data_change"},
    valid_from=AMENDMENT_2023,
)
def fee_card_data_change(facts: Facts) -> Iterator[Finding]:
    if facts.age < 15 or facts.answer("protection_status") in _PROTECTED:
        yield info(
            _(
                "The administrative fee is CZK 500 (asylum or subsidiary protection, or an "
                "applicant under 15), paid in duty stamps."
            )
        )
    else:
        yield info(
            _(
                "The standard administrative fee applies, paid in duty stamps; the reduced fee "
                "of CZK 500 is for holders of asylum or subsidiary protection and applicants "
                "under 15."
            )
        )
