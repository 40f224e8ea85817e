# Encryption at rest: every notification gets its row key, and the texts already stored are
# encrypted with the current key, bound to their table, column and row exactly as
# encryption.fields seals them (a message may quote the reason for an interruption). Step 1 of
# 2; 0003 makes the row key unique and the columns encrypted fields. Reversible.

import uuid

from django.db import migrations, models

from encryption import crypto

BATCH_SIZE = 1000
COLUMNS = ["body", "body_html"]


def _context(model, column, row_key):
    return crypto.field_context(model._meta.db_table, column, uuid.UUID(str(row_key)).hex)


def _batches(model):
    last = 0
    while True:
        rows = list(
            model._base_manager.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "row_key", *COLUMNS)[:BATCH_SIZE]
        )
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def encrypt_rows(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for rows in _batches(Notification):
        for pk, row_key, *values in rows:
            row_key = row_key or uuid.uuid4()
            changes = {"row_key": row_key}
            for column, value in zip(COLUMNS, values):
                if value:
                    changes[column] = crypto.encrypt(
                        value.encode(), context=_context(Notification, column, row_key)
                    )
            Notification._base_manager.filter(pk=pk).update(**changes)


def decrypt_rows(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for rows in _batches(Notification):
        for pk, row_key, *values in rows:
            changes = {
                column: crypto.decrypt(
                    value, context=_context(Notification, column, row_key)
                ).decode()
                for column, value in zip(COLUMNS, values)
                if value
            }
            if changes:
                Notification._base_manager.filter(pk=pk).update(**changes)


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="row_key",
            field=models.UUIDField(editable=False, null=True, verbose_name="row key"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
