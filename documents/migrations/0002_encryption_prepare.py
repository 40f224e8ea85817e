# Encryption at rest for documents, step 1 of 3: the row key appears, and the original file
# name becomes text (its ciphertext is longer than the 255 characters the name may have). Step 2
# encrypts the rows, step 3 makes the row key unique and the columns encrypted fields: three
# migrations, as in applications 0004-0006, so that on PostgreSQL the rows are rewritten in a
# transaction of their own, between the schema changes.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="row_key",
            field=models.UUIDField(editable=False, null=True, verbose_name="row key"),
        ),
        migrations.AlterField(
            model_name="document",
            name="original_name",
            field=models.TextField(verbose_name="original file name"),
        ),
    ]
