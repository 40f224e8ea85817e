"""Private file storage that keeps every file encrypted on disk (AES-256-GCM).

A file is sealed on its way to disk and opened only when a view streams it to someone allowed
to see it. Its header names the key (rotation re-seals files like rows), and the associated
data binds it to its stored name, so a file copied over another one fails to open.

Documents are at most ``DOCUMENT_MAX_UPLOAD_BYTES`` (10 MB) and generated PDFs far smaller,
so a file is encrypted and decrypted whole, in memory: simpler than chunked streaming, and
GCM's tag is checked before a single byte is handed out.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from encryption import crypto

# Enough to read any header (magic, version, key id length, a key id of at most 32).
_HEADER_READ = 64
_TEMPORARY_PREFIX = ".reseal-"


@deconstructible(path="encryption.storage.EncryptedFileSystemStorage")
class EncryptedFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: File) -> str:
        if hasattr(content, "seek"):
            content.seek(0)
        plaintext = b"".join(content.chunks())
        # django-stubs do not declare FileSystemStorage._save, the documented hook overridden here.
        encrypted = ContentFile(crypto.encrypt_file(plaintext, name=name))
        stored = super()._save(name, encrypted)  # type: ignore[misc]
        if stored != name:
            # The name was taken meanwhile and the file went elsewhere: bind it to that name.
            self._write(stored, crypto.encrypt_file(plaintext, name=stored))
        return stored

    def _open(self, name: str, mode: str = "rb") -> File:
        if set(mode) - set("rb"):
            raise ValueError("Encrypted files are written with save(), not opened for writing.")
        plaintext = crypto.decrypt_file(self._read(name), name=name)
        return ContentFile(plaintext, name=name)

    def size(self, name: str) -> int:
        """The plaintext's size, as the header tells (without decrypting)."""
        with open(self.path(name), "rb") as handle:
            head = handle.read(_HEADER_READ)
        return super().size(name) - crypto.file_overhead(head)

    # --- Rotation --------------------------------------------------------------------------

    def stored_names(self) -> Iterator[str]:
        """Every file in the storage, by the name it was saved under."""
        root = Path(self.location)
        if not root.is_dir():
            return
        for directory, _subdirectories, files in os.walk(root):
            for file_name in sorted(files):
                if file_name.startswith(_TEMPORARY_PREFIX):
                    continue
                yield (Path(directory) / file_name).relative_to(root).as_posix()

    def key_id(self, name: str) -> str | None:
        """The id of the key that sealed a file; ``None`` for a file stored in clear."""
        with open(self.path(name), "rb") as handle:
            head = handle.read(_HEADER_READ)
        if not head.startswith(crypto.FILE_MAGIC):
            return None
        return crypto.file_key_id(head)

    def reseal(self, name: str) -> None:
        """Encrypt a file again with the current key (a file in clear is encrypted)."""
        data = self._read(name)
        if data.startswith(crypto.FILE_MAGIC):
            data = crypto.decrypt_file(data, name=name)
        self._write(name, crypto.encrypt_file(data, name=name))

    def decrypt_in_place(self, name: str) -> None:
        """Leave a file in clear (reversing the migration that encrypted stored files)."""
        data = self._read(name)
        if data.startswith(crypto.FILE_MAGIC):
            self._write(name, crypto.decrypt_file(data, name=name))

    def _read(self, name: str) -> bytes:
        with open(self.path(name), "rb") as handle:
            return handle.read()

    def _write(self, name: str, data: bytes) -> None:
        # A new file next to the old one, then renamed over it: a crash leaves one or the other.
        path = Path(self.path(name))
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=_TEMPORARY_PREFIX)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(temporary, self.file_permissions_mode)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def encrypted_storages() -> list[Any]:
    """The configured storages that encrypt, for the rotation command."""
    from django.core.files.storage import storages

    return [
        storages[alias]
        for alias in storages.backends
        if isinstance(storages[alias], EncryptedFileSystemStorage)
    ]
