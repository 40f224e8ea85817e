"""The caller's own account."""

from django.urls import path

from api.account import MeView

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
]
