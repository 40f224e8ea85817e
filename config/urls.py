from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from accounts.forms import EmailAuthenticationForm

admin.site.site_header = "Residence permits — back office"
admin.site.site_title = "Residence permits"

accounts_patterns = (
    [
        path(
            "login/",
            auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm),
            name="login",
        ),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    ],
    "accounts",
)

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("accounts/", include(accounts_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("permits/", include("permits.urls")),
    path("admin/", admin.site.urls),
]
