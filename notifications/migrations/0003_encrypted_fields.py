# Encryption at rest, step 2 of 2: the row key becomes unique and required, the texts encrypted
# fields (still text columns).

import uuid

from django.db import migrations

import encryption.fields


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0002_encrypt_bodies"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="row_key",
            field=encryption.fields.RowKeyField(default=uuid.uuid4, editable=False, unique=True, verbose_name="row key"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="body",
            field=encryption.fields.EncryptedTextField(verbose_name="text"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="body_html",
            field=encryption.fields.EncryptedTextField(blank=True, verbose_name="HTML text"),
        ),
    ]
