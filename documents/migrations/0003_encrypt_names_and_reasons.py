# Encryption at rest for documents, step 2 of 3: every document gets its row key, and the
# original file names and rejection reasons already stored are encrypted with the current key
# (FIELD_ENCRYPTION_KEYS), bound to their table, column and row exactly as encryption.fields
# seals them. An empty reason stays empty (EncryptedTextField keeps "" as it is, and the
# constraint "a rejection has a reason" reads it). Reversible: going back decrypts.

import uuid

from django.db import migrations

from encryption import crypto

BATCH_SIZE = 1000
COLUMNS = ["original_name", "rejection_reason"]


def _context(model, column, row_key):
    return crypto.field_context(model._meta.db_table, column, uuid.UUID(str(row_key)).hex)


def _batches(model):
    """The rows as (pk, row_key, *COLUMNS), a batch at a time, in pk order."""
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
    Document = apps.get_model("documents", "Document")
    for rows in _batches(Document):
        for pk, row_key, *values in rows:
            row_key = row_key or uuid.uuid4()
            changes = {"row_key": row_key}
            for column, value in zip(COLUMNS, values):
                if value:
                    changes[column] = crypto.encrypt(
                        value.encode(), context=_context(Document, column, row_key)
                    )
            Document._base_manager.filter(pk=pk).update(**changes)


def decrypt_rows(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    for rows in _batches(Document):
        for pk, row_key, *values in rows:
            changes = {
                column: crypto.decrypt(value, context=_context(Document, column, row_key)).decode()
                for column, value in zip(COLUMNS, values)
                if value
            }
            if changes:
                Document._base_manager.filter(pk=pk).update(**changes)


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0002_encryption_prepare"),
    ]

    operations = [
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
