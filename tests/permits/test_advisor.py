"""The advisor ("Which permit fits me?"): suggestions and their reasons for typical profiles."""

from itertools import product

import pytest
from django.utils.functional import Promise
from django.utils.translation import override

from permits.advisor import (
    EU_CITIZEN,
    EU_FAMILY_MEMBER,
    NO_MATCH,
    SHORT_STAY,
    Answers,
    CurrentStatus,
    NationalityGroup,
    StayLength,
    StayPurpose,
    suggest,
)
from permits.catalogue import PERMIT_TYPES

CATALOGUE_CODES = {permit["code"] for permit in PERMIT_TYPES}


def answers(**changes) -> Answers:
    profile = {
        "purpose": StayPurpose.WORK,
        "length": StayLength.OVER_A_YEAR,
        "status": CurrentStatus.OUTSIDE,
        "nationality": NationalityGroup.THIRD_COUNTRY,
    }
    return Answers(**{**profile, **changes})


def codes(profile: Answers) -> list[str]:
    return [suggestion.code for suggestion in suggest(profile)]


def reasons_text(profile: Answers, code: str) -> str:
    (suggestion,) = [s for s in suggest(profile) if s.code == code]
    with override("en"):
        return " ".join(str(reason) for reason in suggestion.reasons)


def test_work_for_more_than_a_year_suggests_the_employee_blue_and_ict_cards():
    assert codes(answers()) == ["employee_card", "blue_card", "ict_card"]
    # "If you want to stay in the CR for the purpose of employment, you have to apply for the
    # employee card." [003]
    assert "Employee Card" in reasons_text(answers(), "employee_card")
    assert "highly qualified" in reasons_text(answers(), "blue_card")


def test_a_blue_card_of_another_member_state_puts_the_blue_card_first_and_says_why():
    profile = answers(holds_eu_blue_card=True)
    assert codes(profile)[0] == "blue_card"
    # [001]: no criminal-record extract; after 2 years no proof of qualification
    assert "no criminal-record extract" in reasons_text(profile, "blue_card")


def test_seasonal_work_from_abroad_for_up_to_a_year_adds_the_work_visas():
    profile = answers(length=StayLength.UP_TO_A_YEAR)
    assert codes(profile) == [
        "employee_card",
        "blue_card",
        "ict_card",
        "seasonal_work_visa",
        "extraordinary_work_visa",
    ]


@pytest.mark.parametrize("status", [CurrentStatus.OUTSIDE, CurrentStatus.SHORT_STAY])
def test_study_for_up_to_a_year_from_abroad_suggests_the_long_term_visa_first(status):
    assert codes(
        answers(purpose=StayPurpose.STUDY, length=StayLength.UP_TO_A_YEAR, status=status)
    ) == [
        "long_term_visa",
        "ltr_study",
    ]


def test_study_for_longer_suggests_long_term_residence_and_half_time_counting():
    profile = answers(purpose=StayPurpose.STUDY, status=CurrentStatus.LONG_TERM_VISA)
    assert codes(profile) == ["ltr_study"]
    text = reasons_text(profile, "ltr_study")
    assert "half of your study time" in text  # [003]
    assert "same purpose" in text  # [003]


@pytest.mark.parametrize("length", [StayLength.OVER_A_YEAR, StayLength.PERMANENTLY])
def test_a_long_term_visa_holder_staying_longer_for_the_same_purpose_gets_long_term_residence(
    length,
):
    # The advisor used to answer "No clear match" here: no type covered the long-term residence
    # permit that follows a long-term visa for the same purpose [004][003].
    profile = answers(purpose=StayPurpose.OTHER, length=length, status=CurrentStatus.LONG_TERM_VISA)

    assert codes(profile)[0] == "long_term_residence_after_visa"
    assert NO_MATCH not in codes(profile)
    text = reasons_text(profile, "long_term_residence_after_visa")
    assert "same purpose" in text  # [003]
    assert "essentially the same documents as for the visa" in text  # [003]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # The same person with a purpose that has its own permit keeps that permit.
        ({"purpose": StayPurpose.STUDY}, ["ltr_study"]),
        ({"purpose": StayPurpose.RESEARCH}, ["ltr_research"]),
        # From abroad, a stay for business is a long-term visa first.
        ({"status": CurrentStatus.OUTSIDE}, ["long_term_visa"]),
        # A long-term residence permit is extended (or its purpose changed), not replaced.
        ({"status": CurrentStatus.LONG_TERM_RESIDENCE}, ["ltr_extension", "purpose_change"]),
        # Within the visa's year there is nothing to apply for yet.
        ({"length": StayLength.UP_TO_A_YEAR}, [NO_MATCH]),
    ],
)
def test_neighbouring_answers_keep_their_permits(changes, expected):
    profile = answers(
        **{
            "purpose": StayPurpose.OTHER,
            "status": CurrentStatus.LONG_TERM_VISA,
            "length": StayLength.OVER_A_YEAR,
            **changes,
        }
    )
    assert codes(profile) == expected


def test_family_suggests_family_reunification_with_its_270_days():
    profile = answers(purpose=StayPurpose.FAMILY, status=CurrentStatus.SHORT_STAY)
    assert codes(profile)[0] == "ltr_family"
    assert "270 days" in reasons_text(profile, "ltr_family")  # [003]


