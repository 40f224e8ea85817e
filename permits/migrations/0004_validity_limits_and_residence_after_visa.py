"""Bring the catalogue to its validity limits and add the long-term residence permit for the same
purpose after a long-term visa, as ``permits.catalogue`` stood when this migration was written.

The changes come from ``0004_validity_limits_and_residence_after_visa.json`` next to this file,
written once from the catalogue: for each changed permit type its fields as 0002 shipped them
("before") and as they are now ("after"), and the new type's full row with its requirements. The
migration does not read the live module. A field is moved only where it still holds the value the
step before left, so what staff changed in the admin stays. Undone, the fields go back and the
new type is removed, which the database refuses once an application or a permit uses it.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).with_name("0004_validity_limits_and_residence_after_visa.json")


def _data():
    return json.loads(DATA.read_text(encoding="utf-8"))


def _move(PermitType, code, source, target):
    """Set each field of ``target`` on the type, where the row still holds ``source``'s value."""
    for field, value in target.items():
        PermitType.objects.filter(code=code, **{field: source[field]}).update(**{field: value})


def apply_limits(apps, schema_editor):
    data = _data()
    DocumentKind = apps.get_model("permits", "DocumentKind")
    PermitType = apps.get_model("permits", "PermitType")
    PermitRequirement = apps.get_model("permits", "PermitRequirement")

    for row in data["changed_permit_types"]:
        _move(PermitType, row["code"], row["before"], row["after"])
    for row in data["added_permit_types"]:
        permit_type, _ = PermitType.objects.update_or_create(
            code=row["code"], defaults=row["defaults"]
        )
        for kind_code, condition in row["requirements"]:
            PermitRequirement.objects.update_or_create(
                permit_type=permit_type,
                document_kind=DocumentKind.objects.get(code=kind_code),
                defaults={"condition": condition},
            )


def remove_limits(apps, schema_editor):
    data = _data()
    PermitType = apps.get_model("permits", "PermitType")

    codes = [row["code"] for row in data["added_permit_types"]]
    # Its requirements go with it (CASCADE); an application of the type protects it.
    PermitType.objects.filter(code__in=codes).delete()
    for row in data["changed_permit_types"]:
        _move(PermitType, row["code"], row["after"], row["before"])


class Migration(migrations.Migration):
    dependencies = [("permits", "0003_permit_entry_and_biometrics_due")]

    operations = [migrations.RunPython(apply_limits, remove_limits)]
