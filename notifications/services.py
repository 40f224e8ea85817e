"""The notification centre (SPEC §6): a user marks their notifications read and chooses which
kinds reach them by e-mail. Making notifications is ``delivery.py``; sending them, ``sending.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from notifications.constants import ALWAYS_EMAILED, Kind
from notifications.models import Notification, NotificationPreference
from notifications.selectors import notification_get_for_user

if TYPE_CHECKING:
    from accounts.models import User


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read; someone else's raises DoesNotExist (404)."""
    notification = notification_get_for_user(user=user, notification_id=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark all the user's unread notifications read; returns how many were."""
    return Notification.objects.inbox_of(user).unread().update(read_at=timezone.now())


def notification_preferences_set(*, user: User, email_disabled: Iterable[str]) -> set[str]:
    """Turn e-mail off for the given kinds and on for the rest. The e-mails with legal effect
    (interruption, decision) cannot be turned off. Returns the kinds now without e-mail."""
    disabled = {Kind(kind) for kind in email_disabled} - ALWAYS_EMAILED
    with transaction.atomic():
        NotificationPreference.objects.filter(user=user).exclude(kind__in=disabled).delete()
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(user=user, kind=kind, email_enabled=False)
                for kind in disabled
            ],
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["email_enabled"],
        )
    return {str(kind) for kind in disabled}


def configurable_kinds(user: User) -> list[Kind]:
    """The kinds a caseworker or an applicant can choose about in their preferences."""
    staff = user.has_perm("applications.process_application")
    office = {
        Kind.ASSIGNED,
        Kind.CHANGE_REPORTED,
        Kind.EXTENSION_REQUESTED,
        Kind.CASE_ACTIVITY,
        Kind.DOCUMENTS_ARRIVED,
        Kind.DECISION_DUE_REMINDER,
        Kind.OVERDUE_DIGEST,
        Kind.INTERRUPTION_OVERDUE,
    }
    return [kind for kind in Kind if (kind in office) == staff and kind not in ALWAYS_EMAILED]
