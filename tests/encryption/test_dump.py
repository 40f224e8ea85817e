"""A dump of the database shows none of the personal data in clear: canary values are written
through the models, the database is dumped (pg_dump on PostgreSQL; the database file and an
SQL dump on SQLite) and searched for them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import formats, translation

from accounts.constants import Role
from applications import services
from applications.case_documents import document_upload, document_verify
from applications.models import AuditEntry, CaseNote
from notifications.models import Notification
from permits.models import DocumentKind
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicantFactory, ApplicationFactory, pdf_bytes

# Committed, so that pg_dump (another connection) sees the rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def dump_database() -> bytes:
    connection.ensure_connection()
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            pytest.fail("pg_dump is not installed: the dump cannot be checked (never skipped).")
        command = [pg_dump, "--no-owner", "--dbname", settings_dict["NAME"]]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if settings_dict.get(key):
                command += [option, str(settings_dict[key])]
        environment = {**os.environ}
        if settings_dict.get("PASSWORD"):
            environment["PGPASSWORD"] = settings_dict["PASSWORD"]
        result = subprocess.run(  # noqa: S603 - a fixed program with our own settings
            command, capture_output=True, env=environment, timeout=300, check=False
        )
        if result.returncode != 0:
            pytest.fail(f"pg_dump failed: {result.stderr.decode(errors='replace')}")
        return result.stdout
    if connection.vendor == "sqlite":
        database = Path(settings_dict["NAME"])
        files = [database, Path(f"{database}-wal"), Path(f"{database}-journal")]
        raw = b"".join(path.read_bytes() for path in files if path.exists())
        statements = "\n".join(connection.connection.iterdump()).encode()
        return raw + statements
    pytest.fail(f"No dump check for {connection.vendor}.")


def rows_of(dumped: bytes, table: str) -> bytes:
    """The rows of one table as the dump holds them: pg_dump's COPY block, or SQLite's
    INSERT statements."""
    if connection.vendor == "postgresql":
        found = re.search(
            rb"^COPY public\." + table.encode() + rb" \(.*?\) FROM stdin;\n(.*?)^\\\.$",
            dumped,
            re.MULTILINE | re.DOTALL,
        )
        return found.group(1) if found else b""
    insert = f'INSERT INTO "{table}" VALUES'.encode()
    return b"\n".join(line for line in dumped.splitlines() if line.startswith(insert))


def test_a_database_dump_holds_no_canary_in_clear():
    token = uuid.uuid4().hex[:12].upper()
    surname = f"Canarysurname{token}"
    numbers = [f"ZQ{token}{n}" for n in range(3)]
    addresses = [f"Canary street {token} {n}, Praha" for n in range(3)]
    birthdays = [date(1913, 7, 27 + n) for n in range(3)]
    author = UserFactory()
    for number, address, born in zip(numbers, addresses, birthdays, strict=True):
        person = ApplicantFactory(
            surname=surname,
            nationality="UA",
            travel_document_number=number,
            address=address,
            date_of_birth=born,
            phone=f"+420 {token}",
        )
        application = ApplicationFactory(
            applicant=person, answers={"vacancy_number": f"Canary answer {token}"}
        )
        CaseNote.objects.create(application=application, author=author, text=f"Canary note {token}")
        AuditEntry.objects.create(application=application, action="x", note=f"Canary audit {token}")
    # The reason for an interruption also goes into the audit trail and the notifications.
    caseworker = UserFactory(role=Role.CASEWORKER)
    interrupted = ApplicationFactory(filed=True, applicant=person)
    services.application_claim(application=interrupted, actor=caseworker)
    services.application_interrupt(
        application=interrupted,
        actor=caseworker,
        reason=f"Canary reason {token}",
        document_kinds=DocumentKind.objects.filter(code="accommodation"),
    )
    assert any(
        f"Canary reason {token}" in notification.body
        for notification in Notification.objects.filter(application=interrupted)
    )
    # A document's original name and the reason it was rejected (the audit trail copies the
    # reason).
    document = document_upload(
        application=interrupted,
        kind=DocumentKind.objects.get(code="accommodation"),
        upload=SimpleUploadedFile(f"Canaryfile{token}.pdf", pdf_bytes(), "application/pdf"),
        actor=caseworker,
    )
    document_verify(
        document=document, actor=caseworker, accepted=False, reason=f"Canary rejection {token}"
    )
    # The notices of the interruption: their subjects used to name the case and the deadline.
    notices = Notification.objects.filter(application=interrupted)
    assert notices.exists()
    interruption = interrupted.interruptions.get()
    deadlines_as_written = set()
    for notice in notices:
        with translation.override(notice.language):
            deadlines_as_written.add(formats.date_format(interruption.deadline))

    dumped = dump_database()

    # The dump is real: what is meant to be in clear is there.
    assert surname.encode() in dumped
    canaries = [
        *numbers,
        *addresses,
        *(born.isoformat() for born in birthdays),
        f"+420 {token}",
        f"Canary answer {token}",
        f"Canary note {token}",
        f"Canary audit {token}",
        f"Canary reason {token}",
        f"Canaryfile{token}",
        f"Canary rejection {token}",
    ]
    found = [canary for canary in canaries if canary.encode() in dumped]
    assert found == []
    # The reference number and the deadline are in clear in the case's own rows, but not in the
    # notifications' (the subject names the kind of message only; the text is encrypted).
    notification_rows = rows_of(dumped, Notification._meta.db_table)
    assert all(notice.idempotency_key.encode() in notification_rows for notice in notices)
    clues = [interrupted.reference_number, *deadlines_as_written]
    assert [clue for clue in clues if clue.encode() in notification_rows] == []
    # Nor the number in any other case or spacing.
    assert numbers[0].lower().encode() not in dumped.lower()
