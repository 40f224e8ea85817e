"""Model fields whose values are stored encrypted, bound to their table, column and row.

Reading the attribute gives the plaintext; the column holds ``<key id>:<base64>`` (see
``encryption.crypto``). The value is sealed when the row is saved (``pre_save``), with the
row's ``RowKeyField`` in the associated data, since the primary key does not exist before the
INSERT. A value read from the database stays sealed until the attribute is read, and is
decrypted with the instance's own table, column and row key: ciphertext copied from another row
or column fails with ``DecryptionError``.

Plaintext never reaches the database through a query: ``QuerySet.update()``, ``filter()`` and
the like refuse a plain value with ``TypeError`` (search by a ``BlindIndexField`` instead), and
lookups other than ``exact``, ``in`` and ``isnull`` do not exist on these fields. Empty values
(``None``, and ``""`` for text) are stored as they are: that a person gave no address is no
secret, and constraints such as "a refusal has reasons" keep working in the database.
Ordering by these columns orders by ciphertext: sort in Python.

``QuerySet.bulk_update()`` and raw saves (``loaddata``) are refused for the same reason:
they write the attribute's plaintext without sealing it.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from functools import cache
from typing import Any, cast

from django.core import checks
from django.db import models
from django.db.models import Value
from django.db.models.query_utils import DeferredAttribute
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from encryption import crypto

ALLOWED_LOOKUPS = frozenset({"exact", "in", "isnull"})


class Sealed(str):
    """Ciphertext as stored in an encrypted column: the only value a query may carry."""

    __slots__ = ()


class RowKeyField(models.UUIDField):
    """A random id fixed when the row is made: what encrypted values of the row are bound to."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("verbose_name", _("row key"))
        kwargs.setdefault("default", uuid.uuid4)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("unique", True)
        super().__init__(*args, **kwargs)


@cache
def row_key_field_of(model: type[models.Model]) -> RowKeyField | None:
    """The field an encrypted value of ``model`` is bound to."""
    return next((f for f in model._meta.concrete_fields if isinstance(f, RowKeyField)), None)


def encrypted_fields(model: type[models.Model]) -> list[EncryptedFieldMixin]:
    """The model's encrypted columns."""
    return [
        cast(EncryptedFieldMixin, f)
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedFieldMixin)
    ]


def blind_index_fields(model: type[models.Model]) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]


