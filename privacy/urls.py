from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("export/", views.DataExportView.as_view(), name="export"),
]
