"""The Blue Card holder of another EU state is spared only the criminal-record extract of the state
that issued the card: "does not need to submit a document equivalent to an Extract from the
Criminal Record ... (i.e. from the country that issued the Blue Card)" [001]. The catalogue had
the whole document lifted by a rule and the guidance said no extract was needed.

As in 0004, a value moves only where the row still holds what the step before left, so an edit
made in the admin stays; the texts are written here, not read from the live module.
"""

from django.db import migrations

BEFORE = {
    "guidance_cs": "Držitel modré karty jiného státu EU nepředkládá výpis z rejstříku trestů a po",
    "guidance_en": "A Blue Card holder of another EU state needs no criminal-record extract, and",
    "guidance_uk": "держави ЄС не подає витяг про несудимість, а після",
    "guidance_vi": "Người có thẻ xanh của nước EU khác không cần nộp lý lịch tư pháp, và",
    "guidance_ru": "карты другого государства ЕС не подаёт справку о несудимости, а после",
}
AFTER = {
    "guidance_cs": (
        "Držitel modré karty jiného státu EU nepředkládá výpis z rejstříku trestů státu, který mu "
        "ji vydal (výpisy ostatních států ano), a po"
    ),
    "guidance_en": (
        "A Blue Card holder of another EU state needs no criminal-record extract from the state "
        "that issued the card (the other states' extracts are still needed), and"
    ),
    "guidance_uk": (
        "держави ЄС не подає витяг про несудимість з держави, яка видала картку (витяги інших "
        "держав потрібні), а після"
    ),
    "guidance_vi": (
        "Người có thẻ xanh của nước EU khác không cần nộp lý lịch tư pháp của nước đã cấp thẻ "
        "(lý lịch tư pháp của các nước khác vẫn cần), và"
    ),
    "guidance_ru": (
        "карты другого государства ЕС не подаёт справку о несудимости из государства, выдавшего "
        "карту (справки других государств нужны), а после"
    ),
}


def _move(apps, source, target, condition_from, condition_to):
    PermitType = apps.get_model("permits", "PermitType")
    PermitRequirement = apps.get_model("permits", "PermitRequirement")
    PermitRequirement.objects.filter(
        permit_type__code="blue_card", document_kind__code="criminal_record", condition=condition_from
    ).update(condition=condition_to)
    blue_card = PermitType.objects.filter(code="blue_card").first()
    if blue_card is None:
        return
    changed = []
    for field, old in source.items():
        text = getattr(blue_card, field)
        if old in text:
            setattr(blue_card, field, text.replace(old, target[field]))
            changed.append(field)
    if "guidance_cs" in changed:
        blue_card.guidance = blue_card.guidance_cs
        changed.append("guidance")
    if changed:
        blue_card.save(update_fields=changed)


def forwards(apps, schema_editor):
    _move(apps, BEFORE, AFTER, "rule", "always")


def backwards(apps, schema_editor):
    _move(apps, AFTER, BEFORE, "always", "rule")


class Migration(migrations.Migration):
    dependencies = [("permits", "0004_validity_limits_and_residence_after_visa")]

    operations = [migrations.RunPython(forwards, backwards)]
