from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView

from core.page_cache import public_page


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico whatever the page says. The static file's
    name is looked up per request: in production it carries its hash from the manifest."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


admin.site.site_header = "Residence permits — back office"
admin.site.site_title = "Residence permits"

urlpatterns = [
    path("", public_page(TemplateView.as_view(template_name="home.html")), name="home"),
    # The pages every public-administration site has: contacts, the accessibility statement
    # (Act No. 99/2019 Coll., outside the seeds) and how personal data are processed.
    path("contact/", TemplateView.as_view(template_name="pages/contact.html"), name="contact"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path(
        "personal-data/",
        TemplateView.as_view(template_name="pages/privacy.html"),
        name="privacy_notice",
    ),
    path("favicon.ico", favicon, name="favicon"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("applications.profile_urls")),
    path("accounts/api-access/", include(("api.page_urls", "api_pages"))),
    path("", include("applications.representation_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("permits/", include("permits.urls")),
    path("caseworker/", include("applications.caseworker_urls")),
    path("", include("applications.urls")),
    path("documents/", include("applications.document_urls")),
    path("notifications/", include("notifications.urls")),
    path("privacy/", include("applications.privacy_urls")),
    path("healthz", include("config.health")),
    path("api/v1/", include("api.urls")),
    path("oauth/", include("api.oauth_urls")),
    # One log-in for everyone, with its lock-out and second factor: not the admin's own form.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
    ),
    path("admin/", admin.site.urls),
]
