from django.contrib import admin

from notifications.models import Notification, NotificationPreference
from privacy.admin import ReadOnlyAdmin


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """A record of what the office told a person about their case: read, never edited or
    removed here (the retention job purges it with the case)."""

    list_display = [
        "created_at",
        "kind",
        "channel",
        "recipient",
        "application",
        "sent_at",
        "failed_at",
        "attempts",
    ]
    list_filter = ["kind", "channel", "language"]
    list_select_related = ["recipient", "application"]
    search_fields = ["idempotency_key", "recipient__email", "application__reference_number"]
    date_hierarchy = "created_at"
    # The message's data (references and values to render it again) is machinery, not what
    # was said: the text is shown, the data is not.
    exclude = ["data"]
    readonly_fields = [f.name for f in Notification._meta.fields if f.name != "data"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email_enabled"]
    list_filter = ["kind", "email_enabled"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    search_fields = ["user__email"]
