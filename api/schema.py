"""How drf-spectacular describes the two ways of authenticating."""

from __future__ import annotations

import re
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


METHODS = ("get", "put", "post", "patch", "delete")


def creation_links(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """OpenAPI links from each POST that creates something (a 201 whose body has an ``id``) to
    the operations on what it made: ``POST /applications/`` → ``GET /applications/{id}/``,
    its answers, documents, filing…; ``POST …/documents/`` → that document. A client (and
    schemathesis's stateful phase) follows them with the new id; the path's other parameters
    are the request's own, and a change that wants ``If-Match`` gets the ETag the creation
    answered, where it answers one (drf-spectacular postprocessing hook)."""
    schemas = result.get("components", {}).get("schemas", {})
    paths = result.get("paths", {})
    for path, operations in paths.items():
        created = operations.get("post", {}).get("responses", {}).get("201")
        if not created or "id" not in _properties(created, schemas):
            continue
        for child, child_operations in paths.items():
            new = _new_parameter(path, child)
            if new is None:
                continue
            known = set(_PATH_PARAMETER.findall(path))
            for method, operation in child_operations.items():
                if method not in METHODS:
                    continue
                declared = operation.get("parameters", [])
                others = {p["name"] for p in declared if p.get("in") == "path"} - {new}
                if not others <= known:
                    continue  # it needs an id that neither the request nor the answer gives
                parameters = {f"path.{name}": f"$request.path.{name}" for name in sorted(others)}
                parameters[f"path.{new}"] = "$response.body#/id"
                wants_version = any(
                    p.get("in") == "header" and p["name"] == "If-Match" for p in declared
                )
                if wants_version and "ETag" in created.get("headers", {}):
                    parameters["header.If-Match"] = "$response.header.ETag"
                created.setdefault("links", {})[operation["operationId"]] = {
                    "operationId": operation["operationId"],
                    "parameters": parameters,
                    "description": f"The {method.upper()} of what this created.",
                }
    return result


_PATH_PARAMETER = re.compile(r"\{([^}]+)\}")


def _new_parameter(parent: str, child: str) -> str | None:
    """The path parameter that ``child`` adds right after ``parent`` (``{id}`` of
    ``/applications/{id}/…`` under ``/applications/``), or None."""
    if not child.startswith(parent):
        return None
    segment = child[len(parent) :].split("/", 1)[0]
    if segment.startswith("{") and segment.endswith("}"):
        return segment[1:-1]
    return None


def _properties(response: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        schema = schemas.get(ref.rsplit("/", 1)[1], {})
    return schema.get("properties", {})