@pytest.mark.parametrize(
    ("purpose", "code"),
    [
        (StayPurpose.RESEARCH, "ltr_research"),
        (StayPurpose.INVESTMENT, "ltr_investment"),
        (StayPurpose.PROTECTION, "ltr_protection"),
    ],
)
def test_each_purpose_has_its_long_term_residence(purpose, code):
    assert codes(answers(purpose=purpose))[0] == code


def test_holders_of_long_term_residence_also_learn_about_extension_and_change_of_purpose():
    profile = answers(purpose=StayPurpose.STUDY, status=CurrentStatus.LONG_TERM_RESIDENCE)
    assert codes(profile) == ["ltr_study", "ltr_extension", "purpose_change"]
    assert "only after 5 years" in reasons_text(profile, "purpose_change")  # [003]


def test_permanent_with_five_years_suggests_permanent_residence_and_the_calculator():
    profile = answers(
        purpose=StayPurpose.PERMANENT,
        length=StayLength.PERMANENTLY,
        status=CurrentStatus.LONG_TERM_RESIDENCE,
        years_in_czech_republic=6,
    )
    (suggestion,) = suggest(profile)
    assert suggestion.code == "permanent_residence"
    assert suggestion.tool == "permits:pr_calculator"
    text = reasons_text(profile, "permanent_residence")
    assert "6 years" in text
    assert "A2" in text  # [003]


def test_permanent_with_fewer_than_five_years_suggests_the_waiver_first():
    profile = answers(
        purpose=StayPurpose.PERMANENT,
        length=StayLength.PERMANENTLY,
        status=CurrentStatus.LONG_TERM_RESIDENCE,
        years_in_czech_republic=3,
    )
    assert codes(profile) == ["permanent_residence_waiver", "ltr_extension", "permanent_residence"]
    assert "3 years so far" in reasons_text(profile, "permanent_residence")


def test_working_permanently_adds_permanent_residence_after_the_work_permits():
    profile = answers(length=StayLength.PERMANENTLY, years_in_czech_republic=7)
    assert codes(profile) == ["employee_card", "blue_card", "ict_card", "permanent_residence"]


def test_a_short_stay_is_the_ministry_of_foreign_affairs_matter_and_links_the_calculator():
    for purpose in (StayPurpose.WORK, StayPurpose.STUDY, StayPurpose.OTHER):
        (suggestion,) = suggest(answers(purpose=purpose, length=StayLength.UP_TO_90_DAYS))
        assert suggestion.code == SHORT_STAY
        assert not suggestion.is_permit_type
        assert suggestion.tool == "permits:schengen"
    text = reasons_text(answers(length=StayLength.UP_TO_90_DAYS), SHORT_STAY)
    assert "90 days in any 180-day period" in text  # [003]
    assert "Ministry of Foreign Affairs, not by this office" in text  # [003]


def test_eu_citizens_get_no_permit_from_this_office():
    for purpose, length in product(StayPurpose, StayLength):
        if purpose == StayPurpose.CITIZENSHIP:
            continue
        profile = answers(purpose=purpose, length=length, nationality=NationalityGroup.EU)
        assert codes(profile) == [EU_CITIZEN]
    text = reasons_text(answers(nationality=NationalityGroup.EU), EU_CITIZEN)
    # "The provisions on permanent residence do not apply to citizens of the European Union or to
    # their family members." [004]
    assert "permanent residence do not apply to citizens of the EU" in text


def test_family_members_of_eu_citizens_are_not_offered_permanent_residence():
    profile = answers(
        purpose=StayPurpose.PERMANENT,
        nationality=NationalityGroup.EU_FAMILY,
        years_in_czech_republic=10,
    )
    assert codes(profile) == [EU_FAMILY_MEMBER]
    assert "or to their family members" in reasons_text(profile, EU_FAMILY_MEMBER)  # [004]
    # [001]: a family member of an EU citizen may apply for a Blue Card
    assert codes(answers(nationality=NationalityGroup.EU_FAMILY)) == [EU_FAMILY_MEMBER, "blue_card"]


def test_citizenship_goes_to_the_regional_office():
    profile = answers(purpose=StayPurpose.CITIZENSHIP, status=CurrentStatus.PERMANENT_RESIDENCE)
    assert codes(profile) == ["citizenship"]
    assert "regional office" in reasons_text(profile, "citizenship")  # [003]
    assert codes(answers(purpose=StayPurpose.CITIZENSHIP, nationality=NationalityGroup.EU)) == [
        EU_CITIZEN,
        "citizenship",
    ]


def test_permanent_residents_are_pointed_to_citizenship():
    profile = answers(status=CurrentStatus.PERMANENT_RESIDENCE)
    assert codes(profile)[-1] == "citizenship"


@pytest.mark.parametrize("years", [None, 0, 4, 5])
@pytest.mark.parametrize("blue_card", [False, True])
def test_every_profile_gets_suggestions_that_exist_with_translated_reasons(years, blue_card):
    for purpose, length, status, nationality in product(
        StayPurpose, StayLength, CurrentStatus, NationalityGroup
    ):
        profile = Answers(purpose, length, status, nationality, years, blue_card)
        suggestions = suggest(profile)
        assert suggestions, profile
        assert len({s.code for s in suggestions}) == len(suggestions), profile
        for suggestion in suggestions:
            assert suggestion.reasons, (profile, suggestion.code)
            assert all(isinstance(reason, Promise) for reason in suggestion.reasons)
            if suggestion.is_permit_type:
                assert suggestion.code in CATALOGUE_CODES, (profile, suggestion.code)
            else:
                assert isinstance(suggestion.title, Promise)
                assert suggestion.code not in CATALOGUE_CODES
