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
        ("ltr_family", 270, 270, None),  # [003]
        ("permanent_residence", 60, 180, None),  # [002]
        ("visa_reassessment", 60, 60, None),  # [003]
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
