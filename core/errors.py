"""Errors a person can cause, with a message fit to show them."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """The family of refusals a view, the admin or a task can show as they are."""

    default_message = _("This action is not possible.")

    def __init__(self, message: str | None = None, *, problems: Sequence[str] = ()) -> None:
        self.message = str(message or self.default_message)
        self.problems = [str(p) for p in problems]
        super().__init__(self.message)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return f"{self.message} " + " ".join(self.problems)


class TransitionRefused(ApplicationError):
    default_message = _("This action is not possible in the case's present state.")


class ConcurrentChange(ApplicationError):
    default_message = _(
        "This case changed meanwhile: someone else acted on it. Reload the page to see its "
        "present state; nothing you entered was saved."
    )


class NotPermitted(ApplicationError):
    default_message = _("You may not do this on this case.")


class FilingBlocked(ApplicationError):
    default_message = _("The application cannot be filed yet.")
