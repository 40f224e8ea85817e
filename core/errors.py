"""Errors a person can cause, with a message fit to show them."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """The family of refusals a view, the admin or a task can show as they are."""

    default_message = _("This action is not possible.")

    def __init__(self, message: str | None = None, *, problems: Sequence[str] = ()) -> None:
        self.message = str(message or self.default_message)
        self.has_own_message = bool(message)
        self.problems = [str(p) for p in problems]
        super().__init__(self.message)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return f"{self.message} " + " ".join(self.problems)

    def for_applicant(self) -> str:
        """The refusal as the applicant's pages show it: as it is, unless it is worded for
        staff (``ConcurrentChange``)."""
        return str(self)


class TransitionRefused(ApplicationError):
    default_message = _("This action is not possible in the case's present state.")


class ConcurrentChange(ApplicationError):
    """The case changed after the page was shown (optimistic locking): nothing was saved.

    Staff act on each other's cases, so they read that someone else acted. An applicant reads
    plain words about their application (``for_applicant``): the change may be their own, in
    another tab, or the office's.
    """

    default_message = _(
        "This case changed meanwhile: someone else acted on it. Reload the page to see its "
        "present state; nothing you entered was saved."
    )
    applicant_message = _(
        "This application changed while you had the page open, so nothing you entered was "
        "saved. The page now shows the application as it is: check it, then try again if you "
        "still want to."
    )

    def for_applicant(self) -> str:
        # A message given where the error was raised says more than the general one.
        if self.has_own_message:
            return str(self)
        return str(self.applicant_message)


class NotPermitted(ApplicationError):
    default_message = _("You may not do this on this case.")


class FilingBlocked(ApplicationError):
    default_message = _("The application cannot be filed yet.")
