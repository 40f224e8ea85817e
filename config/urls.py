from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView

admin.site.site_header = "Residence permits — back office"
admin.site.site_title = "Residence permits"

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("applications.profile_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("permits/", include("permits.urls")),
    path("caseworker/", include("applications.caseworker_urls")),
    path("", include("applications.urls")),
    path("documents/", include("applications.document_urls")),
    path("notifications/", include("notifications.urls")),
    path("privacy/", include("applications.privacy_urls")),
    path("healthz", include("config.health")),
    # One log-in for everyone, with its lock-out and second factor: not the admin's own form.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
    ),
    path("admin/", admin.site.urls),
]
