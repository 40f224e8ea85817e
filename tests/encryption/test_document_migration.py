"""Documents stored before their names and rejection reasons were encrypted: ``migrate``
encrypts them in place, and migrating back decrypts them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from documents.models import Document
from encryption import crypto
from tests.applications.factories import ApplicationFactory
from tests.encryption.test_fields import stored

# Migrations change the schema: not inside a test's transaction. The data the migrations seeded
# (permit types, document kinds) is put back afterwards, as for the other such tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("documents", "0001_initial")]
PREPARED = [("documents", "0002_encryption_prepare")]


def migrate(targets: list[tuple[str, str]]):
    """Migrate to ``targets``; return the apps as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_existing_names_and_reasons_are_encrypted_and_decrypted_going_back():
    application = ApplicationFactory()
    try:
        old_apps = migrate(BEFORE)
        OldDocument = old_apps.get_model("documents", "Document")
        common = {
            "application_id": application.pk,
            "file": "documents/1/0123",
            "size": 10,
            "sha256": "0" * 64,
            "content_type": "application/pdf",
        }
        rejected = OldDocument.objects.create(
            **common,
            sub_number=1,
            original_name="passport_Olena_Kovalenko.pdf",
            verification="rejected",
            rejection_reason="The photo page is cut off.",
        )
        accepted = OldDocument.objects.create(
            **common, sub_number=2, original_name="lease.pdf", verification="accepted"
        )

        migrate(latest())

        documents = {d.pk: d for d in Document.objects.all()}
        assert documents[rejected.pk].original_name == "passport_Olena_Kovalenko.pdf"
        assert documents[rejected.pk].rejection_reason == "The photo page is cut off."
        assert documents[accepted.pk].original_name == "lease.pdf"
        assert documents[accepted.pk].rejection_reason == ""
        assert documents[rejected.pk].row_key != documents[accepted.pk].row_key
        key = f"{crypto.keyring().current_id}:"
        assert stored(rejected, "original_name").startswith(key)
        assert stored(rejected, "rejection_reason").startswith(key)
        assert stored(accepted, "original_name").startswith(key)
        assert stored(accepted, "rejection_reason") == ""

        migrate(PREPARED)

        assert stored(rejected, "original_name") == "passport_Olena_Kovalenko.pdf"
        assert stored(rejected, "rejection_reason") == "The photo page is cut off."
        assert stored(accepted, "rejection_reason") == ""
    finally:
        migrate(latest())
