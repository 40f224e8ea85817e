from django.contrib import admin

from notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
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
    raw_id_fields = ["recipient", "application"]
    # A record of what was sent: the office reads it, nobody edits it.
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email_enabled"]
    list_filter = ["kind", "email_enabled"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    search_fields = ["user__email"]
