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


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "description": "URI of the kind of problem."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "For invalid input: each problem, with a JSON pointer to its value.",
            "items": {
                "type": "object",
                "properties": {
                    "pointer": {"type": "string"},
                    "detail": {"type": "string"},
                },
                "required": ["pointer", "detail"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}


def problem_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Every operation may answer an error, always as problem details: the ``default``
    response of each operation says so (drf-spectacular postprocessing hook)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {
        "description": "An error, as RFC 9457 problem details.",
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method in ("get", "put", "post", "patch", "delete", "head", "options", "trace"):
                operation.setdefault("responses", {}).setdefault("default", reference)
    return result
