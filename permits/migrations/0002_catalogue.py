"""Ship the permit catalogue (SPEC §4) from ``permits.catalogue``; editable in the admin later."""

from django.db import migrations


def load_catalogue(apps, schema_editor):
    from permits.catalogue import DOCUMENT_KINDS, LANGUAGES, PERMIT_TYPES

    DocumentKind = apps.get_model("permits", "DocumentKind")
    PermitType = apps.get_model("permits", "PermitType")
    PermitRequirement = apps.get_model("permits", "PermitRequirement")

    def translated(field, values):
        values = values or {}
        # The untranslated column holds the language of record, Czech.
        return {field: values.get("cs", ""), **{f"{field}_{lang}": values.get(lang, "") for lang in LANGUAGES}}

    kinds = {}
    for order, spec in enumerate(DOCUMENT_KINDS):
        kinds[spec["code"]], _ = DocumentKind.objects.update_or_create(
            code=spec["code"],
            defaults={
                **translated("name", spec["name"]),
                **translated("description", spec.get("description")),
                "sort_order": order,
            },
        )
    for order, spec in enumerate(PERMIT_TYPES):
        permit_type, _ = PermitType.objects.update_or_create(
            code=spec["code"],
            defaults={
                "short_code": spec["short_code"],
                "purpose": spec["purpose"],
                **translated("name", spec["name"]),
                **translated("guidance", spec.get("guidance")),
                **translated("fee_note", spec.get("fee_note")),
                **translated("competent_authority", spec.get("competent_authority")),
                "legal_basis": spec.get("legal_basis", ""),
                "decision_period_days": spec["decision_period_days"],
                "decision_period_days_abroad": spec["decision_period_days_abroad"],
                "max_validity_months": spec.get("max_validity_months"),
                "fee_czk": spec.get("fee_czk"),
                "can_file_online": spec["can_file_online"],
                "can_file_in_country": spec["can_file_in_country"],
                "can_file_at_embassy": spec["can_file_at_embassy"],
                "handled_by_office": spec["handled_by_office"],
                "sources": " ".join(spec.get("sources", [])),
                "sort_order": order,
            },
        )
        for kind_code, condition in spec.get("requirements", []):
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
