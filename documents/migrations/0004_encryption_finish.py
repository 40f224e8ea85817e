# Encryption at rest for documents, step 3 of 3: the row key becomes unique and required, the
# original file name and the rejection reason encrypted fields (still text columns).

import uuid

from django.db import migrations

import encryption.fields


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0003_encrypt_names_and_reasons"),
    ]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="row_key",
            field=encryption.fields.RowKeyField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="row key"
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="original_name",
            field=encryption.fields.EncryptedCharField(
                max_length=255, verbose_name="original file name"
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="rejection_reason",
            field=encryption.fields.EncryptedTextField(
                blank=True, verbose_name="reason for rejection"
            ),
        ),
    ]
