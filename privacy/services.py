"""Writing the access log: one function every hook calls, one INSERT per call; and the counts of
requests refused to visitors who are not logged in, one UPDATE per request."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, cast

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

# The one reading of the client's address (REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies
# their X-Forwarded-For entry), shared with the lock-out's counting.
from accounts.network import client_ip
from privacy.constants import Action, DeniedRequestKind
from privacy.models import AccessEvent, DeniedRequestCount

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

USER_AGENT_MAX = 255
PATH_MAX = 255
# Set on the request once a denial is in the log, so the middleware does not log it twice.
DENIAL_RECORDED = "_privacy_denial_recorded"


# URL parameters that are secrets (the links of e-mail verification and password reset).
_SECRET_URL_PARAMETERS = frozenset({"token", "uidb64", "key"})


def safe_path(request: HttpRequest) -> str:
    """The path without its query string; a URL that carries a secret (an e-mail verification
    or password reset link) is stored as its pattern instead."""
    match = getattr(request, "resolver_match", None)
    if match is not None and _SECRET_URL_PARAMETERS & set(match.kwargs):
        return f"/{match.route}"[:PATH_MAX]
    return request.path[:PATH_MAX]


def _case_model() -> type[models.Model]:
    # The case is whatever the log links an event to: the foreign key names the model by string,
    # so the log knows the case without importing the app above it.
    return AccessEvent._meta.get_field("application").related_model


def _case_of(target: models.Model | None) -> Any:
    """The case ``target`` is, or belongs to (a document, a permit...); None for anything else
    (an account, a person's record)."""
    if target is None:
        return None
    if isinstance(target, _case_model()):
        return target
    if hasattr(target, "application_id"):
        # A model with a foreign key to the case; its class is one this app may not name.
        return cast(Any, target).application
    return None


def _owner_id(target: models.Model | None, application: Any) -> int | None:
    """The account that holds the person's record the target belongs to, if any."""
    if application is not None:
        return application.applicant.account_id
    return getattr(target, "account_id", None)


def record_access(
    request: HttpRequest | None,
    action: Action,
    *,
    target: models.Model | None = None,
    actor: User | None = None,
    object_type: str = "",
    object_id: Any = "",
    detail: dict[str, Any] | None = None,
    except_owner: bool = False,
) -> AccessEvent | None:
    """Append one event to the access log.

    ``target`` is what was seen (a case, a person's record, a document): its case, when it has
    one, is linked and its reference number copied. ``actor`` defaults to the logged-in user.
    With ``except_owner`` nothing is written when the actor's account holds the person's record
    (the case's applicant, or the applicant record itself): reading one's own file is not staff
    access. ``detail`` holds codes and counts, never personal data. Returns the event, or None
    when nothing was written.
    """
    user = getattr(request, "user", None) if request is not None else None
    if actor is None and user is not None and user.is_authenticated:
        actor = user
    application = _case_of(target)
    if except_owner and actor is not None and _owner_id(target, application) == actor.pk:
        return None
    if target is not None and not object_type:
        object_type = target._meta.label_lower
        object_id = target.pk
    event = AccessEvent(
        actor=actor,
        actor_email=(actor.email if actor is not None else "")[:254],
        action=action,
        application=application,
        reference_number=(application.reference_number or "") if application else "",
        object_type=object_type[:64],
        object_id=str(object_id if object_id is not None else "")[:64],
        detail=detail or {},
    )
    if request is not None:
        event.ip_address = client_ip(request)
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]
        event.path = safe_path(request)
        if action in (Action.ACCESS_DENIED, Action.LOCKED_OUT):
            setattr(request, DENIAL_RECORDED, True)
    event.save(force_insert=True)
    return event


def _counted_path(request: HttpRequest) -> str:
    # A page that names an object counts under its URL pattern: walking through ids, or
    # through made-up permit codes, adds to one row instead of adding rows.
    match = getattr(request, "resolver_match", None)
    if match is not None and match.kwargs:
        return f"/{match.route}"[:PATH_MAX]
    return safe_path(request)


def denied_request_count(request: HttpRequest, kind: DeniedRequestKind) -> None:
    """Count one request refused to a visitor who is not logged in: the row for its kind,
    client address, page and hour has its count raised by one, or is created with one.

    Raised in the database (``count = count + 1``), so requests at the same moment each add
    theirs; two that both find no row race to create it, and the loser adds to the winner's.
    """
    key = {
        "kind": kind,
        "ip_address": client_ip(request) or "",
        "path": _counted_path(request),
        "hour": timezone.now().replace(minute=0, second=0, microsecond=0),
    }
    setattr(request, DENIAL_RECORDED, True)
    rows = DeniedRequestCount.objects.filter(**key)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            DeniedRequestCount.objects.create(**key, count=1)
    except IntegrityError:
        rows.update(count=F("count") + 1)


# Filters that are text someone typed (a surname, a document number): the log says only that
# one was used.
_TYPED_FILTERS = frozenset({"q"})


def filters_detail(filters: Any) -> dict[str, Any]:
    """A list's filters as an export's ``detail``: the choices made, not the words searched."""
    is_instance = dataclasses.is_dataclass(filters) and not isinstance(filters, type)
    values = dataclasses.asdict(filters) if is_instance else dict(filters)
    return {
        key: bool(value) if key in _TYPED_FILTERS else _plain(value)
        for key, value in values.items()
        if value not in ("", None, False)
    }


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) else str(value)
