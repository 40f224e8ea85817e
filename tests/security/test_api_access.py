"""Every route of the API, asked for one applicant's records by everyone else, with tokens.

The routes come from the resolver (``api`` namespace), not from a list kept by hand: a new route
fails ``test_every_api_route_is_walked`` until ``API_ROUTES`` says which of the owner's objects
to ask it for (or that it takes none), so no route goes unchecked. The methods each route
answers and the scopes each needs are read from its view (``required_scopes``), so the walk
asks every method the route has.

For each route and method:

* another applicant, an unassigned caseworker and a support worker who did not record the owner,
  each with a token of every scope, asking for the owner's case, document, decision, interruption
  or subscription: **404**;
* the owner with a token that has every scope but the one the method needs: **403**;
* the owner with a token revoked a moment ago: **401** at once; no token at all: **401**;

and in every case the answer holds none of the owner's canary values
(``_scenario.OWNER_CANARIES``) nor any of the owner's files, and no record changed. Routes that
take no id (the caller's own lists) are asked by the others too, and must show them nothing of
the owner's. Changes send the case's present ``If-Match`` and a body that would be accepted,
so that only the access rules can refuse them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from api import scopes
from api.models import PersonalAccessToken
from applications.models import Application
from tests.api.conftest import make_token
from tests.security._scenario import (
    OWNER_CANARIES,
    REPRESENTATIVES,
    Persona,
    Scenario,
    body_of,
    build_scenario,
    canaries_in,
    changes,
    snapshot,
)
from tests.security.test_object_access import Route, routes
from webhooks import services as webhook_services
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db

Kwargs = dict[str, Any]
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(datetime(2026, 12, 4, 10, tzinfo=ZoneInfo("Europe/Prague"))):
        yield


@dataclass(frozen=True)
class ApiRoute:
    """How to ask a route for the owner's objects. ``objects`` None: the route takes no id of
    the owner's (a caller's own list, or a public page)."""

    objects: Callable[[Scenario], list[Kwargs]] | None = None
    payload: Callable[[Scenario, Kwargs], dict[str, Any]] | None = None
    public: bool = False


def _cases(*names: str) -> Callable[[Scenario], list[Kwargs]]:
    return lambda s: [{"pk": s.cases[name].pk} for name in names]


def _documents(*names: str) -> Callable[[Scenario], list[Kwargs]]:
    def kwargs(s: Scenario) -> list[Kwargs]:
        return [
            {"pk": s.documents[name].application_id, "document_id": s.documents[name].pk}
            for name in names
        ]

    return kwargs


def _decision(s: Scenario) -> list[Kwargs]:
    return [{"pk": s.decision.application_id, "decision_id": s.decision.pk}]


def owners_subscription(s: Scenario) -> Subscription:
    """The owner's webhook subscription with one delivery, made once."""
    found = Subscription.objects.filter(owner=s.owner).first()
    if found is not None:
        return found
    subscription, _secret = webhook_services.subscription_create(
        owner=s.owner, url="https://owner.example/hooks", events=["filed"]
    )
    Delivery.objects.create(
        subscription=subscription,
        message_id="msg_owners",
        event="filed",
        application_id=s.cases["filed"].pk,
        sequence=1,
        payload={"type": "case.filed"},
    )
    return subscription


def _subscription(s: Scenario) -> list[Kwargs]:
    return [{"pk": owners_subscription(s).pk}]


def _webhook_delivery(s: Scenario) -> list[Kwargs]:
    subscription = owners_subscription(s)
    return [{"pk": subscription.pk, "delivery_id": subscription.deliveries.get().pk}]


EVERY_CASE = ("draft", "child_draft", "filed", "claimed", "interrupted", "decided", "appealed")

# Routes anyone may call: the schema, its documentation, the problem types, the catalogue.
PUBLIC = ApiRoute(public=True)

