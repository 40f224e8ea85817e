"""The words of a notification, in the language of whoever reads it, when they read it.

A notification keeps what happened (its kind) and the data of its message (``Notification.data``,
made by :func:`serialise_context`), and is rendered from them in the reader's language: in the
notification centre in the language of the request, an e-mail in the recipient's preferred
language when it is sent. ``subject`` and ``body`` keep what was first said: the record, and what
is shown when the message can no longer be rendered (a row made before ``data`` existed, or one
whose case was erased by retention).

How the data are kept (the reasons):

* A model instance is kept as a *reference* (model label and primary key), not as a copy. What is
  read from it at render time follows the reader's language: a document's or a permit type's name
  (translated fields), a choice's label (an outcome, a status). And nothing the person or the
  office wrote (an interruption's reason, a decision's reasoning, encrypted on their own rows) is
  copied into another row: it goes when retention erases the case, and the notification then
  falls back to its stored text.
* With each reference the context names (not those reached through it, below), the *frozen*
  values of the instance are kept as values: its dates and times, numbers, yes/no flags and
  choices, as they stood when the notice was made. A notice states a deadline, a status, an
  outcome; when the deadline is later extended or the case moves on, the notice still says
  what it said then (a later notice says the rest). Those values are laid over the instance
  loaded at render time. Free text without choices (a reference number, a name) is not frozen:
  an identifier does not change, and a name is read in the reader's language. Encrypted fields
  are never frozen (see above).
* The related instances the caller had loaded with it (``select_related``: the case of an
  interruption, the permit type of a case) are kept as nested references, label and key only,
  so a page renders them without a query per notification; their values are not copied (the
  applicant a case belongs to has no place in a notification's data). What a notice states of
  its case, it states through the ``application`` of its context.
* Dates, times, decimals, numbers, strings, yes/no and lists are kept as values.

Loading is by model, for a whole page at once (:func:`load_contexts`): one query per model
referenced, however many notifications.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import translation

from accounts.constants import Language
from encryption.fields import EncryptedFieldMixin

if TYPE_CHECKING:
    from notifications.models import Notification

# How deep related instances are followed (an extension's interruption's case's permit type).
MAX_DEPTH = 3

_MODEL = "$model"

# What the templates read through a to-many relation of an instance referenced, loaded for a
# whole page at once rather than once per notification: the catalogue phrases an interruption
# or a decision cites, in the reader's language (``office_text``). A relation the model does
# not have (yet) is skipped.
PREFETCH = {
    "applications.interruption": ("phrase_uses__phrase_version",),
    "applications.decision": ("phrase_uses__phrase_version",),
}

# The fields whose values are frozen (besides any with choices).
_FROZEN_TYPES = (
    models.DateField,  # and DateTimeField
    models.BooleanField,
    models.IntegerField,
    models.DecimalField,
    models.FloatField,
)


def language_of(code: str | None) -> str:
    """A language the portal speaks: ``code`` if it is one, else Czech (the language of record)."""
    return code if code in Language.values else Language.CS


# --- Rendering --------------------------------------------------------------------------------


def _full_context(kind: str, language: str, context: dict[str, Any]) -> dict[str, Any]:
    return {
        **context,
        "kind": kind,
        "language_code": language,
        "language_name": Language(language).label,
    }


def render_message(*, kind: str, language: str, context: dict[str, Any]) -> dict[str, str]:
    """Subject, text and HTML of a message, and the shorter text shown in the portal.

    Each kind is ``templates/notifications/email/<kind>_subject.txt``, ``<kind>.txt`` and
    ``<kind>.html``, rendered with the recipient's language active (dates, document and permit
    names, outcomes all follow it). The subject says only what kind of message it is, never
    which case, whose, or by when: it is stored in clear and travels in the mail's headers
    (and lock screens), while the text, which carries the details, is stored encrypted.
    """
    language = language_of(language)
    context = _full_context(kind, language, context)
    with translation.override(language):
        subject = render_to_string(f"notifications/email/{kind}_subject.txt", context)
        text = render_to_string(f"notifications/email/{kind}.txt", {**context, "for_email": True})
        html = render_to_string(f"notifications/email/{kind}.html", {**context, "for_email": True})
        in_app = render_to_string(f"notifications/email/{kind}.txt", context)
    return {
        # A header is one line.
        "subject": _one_line(subject),
        "text": text.strip() + "\n",
        "html": html,
        "in_app": in_app.strip(),
    }


def render_in_app(*, kind: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    """The subject and the portal text of a message (no greeting, no e-mail footer)."""
    language = language_of(language)
    context = {**_full_context(kind, language, context), "has_account": True}
    with translation.override(language):
        subject = render_to_string(f"notifications/email/{kind}_subject.txt", context)
        text = render_to_string(f"notifications/email/{kind}.txt", context)
    return _one_line(subject), text.strip()


def _one_line(text: str) -> str:
    return " ".join(text.split())[:255]


# --- Keeping the context ----------------------------------------------------------------------


def _frozen_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if not field.is_relation
        and not field.primary_key
        and not isinstance(field, EncryptedFieldMixin)
        and (field.choices or isinstance(field, _FROZEN_TYPES))
    ]


def _plain(value: Any) -> Any:
    """A field's value as JSON (dates, decimals and UUIDs as text, read back by ``to_python``)."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def _reference(instance: models.Model, depth: int) -> dict[str, Any]:
    if instance.pk is None:
        raise TypeError(f"An unsaved {type(instance).__name__} cannot be kept in a notification.")
    loaded = instance.__dict__
    reference: dict[str, Any] = {_MODEL: instance._meta.label_lower, "pk": _plain(instance.pk)}
    if depth == 0:
        reference["frozen"] = {
            field.attname: _plain(loaded[field.attname])
            for field in _frozen_fields(type(instance))
            if field.attname in loaded
        }
    if depth < MAX_DEPTH:
        related = {}
        for field in instance._meta.concrete_fields:
            # Forward ones only (a OneToOneField is a ForeignKey).
            if not isinstance(field, models.ForeignKey) or not field.is_cached(instance):
                continue
            target = field.get_cached_value(instance)
            if target is not None:
                related[field.name] = _reference(target, depth + 1)
        if related:
            reference["related"] = related
    return reference


