"""Re-encrypt everything stored under an older key with the current one.

Rotation in three steps (README, "Encryption keys"): put the new key first in
FIELD_ENCRYPTION_KEYS and keep the old one after it; run this command; remove the old key.
The portal keeps working meanwhile: every key in the list decrypts, the first encrypts.

Rows are found by the key id their values start with, a batch at a time in primary-key order,
each batch locked and rewritten in a short transaction of its own, so the command can be
stopped and run again: it picks up what is still under an old key (and does nothing when all
is current). Files in the encrypted storages are re-sealed one by one, each replaced
atomically. ``--blind-indexes`` recomputes the blind indexes, after BLIND_INDEX_KEY changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast

from encryption import crypto
from encryption.fields import (
    EncryptedFieldMixin,
    Sealed,
    blind_index_fields,
    encrypted_fields,
    row_key_field_of,
)
from encryption.storage import encrypted_storages

FILE_PROGRESS_EVERY = 100


def _own_encrypted_fields(model: type[models.Model]) -> list[EncryptedFieldMixin]:
    """The encrypted columns of the model's own table (a parent's are rotated with it)."""
    if model._meta.proxy:
        return []
    return [field for field in encrypted_fields(model) if field.model is model]


def _raw(field: EncryptedFieldMixin) -> str:
    return f"_stored_{field.attname}"


def _stale_rows(model: type[models.Model], current: str) -> models.QuerySet[Any]:
    """The rows with at least one value sealed by another key than ``current``."""
    fields = _own_encrypted_fields(model)
    # Compared as plain text (the fields themselves refuse lookups on their content).
    annotated = model._base_manager.annotate(
        **{_raw(f): Cast(f.attname, output_field=models.TextField()) for f in fields}
    )
    stale = Q()
    for field in fields:
        stale |= (
            Q(**{f"{_raw(field)}__isnull": False})
            & ~Q(**{_raw(field): ""})
            & ~Q(**{f"{_raw(field)}__startswith": f"{current}:"})
        )
    return annotated.filter(stale)


def _batches(queryset: models.QuerySet[Any], size: int) -> Iterator[list[int]]:
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        pks = list(page.values_list("pk", flat=True)[:size])
        if not pks:
            return
        yield pks
        last = pks[-1]


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column and stored file that an older key sealed with the "
        "current key (the first of FIELD_ENCRYPTION_KEYS)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000, help="Rows per transaction.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be re-encrypted."
        )
        parser.add_argument(
            "--blind-indexes",
            action="store_true",
            help="Also recompute every blind index (after BLIND_INDEX_KEY changed).",
        )
        parser.add_argument("--skip-files", action="store_true", help="Leave stored files be.")

    def handle(
        self,
        *args: Any,
        batch_size: int = 1000,
        dry_run: bool = False,
        blind_indexes: bool = False,
        skip_files: bool = False,
        **options: Any,
    ) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        current = crypto.keyring().current_id
        verb = "to re-encrypt" if dry_run else "re-encrypted"
        self.stdout.write(f"Current key: {current}{' (dry run)' if dry_run else ''}")
        total = 0
        for model in apps.get_models():
            if _own_encrypted_fields(model):
                total += self.rotate_rows(model, current, batch_size, dry_run=dry_run)
            if blind_indexes and not model._meta.proxy and blind_index_fields(model):
                self.rebuild_blind_indexes(model, batch_size, dry_run=dry_run)
        files = 0 if skip_files else self.rotate_files(current, dry_run=dry_run)
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows and {files} files {verb}."))

    # --- Rows ------------------------------------------------------------------------------

    def rotate_rows(
        self, model: type[models.Model], current: str, batch_size: int, *, dry_run: bool
    ) -> int:
        label = model._meta.label
        stale = _stale_rows(model, current)
        count = stale.count()
        if dry_run or not count:
            self.stdout.write(f"{label}: {count} rows {'to re-encrypt' if dry_run else 'current'}")
            return count
        done = 0
        for pks in _batches(stale, batch_size):
            done += self._rotate_batch(model, pks)
            self.stdout.write(f"{label}: {done}/{count} rows re-encrypted")
        return done

    def _rotate_batch(self, model: type[models.Model], pks: list[int]) -> int:
        fields = _own_encrypted_fields(model)
        row_key = row_key_field_of(model)
        if row_key is None:
            raise CommandError(f"{model._meta.label} has encrypted fields but no RowKeyField.")
        current = crypto.keyring().current_id
        with transaction.atomic():
            # Locked, then read again: a value saved meanwhile is already under the new key.
            rows = (
                model._base_manager.select_for_update()
                .filter(pk__in=pks)
                .order_by("pk")
                .values_list("pk", row_key.attname, *(f.attname for f in fields))
            )
            for pk, key, *values in rows:
                changes = {}
                for field, value in zip(fields, values, strict=True):
                    if not value or crypto.key_id_of(value) == current:
                        continue
                    context = field.context_for_row(key)
                    try:
                        plaintext = crypto.decrypt(value, context=context)
                    except crypto.DecryptionError as error:
                        raise CommandError(
                            f"{model._meta.label} {pk}, {field.name}: {error}"
                        ) from error
                    changes[field.attname] = Sealed(crypto.encrypt(plaintext, context=context))
                if changes:
                    # The plaintext does not change: no save(), no "updated" time, no audit.
                    model._base_manager.filter(pk=pk).update(**changes)
        return len(pks)

    def rebuild_blind_indexes(
        self, model: type[models.Model], batch_size: int, *, dry_run: bool
    ) -> None:
        label = model._meta.label
        fields = blind_index_fields(model)
        verb = "to recompute" if dry_run else "recomputed"
        examined = changed = 0
        count = model._base_manager.count()
        for pks in _batches(model._base_manager.all(), batch_size):
            with transaction.atomic():
                for instance in model._base_manager.select_for_update().filter(pk__in=pks):
                    values = {f.attname: f.compute(instance) for f in fields}
                    if all(getattr(instance, name) == value for name, value in values.items()):
                        continue
                    changed += 1
                    if not dry_run:
                        model._base_manager.filter(pk=instance.pk).update(**values)
            examined += len(pks)
            self.stdout.write(f"{label}: {examined}/{count} rows examined, {changed} {verb}")
        self.stdout.write(f"{label}: {changed} blind indexes {verb}")

    # --- Files -----------------------------------------------------------------------------

    def rotate_files(self, current: str, *, dry_run: bool) -> int:
        done = 0
        for storage in encrypted_storages():
            stale = [name for name in storage.stored_names() if storage.key_id(name) != current]
            if dry_run or not stale:
                state = "to re-encrypt" if dry_run else "current"
                self.stdout.write(f"Files in {storage.location}: {len(stale)} {state}")
                done += len(stale)
                continue
            for number, name in enumerate(stale, start=1):
                try:
                    storage.reseal(name)
                except crypto.DecryptionError as error:
                    raise CommandError(f"File {name}: {error}") from error
                except FileNotFoundError:
                    # Deleted since it was listed (a draft's file removed): nothing to do.
                    continue
                if number % FILE_PROGRESS_EVERY == 0 or number == len(stale):
                    self.stdout.write(f"Files: {number}/{len(stale)} re-encrypted")
                done += 1
        return done
