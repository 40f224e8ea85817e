"""The Employee Card and the ICT card under names that say what they are, in Russian and in
Vietnamese.

"Карта сотрудника" and "Thẻ nhân viên" read as a staff badge ("nhân viên" is also what the
portal calls the office's staff); the card is the worker's permit to stay and work, the
zaměstnanecká karta of Act No. 326/1999 Coll., § 42g (outside the seeds): "Карта работника" and
"Thẻ lao động", and the intra-company transferee's card likewise ("…переведённого работника").

The terms are replaced wherever they occur in the Russian and Vietnamese texts of the permit
types and document kinds, staff's own edits included: it is a change of terminology, not of
content. Undone, the old terms come back.
"""

from django.db import migrations

TERMS = {
    "ru": [
        ("Карта сотрудника", "Карта работника"),
        ("Карты сотрудника", "Карты работника"),
        ("карта сотрудника", "карта работника"),
        ("карты сотрудника", "карты работника"),
        ("карту сотрудника", "карту работника"),
        ("карте сотрудника", "карте работника"),
        ("картой сотрудника", "картой работника"),
        ("переведённого сотрудника", "переведённого работника"),
        ("переведенного сотрудника", "переведенного работника"),
    ],
    "vi": [
        ("Thẻ nhân viên", "Thẻ lao động"),
        ("thẻ nhân viên", "thẻ lao động"),
    ],
}


def _replace(apps, *, undo: bool) -> None:
    for model_name in ("PermitType", "DocumentKind"):
        Model = apps.get_model("permits", model_name)
        for language, pairs in TERMS.items():
            fields = [
                field.name
                for field in Model._meta.get_fields()
                if field.name.endswith(f"_{language}")
                and field.get_internal_type() in ("CharField", "TextField")
            ]
            for row in Model.objects.only("pk", *fields):
                changed = []
                for field in fields:
                    value = getattr(row, field) or ""
                    new = value
                    for old, term in pairs:
                        new = new.replace(term, old) if undo else new.replace(old, term)
                    if new != value:
                        setattr(row, field, new)
                        changed.append(field)
                if changed:
                    row.save(update_fields=changed)


def forwards(apps, schema_editor):
    _replace(apps, undo=False)


def backwards(apps, schema_editor):
    _replace(apps, undo=True)


class Migration(migrations.Migration):
    dependencies = [("permits", "0008_seed_phrases")]

    operations = [migrations.RunPython(forwards, backwards)]
