# Encryption at rest, step 1 of 3: the row keys and the blind index appear, and the columns
# that will hold ciphertext become text. Step 2 encrypts the rows, step 3 makes the row keys
# unique and the columns encrypted fields. Three migrations, so that on PostgreSQL the rows are
# rewritten in a transaction of their own, between the schema changes.
#
# On PostgreSQL a date becomes text by date::text, which is ISO 8601 (1990-05-17) under the
# ISO DateStyle that psycopg needs anyway.

from django.db import migrations, models

import encryption.fields

ENCRYPTED_MODELS = ["applicant", "application", "interruption", "decision", "appeal", "auditentry", "casenote"]


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0003_casenote_queue_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="applicant", name="applicant_travel_doc_idx"),
        *[
            migrations.AddField(
                model_name=model_name,
                name="row_key",
                field=models.UUIDField(editable=False, null=True, verbose_name="row key"),
            )
            for model_name in ENCRYPTED_MODELS
        ],
        migrations.AddField(
            model_name="applicant",
            name="travel_document_index",
            field=encryption.fields.BlindIndexField(
                default="",
                editable=False,
                help_text="Finds the person by nationality and document number without decrypting.",
                max_length=64,
                sources=["nationality", "travel_document_number"],
                verbose_name="travel document search index",
            ),
        ),
        migrations.AlterField(
            model_name="applicant",
            name="date_of_birth",
            field=models.TextField(verbose_name="date of birth"),
        ),
        migrations.AlterField(
            model_name="applicant",
            name="travel_document_number",
            field=models.TextField(verbose_name="travel document number"),
        ),
        migrations.AlterField(
            model_name="applicant",
            name="phone",
            field=models.TextField(blank=True, verbose_name="phone"),
        ),
        migrations.AlterField(
            model_name="application",
            name="answers",
            field=models.TextField(blank=True, default="{}", verbose_name="answers"),
        ),
    ]
