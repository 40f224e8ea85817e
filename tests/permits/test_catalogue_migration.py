"""The catalogue's data migration is frozen: it loads the data file written with it, not the
live ``permits.catalogue``, so editing the catalogue does not rewrite history. A fresh database
still gets the catalogue as it stood when the migration was written."""

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
from permits.catalogue import DOCUMENT_KINDS, PERMIT_TYPES
from permits.models import DocumentKind, PermitRequirement, PermitType

pytestmark = pytest.mark.django_db

MIGRATIONS = Path(permits.migrations.__file__).parent
MIGRATION = MIGRATIONS / "0002_catalogue.py"
DATA = json.loads((MIGRATIONS / "0002_catalogue.json").read_text(encoding="utf-8"))


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


def test_the_migration_does_not_import_the_live_catalogue():
    source = MIGRATION.read_text(encoding="utf-8")

    modules = imported_modules(source)

    assert not any(name.startswith(("permits", "applications")) for name in modules), modules
    assert not any("catalogue" in name for name in modules), modules
    assert "import_module" not in source
    assert "__import__" not in source


def test_the_migration_keeps_its_place_in_history():
    migration = importlib.import_module("permits.migrations.0002_catalogue").Migration

    assert migration.dependencies == [("permits", "0001_initial")]


def test_a_fresh_migrate_gives_the_rows_of_the_data_file():
    # The test database is built by running the migrations from scratch.
    assert stored_catalogue() == DATA


def test_the_data_file_is_the_catalogue_the_migration_shipped():
    assert [row["code"] for row in DATA["document_kinds"]] == [k["code"] for k in DOCUMENT_KINDS]
    assert [row["code"] for row in DATA["permit_types"]] == [t["code"] for t in PERMIT_TYPES]
    assert PermitType.objects.count() == len(PERMIT_TYPES)
    assert DocumentKind.objects.count() == len(DOCUMENT_KINDS)
    assert PermitRequirement.objects.count() == sum(len(t["requirements"]) for t in PERMIT_TYPES)
    for spec in PERMIT_TYPES:
        stored = PermitType.objects.get(code=spec["code"])
        assert (stored.name_cs, stored.name_en) == (spec["name"]["cs"], spec["name"]["en"])
        assert stored.decision_period_days == spec["decision_period_days"]
        assert stored.fee_czk == spec.get("fee_czk")


def test_the_migration_loads_without_the_catalogue_module(monkeypatch):
    migration = importlib.import_module("permits.migrations.0002_catalogue")
    # The models as the migrations define them, as ``migrate`` hands them to the function.
    apps = MigrationLoader(connection).project_state().apps
    migration.unload_catalogue(apps, None)
    assert not PermitType.objects.exists()
    # Importing permits.catalogue now fails.
    monkeypatch.setitem(sys.modules, "permits.catalogue", None)

    migration.load_catalogue(apps, None)

    assert stored_catalogue() == DATA
