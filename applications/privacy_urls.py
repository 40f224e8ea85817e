"""The person's data export, mounted at /privacy/ (URL names ``privacy:...``)."""

from django.urls import path

from applications.views import privacy as views

app_name = "privacy"

urlpatterns = [
    path("export/", views.DataExportView.as_view(), name="export"),
]
