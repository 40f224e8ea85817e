# Encryption at rest, step 3 of 3: the row keys become unique and required, the columns
# encrypted fields (their stored type, text, does not change), and the blind index is indexed.

import uuid

from django.db import migrations, models

import encryption.fields

ENCRYPTED_MODELS = ["applicant", "application", "interruption", "decision", "appeal", "auditentry", "casenote"]


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0005_encrypt_personal_data"),
    ]

    operations = [
        *[
            migrations.AlterField(
                model_name=model_name,
                name="row_key",
                field=encryption.fields.RowKeyField(
                    default=uuid.uuid4, editable=False, unique=True, verbose_name="row key"
                ),
            )
            for model_name in ENCRYPTED_MODELS
        ],
        migrations.AlterField(
            model_name="applicant",
            name="date_of_birth",
            field=encryption.fields.EncryptedDateField(verbose_name="date of birth"),
        ),
        migrations.AlterField(
            model_name="applicant",
            name="travel_document_number",
            field=encryption.fields.EncryptedCharField(max_length=40, verbose_name="travel document number"),
        ),
        migrations.AlterField(
            model_name="applicant",
            name="address",
            field=encryption.fields.EncryptedTextField(blank=True, verbose_name="address in the Czech Republic"),
        ),
        migrations.AlterField(
            model_name="applicant",
            name="phone",
            field=encryption.fields.EncryptedCharField(blank=True, max_length=40, verbose_name="phone"),
        ),
        migrations.AlterField(
            model_name="application",
            name="answers",
            field=encryption.fields.EncryptedJSONField(blank=True, default=dict, help_text="The applicant's answers to the type's questions.", verbose_name="answers"),
        ),
        migrations.AlterField(
            model_name="interruption",
            name="reason",
            field=encryption.fields.EncryptedTextField(verbose_name="reason"),
        ),
        migrations.AlterField(
            model_name="decision",
            name="reasoning",
            field=encryption.fields.EncryptedTextField(blank=True, verbose_name="reasoning"),
        ),
        migrations.AlterField(
            model_name="appeal",
            name="grounds",
            field=encryption.fields.EncryptedTextField(verbose_name="grounds"),
        ),
        migrations.AlterField(
            model_name="appeal",
            name="result_note",
            field=encryption.fields.EncryptedTextField(blank=True, verbose_name="note on the result"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="note",
            field=encryption.fields.EncryptedTextField(blank=True, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="casenote",
            name="text",
            field=encryption.fields.EncryptedTextField(verbose_name="note"),
        ),
        migrations.AddIndex(
            model_name="applicant",
            index=models.Index(fields=["travel_document_index"], name="applicant_travel_doc_bidx"),
        ),
    ]
