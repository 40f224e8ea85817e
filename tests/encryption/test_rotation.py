"""Key rotation: add a key first, run ``rotate_encryption_keys``, remove the old key — and
every row and every stored file is still readable."""

from __future__ import annotations

import base64
import io
import os
import re

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from applications import services
from applications.case_documents import document_verify
from applications.models import Applicant, travel_document_indexes
from encryption import crypto
from encryption.fields import encrypted_fields
from tests.applications.factories import ApplicantFactory, ApplicationFactory
from tests.encryption.conftest import new_key

pytestmark = pytest.mark.django_db

K1, K2 = new_key("k1"), new_key("k2")


def rotate(*args: str) -> str:
    out = io.StringIO()
    call_command("rotate_encryption_keys", *args, stdout=out)
    return out.getvalue()


def plaintexts() -> dict[tuple[str, int, str], object]:
    """Every encrypted value of every row, read through the models."""
    values = {}
    for model in apps.get_models():
        fields = encrypted_fields(model)
        for instance in model._base_manager.all() if fields else []:
            for field in fields:
                values[model._meta.label, instance.pk, field.name] = getattr(
                    instance, field.attname
                )
    return values


def stored_key_ids() -> set[str]:
    """The key ids of every non-empty stored value and every stored file."""
    ids = set()
    for model in apps.get_models():
        for field in encrypted_fields(model):
            for value in model._base_manager.values_list(field.attname, flat=True):
                if value:
                    ids.add(crypto.key_id_of(value))
    for name in default_storage.stored_names():
        ids.add(default_storage.key_id(name))
    return ids


def file_contents() -> dict[str, bytes]:
    contents = {}
    for name in default_storage.stored_names():
        with default_storage.open(name) as handle:
            contents[name] = handle.read()
    return contents


@pytest.fixture
def sealed_with_k1(use_keys, caseworker):
    """Cases with every kind of encrypted value and file, all written under k1."""
    use_keys(K1)
    appealed = ApplicationFactory(appealed=True, caseworker=caseworker, answers={"a": "Ж"})
    # Verified while the proceedings run: a decided case's file is frozen (SPEC §2).
    interrupted = ApplicationFactory(interrupted=True, caseworker=caseworker)
    services.case_note_add(application=appealed, author=caseworker, text="Internal canary")
    document_verify(
        document=interrupted.documents.first(),
        actor=caseworker,
        accepted=False,
        reason="Illegible canary scan",
    )
    ApplicantFactory.create_batch(3, address="")
    assert stored_key_ids() == {"k1"}
    return plaintexts(), file_contents()


def test_rotation_then_removing_the_old_key_leaves_everything_readable(sealed_with_k1, use_keys):
    rows_before, files_before = sealed_with_k1
    use_keys(K2, K1)

    output = rotate("--batch-size", "2")

    assert re.search(r"applications\.Applicant: 2/\d+ rows re-encrypted", output)
    assert "applications.AuditEntry:" in output
    # Documents' original names and rejection reasons.
    assert re.search(r"documents\.Document: \d+/\d+ rows re-encrypted", output)
    assert re.search(r"Files: \d+/\d+ re-encrypted", output)
    assert stored_key_ids() == {"k2"}
    use_keys(K2)
    assert plaintexts() == rows_before
    assert file_contents() == files_before


def test_a_dry_run_counts_and_changes_nothing(sealed_with_k1, use_keys):
    rows_before, _files = sealed_with_k1
    use_keys(K2, K1)
    applicants = Applicant.objects.count()

    output = rotate("--dry-run")

    assert f"applications.Applicant: {applicants} rows to re-encrypt" in output
    files = len(list(default_storage.stored_names()))
    assert files > 0
    assert f"{files} to re-encrypt" in output
    assert stored_key_ids() == {"k1"}
    assert plaintexts() == rows_before


def test_a_second_run_has_nothing_left_to_do(sealed_with_k1, use_keys):
    use_keys(K2, K1)
    rotate()

    again = rotate()

    assert "Done: 0 rows and 0 files re-encrypted." in again
    assert "Done: 0 rows and 0 files to re-encrypt." in rotate("--dry-run")


def test_a_row_saved_under_the_new_key_is_not_rotated_again(sealed_with_k1, use_keys):
    use_keys(K2, K1)
    stale = Applicant.objects.count() - 1
    # Saving seals every value of the row with the current key, read or not.
    Applicant.objects.first().save()

    output = rotate()

    assert f"applications.Applicant: {stale}/{stale} rows re-encrypted" in output


def test_without_the_old_key_the_command_stops_and_says_where(sealed_with_k1, use_keys):
    use_keys(K2)

    with pytest.raises(CommandError, match="No key with the id 'k1'"):
        rotate()


def test_a_file_stored_in_clear_is_encrypted(use_keys):
    use_keys(K1)
    name = "documents/1/legacy"
    path = default_storage.path(name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(b"%PDF-1.4 stored before encryption")
    assert default_storage.key_id(name) is None

    rotate()

    assert default_storage.key_id(name) == "k1"
    with default_storage.open(name) as handle:
        assert handle.read() == b"%PDF-1.4 stored before encryption"


def test_a_new_blind_index_key_is_applied_to_every_row(sealed_with_k1, settings):
    person = ApplicantFactory(nationality="UA", travel_document_number="FE777")
    settings.BLIND_INDEX_KEY = base64.b64encode(os.urandom(32)).decode()
    find = Applicant.objects.filter(travel_document_index__in=travel_document_indexes("FE777"))
    assert not find.exists()

    output = rotate("--blind-indexes", "--skip-files")

    assert re.search(r"applications\.Applicant: \d+ blind indexes recomputed", output)
    assert list(find.all()) == [person]


def test_rotation_touches_only_the_ciphertext(sealed_with_k1, use_keys):
    use_keys(K2, K1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, updated_at FROM applications_applicant ORDER BY id")
        before = cursor.fetchall()

    rotate()

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, updated_at FROM applications_applicant ORDER BY id")
        assert cursor.fetchall() == before
