"""OAuth 2.0 for the API (django-oauth-toolkit), at /oauth/: the consent page, the token
endpoint and revocation (RFC 7009). Only what the authorization-code flow needs: applications
are registered by the office in the admin, so the toolkit's management pages, the device flow
and introspection (the API is its own resource server) are not served."""

from django.urls import path
from oauth2_provider import views

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", views.AuthorizationView.as_view(), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
]
