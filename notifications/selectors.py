"""Reads the notification centre, the page header and the sweeps share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from notifications.models import Notification, NotificationPreference

if TYPE_CHECKING:
    from accounts.models import User
    from notifications.query import NotificationQuerySet


def notification_list_for_user(*, user: User) -> NotificationQuerySet:
    """The user's in-app notifications, newest first, with the case each is about. Render a
    page of them with ``rendering.in_app_texts`` (one query per model their data refer to)."""
    return (
        Notification.objects.inbox_of(user)
        .select_related("application")
        .only(
            "pk",
            "kind",
            "subject",
            "body",
            "data",
            # What the encrypted body and data are bound to.
            "row_key",
            "created_at",
            "read_at",
            "application__id",
            "application__reference_number",
        )
        .order_by("-created_at", "-pk")
    )


def notification_get_for_user(*, user: User, notification_id: int) -> Notification:
    """One of the user's own notifications; another user's raises DoesNotExist (a 404)."""
    return Notification.objects.inbox_of(user).get(pk=notification_id)


def unread_count(*, user: User) -> int:
    """The unread badge: one COUNT on the partial index ``notification_unread_idx``."""
    return Notification.objects.inbox_of(user).unread().count()


def email_disabled_kinds(*, user: User) -> set[str]:
    """The kinds this user asked to get no e-mail for."""
    return set(
        NotificationPreference.objects.filter(user=user, email_enabled=False).values_list(
            "kind", flat=True
        )
    )