def _encode(value: Any, depth: int = 0) -> Any:
    # bool is an int and a TextChoices member a str: both are kept as they are.
    if value is None or isinstance(value, bool | int | float | str):
        return str(value) if isinstance(value, str) else value
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, models.Model):
        return _reference(value, depth)
    if isinstance(value, list | tuple):
        return [_encode(item, depth) for item in value]
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {"$dict": {key: _encode(item, depth) for key, item in value.items()}}
    raise TypeError(
        f"A {type(value).__name__} cannot be kept in a notification's data: pass a model "
        "instance, a list, a date, a number or a string."
    )


def serialise_context(context: dict[str, Any]) -> dict[str, Any]:
    """The context of a message as ``Notification.data`` keeps it (see the module's docstring).

    Raises ``TypeError`` for a value it cannot keep, so a new kind of context fails in its tests
    rather than rendering differently later."""
    return {key: _encode(value) for key, value in context.items()}


# --- Loading it back --------------------------------------------------------------------------


class _Gone(Exception):
    """An instance referenced no longer exists (erased by retention)."""


def _references_in(value: Any, into: dict[str, set[Any]]) -> None:
    if isinstance(value, list):
        for item in value:
            _references_in(item, into)
    elif isinstance(value, dict):
        if _MODEL in value:
            into[value[_MODEL]].add(value["pk"])
            for related in value.get("related", {}).values():
                _references_in(related, into)
        else:
            for item in value.values():
                _references_in(item, into)


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _load(data: Iterable[dict[str, Any]]) -> dict[str, dict[Any, models.Model]]:
    """Every instance referenced in ``data``: one query per model."""
    wanted: dict[str, set[Any]] = defaultdict(set)
    for one in data:
        _references_in(one, wanted)
    loaded: dict[str, dict[Any, models.Model]] = {}
    for label, pks in wanted.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            loaded[label] = {}
            continue
        pk_field = model._meta.pk
        assert pk_field is not None
        found = model._base_manager.in_bulk([pk_field.to_python(pk) for pk in pks])
        lookups = [
            lookup for lookup in PREFETCH.get(label, ()) if _has_field(model, lookup.split("__")[0])
        ]
        if found and lookups:
            prefetch_related_objects(list(found.values()), *lookups)
        # Keyed as the reference keeps the pk (JSON), whatever its type in Python.
        loaded[label] = {_plain(pk): instance for pk, instance in found.items()}
    return loaded


