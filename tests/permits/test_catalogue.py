"""The catalogue shipped by the data migration (SPEC §4)."""

import pytest

from permits.catalogue import DOCUMENT_KINDS, PERMIT_TYPES, validate_catalogue
from permits.constants import Purpose, RequirementCondition
from permits.models import DocumentKind, PermitRequirement, PermitType

pytestmark = pytest.mark.django_db


def test_catalogue_source_is_consistent():
    assert validate_catalogue() == []


def test_migration_ships_every_type_and_kind():
    assert PermitType.objects.count() == len(PERMIT_TYPES) >= 25
    assert DocumentKind.objects.count() == len(DOCUMENT_KINDS) >= 17


def test_every_type_the_office_handles_has_its_documents():
    for permit_type in PermitType.objects.filter(handled_by_office=True):
        codes = set(permit_type.requirements.values_list("document_kind__code", flat=True))
        assert "travel_document" in codes, permit_type.code
    for spec in PERMIT_TYPES:
        stored = set(
            PermitRequirement.objects.filter(permit_type__code=spec["code"]).values_list(
                "document_kind__code", "condition"
            )
        )
        assert stored == set(spec["requirements"]), spec["code"]


def test_types_outside_the_office_give_guidance_only():
    outside = PermitType.objects.filter(handled_by_office=False)
    assert set(outside.values_list("code", flat=True)) >= {"diplomatic_visa", "mfa_residence"}
    for permit_type in outside:
        assert permit_type.competent_authority_en
        assert not PermitType.objects.fileable().filter(pk=permit_type.pk).exists()


@pytest.mark.parametrize(
    ("code", "period", "abroad", "months"),
    [
        ("ltr_family", 270, 270, 24),  # [003]; validity § 44 of the Act
        ("permanent_residence", 60, 180, None),  # [002]; no end date
        ("visa_reassessment", 60, 60, 12),  # [003]; the visa's year [004]
        ("blue_card", 60, 180, 36),  # [001]
    ],
)
def test_statutory_figures_from_the_sources(code, period, abroad, months):
    permit_type = PermitType.objects.get(code=code)
    assert permit_type.decision_period_days == period
    assert permit_type.decision_period_days_abroad == abroad
    assert permit_type.max_validity_months == months


def test_names_exist_in_every_language():
    for permit_type in PermitType.objects.all():
        for lang in ("cs", "en", "uk", "vi", "ru"):
            assert getattr(permit_type, f"name_{lang}"), (permit_type.code, lang)


def test_choices_cover_the_catalogue():
    assert {t["purpose"] for t in PERMIT_TYPES} <= set(Purpose.values)
    conditions = {c for t in PERMIT_TYPES for _, c in t["requirements"]}
    assert conditions <= set(RequirementCondition.values)


def test_card_replacement_fee_from_the_amendment():
    assert PermitType.objects.get(code="card_replacement").fee_czk == 2500  # [001]


@pytest.mark.parametrize(
    ("code", "months"),
    [
        ("long_term_visa", 12),  # "generally no longer than one year" [004]
        ("seasonal_work_visa", 6),  # "for certain specific types, six months" [004]
        ("blue_card", 36),  # "a maximum period of 3 years" [001]
        ("employee_card", 24),  # § 42g of the Act, outside the seeds
        ("ict_card", 36),  # § 42j, managers and specialists
        ("ltr_job_seeking", 9),  # § 44, outside the seeds
        ("ltr_extension", 24),  # the general figure; a Blue Card's extension takes 36
        ("card_replacement", 36),  # the longest permit a card can belong to
        ("permanent_residence", None),  # no end date
        ("permanent_residence_waiver", None),
    ],
)
def test_validity_limits_in_the_database(code, months):
    assert PermitType.objects.get(code=code).max_validity_months == months


def test_every_type_the_office_decides_has_a_maximum_validity_or_none_at_all():
    for permit_type in PermitType.objects.filter(handled_by_office=True):
        if permit_type.purpose == Purpose.PERMANENT:
            assert permit_type.max_validity_months is None, permit_type.code
        else:
            assert permit_type.max_validity_months, permit_type.code


def test_the_catalogue_check_finds_a_decided_type_without_a_maximum(monkeypatch):
    spec = next(t for t in PERMIT_TYPES if t["code"] == "employee_card")
    monkeypatch.setitem(spec, "max_validity_months", None)

    assert validate_catalogue() == [
        "permit type 'employee_card': a type this office decides needs a maximum validity"
    ]


def test_long_term_residence_after_a_long_term_visa_is_in_the_catalogue():
    permit_type = PermitType.objects.get(code="long_term_residence_after_visa")

    assert permit_type.short_code == "DP"
    assert permit_type.legal_basis.startswith("§ 42 zákona č. 326/1999 Sb.")
    assert (permit_type.decision_period_days, permit_type.max_validity_months) == (60, 24)
    assert permit_type.can_file_in_country and not permit_type.can_file_at_embassy
    assert permit_type.name_en == (
        "Long-term residence permit for the same purpose after a long-term visa"
    )
    assert all(getattr(permit_type, f"guidance_{lang}") for lang in ("cs", "en", "uk", "vi", "ru"))
    requirements = dict(permit_type.requirements.values_list("document_kind__code", "condition"))
    # "essentially the same documents as when applying for a long-term visa" [003]
    assert requirements == {
        "travel_document": "always",
        "photograph": "always",
        "purpose_of_stay": "always",
        "financial_means": "always",
        "accommodation": "always",
        "parental_consent": "minor",
        "criminal_record": "on_request",
        "business_registration": "business",
    }
    assert PermitType.objects.fileable().filter(pk=permit_type.pk).exists()
