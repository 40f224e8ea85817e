# Files stored before encryption at rest was introduced are encrypted in place, with the current
# key and bound to their names. Where the private media root is not mounted on the machine that
# migrates, nothing is found here; `manage.py rotate_encryption_keys` encrypts any file it finds
# in clear as well. Reversible: going back decrypts them.

from django.db import migrations


def encrypt_files(apps, schema_editor):
    from encryption.storage import encrypted_storages

    for storage in encrypted_storages():
        for name in storage.stored_names():
            if storage.key_id(name) is None:
                storage.reseal(name)


def decrypt_files(apps, schema_editor):
    from encryption.storage import encrypted_storages

    for storage in encrypted_storages():
        for name in storage.stored_names():
            storage.decrypt_in_place(name)


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(encrypt_files, decrypt_files, elidable=True),
    ]
