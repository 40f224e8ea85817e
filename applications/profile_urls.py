"""The profile pages under /accounts/: the account holder's own data and their children."""

from django.urls import path

from applications.views import profile

app_name = "profile"

urlpatterns = [
    path("profile/", profile.ProfileView.as_view(), name="profile"),
    path("children/add/", profile.ChildFormView.as_view(), name="child_add"),
    path("children/<int:pk>/", profile.ChildFormView.as_view(), name="child_edit"),
]