def _instance(reference: dict[str, Any], loaded: dict[str, dict[Any, models.Model]]) -> Any:
    found = loaded.get(reference[_MODEL], {}).get(reference["pk"])
    if found is None:
        raise _Gone(reference[_MODEL])
    # A copy of its own: the same case is in many notifications, each with its frozen values.
    instance = copy.copy(found)
    meta = instance._meta
    for name, value in reference.get("frozen", {}).items():
        try:
            field = meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a field since removed: the instance's own value stands
        instance.__dict__[field.attname] = field.to_python(value)  # type: ignore[union-attr]
    for name, related in reference.get("related", {}).items():
        try:
            field = meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.ForeignKey):
            field.set_cached_value(instance, _instance(related, loaded))
    return instance


def _decode(value: Any, loaded: dict[str, dict[Any, models.Model]]) -> Any:
    if isinstance(value, list):
        return [_decode(item, loaded) for item in value]
    if not isinstance(value, dict):
        return value
    if _MODEL in value:
        return _instance(value, loaded)
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    if "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if "$decimal" in value:
        return Decimal(value["$decimal"])
    if "$dict" in value:
        return {key: _decode(item, loaded) for key, item in value["$dict"].items()}
    return value


def load_contexts(data: Sequence[dict[str, Any] | None]) -> list[dict[str, Any] | None]:
    """The contexts kept in ``data`` (each a ``Notification.data``), with their instances loaded
    for all at once: one query per model referenced. None where there is no data, or where an
    instance referenced is gone."""
    loaded = _load(one for one in data if one)
    contexts: list[dict[str, Any] | None] = []
    for one in data:
        if not one:
            contexts.append(None)
            continue
        try:
            contexts.append({key: _decode(value, loaded) for key, value in one.items()})
        except _Gone:
            contexts.append(None)
    return contexts


# --- For the reader -----------------------------------------------------------------------------


def in_app_texts(
    notifications: Sequence[Notification], *, language: str
) -> dict[int, tuple[str, str]]:
    """The subject and text of each notification (by pk) in ``language``: rendered from its data,
    or, for one made before data were kept or whose case is gone, as it was stored."""
    contexts = load_contexts([notification.data for notification in notifications])
    texts = {}
    for notification, context in zip(notifications, contexts, strict=True):
        if context is None:
            texts[notification.pk] = (notification.subject, notification.body)
        else:
            texts[notification.pk] = render_in_app(
                kind=notification.kind, language=language, context=context
            )
    return texts


def email_message(notification: Notification, *, language: str) -> dict[str, str] | None:
    """The e-mail of ``notification`` rendered in ``language`` now, or None when it can only be
    sent as stored (no data, or an instance referenced is gone)."""
    [context] = load_contexts([notification.data])
    if context is None:
        return None
    return render_message(
        kind=notification.kind,
        language=language,
        context={**context, "has_account": notification.recipient_id is not None},
    )
