"""An appeal (or a request for re-assessment) being prepared: what the applicant typed and
attached on the form, kept until they lodge it from the check page.

Why this design. The remedy is lodged in three steps without JavaScript: the form, a check page,
the receipt. A browser cannot carry chosen files from one page to the next, so the attachments
are kept on the server between the form and "Lodge":

- Nothing is lodged or filed before "Lodge". The draft is the session's (one per case, under
  ``appeal-draft-<case id>``): the grounds and, for each attachment, its name, type and size and
  the name it is kept under. The case's record gets no row and no file until the applicant
  lodges; then the grounds go through ``services.application_appeal`` and each attachment through
  ``document_upload_appeal_attachment``, as before.
- The files wait in the private storage (``default_storage``: encrypted on disk like every
  document), under ``appeal-drafts/<random name>``: a name no person chose, that no URL serves.
  Each upload is written there once, when the form is sent, and read back once, when it is filed;
  "Change" keeps them (the form lists them, each may be removed) and a new form adds to them.
- Each file is filed once. The draft leaves the session as soon as the appeal is lodged, before
  its files are filed, so a second "Lodge" (a double click, the back button) finds no draft; and
  two at once both pass the case's version, and only the first is lodged (optimistic locking).
  The kept files are deleted once filed, or when the draft is dropped.

A draft abandoned with its session leaves its files behind: they are of no use to anyone (no
URL, no row), and ``drafts_purge`` deletes those older than a session can live.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

if TYPE_CHECKING:
    from django.contrib.sessions.backends.base import SessionBase
    from django.core.files.uploadedfile import UploadedFile

    from applications.models import Application

STAGING_DIR = "appeal-drafts"


@dataclass(frozen=True)
class PendingFile:
    """An attachment chosen on the form, kept until the appeal is lodged."""

    name: str
    content_type: str
    size: int
    stored: str


@dataclass(frozen=True)
class AppealDraft:
    grounds: str
    files: list[PendingFile]


def _key(application: Application) -> str:
    return f"appeal-draft-{application.pk}"


def draft_load(session: SessionBase, application: Application) -> AppealDraft | None:
    """The draft of the appeal on this case kept in this session, if any."""
    data = session.get(_key(application))
    if not isinstance(data, dict):
        return None
    files = [PendingFile(**item) for item in data.get("files", [])]
    return AppealDraft(grounds=str(data.get("grounds", "")), files=files)


def draft_save(
    session: SessionBase,
    application: Application,
    *,
    grounds: str,
    keep: list[PendingFile],
    uploads: list[UploadedFile],
) -> AppealDraft:
    """Keep the grounds, the attachments kept from before (``keep``) and the new uploads, each
    written once to the private storage; the earlier draft's files not kept are deleted."""
    previous = draft_load(session, application)
    files = list(keep)
    for upload in uploads:
        upload.seek(0)
        stored = default_storage.save(f"{STAGING_DIR}/{secrets.token_hex(16)}", upload)
        files.append(
            PendingFile(
                name=upload.name or "attachment",
                content_type=upload.content_type or "application/octet-stream",
                size=upload.size or 0,
                stored=stored,
            )
        )
    if previous is not None:
        _delete([file for file in previous.files if file not in keep])
    draft = AppealDraft(grounds=grounds, files=files)
    session[_key(application)] = {
        "grounds": grounds,
        "files": [asdict(file) for file in files],
    }
    return draft


def draft_forget(session: SessionBase, application: Application) -> None:
    """Take the draft out of the session (its files stay until ``files_delete``)."""
    session.pop(_key(application), None)


def draft_drop(session: SessionBase, application: Application) -> None:
    """Forget the draft and delete its files."""
    draft = draft_load(session, application)
    draft_forget(session, application)
    if draft is not None:
        _delete(draft.files)


def pending_upload(file: PendingFile) -> UploadedFile:
    """A kept file as an upload, for the attachment service to inspect and file."""
    if not _ours(file):
        raise FileNotFoundError(file.stored)
    with default_storage.open(file.stored, "rb") as handle:
        content = handle.read()
    return SimpleUploadedFile(file.name, content, content_type=file.content_type)


def files_delete(files: list[PendingFile]) -> None:
    _delete(files)


def _delete(files: list[PendingFile]) -> None:
    for file in files:
        if _ours(file):
            default_storage.delete(file.stored)


def _ours(file: PendingFile) -> bool:
    """Only names this module made are read or deleted, whatever a session holds."""
    return file.stored.startswith(f"{STAGING_DIR}/") and ".." not in file.stored


def drafts_purge(*, now: datetime) -> int:
    """Delete the kept files of drafts older than any session can live; how many."""
    cutoff = now - timedelta(seconds=getattr(settings, "SESSION_ABSOLUTE_TIMEOUT", 12 * 3600))
    try:
        _directories, names = default_storage.listdir(STAGING_DIR)
    except FileNotFoundError:
        return 0
    purged = 0
    for name in names:
        path = f"{STAGING_DIR}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            purged += 1
    return purged
