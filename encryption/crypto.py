"""AES-256-GCM for personal data at rest, and HMAC blind indexes to find it again.

A value is stored as ``<key id>:<base64(version, nonce, ciphertext and tag)>``. The key id names
the key that sealed it, so old values stay readable while a new key writes (rotation: README,
"Encryption keys"). The associated data binds a value to where it belongs (a table, column and
row, or a stored file's name) together with the format version and the key id: a value copied
to another row, column or file fails to decrypt, as does a value altered by a single bit.

Keys come from settings (``FIELD_ENCRYPTION_KEYS``, ``BLIND_INDEX_KEY``), never from
``SECRET_KEY``: rotating the one must not touch the others.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORMAT_VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32
# The header of an encrypted file: magic, format version, key id length, key id.
FILE_MAGIC = b"RPENC"
_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
_URLSAFE = str.maketrans("-_", "+/")


class DecryptionError(Exception):
    """A stored value or file cannot be decrypted: unknown key, wrong place, or altered.

    Never caught to show the stored bytes instead: the caller fails, loudly.
    """


@dataclass(frozen=True)
class Keyring:
    """The field keys by id; ``current_id`` encrypts, every key decrypts."""

    current_id: str
    keys: dict[str, AESGCM]

    @property
    def current(self) -> AESGCM:
        return self.keys[self.current_id]


def _decode_key(text: str, *, name: str) -> bytes:
    # Standard or URL-safe base64 alike.
    try:
        key = base64.b64decode(text.strip().translate(_URLSAFE), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{name}: a key is not valid base64.") from None
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{name}: each key must be {KEY_BYTES} random bytes.")
    return key


def parse_field_keys(entries: Sequence[str]) -> dict[str, bytes]:
    """``["2026a:<base64>", "2025b:<base64>"]`` → ``{"2026a": key, "2025b": key}``, in order."""
    keys: dict[str, bytes] = {}
    for entry in entries:
        key_id, separator, material = entry.strip().partition(":")
        if not separator or not _KEY_ID.fullmatch(key_id):
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEYS: each entry is <key id>:<base64 key>, the key id made of "
                "letters, digits, '-' and '_' (at most 32)."
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS: the key id {key_id} is repeated.")
        keys[key_id] = _decode_key(material, name="FIELD_ENCRYPTION_KEYS")
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty (see .env.example).")
    return keys


@lru_cache(maxsize=8)
def _keyring(entries: tuple[str, ...], blind_index_key: str) -> tuple[Keyring, bytes]:
    keys = parse_field_keys(entries)
    blind = _decode_key(blind_index_key, name="BLIND_INDEX_KEY")
    if blind in keys.values():
        raise ImproperlyConfigured("BLIND_INDEX_KEY must differ from every field encryption key.")
    ring = Keyring(
        current_id=next(iter(keys)), keys={key_id: AESGCM(key) for key_id, key in keys.items()}
    )
    return ring, blind


def _configured() -> tuple[Keyring, bytes]:
    # Keyed on the settings' values, so a changed setting (a test, a rotation) takes effect.
    return _keyring(tuple(settings.FIELD_ENCRYPTION_KEYS), settings.BLIND_INDEX_KEY)


def keyring() -> Keyring:
    return _configured()[0]


def check_configuration() -> None:
    """Raise ``ImproperlyConfigured`` unless the keys are usable (called at start-up)."""
    _configured()


# --- Values --------------------------------------------------------------------------------


def _associated_data(key_id: str, context: bytes) -> bytes:
    return b"v%d|%s|%s" % (FORMAT_VERSION, key_id.encode(), context)


def encrypt(plaintext: bytes, *, context: bytes) -> str:
    """Seal ``plaintext`` with the current key, bound to ``context`` (where it is stored)."""
    ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.current.encrypt(nonce, plaintext, _associated_data(ring.current_id, context))
    body = base64.b64encode(bytes([FORMAT_VERSION]) + nonce + sealed).decode("ascii")
    return f"{ring.current_id}:{body}"


def key_id_of(token: str) -> str:
    """The id of the key that sealed a stored value (without decrypting it)."""
    key_id, separator, _body = token.partition(":")
    if not separator or not _KEY_ID.fullmatch(key_id):
        raise DecryptionError("The stored value is not in the encrypted format.")
    return key_id


def decrypt(token: str, *, context: bytes) -> bytes:
    """Open a value sealed by ``encrypt`` for the same ``context``; raise ``DecryptionError``
    for an unknown key id, a value from another place, or one that was altered."""
    key_id = key_id_of(token)
    key = keyring().keys.get(key_id)
    if key is None:
        raise DecryptionError(f"No key with the id {key_id!r} is configured.")
    try:
        raw = base64.b64decode(token[len(key_id) + 1 :], validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError("The stored value is not valid base64.") from None
    if len(raw) < 1 + NONCE_BYTES + TAG_BYTES or raw[0] != FORMAT_VERSION:
        raise DecryptionError("The stored value is not in a known encrypted format.")
    nonce, sealed = raw[1 : 1 + NONCE_BYTES], raw[1 + NONCE_BYTES :]
    try:
        return key.decrypt(nonce, sealed, _associated_data(key_id, context))
    except InvalidTag:
        raise DecryptionError(
            "The stored value does not belong to this row and column, or it was altered."
        ) from None


def field_context(table: str, column: str, row_key: object) -> bytes:
    """The associated data of a column's value: the table, the column and the row's key."""
    return f"{table}.{column}.{row_key}".encode()


# --- Files ---------------------------------------------------------------------------------


def _file_context(name: str) -> bytes:
    return b"file|" + name.encode()


def encrypt_file(plaintext: bytes, *, name: str) -> bytes:
    """Seal a file's content with the current key, bound to its stored name."""
    ring = keyring()
    key_id = ring.current_id.encode()
    header = FILE_MAGIC + bytes([FORMAT_VERSION, len(key_id)]) + key_id
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.current.encrypt(nonce, plaintext, header + _file_context(name))
    return header + nonce + sealed


