from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import User
from accounts.signals import SecurityChange, security_changed


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "job_title",
        "is_staff",
        "is_active",
        "preferred_language",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "preferred_language"]
    search_fields = ["email", "first_name", "last_name", "job_title"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        # Decisions and resolutions are signed with the official's name, surname and function
        # (Administrative Procedure Code § 69(1), outside the seeds).
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "job_title", "preferred_language")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "first_name",
                    "last_name",
                    "job_title",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # A deactivated account is logged out everywhere, and stays so if re-activated.
            services.user_sessions_end(user=obj)
            security_changed.send(
                sender=SecurityChange, request=request, user=obj, change=SecurityChange.DEACTIVATED
            )
