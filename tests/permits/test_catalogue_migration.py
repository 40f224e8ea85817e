"""The catalogue's data migrations are frozen: each loads the data file written with it, not
the live ``permits.catalogue``, so editing the catalogue does not rewrite history. 0002 shipped
the first catalogue; 0004 brings it to the validity limits and adds the long-term residence after
a long-term visa; 0005 spares a Blue Card holder of another EU state only the issuing state's
criminal-record extract. A fresh database, and a database migrated from 0002, hold
``permits.catalogue`` exactly: editing the catalogue without a migration that ships the edit
fails here."""

from __future__ import annotations

import ast
import importlib
import json
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

import permits.migrations
from permits.catalogue import DOCUMENT_KINDS, LANGUAGES, PERMIT_TYPES
from permits.models import DocumentKind, PermitRequirement, PermitType

pytestmark = pytest.mark.django_db

MIGRATIONS = Path(permits.migrations.__file__).parent
DATA = json.loads((MIGRATIONS / "0002_catalogue.json").read_text(encoding="utf-8"))
LIMITS = "0004_validity_limits_and_residence_after_visa"
LIMITS_DATA = json.loads((MIGRATIONS / f"{LIMITS}.json").read_text(encoding="utf-8"))
BLUE_CARD = "0005_blue_card_criminal_record"
TERMS = "0009_employee_card_terms"

# The columns a permit type's row takes as they are in the catalogue (the translated texts and
# ``sources``/``sort_order`` are spelled out in ``catalogue_rows``).
PLAIN_FIELDS = (
    "legal_basis",
    "decision_period_days",
    "decision_period_days_abroad",
    "max_validity_months",
    "fee_czk",
    "can_file_online",
    "can_file_in_country",
    "can_file_at_embassy",
    "handled_by_office",
)


def translated(field: str, text: dict[str, str] | None) -> dict[str, str]:
    """A translated text as its columns: the field itself holds Czech, the language of record."""
    text = text or {}
    return {
        field: text.get("cs", ""),
        **{f"{field}_{lang}": text.get(lang, "") for lang in LANGUAGES},
    }


def catalogue_rows() -> dict[str, list]:
    """``permits.catalogue`` in the data files' shape: the rows the database must hold."""
    return {
        "document_kinds": [
            {
                "code": kind["code"],
                "defaults": {
                    **translated("name", kind["name"]),
                    **translated("description", kind["description"]),
                    "sort_order": order,
                },
            }
            for order, kind in enumerate(DOCUMENT_KINDS)
        ],
        "permit_types": [
            {
                "code": spec["code"],
                "defaults": {
                    "short_code": spec["short_code"],
                    "purpose": spec["purpose"],
                    **translated("name", spec["name"]),
                    **translated("guidance", spec["guidance"]),
                    **translated("fee_note", spec["fee_note"]),
                    **translated("competent_authority", spec["competent_authority"]),
                    **{field: spec[field] for field in PLAIN_FIELDS},
                    "sources": " ".join(spec["sources"]),
                    "sort_order": order,
                },
                "requirements": [list(requirement) for requirement in spec["requirements"]],
            }
            for order, spec in enumerate(PERMIT_TYPES)
        ],
    }


def with_limits(data: dict[str, list]) -> dict[str, list]:
    """What 0004 makes of the 0002 rows, worked out from its data file alone."""
    changes = {row["code"]: row["after"] for row in LIMITS_DATA["changed_permit_types"]}
    permit_types = [
        {**row, "defaults": {**row["defaults"], **changes.get(row["code"], {})}}
        for row in data["permit_types"]
    ] + LIMITS_DATA["added_permit_types"]
    permit_types.sort(key=lambda row: row["defaults"]["sort_order"])
    return {"document_kinds": data["document_kinds"], "permit_types": permit_types}


def with_blue_card_record(data: dict[str, list]) -> dict[str, list]:
    """What 0005 makes of the rows: its texts and the criminal record's condition."""
    migration = migration_module(BLUE_CARD)
    permit_types = []
    for row in data["permit_types"]:
        if row["code"] == "blue_card":
            defaults = dict(row["defaults"])
            for field, old in migration.BEFORE.items():
                defaults[field] = defaults[field].replace(old, migration.AFTER[field])
            defaults["guidance"] = defaults["guidance_cs"]
            requirements = [
                [kind, "always" if kind == "criminal_record" else condition]
                for kind, condition in row["requirements"]
            ]
            row = {**row, "defaults": defaults, "requirements": requirements}
        permit_types.append(row)
    return {**data, "permit_types": permit_types}


def with_terms(data: dict[str, list]) -> dict[str, list]:
    """What 0009 makes of the rows: the Employee Card's terms in Russian and Vietnamese."""
    migration = migration_module(TERMS)

    def renamed(defaults: dict) -> dict:
        defaults = dict(defaults)
        for language, pairs in migration.TERMS.items():
            for field, value in defaults.items():
                if field.endswith(f"_{language}") and isinstance(value, str):
                    for old, new in pairs:
                        value = value.replace(old, new)
                    defaults[field] = value
        return defaults

    return {
        key: [{**row, "defaults": renamed(row["defaults"])} for row in rows]
        for key, rows in data.items()
    }


