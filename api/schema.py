"""How drf-spectacular describes the two ways of authenticating."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from api.scopes import SCOPES


class PersonalAccessTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PersonalAccessTokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal access token made in the profile (`rpat_…`), sent as "
                "`Authorization: Bearer rpat_…`."
            ),
        }


class OAuthScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.OAuthAuthentication"
    name = "oauth2"
    priority = 1

    def get_security_requirement(self, auto_schema: Any) -> dict[str, list[str]]:
        scopes = getattr(auto_schema.view, "required_scopes", {}).get(auto_schema.method, [])
        return {self.name: list(scopes)}

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "oauth2",
            "description": (
                "Authorization code with PKCE (S256) for applications acting for a person, "
                "who consents on a page of the portal."
            ),
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": reverse("oauth2_provider:authorize"),
                    "tokenUrl": reverse("oauth2_provider:token"),
                    "refreshUrl": reverse("oauth2_provider:token"),
                    "scopes": {name: str(label) for name, label in SCOPES.items()},
                }
            },
        }