def _file_header(data: bytes) -> tuple[bytes, str]:
    """The header of an encrypted file and the key id in it."""
    start = len(FILE_MAGIC)
    if not data.startswith(FILE_MAGIC) or len(data) < start + 2 or data[start] != FORMAT_VERSION:
        raise DecryptionError("The stored file is not in the encrypted format.")
    end = start + 2 + data[start + 1]
    key_id = data[start + 2 : end].decode("ascii", errors="replace")
    if not _KEY_ID.fullmatch(key_id):
        raise DecryptionError("The stored file's header is damaged.")
    return data[:end], key_id


def file_key_id(data: bytes) -> str:
    """The id of the key that sealed a stored file; ``data`` needs only its first 40 bytes."""
    return _file_header(data)[1]


def file_overhead(data: bytes) -> int:
    """How many bytes an encrypted file has beyond its plaintext (from its header)."""
    header, _key_id = _file_header(data)
    return len(header) + NONCE_BYTES + TAG_BYTES


def decrypt_file(data: bytes, *, name: str) -> bytes:
    """Open a file sealed by ``encrypt_file`` under the same name, or raise ``DecryptionError``."""
    header, key_id = _file_header(data)
    key = keyring().keys.get(key_id)
    if key is None:
        raise DecryptionError(f"No key with the id {key_id!r} is configured.")
    nonce = data[len(header) : len(header) + NONCE_BYTES]
    try:
        return key.decrypt(nonce, data[len(header) + NONCE_BYTES :], header + _file_context(name))
    except InvalidTag:
        raise DecryptionError("The stored file does not belong here, or it was altered.") from None


# --- Blind indexes -------------------------------------------------------------------------

_IGNORED_IN_INDEX = re.compile(r"[\s-]+")


def normalise_for_index(value: object) -> str:
    """Upper case without spaces and dashes: "fe 123-456" and "FE123456" index alike."""
    return _IGNORED_IN_INDEX.sub("", str(value or "")).upper()


def blind_index(*parts: object) -> str:
    """HMAC-SHA-256 over the normalised parts, with a key of its own: equal inputs give equal
    indexes, and the index reveals nothing about the value without the key."""
    message = "|".join(normalise_for_index(part) for part in parts).encode()
    return hmac.new(_configured()[1], message, hashlib.sha256).hexdigest()
