"""Logs are append-only for everyone but the retention of personal data."""

from __future__ import annotations

import pytest

from applications.models import AuditEntry, CaseNote
from applications.services import case_note_add
from core.appendonly import purge
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_internal_notes_refuse_bulk_deletion_and_update(caseworker):
    application = ApplicationFactory(filed=True)
    case_note_add(application=application, author=caseworker, text="Called the employer.")

    with pytest.raises(PermissionError):
        CaseNote.objects.filter(application=application).delete()
    with pytest.raises(PermissionError):
        CaseNote.objects.filter(application=application).update(text="")
    assert CaseNote.objects.filter(application=application).count() == 1


def test_redaction_rewrites_only_the_named_field_and_keeps_the_row(caseworker):
    application = ApplicationFactory(filed=True)
    entry = AuditEntry.objects.filter(application=application, action="file").get()
    entry.note = "x"
    with pytest.raises(PermissionError):
        entry.save()

    entry = AuditEntry.objects.get(pk=entry.pk)
    entry.redact(note="[anonymised]")

    reread = AuditEntry.objects.get(pk=entry.pk)
    assert reread.note == "[anonymised]"
    assert (reread.action, reread.created_at, reread.actor_id) == (
        entry.action,
        entry.created_at,
        entry.actor_id,
    )


def test_purge_is_the_one_way_rows_leave_a_log(caseworker):
    application = ApplicationFactory(filed=True)
    case_note_add(application=application, author=caseworker, text="One.")
    case_note_add(application=application, author=caseworker, text="Two.")

    assert purge(CaseNote.objects.filter(application=application)) == 2
    assert not CaseNote.objects.filter(application=application).exists()