class DecryptingAttribute(DeferredAttribute):
    """Decrypts on first read, with the instance's binding, and keeps the plaintext."""

    def __get__(self, instance: models.Model | None, cls: Any = None) -> Any:
        if instance is None:
            return self
        data = instance.__dict__
        field = cast(EncryptedFieldMixin, self.field)
        if field.attname not in data:
            # A deferred column: load the row key with it, so decrypting needs no second query.
            row_key = row_key_field_of(type(instance))
            fields = [field.attname]
            if row_key is not None and row_key.attname not in data:
                fields.append(row_key.attname)
            instance.refresh_from_db(fields=fields)
        value = data[field.attname]
        if isinstance(value, Sealed):
            value = field.unseal(instance, value)
            data[field.attname] = value
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedFieldMixin:
    """What every encrypted field shares; the concrete classes add how a value becomes text."""

    descriptor_class: type[DeferredAttribute] = DecryptingAttribute
    # Text fields store "" as it is; every field stores None as NULL.
    keeps_empty_string = False

    attname: str
    column: str | None
    model: type[models.Model]
    name: str

    # --- Plaintext <-> text --------------------------------------------------------------------

    def to_text(self, value: Any) -> str:
        return force_str(value)

    def from_text(self, text: str) -> Any:
        return text

    # --- Sealing -------------------------------------------------------------------------------

    def _kept_as_is(self, value: Any) -> bool:
        return value is None or (self.keeps_empty_string and isinstance(value, str) and not value)

    def context(self, instance: models.Model) -> bytes:
        """The associated data of this column's value in ``instance``'s row."""
        row_key_field = row_key_field_of(type(instance))
        if row_key_field is None:
            raise TypeError(f"{type(instance).__name__} has encrypted fields but no RowKeyField.")
        return self.context_for_row(getattr(instance, row_key_field.attname))

    def context_for_row(self, row_key: uuid.UUID | str | None) -> bytes:
        if row_key is None:
            raise ValueError(f"{self.model.__name__} has no row key to bind its values to.")
        # A concrete field always has its column (only a ForeignObject has none).
        return crypto.field_context(
            self.model._meta.db_table, str(self.column), uuid.UUID(str(row_key)).hex
        )

    def seal(self, instance: models.Model, value: Any) -> Any:
        """The value as the column stores it for this instance's row."""
        if self._kept_as_is(value):
            return value
        if hasattr(value, "resolve_expression"):
            raise self._refusal()
        context = self.context(instance)
        if isinstance(value, Sealed):
            # Unchanged since it was read. It must belong to this row (decrypting proves it),
            # and is sealed again only if an older key sealed it: saving helps rotation along.
            plaintext = crypto.decrypt(value, context=context)
            if crypto.key_id_of(value) == crypto.keyring().current_id:
                return value
            return Sealed(crypto.encrypt(plaintext, context=context))
        return Sealed(crypto.encrypt(self.to_text(value).encode(), context=context))

    def unseal(self, instance: models.Model, value: Sealed) -> Any:
        plaintext = crypto.decrypt(value, context=self.context(instance))
        return self.from_text(plaintext.decode())

    # --- Django's field protocol ---------------------------------------------------------------

    def get_internal_type(self) -> str:
        # Whatever the plaintext, the column holds text.
        return "TextField"

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        return self.seal(model_instance, model_instance.__dict__.get(self.attname))

    def _refusal(self) -> TypeError:
        return TypeError(
            f"{self.model.__name__}.{self.name} is stored encrypted: save it through the model "
            "instance, and search it by its blind index. A plain value cannot be written or "
            "compared in a query."
        )

    def get_prep_value(self, value: Any) -> Any:
        # An expression compares ciphertext with ciphertext at most: allowed in lookups.
        if self._kept_as_is(value) or hasattr(value, "resolve_expression"):
            return value
        if isinstance(value, Sealed):
            return str(value)
        raise self._refusal()

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        return self.get_prep_value(value)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        # What an UPDATE writes: sealed values only, never an expression that computes text
        # (``bulk_update()``'s CASE of plain values, ``Value("...")``, ``Concat(...)``).
        if isinstance(value, Value) and (
            self._kept_as_is(value.value) or isinstance(value.value, Sealed)
        ):
            return value
        if hasattr(value, "resolve_expression"):
            raise self._refusal()
        return self.get_db_prep_value(value, connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if self._kept_as_is(value):
            return value
        return Sealed(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in ALLOWED_LOOKUPS:
            return None
        return super().get_lookup(lookup_name)  # type: ignore[misc]

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)  # type: ignore[misc]
        if getattr(self, "model", None) and row_key_field_of(self.model) is None:
            errors.append(
                checks.Error(
                    "A model with encrypted fields needs a RowKeyField.",
                    obj=self,
                    id="encryption.E001",
                )
            )
        for flag in ("unique", "db_index", "primary_key"):
            if getattr(self, flag, False):
                errors.append(
                    checks.Error(
                        f"An encrypted field cannot be {flag}: its stored value is random.",
                        hint="Add a BlindIndexField to find rows by this value.",
                        obj=self,
                        id="encryption.E002",
                    )
                )
        return errors


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    keeps_empty_string = True


class EncryptedCharField(EncryptedFieldMixin, models.CharField):
    """A CharField whose ``max_length`` limits the plaintext; the column is text."""

    keeps_empty_string = True


class EncryptedDateField(EncryptedFieldMixin, models.DateField):
    def to_text(self, value: Any) -> str:
        return self.to_python(value).isoformat()

    def from_text(self, text: str) -> date:
        return date.fromisoformat(text)


class EncryptedJSONField(EncryptedFieldMixin, models.JSONField):
    """JSON, stored as sealed JSON text (so no JSON key lookups in queries)."""

    def to_text(self, value: Any) -> str:
        return json.dumps(value, cls=self.encoder, ensure_ascii=False, separators=(",", ":"))

    def from_text(self, text: str) -> Any:
        return json.loads(text, cls=self.decoder)


class BlindIndexField(models.CharField):
    """HMAC-SHA-256 of other fields' normalised values (``crypto.blind_index``), computed when
    the row is saved: equal inputs find each other by an indexed equality test.

    A model with one overrides ``save()`` to add it to ``update_fields`` whenever a source is
    in them.
    """

    def __init__(self, *args: Any, sources: tuple[str, ...] | list[str] = (), **kwargs: Any):
        self.sources = tuple(sources)
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["sources"] = list(self.sources)
        return name, path, args, kwargs

    def compute(self, instance: models.Model) -> str:
        return crypto.blind_index(*(getattr(instance, source) for source in self.sources))

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value
