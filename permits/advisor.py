"""The advisor, "Which permit fits me?": suggest permit types from a few answers, say why.

Pure logic, no database: ``suggest(answers)`` returns suggestions naming catalogue codes
(``permits.catalogue``) or, for advice that is not a permit of this office, a note with its own
title. The view looks the codes up in the catalogue. The answer is guidance, not a decision.

Sources (``docs/sources.md``), cited next to each reason:

* [001] the amendment in force from 1 July 2023 (Blue Card changes);
* [003] "Third-Country Nationals" (90/180 rule, short-term visas at the Ministry of Foreign
  Affairs, long-term visa and residence, purpose of stay, permanent residence, citizenship);
* [004] the stay types under Act No. 326/1999 Coll.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

# "you may apply for a permanent residence permit after 5 years of continuous residence" [003];
# "a foreigner can acquire Czech citizenship after 5 years of continuous long-term residence" [003]
YEARS_FOR_PERMANENT_RESIDENCE = 5


class StayPurpose(models.TextChoices):
    WORK = "work", _("Work")
    STUDY = "study", _("Study")
    FAMILY = "family", _("Living with my family")
    RESEARCH = "research", _("Scientific research")
    INVESTMENT = "investment", _("Investment")
    PROTECTION = "protection", _("Protection (victim or witness of a crime, cannot leave)")
    PERMANENT = "permanent", _("Settling permanently")
    CITIZENSHIP = "citizenship", _("Becoming a Czech citizen")
    OTHER = "other", _("Something else (business, visiting, …)")


class StayLength(models.TextChoices):
    UP_TO_90_DAYS = "up_to_90_days", _("Up to 90 days")
    UP_TO_A_YEAR = "up_to_a_year", _("Up to a year")
    OVER_A_YEAR = "over_a_year", _("More than a year")
    PERMANENTLY = "permanently", _("Permanently")


class CurrentStatus(models.TextChoices):
    OUTSIDE = "outside", _("I am outside the Czech Republic")
    SHORT_STAY = "short_stay", _("On a short-term visa or without a visa")
    LONG_TERM_VISA = "long_term_visa", _("On a long-term visa")
    LONG_TERM_RESIDENCE = "long_term_residence", _("With a long-term residence permit")
    PERMANENT_RESIDENCE = "permanent_residence", _("With a permanent residence permit")


class NationalityGroup(models.TextChoices):
    EU = "eu", _("Citizen of the EU, Iceland, Liechtenstein, Norway or Switzerland")
    EU_FAMILY = "eu_family", _("Family member of such a citizen")
    THIRD_COUNTRY = "third_country", _("Citizen of another country")


@dataclass(frozen=True)
class Answers:
    purpose: StayPurpose
    length: StayLength
    status: CurrentStatus
    nationality: NationalityGroup
    years_in_czech_republic: int | None = None
    holds_eu_blue_card: bool = False


# Codes of suggestions that are advice, not a permit type of the catalogue.
SHORT_STAY = "short_stay"
EU_CITIZEN = "eu_citizen"
EU_FAMILY_MEMBER = "eu_family_member"
ALREADY_PERMANENT = "already_permanent"
NO_MATCH = "no_match"


@dataclass(frozen=True)
class Suggestion:
    """A permit type (``code`` from the catalogue) or a note (``title`` set), with the reasons."""

    code: str
    reasons: tuple[Promise, ...]
    # Only notes have a title; a permit type is named by the catalogue in the reader's language.
    title: Promise | None = None
    # The URL name of a self-check calculator worth opening next.
    tool: str | None = None

    @property
    def is_permit_type(self) -> bool:
        return self.title is None


def suggest(answers: Answers) -> list[Suggestion]:
    """The permit types (and notes) that fit the answers, best first, each with its reasons."""
    if answers.nationality == NationalityGroup.EU:
        suggestions = [_eu_citizen()]
    elif answers.nationality == NationalityGroup.EU_FAMILY:
        suggestions = _eu_family_member(answers)
    else:
        return _third_country_national(answers)
    if answers.purpose == StayPurpose.CITIZENSHIP:
        suggestions.append(_citizenship(answers))
    return suggestions


def _third_country_national(answers: Answers) -> list[Suggestion]:
    if answers.purpose == StayPurpose.CITIZENSHIP:
        return [_citizenship(answers)]
    if answers.status == CurrentStatus.PERMANENT_RESIDENCE:
        return [_already_permanent(), _citizenship(answers)]
    if answers.purpose == StayPurpose.PERMANENT:
        return _permanent(answers)
    if answers.length == StayLength.UP_TO_90_DAYS:
        return [_short_stay()]
    suggestions = _long_stay(answers)
    if answers.length == StayLength.PERMANENTLY:
        # Staying for good: the way to permanent residence comes after today's permit, without
        # repeating a permit already suggested (extension of long-term residence).
        suggested = {suggestion.code for suggestion in suggestions}
        suggestions += [s for s in _permanent(answers) if s.code not in suggested]
    return suggestions or [_no_match()]


# --- Not this office's permits -------------------------------------------------------------------


def _eu_citizen() -> Suggestion:
    return Suggestion(
        code=EU_CITIZEN,
        title=_("No permit from this office"),
        reasons=(
            # "Citizens of the European Union and their family members may also reside in the
            # Czech Republic without a visa." [004]
            _(
                "Citizens of the EU and of the Schengen states may stay in the Czech Republic "
                "without a visa."
            ),
            # "A long-term visa or residence permit: ... cannot be granted to citizens of the
            # European Union" [004]
            _("A long-term visa or residence permit cannot be granted to citizens of the EU."),
            # "The provisions on permanent residence do not apply to citizens of the European
            # Union or to their family members." [004]
            _(
                "The Act's provisions on permanent residence do not apply to citizens of the EU "
                "or to their family members."
            ),
        ),
    )


def _eu_family_member(answers: Answers) -> list[Suggestion]:
    note = Suggestion(
        code=EU_FAMILY_MEMBER,
        title=_("Family members of EU citizens follow other rules"),
        reasons=(
            # "family members of EU citizens whose stay does not exceed three months, may enter
            # without a visa" [004]
            _(
                "As a family member of an EU citizen you may stay for up to three months without "
                "a visa."
            ),
            # [004], see _eu_citizen
            _(
                "The Act's provisions on permanent residence do not apply to citizens of the EU "
                "or to their family members."
            ),
            # "This page is intended for you—that is, for persons who are not citizens of the
            # European Union ... nor family members of such citizens." [003]
            _(
                "The permits in this catalogue are for third-country nationals; ask the office "
                "which residence document fits you."
            ),
        ),
    )
    suggestions = [note]
    if answers.purpose == StayPurpose.WORK:
        suggestions.append(
            Suggestion(
                code="blue_card",
                reasons=(
                    # "A person who is a family member of an EU citizen can also apply for a Blue
                    # Card if he or she has the status of a family member in another EU Member
                    # State" [001]
                    _(
                        "A family member of an EU citizen may apply for a Blue Card if they have "
                        "that status in another EU member state."
                    ),
                    _("The Blue Card is for highly qualified work."),
                ),
            )
        )
    return suggestions


def _short_stay() -> Suggestion:
    return Suggestion(
        code=SHORT_STAY,
        title=_("A short stay of up to 90 days"),
        tool="permits:schengen",
        reasons=(
            # "you may remain in the Schengen Area for a maximum of 90 days within any 180-day
            # period. This is known as the 90/180 rule." [003]
            _(
                "You may stay in the Schengen Area for at most 90 days in any 180-day period "
                "(the 90/180 rule). Check your dates with the calculator."
            ),
            # "The issuance of short-term visas falls within the competence of the Ministry of
            # Foreign Affairs of the Czech Republic." [003]
            _(
                "If your country needs a visa, the short-term (Schengen) visa is issued by the "
                "Ministry of Foreign Affairs, not by this office."
            ),
            # "However, you are not permitted to work during this period." [003]
            _("You may not work during a stay without a visa."),
            # "You are also obliged to report your place of residence to the relevant Foreign
            # Police department within three days of arrival." [003]
            _(
                "Report your place of residence to the Foreign Police within three days of "
                "arrival; a hotel or dormitory does this for you."
            ),
        ),
    )


def _citizenship(answers: Answers) -> Suggestion:
    reasons: list[Promise] = [
        # "Applications for Czech citizenship must be submitted at Regional Offices or at
        # Municipal Offices of Prague districts." [003]
        _(
            "Citizenship is granted through the regional office (in Prague, the municipal district "
            "office), not through this office."
        ),
        # "a foreigner can acquire Czech citizenship after 5 years of continuous long-term
        # residence ... this does not require renouncing your existing citizenship" [003]
        _(
            "Generally you need 5 years of continuous residence; you may keep your current "
            "citizenship."
        ),
        # "knowledge of the Czech language on a B1 level and pass an Czech life and institutions
        # test" [003]
        _("You must show Czech at level B1 and pass a test on Czech life and institutions."),
    ]
    years = answers.years_in_czech_republic
    if years is not None and years < YEARS_FOR_PERMANENT_RESIDENCE:
        reasons.append(_years_so_far(years))
    return Suggestion(code="citizenship", reasons=tuple(reasons))


def _already_permanent() -> Suggestion:
    return Suggestion(
        code=ALREADY_PERMANENT,
        title=_("You already hold permanent residence"),
        reasons=(
            # "you no longer have to extend your residence permit and therefore the Ministry of
            # the Interior no longer requires you to prove compliance with the purpose of your
            # stay" [003]
            _("You no longer extend your permit or prove the purpose of your stay."),
            # "Any changes to your data must be reported to the office within three days. The
            # general deadline for reporting a change of address is longer - it is 30 days." [003]
            _("Report changes of your data within 3 days and a change of address within 30 days."),
        ),
    )


def _no_match() -> Suggestion:
    return Suggestion(
        code=NO_MATCH,
        title=_("No clear match"),
        reasons=(
            # "use the free legal and social counselling provided by the Integration Centre
            # Prague or other NGOs" [003]
            _(
                "Free legal and social counselling from the Integration Centre Prague or other "
                "organisations can help you find the right permit."
            ),
        ),
    )


# --- Third-country nationals staying longer than 90 days ---------------------------------------


def _years_so_far(years: int) -> Promise:
    return format_lazy(
        ngettext_lazy(
            "You have lived in the Czech Republic for {years} year so far; 5 are needed.",
            "You have lived in the Czech Republic for {years} years so far; 5 are needed.",
            years,
        ),
        years=years,
    )


def _from_abroad(answers: Answers) -> bool:
    return answers.status in (CurrentStatus.OUTSIDE, CurrentStatus.SHORT_STAY)


def _permanent(answers: Answers) -> list[Suggestion]:
    condition = (
        # "Time spent on a long-term visa or a long-term residence permit counts toward this
        # period, but time on a short-term visa does not." "only half of the time spent studying
        # ... counts" [003]
        _(
            "Time on a long-term visa or residence permit counts, study time counts half and "
            "short-term visa time does not count."
        ),
        # "passing a Czech language test at the A2 level" [003]
        _("You must pass a Czech language test at level A2."),
    )
    waiver = Suggestion(
        code="permanent_residence_waiver",
        reasons=(
            # Waivers: humanitarian reasons, special consideration (Czech origin), interest of the
            # Czech Republic, minor child of a permanent resident [004][003]
            _(
                "Without 5 years of residence, permanent residence is possible only on special "
                "grounds: humanitarian reasons, reasons worthy of special consideration (such as "
                "Czech origin), the interest of the Czech Republic, or as a minor child of "
                "a permanent resident."
            ),
        ),
    )
    years = answers.years_in_czech_republic
    if years is None:
        return [
            Suggestion(
                code="permanent_residence",
                tool="permits:pr_calculator",
                reasons=(
                    # "after 5 years of continuous residence in the Czech Republic" [003]
                    _(
                        "You may apply after 5 years of continuous residence in the Czech "
                        "Republic. Count your years with the calculator."
                    ),
                    *condition,
                ),
            ),
            waiver,
        ]
    if years >= YEARS_FOR_PERMANENT_RESIDENCE:
        return [
            Suggestion(
                code="permanent_residence",
                tool="permits:pr_calculator",
                reasons=(
                    format_lazy(
                        _(
                            "You have lived in the Czech Republic for {years} years; 5 years of "
                            "continuous residence are needed."
                        ),
                        years=years,
                    ),
                    *condition,
                    _(
                        "Check with the calculator that your residence was continuous and how "
                        "your years count."
                    ),
                ),
            )
        ]
    suggestions = [waiver]
    if answers.status == CurrentStatus.LONG_TERM_RESIDENCE:
        suggestions.append(
            Suggestion(
                code="ltr_extension",
                reasons=(
                    _(
                        "Until you reach 5 years, keep your long-term residence: extend it before "
                        "it expires."
                    ),
                ),
            )
        )
    suggestions.append(
        Suggestion(
            code="permanent_residence",
            tool="permits:pr_calculator",
            reasons=(_years_so_far(years), *condition),
        )
    )
    return suggestions


def _long_stay(answers: Answers) -> list[Suggestion]:
    by_purpose = {
        StayPurpose.WORK: _work,
        StayPurpose.STUDY: _study,
        StayPurpose.FAMILY: _family,
        StayPurpose.RESEARCH: _research,
        StayPurpose.INVESTMENT: _investment,
        StayPurpose.PROTECTION: _protection,
        StayPurpose.OTHER: _other,
    }
    suggestions = by_purpose[answers.purpose](answers)
    if answers.status == CurrentStatus.LONG_TERM_RESIDENCE:
        suggestions += _holder_of_long_term_residence(answers)
    return suggestions


def _blue_card(answers: Answers) -> Suggestion:
    reasons: list[Promise] = [
        # "intended for highly qualified workers from third countries" [004]
        _("For highly qualified work in a position that requires high qualifications."),
        # "an entry into a 6-months period of employment will be sufficient"; "Blue card may be
        # newly issued for a maximum period of 3 years" [001]
        _(
            "A work contract for at least 6 months is enough; the card is valid for at most "
            "3 years."
        ),
    ]
    if answers.holds_eu_blue_card:
        # "If the applicant is a Blue Card holder in another EU Member State, s/he does not need
        # to submit a document equivalent to an Extract from the Criminal Record ... (i.e. from
        # the country that issued the Blue Card) ... if ... s/he had been working on the basis of
        # a Blue Card in the previous 2 years, s/he does not have to submit evidence of
        # a university-level qualification." [001]
        reasons.insert(
            0,
            _(
                "You hold a Blue Card of another EU member state: you need no criminal-record "
                "extract from the state that issued it (the other states' extracts are still "
                "needed), and after 2 years of Blue Card work no proof of your university "
                "qualification."
            ),
        )
    return Suggestion(code="blue_card", reasons=tuple(reasons))


def _work(answers: Answers) -> list[Suggestion]:
    employee_card = Suggestion(
        code="employee_card",
        reasons=(
            # "If you want to stay in the CR for the purpose of employment, you have to apply for
            # the employee card." [003]
            _("To stay in the Czech Republic for employment, you apply for the Employee Card."),
            # "The visa cannot be granted for the purpose of employment, except in cases of
            # seasonal employment or an extraordinary work visa." [004]
            _(
                "A long-term visa is not granted for employment, except for seasonal work and the "
                "extraordinary work visa."
            ),
            # "a specific position listed in the central register of job vacancies ... salary is
            # not lower than the statutory minimum wage and the working time is at least 15 hours
            # per week" [004]
            _(
                "The job must be listed in the Central Register of Available Vacancies, pay at "
                "least the minimum wage and last at least 15 hours a week."
            ),
        ),
    )
    ict_card = Suggestion(
        code="ict_card",
        reasons=(
            # "temporarily transferred from a business entity established outside the European
            # Union ... to its branch or subsidiary" [004]
            _(
                "If your employer outside the EU transfers you to its branch or group company in "
                "the Czech Republic as a manager, specialist or trainee."
            ),
        ),
    )
    if answers.holds_eu_blue_card:
        suggestions = [_blue_card(answers), employee_card, ict_card]
    else:
        suggestions = [employee_card, _blue_card(answers), ict_card]
    if answers.length == StayLength.UP_TO_A_YEAR and _from_abroad(answers):
        suggestions += [
            Suggestion(
                code="seasonal_work_visa",
                reasons=(
                    # "work tied to a specific time of year. Typical examples include
                    # agricultural, forestry, or tourism-related work. The applicant must hold an
                    # employment permit" [004]
                    _(
                        "For seasonal work (for example in agriculture, forestry or tourism) with "
                        "an employment permit."
                    ),
                ),
            ),
            Suggestion(
                code="extraordinary_work_visa",
                reasons=(
                    # "may grant this visa only if permitted by a government regulation" [004]
                    _("Only when a government regulation opens it for your sector and country."),
                ),
            ),
        ]
    return suggestions


def _long_term_visa(*, why: Promise) -> Suggestion:
    return Suggestion(
        code="long_term_visa",
        reasons=(
            why,
            # "allows you to stay in the Czech Republic for up to one year. However, it is issued
            # only for the period for which you can demonstrate the purpose of your stay" [003]
            _(
                "It allows a stay of up to one year, for the period for which you prove the "
                "purpose of your stay."
            ),
            # "You must submit your application for a long-term visa in person at the relevant
            # diplomatic mission of the Czech Republic abroad." [003]
            _("You apply in person at a Czech embassy abroad."),
        ),
    )


def _same_purpose_reason(answers: Answers) -> tuple[Promise, ...]:
    if answers.status != CurrentStatus.LONG_TERM_VISA:
        return ()
    # "If you change from a long-term visa to a long-term residence permit, you must continue to
    # fulfil the same purpose of stay" [003]
    return (
        _(
            "You are on a long-term visa: to stay longer than a year, apply for long-term "
            "residence for the same purpose."
        ),
    )


def _first_long_term_residence_reason(answers: Answers) -> tuple[Promise, ...]:
    if not _from_abroad(answers):
        return ()
    # "you may apply for a long-term residence permit at a diplomatic mission of the Czech
    # Republic abroad, even without prior residence"; "the decision may take considerably longer
    # than if you applied for a long-term visa instead ... if your application is rejected, you
    # may appeal" [003]
    return (
        _(
            "You may apply at a Czech embassy even without prior residence. A first application "
            "for long-term residence may take longer than one for a long-term visa, but you can "
            "appeal a refusal."
        ),
    )


def _long_term_residence(
    answers: Answers, *, code: str, why: Promise, then: tuple[Promise, ...] = ()
) -> Suggestion:
    """A long-term residence permit for a purpose: ``why`` it fits, what the applicant's present
    stay means for applying, and ``then`` any reasons of its own."""
    return Suggestion(
        code=code,
        reasons=(
            why,
            *_same_purpose_reason(answers),
            *_first_long_term_residence_reason(answers),
            *then,
        ),
    )


def _study(answers: Answers) -> list[Suggestion]:
    ltr_study = _long_term_residence(
        answers,
        code="ltr_study",
        why=_("For studies in the Czech Republic lasting more than a year."),
        # "only half of the time spent studying in the Czech Republic counts toward the
        # required period of residence" [003]
        then=(_("Only half of your study time counts toward permanent residence later."),),
    )
    if _from_abroad(answers):
        visa = _long_term_visa(why=_("For studies from abroad, e.g. a semester or a year."))
        if answers.length == StayLength.UP_TO_A_YEAR:
            return [visa, ltr_study]
        return [ltr_study, visa]
    return [ltr_study]


def _family(answers: Answers) -> list[Suggestion]:
    suggestions = [
        Suggestion(
            code="ltr_family",
            reasons=(
                # "enable family members of a foreign national or of a person granted asylum to
                # live together legally" [004]
                _(
                    "For the spouse, children and some other relatives of a foreign national with "
                    "a residence permit, or of an asylum holder."
                ),
                *_same_purpose_reason(answers),
                # "the time limit for decisions on family reunification is up to 270 days" [003]
                _("The decision may take up to 270 days."),
            ),
        )
    ]
    if _from_abroad(answers) and answers.length == StayLength.UP_TO_A_YEAR:
        suggestions.append(_long_term_visa(why=_("For a family visit of more than 90 days.")))
    return suggestions


def _research(answers: Answers) -> list[Suggestion]:
    return [
        _long_term_residence(
            answers,
            code="ltr_research",
            # "A foreign national who has a hosting agreement with a research organization and
            # plans to stay in the Czech Republic for more than three months" [004]
            why=_("For researchers with a hosting agreement with a research organisation."),
        )
    ]


def _investment(answers: Answers) -> list[Suggestion]:
    return [
        _long_term_residence(
            answers,
            code="ltr_investment",
            # "intend to make a significant investment ... creation of a specified number of new
            # jobs" [004]
            why=_("For a significant investment that creates new jobs in the Czech Republic."),
        )
    ]


def _protection(answers: Answers) -> list[Suggestion]:
    return [
        Suggestion(
            code="ltr_protection",
            reasons=(
                # "victims of criminal offenses, particularly human trafficking ... conditional
                # upon the applicant's active cooperation with law enforcement authorities" [004]
                _(
                    "For victims of crime, in particular of human trafficking, who cooperate with "
                    "the police or the courts."
                ),
            ),
        ),
        Suggestion(
            code="tolerated_stay_visa",
            reasons=(
                # "prevented from leaving the territory by an obstacle beyond their control, or to
                # witnesses and victims in criminal proceedings" [004]
                _(
                    "If an obstacle beyond your control prevents you from leaving, or you are "
                    "needed as a witness or victim in criminal proceedings."
                ),
            ),
        ),
    ]


def _other(answers: Answers) -> list[Suggestion]:
    if _from_abroad(answers):
        return [
            _long_term_visa(why=_("For a stay of more than 90 days, e.g. for business or a visit."))
        ]
    if answers.status == CurrentStatus.LONG_TERM_VISA and answers.length != StayLength.UP_TO_A_YEAR:
        return [_residence_after_visa(answers)]
    return []


def _residence_after_visa(answers: Answers) -> Suggestion:
    """Long-term residence for the purpose of the visa the person holds (business, say), which
    has no permit of its own in the catalogue."""
    return _long_term_residence(
        answers,
        code="long_term_residence_after_visa",
        # "already residing in the territory of the Czech Republic on the basis of a visa for
        # a stay exceeding 90 days and wish to remain in the country for more than one year while
        # maintaining the same purpose of stay" [004]
        why=_(
            "For a stay of more than a year for the purpose of your long-term visa, e.g. business."
        ),
        then=(
            # "provide essentially the same documents as when applying for a long-term visa"
            # [003]
            _(
                "You apply in the Czech Republic with essentially the same documents as for the "
                "visa."
            ),
            # "You may change the purpose of your stay only after you have obtained a long-term
            # residence permit." [003]
            _("You may change the purpose of your stay only once you hold this permit."),
        ),
    )


def _holder_of_long_term_residence(answers: Answers) -> list[Suggestion]:
    return [
        Suggestion(
            code="ltr_extension",
            reasons=(_("If the purpose of your stay stays the same, extend your permit in time."),),
        ),
        Suggestion(
            code="purpose_change",
            reasons=(
                # "If you have been granted a long-term residence permit, you are generally free
                # to change the purpose of your stay at any time" [003]
                _(
                    "With a long-term residence permit you may generally change the purpose of "
                    "your stay."
                ),
                # "to business, you may do so only after 5 years of residence ... An exception
                # applies to persons residing ... for the purpose of family reunification." [003]
                _(
                    "A change to business is possible only after 5 years of residence, except for "
                    "family reunification."
                ),
            ),
        ),
    ]
