"""Ship the permit catalogue (SPEC §4) as it stood when this migration was written; editable in
the admin later.

The rows come from ``0002_catalogue.json`` next to this file, written once from
``permits.catalogue`` with every field exactly as inserted here. The migration does not read the
live module: editing the catalogue must not rewrite what this step of history loads.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).with_name("0002_catalogue.json")


def load_catalogue(apps, schema_editor):
    data = json.loads(DATA.read_text(encoding="utf-8"))
    DocumentKind = apps.get_model("permits", "DocumentKind")
    PermitType = apps.get_model("permits", "PermitType")
    PermitRequirement = apps.get_model("permits", "PermitRequirement")

    kinds = {}
    for row in data["document_kinds"]:
        kinds[row["code"]], _ = DocumentKind.objects.update_or_create(
            code=row["code"], defaults=row["defaults"]
        )
    for row in data["permit_types"]:
        permit_type, _ = PermitType.objects.update_or_create(
            code=row["code"], defaults=row["defaults"]
        )
        for kind_code, condition in row["requirements"]:
            PermitRequirement.objects.update_or_create(
                permit_type=permit_type,
                document_kind=kinds[kind_code],
                defaults={"condition": condition},
            )


def unload_catalogue(apps, schema_editor):
    apps.get_model("permits", "PermitRequirement").objects.all().delete()
    apps.get_model("permits", "PermitType").objects.all().delete()
    apps.get_model("permits", "DocumentKind").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("permits", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, unload_catalogue)]
