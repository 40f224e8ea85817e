"""Indexes for the search over every case (applications/search.py, docs/search.md).

Created with SQL, as migration 0003 does, and unknown to Django's model state on purpose: the
surname index needs an operator class on an expression and an INCLUDE list, which SQLite has
not (it is created on PostgreSQL only); the three others are plain partial indexes created on
every database, kept beside it so the search's indexes live in one place.

- ``application_search_filed_idx`` (filed_on DESC, id) WHERE status <> 'draft': the search's
  order (newest filing first, then id). A page is read from it in order and stops after 50
  matches, instead of sorting every matching case; a common surname (4 % of the people) reads
  about 1,250 entries for a page.
- ``application_search_state_idx`` (status, filed_on DESC, id): the same order within one
  state. Closed cases were filed months ago: read from the index above, the newest filings
  (all of them in proceedings) would be skipped one by one before the first closed case.
- ``application_search_applicant_idx`` (applicant_id) WHERE status <> 'draft': the filed cases
  of a person, read index-only when the capped count joins from the people found.
- ``applicant_surname_search_idx`` (UPPER(surname) text_pattern_ops) INCLUDE (surname, id): the
  surname prefix, index-only (PostgreSQL reads an expression index only when the column under
  the expression is in it too), so that counting 10,001 people of a common surname does not
  fetch 10,001 rows of the applicant table.
"""

from django.db import migrations

PORTABLE = {
    "application_search_filed_idx": (
        "ON applications_application (filed_on DESC, id) WHERE status <> 'draft'"
    ),
    "application_search_state_idx": (
        "ON applications_application (status, filed_on DESC, id) WHERE status <> 'draft'"
    ),
    "application_search_applicant_idx": (
        "ON applications_application (applicant_id) WHERE status <> 'draft'"
    ),
}
POSTGRESQL_ONLY = {
    "applicant_surname_search_idx": (
        "ON applications_applicant (UPPER(surname::text) text_pattern_ops) INCLUDE (surname, id)"
    ),
}


def _indexes(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        return {**PORTABLE, **POSTGRESQL_ONLY}
    return PORTABLE


def create_search_indexes(apps, schema_editor):
    for name, definition in _indexes(schema_editor).items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")


def drop_search_indexes(apps, schema_editor):
    for name in _indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0013_documents_arrived_person_search"),
    ]

    operations = [
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