API_ROUTES: dict[str, ApiRoute] = {
    "api:schema": PUBLIC,
    "api:docs": PUBLIC,
    "api:problem-type": PUBLIC,
    "api:not-found": PUBLIC,
    "api:permit-types": PUBLIC,
    "api:permit-type": PUBLIC,
    "api:advisor": PUBLIC,
    "api:calculator-schengen": PUBLIC,
    "api:calculator-permanent-residence": PUBLIC,
    "api:me": ApiRoute(),
    # A person's applications (api/cases.py).
    "api:case-list": ApiRoute(),
    "api:case-detail": ApiRoute(_cases(*EVERY_CASE)),
    "api:case-questions": ApiRoute(_cases("draft", "child_draft")),
    "api:case-answers": ApiRoute(_cases("draft", "child_draft"), lambda s, kw: {"answers": {}}),
    "api:case-documents": ApiRoute(_cases("draft", "interrupted")),
    "api:case-document": ApiRoute(_documents("draft", "interrupted", "filed")),
    "api:case-document-file": ApiRoute(_documents("draft", "interrupted", "filed")),
    "api:case-declarations": ApiRoute(_cases("draft")),
    "api:case-file": ApiRoute(_cases("draft")),
    # After filing (api/decisions.py).
    "api:case-timeline": ApiRoute(_cases(*EVERY_CASE)),
    "api:decisions": ApiRoute(_cases("decided", "appealed")),
    "api:decision": ApiRoute(_decision),
    "api:decision-pdf": ApiRoute(_decision),
    "api:case-withdraw": ApiRoute(_cases("filed", "interrupted")),
    "api:case-supply": ApiRoute(_cases("interrupted")),
    # The person's notices and data export (api/person.py).
    "api:notifications": ApiRoute(),
    "api:export": ApiRoute(),
    # Webhook subscriptions (api/webhooks.py).
    "api:webhooks": ApiRoute(),
    "api:webhook": ApiRoute(_subscription, lambda s, kw: {"active": False}),
    "api:webhook-deliveries": ApiRoute(_subscription),
    "api:webhook-redeliver": ApiRoute(_webhook_delivery),
    "api:case-appeal": ApiRoute(
        _cases("decided"), lambda s, kw: {"grounds": "The office overlooked my contract."}
    ),
}


def api_routes() -> list[Route]:
    return [route for route in routes() if route.namespace.split(":")[0] == "api"]


def _route(key: str) -> Route:
    return next(route for route in api_routes() if route.key == key)


def _view_class(route: Route) -> Any:
    callback = route.pieces[-1].callback
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


def methods_of(route: Route) -> list[str]:
    view = _view_class(route)
    if view is None:
        return ["get"]
    return [m for m in METHODS if hasattr(view, m) and m in view.http_method_names]


def scopes_for(route: Route, method: str) -> list[str]:
    view = _view_class(route)
    return list(getattr(view, "required_scopes", {}).get(method.upper(), []))


def _present_version(kwargs: Kwargs) -> int | None:
    return Application.objects.filter(pk=kwargs.get("pk")).values_list("version", flat=True).first()


@dataclass
class Asked:
    label: str
    status: int
    problems: list[str]


class ApiWalk:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.problems: list[str] = []
        self.requests = 0
        self.record = snapshot()

    def ask(
        self,
        client: APIClient,
        who: str,
        route: Route,
        method: str,
        kwargs: Kwargs,
        expected: int | tuple[int, ...],
        *,
        owner_may_show: bool = False,
    ) -> None:
        url = route.url(kwargs)
        target = API_ROUTES[route.key]
        data = target.payload(self.scenario, kwargs) if target.payload else {}
        headers: dict[str, str] = {}
        version = _present_version(kwargs)
        if version is not None:
            headers["HTTP_IF_MATCH"] = f'"{version}"'
        self.requests += 1
        label = f"{method.upper()} {url} as {who}"
        try:
            sender = getattr(client, method)
            if method == "get":
                response = sender(url, **headers)
            else:
                response = sender(url, data, format="json", **headers)
            body = body_of(response)
        except Exception as error:  # every failure is reported with the rest
            self.problems.append(f"{label}: raised {error!r}")
            return
        allowed = expected if isinstance(expected, tuple) else (expected,)
        if response.status_code not in allowed:
            self.problems.append(f"{label}: answered {response.status_code}, not {allowed}")
        if not owner_may_show:
            leaked = canaries_in(response, body, OWNER_CANARIES)
            if leaked:
                self.problems.append(f"{label}: the answer shows {', '.join(leaked)}")
            if body in self.scenario.files:
                self.problems.append(f"{label}: the answer is one of the owner's files")
        after = snapshot()
        changed = changes(self.record, after)
        self.record = after
        # Tokens made for the walk itself and "last used" marks are not the owner's records.
        changed = [name for name in changed if name not in ("access_tokens",)]
        if changed:
            self.problems.append(f"{label}: changed {', '.join(changed)}")

    def report(self) -> str:
        return f"{len(self.problems)} problems in {self.requests} requests:\n" + "\n".join(
            self.problems
        )


@pytest.fixture
def scenario(other_applicant, caseworker, other_caseworker, support, supervisor) -> Scenario:
    built = build_scenario(
        other_applicant=other_applicant,
        caseworker=caseworker,
        assigned_caseworker=other_caseworker,
        support=support,
        supervisor=supervisor,
    )
    owners_subscription(built)
    return built


