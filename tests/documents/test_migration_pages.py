"""Documents filed before a document could have several files: ``migrate`` makes each the first
page of a document of its own, numbered by its own sub-number."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from documents.models import Document
from tests.applications.factories import ApplicationFactory

# Migrations change the schema: not inside a test's transaction. The data the migrations seeded
# (permit types, document kinds) is put back afterwards, as for the other such tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("documents", "0005_delivery_receipt_role")]


def migrate(targets: list[tuple[str, str]]):
    """Migrate to ``targets``; return the apps as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_existing_documents_become_page_one_of_their_own_item():
    application = ApplicationFactory()
    try:
        OldDocument = migrate(BEFORE).get_model("documents", "Document")
        common = {
            "application_id": application.pk,
            "file": "documents/1/0123",
            "size": 10,
            "sha256": "0" * 64,
            "content_type": "application/pdf",
            "original_name": "passport.pdf",
        }
        first = OldDocument.objects.create(**common, sub_number=1)
        second = OldDocument.objects.create(**common, sub_number=2, is_current=False)

        migrate(latest())

        documents = {d.pk: d for d in Document.objects.all()}
        assert (documents[first.pk].item_number, documents[first.pk].page) == (1, 1)
        assert (documents[second.pk].item_number, documents[second.pk].page) == (2, 1)
    finally:
        migrate(latest())
