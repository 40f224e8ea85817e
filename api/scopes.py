"""What a token may do: one scope per capability (issue 19, point 2).

A third-party application asks for scopes on the consent page; a personal access token is
made with the scopes its owner ticks. The API's views name the scope each method needs
(``api.permissions.HasScope``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CASES_READ = "cases:read"
CASES_WRITE = "cases:write"
DECISIONS_READ = "decisions:read"
REMEDIES_WRITE = "remedies:write"
NOTIFICATIONS_READ = "notifications:read"
EXPORT_READ = "export:read"
WEBHOOKS = "webhooks"

# The order is the consent page's and the profile's.
SCOPES: dict[str, object] = {
    CASES_READ: _("See your applications, their state, history and deadlines"),
    CASES_WRITE: _(
        "Prepare and file applications, upload documents, answer the office's requests and "
        "withdraw an application"
    ),
    DECISIONS_READ: _(
        "Read your decisions — opening a decision that was not yet delivered delivers it, and "
        "the period for an appeal starts"
    ),
    REMEDIES_WRITE: _("Lodge an appeal or a request for re-assessment in your name"),
    NOTIFICATIONS_READ: _("Read the notices the office sent you"),
    EXPORT_READ: _("Download a copy of all your data"),
    WEBHOOKS: _("Be told of changes to your cases at an address the application names"),
}

ALL = tuple(SCOPES)


def labels(scopes: list[str] | tuple[str, ...]) -> list[str]:
    """The scopes' descriptions in the page's language, in the catalogue's order."""
    return [str(SCOPES[s]) for s in ALL if s in scopes]