def _client(token: str | None) -> APIClient:
    client = APIClient()
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _asked_routes() -> Iterator[tuple[Route, ApiRoute, str]]:
    for route in api_routes():
        target = API_ROUTES[route.key]
        if target.public:
            continue
        for method in methods_of(route):
            yield route, target, method


# --- The tests ---------------------------------------------------------------------------------


def test_every_api_route_is_walked():
    known = {route.key for route in api_routes()}
    unknown = sorted(known - API_ROUTES.keys())
    assert not unknown, (
        "These API routes are not in the access walk; add each to API_ROUTES in "
        f"{__name__} with the owner's objects to ask for: {unknown}"
    )
    stale = sorted(API_ROUTES.keys() - known)
    assert not stale, f"API_ROUTES names routes the API no longer has: {stale}"
    for route in api_routes():
        takes_ids = bool(route.parameters)
        target = API_ROUTES[route.key]
        if takes_ids and not target.public:
            assert target.objects is not None, f"{route.key} takes an id: name the owner's"


def test_every_method_that_reads_or_changes_a_persons_records_needs_a_scope():
    """A method without a scope would let any token through: the 403 test would test nothing."""
    unscoped = [
        f"{method.upper()} {route.key}"
        for route, _target, method in _asked_routes()
        if route.key != "api:me" and not scopes_for(route, method)
    ]
    assert not unscoped, unscoped


def test_no_one_else_gets_the_owners_records(scenario, settings):
    # Every caller walks from one test address: the per-address limit is not what is tested.
    settings.API_RATES = {**settings.API_RATES, "address": "100000/min"}
    walk = ApiWalk(scenario)
    others = {
        Persona.OTHER_APPLICANT: scenario.accounts[Persona.OTHER_APPLICANT],
        Persona.CASEWORKER: scenario.accounts[Persona.CASEWORKER],
        Persona.SUPPORT: scenario.accounts[Persona.SUPPORT],
        **{persona: scenario.accounts[persona] for persona in REPRESENTATIVES},
    }
    clients = {persona: _client(make_token(user)) for persona, user in others.items()}
    walk.record = snapshot()
    for route, target, method in _asked_routes():
        for persona, client in clients.items():
            if target.objects is None:
                # The caller's own list: allowed, and nothing of the owner's in it.
                walk.ask(client, persona.value, route, method, {}, (200, 201, 400, 404, 405))
                continue
            for kwargs in target.objects(scenario):
                walk.ask(client, persona.value, route, method, kwargs, 404)
    assert not walk.problems, walk.report()
    assert walk.requests > 3 * len(API_ROUTES)


def test_a_token_without_the_scope_is_refused(scenario):
    walk = ApiWalk(scenario)
    owner = scenario.owner
    asked = 0
    for route, target, method in _asked_routes():
        needed = scopes_for(route, method)
        if not needed:
            continue
        client = _client(make_token(owner, [s for s in scopes.ALL if s not in needed]))
        walk.record = snapshot()
        every = target.objects(scenario) if target.objects else [{}]
        for kwargs in every:
            walk.ask(
                client,
                "the owner without the scope",
                route,
                method,
                kwargs,
                403,
                owner_may_show=True,
            )
            asked += 1
    assert not walk.problems, walk.report()
    assert asked


def test_a_revoked_token_and_no_token_are_refused_at_once(scenario):
    walk = ApiWalk(scenario)
    token = make_token(scenario.owner)
    with_token = _client(token)
    assert with_token.get("/api/v1/me/").status_code == 200
    PersonalAccessToken.objects.filter(user=scenario.owner).update(revoked_at=timezone.now())
    anonymous = _client(None)
    walk.record = snapshot()
    for route, target, method in _asked_routes():
        every = target.objects(scenario) if target.objects else [{}]
        for kwargs in every[:1]:
            walk.ask(with_token, "the owner, token revoked", route, method, kwargs, 401)
            walk.ask(anonymous, "no token", route, method, kwargs, 401)
    assert not walk.problems, walk.report()


def test_the_walk_would_see_a_leak(scenario):
    """The owner, with every scope, is given their own file: judged as if someone else had
    asked, the walk sees the answer is not a refusal and is one of the owner's files, so a
    leak to someone else could not pass unseen."""
    walk = ApiWalk(scenario)
    client = _client(make_token(scenario.owner))
    route = _route("api:case-document-file")
    document = scenario.documents["filed"]
    kwargs = {"pk": document.application_id, "document_id": document.pk}
    walk.ask(client, "the owner", route, "get", kwargs, 404)
    assert any("answered 200" in p for p in walk.problems), walk.report()
    assert any("one of the owner's files" in p for p in walk.problems), walk.report()
