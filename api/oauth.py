"""The OAuth scopes are the API's (``api.scopes``): one list for the consent page, the schema
and the views' checks."""

from __future__ import annotations

from typing import Any

from oauth2_provider.scopes import BaseScopes

from api.scopes import ALL, SCOPES


class ScopesBackend(BaseScopes):
    def get_all_scopes(self) -> dict[str, str]:
        return {name: str(label) for name, label in SCOPES.items()}

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return list(ALL)

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        # Nothing unless asked for: an application names what it needs.
        return []