def migration_module(name: str):
    return importlib.import_module(f"permits.migrations.{name}")


def historical_apps():
    # The models as the migrations define them, as ``migrate`` hands them to the functions.
    return MigrationLoader(connection).project_state().apps


def imported_modules(source: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module or "")
            modules |= {f"{node.module}.{alias.name}" for alias in node.names}
    return modules


def stored_catalogue() -> dict[str, list]:
    """The catalogue rows in the database, in the data file's shape."""
    fields = {
        "document_kinds": list(DATA["document_kinds"][0]["defaults"]),
        "permit_types": list(DATA["permit_types"][0]["defaults"]),
    }
    return {
        "document_kinds": [
            {"code": code, "defaults": dict(zip(fields["document_kinds"], values, strict=True))}
            # Without modeltranslation's rewriting: ``name`` is the column, not today's language.
            for code, *values in DocumentKind.objects.rewrite(False)
            .order_by("sort_order")
            .values_list("code", *fields["document_kinds"])
        ],
        "permit_types": [
            {
                "code": code,
                "defaults": dict(zip(fields["permit_types"], values, strict=True)),
                "requirements": [
                    [kind, condition]
                    for kind, condition in PermitRequirement.objects.filter(permit_type__code=code)
                    .order_by("pk")
                    .values_list("document_kind__code", "condition")
                ],
            }
            for code, *values in PermitType.objects.rewrite(False)
            .order_by("sort_order")
            .values_list("code", *fields["permit_types"])
        ],
    }


@pytest.mark.parametrize("name", ["0002_catalogue", LIMITS, BLUE_CARD])
def test_the_migrations_do_not_import_the_live_catalogue(name):
    source = (MIGRATIONS / f"{name}.py").read_text(encoding="utf-8")

    modules = imported_modules(source)

    assert not any(name.startswith(("permits", "applications")) for name in modules), modules
    assert not any("catalogue" in name for name in modules), modules
    assert "import_module" not in source
    assert "__import__" not in source


def test_the_migration_keeps_its_place_in_history():
    migration = importlib.import_module("permits.migrations.0002_catalogue").Migration

    assert migration.dependencies == [("permits", "0001_initial")]


def test_the_limits_follow_the_first_catalogue_in_history():
    migration = migration_module(LIMITS).Migration

    assert migration.dependencies == [("permits", "0003_permit_entry_and_biometrics_due")]


def test_a_fresh_migrate_gives_the_catalogue():
    # The test database is built by running the migrations from scratch.
    assert stored_catalogue() == catalogue_rows()


def test_the_data_files_together_are_the_catalogue():
    # Without the database: 0002's rows with 0004's and 0005's changes are the catalogue.
    assert with_terms(with_blue_card_record(with_limits(DATA))) == catalogue_rows()


def test_the_limits_change_only_what_changed():
    for row in LIMITS_DATA["changed_permit_types"]:
        assert row["before"] != row["after"], row["code"]
        assert set(row["before"]) == set(row["after"]), row["code"]
        (shipped,) = [r for r in DATA["permit_types"] if r["code"] == row["code"]]
        assert {field: shipped["defaults"][field] for field in row["before"]} == row["before"]


def test_the_first_migration_loads_without_the_catalogue_module(monkeypatch):
    migration = migration_module("0002_catalogue")
    apps = historical_apps()
    migration.unload_catalogue(apps, None)
    assert not PermitType.objects.exists()
    # Importing permits.catalogue now fails.
    monkeypatch.setitem(sys.modules, "permits.catalogue", None)

    migration.load_catalogue(apps, None)

    assert stored_catalogue() == DATA


def test_the_limits_undo_to_the_first_catalogue_and_apply_again(monkeypatch):
    migration = migration_module(LIMITS)
    blue_card = migration_module(BLUE_CARD)
    terms = migration_module(TERMS)
    apps = historical_apps()
    monkeypatch.setitem(sys.modules, "permits.catalogue", None)

    terms.backwards(apps, None)
    assert stored_catalogue() == with_blue_card_record(with_limits(DATA))
    blue_card.backwards(apps, None)
    assert stored_catalogue() == with_limits(DATA)
    migration.remove_limits(apps, None)
    assert stored_catalogue() == DATA

    migration.apply_limits(apps, None)
    assert stored_catalogue() == with_limits(DATA)
    blue_card.forwards(apps, None)
    assert stored_catalogue() == with_blue_card_record(with_limits(DATA))
    terms.forwards(apps, None)
    assert stored_catalogue() == with_terms(with_blue_card_record(with_limits(DATA)))


def test_the_limits_keep_what_staff_changed_in_the_admin():
    migration = migration_module(LIMITS)
    apps = historical_apps()
    migration.remove_limits(apps, None)
    # Staff set the Employee Card's maximum themselves before the migration ran.
    PermitType.objects.filter(code="employee_card").update(max_validity_months=18)

    migration.apply_limits(apps, None)

    assert PermitType.objects.get(code="employee_card").max_validity_months == 18
    assert PermitType.objects.get(code="ltr_family").max_validity_months == 24
    assert PermitType.objects.filter(code="long_term_residence_after_visa").exists()
