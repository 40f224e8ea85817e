from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/download/", views.DocumentDownloadView.as_view(), name="download"),
]
