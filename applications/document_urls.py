"""Downloading a document of the case's record, mounted at /documents/ (URL names
``documents:...``)."""

from django.urls import path

from applications.views import documents as views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/download/", views.DocumentDownloadView.as_view(), name="download"),
]
