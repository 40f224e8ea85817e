"""A document of the checklist may have several files (pages): every file so far is page 1 of a
document of its own, numbered by its own sub-number."""

from django.db import migrations, models
from django.db.models import F, Q


def existing_files_are_first_pages(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    Document.objects.update(item_number=F("sub_number"), page=1)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0005_delivery_receipt_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="item_number",
            field=models.PositiveIntegerField(
                default=0,
                help_text="The sub-number of the document this file is a page of.",
                verbose_name="item",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="document",
            name="page",
            field=models.PositiveSmallIntegerField(
                default=1,
                help_text="The file's place among the pages of its document.",
                verbose_name="page",
            ),
        ),
        migrations.RunPython(existing_files_are_first_pages, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                condition=Q(is_current=True),
                fields=("application", "item_number", "page"),
                name="document_page_unique",
            ),
        ),
    ]
