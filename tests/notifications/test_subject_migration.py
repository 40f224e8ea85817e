"""Notifications made while subjects still named the case and the deadline: ``migrate`` gives
them the subject a new one has, the kind's name in the recipient's language."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notifications.constants import Kind
from notifications.models import Notification
from tests.notifications.factories import email_notification, subject_of

# Migrations run outside a test's transaction; the seeded data is put back afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("notifications", "0003_encrypted_fields")]


def migrate(targets: list[tuple[str, str]]) -> None:
    MigrationExecutor(connection).migrate(targets)


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def old_notification(kind: Kind, language: str, subject: str, occurrence: str) -> Notification:
    # Made with the model as it stood then (later columns, such as ``data``, do not exist yet).
    old_model = (
        MigrationExecutor(connection)
        .loader.project_state(BEFORE)
        .apps.get_model("notifications", "Notification")
    )
    with mock.patch.object(Notification.objects, "create", old_model.objects.create):
        made = email_notification(kind=kind, language=language)
    # Written as the old templates wrote it, behind the model's back.
    old_model.objects.filter(pk=made.pk).update(
        subject=subject, event_key=f"{kind}:{made.pk}:{occurrence}"
    )
    return made


def test_old_subjects_lose_the_case_data():
    try:
        migrate(BEFORE)
        interrupted = old_notification(
            Kind.INTERRUPTED,
            "uk",
            "Потрібні документи до заяви OAM-4217/DP-2026 до 1 квітня 2026",
            "7",
        )
        filed = old_notification(Kind.FILED, "cs", "Žádost OAM-4217/DP-2026 podána", "first")
        returned = old_notification(
            Kind.FILED, "cs", "Žádost OAM-4217/DP-2026: nové projednání", "a12"
        )
        card = old_notification(Kind.PERMIT_READY, "en", "Your residence card RP260004217", "ready")

        migrate(latest())

        subjects = dict(Notification.objects.values_list("pk", "subject"))
        assert subjects == {
            interrupted.pk: subject_of(Kind.INTERRUPTED, "uk"),
            filed.pk: subject_of(Kind.FILED, "cs"),
            returned.pk: subject_of(Kind.FILED, "cs", returned=True),
            card.pk: subject_of(Kind.PERMIT_READY, "en"),
        }
        # The text is untouched.
        assert Notification.objects.get(pk=filed.pk).body == filed.body
    finally:
        migrate(latest())
