# The stored answers of idempotent POSTs hold personal data and, for a new webhook
# subscription, its secret: they move to an encrypted column bound to a row key, and the answer's
# ETag is kept so that a replay repeats it. Rows already there (a day's worth at most) are
# converted, not dropped: a retry after the deploy still gets its first answer.

import uuid

from django.db import migrations, models

import encryption.fields


def seal(apps, schema_editor):
    Record = apps.get_model("api", "IdempotencyRecord")
    for record in Record.objects.all():
        record.row_key = uuid.uuid4()
        record.answer = record.body
        record.save(update_fields=["row_key", "answer"])


def unseal(apps, schema_editor):
    Record = apps.get_model("api", "IdempotencyRecord")
    for record in Record.objects.all():
        record.body = record.answer
        record.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="idempotencyrecord",
            name="row_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="idempotencyrecord",
            name="answer",
            field=encryption.fields.EncryptedJSONField(null=True),
        ),
        migrations.AddField(
            model_name="idempotencyrecord",
            name="etag",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="row_key",
            field=encryption.fields.RowKeyField(null=True, editable=False, default=None),
        ),
        migrations.RunPython(seal, unseal),
        migrations.RemoveField(
            model_name="idempotencyrecord",
            name="body",
        ),
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="row_key",
            field=encryption.fields.RowKeyField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="row key"
            ),
        ),
    ]
