# Encryption at rest, step 2 of 3: every row gets its row key, and the personal data already
# stored is encrypted with the current key (FIELD_ENCRYPTION_KEYS), bound to its table, column
# and row exactly as encryption.fields seals it. Reversible: going back decrypts.

import json
import uuid
from datetime import date

from django.db import migrations

from encryption import crypto

BATCH_SIZE = 1000

# model → {column: how the plaintext is written as text before it is encrypted}
ENCRYPTED_COLUMNS = {
    "applicant": {
        # ISO 8601, as encryption.fields.EncryptedDateField writes it (fails on anything else).
        "date_of_birth": lambda text: date.fromisoformat(text).isoformat(),
        "travel_document_number": str,
        "address": str,
        "phone": str,
    },
    "application": {
        # The canonical text encryption.fields.EncryptedJSONField writes.
        "answers": lambda text: json.dumps(
            json.loads(text or "{}"), ensure_ascii=False, separators=(",", ":")
        ),
    },
    "interruption": {"reason": str},
    "decision": {"reasoning": str},
    "appeal": {"grounds": str, "result_note": str},
    "auditentry": {"note": str},
    "casenote": {"text": str},
}
# Columns where "" means "not given" and is stored as it is (encryption.fields keeps it so).
KEEPS_EMPTY = {"address", "phone", "reasoning", "result_note", "note"}


def _batches(model, columns):
    """The rows as (pk, row_key, *columns), a batch at a time, in pk order."""
    last = 0
    while True:
        rows = list(
            model._base_manager.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "row_key", *columns)[:BATCH_SIZE]
        )
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _context(model, column, row_key):
    return crypto.field_context(model._meta.db_table, column, uuid.UUID(str(row_key)).hex)


def encrypt_rows(apps, schema_editor):
    for model_name, encoders in ENCRYPTED_COLUMNS.items():
        model = apps.get_model("applications", model_name)
        columns = list(encoders)
        for rows in _batches(model, columns):
            for pk, row_key, *values in rows:
                row_key = row_key or uuid.uuid4()
                changes = {"row_key": row_key}
                for column, value in zip(columns, values):
                    if value is None or (value == "" and column in KEEPS_EMPTY):
                        continue
                    plaintext = encoders[column](value).encode()
                    changes[column] = crypto.encrypt(
                        plaintext, context=_context(model, column, row_key)
                    )
                model._base_manager.filter(pk=pk).update(**changes)
    Applicant = apps.get_model("applications", "Applicant")
    for rows in _batches(Applicant, ["nationality", "travel_document_number"]):
        for pk, row_key, nationality, sealed in rows:
            number = crypto.decrypt(
                sealed, context=_context(Applicant, "travel_document_number", row_key)
            ).decode()
            Applicant._base_manager.filter(pk=pk).update(
                travel_document_index=crypto.blind_index(nationality, number)
            )


def decrypt_rows(apps, schema_editor):
    for model_name, encoders in ENCRYPTED_COLUMNS.items():
        model = apps.get_model("applications", model_name)
        columns = list(encoders)
        for rows in _batches(model, columns):
            for pk, row_key, *values in rows:
                changes = {}
                for column, value in zip(columns, values):
                    if value is None or (value == "" and column in KEEPS_EMPTY):
                        continue
                    changes[column] = crypto.decrypt(
                        value, context=_context(model, column, row_key)
                    ).decode()
                if changes:
                    model._base_manager.filter(pk=pk).update(**changes)


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0004_encryption_prepare"),
    ]

    operations = [
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
