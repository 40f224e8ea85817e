"""The profile's pages for API access: personal access tokens and the applications a person
allowed to act for them (namespace ``api_pages``, under /accounts/api-access/)."""

from django.urls import path

from api import token_pages

urlpatterns = [
    path("", token_pages.ApiAccessView.as_view(), name="index"),
    path("tokens/created/", token_pages.TokenCreatedView.as_view(), name="token_created"),
    path("tokens/<int:pk>/revoke/", token_pages.TokenRevokeView.as_view(), name="token_revoke"),
    path(
        "applications/<int:pk>/revoke/",
        token_pages.ApplicationRevokeView.as_view(),
        name="application_revoke",
    ),
]
