from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from notifications.constants import Channel

if TYPE_CHECKING:
    from accounts.models import User


class NotificationQuerySet(models.QuerySet):
    def inbox_of(self, user: User) -> NotificationQuerySet:
        """The user's notifications in the portal; anyone else's are not there (404)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user, channel=Channel.IN_APP)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)
