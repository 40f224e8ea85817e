"""Typed access to the person behind a request."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse

from accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user of a view that requires log-in. The view's login check has already
    sent anyone else away; should a view ever be reached anonymously, this refuses (403)
    rather than acting for nobody."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


# Where a person lands after logging in when no page was asked for: staff on their work, an
# applicant on their applications. Permissions and URL names are given by name: the apps that
# define them sit above this one.
LANDINGS = (
    ("applications.process_application", "caseworker:queue"),
    ("applications.file_on_behalf", "support:home"),
)


def landing_url(user: User) -> str:
    """The page a signed-in person starts from: the back office for an administrator, the queue
    for a caseworker or supervisor, the support desk for support staff, "My applications" for
    everyone else."""
    if user.is_superuser:
        return reverse("admin:index")
    for permission, url_name in LANDINGS:
        if user.has_perm(permission):
            return reverse(url_name)
    return reverse("applications:dashboard")


def second_factor_verified(request: HttpRequest) -> bool:
    """Whether this session passed the second factor (django-otp's middleware gives the user
    ``is_verified()``; the stubs do not know it)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())
