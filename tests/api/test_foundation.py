"""The API's frame: the schema and its documentation, problem details, tokens, limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from api import scopes
from api.models import IdempotencyRecord, PersonalAccessToken
from privacy.constants import Action
from privacy.models import AccessEvent
from tests.api.conftest import make_token

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def test_the_schema_is_openapi_3_1_and_names_both_ways_in(api_client):
    response = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"] == "3.1.0"
    schemes = schema["components"]["securitySchemes"]
    assert schemes["personalAccessToken"]["scheme"] == "bearer"
    flow = schemes["oauth2"]["flows"]["authorizationCode"]
    assert flow["authorizationUrl"] == "/oauth/authorize/"
    assert set(flow["scopes"]) == set(scopes.ALL)


def test_the_documentation_is_served_from_our_own_files_under_the_policy(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    # Swagger UI from drf-spectacular-sidecar, its start script a file: no inline script and
    # nothing from another origin.
    assert "swagger-ui" in body
    assert "cdn" not in body.lower()
    assert "<script>" not in body.replace(" ", "")
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy


def test_without_a_token_the_answer_is_a_401_problem(api_client):
    response = api_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401
    assert body["type"] == "/api/v1/problems/not-authenticated/"
    assert body["title"] and body["detail"]


def test_problems_are_in_the_callers_language(api_client):
    response = api_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="cs")
    assert response.status_code == 401
    assert response.json()["detail"] == "Nebyly zadány přihlašovací údaje."


def test_each_problem_type_is_described_at_its_address(api_client):
    body = api_client.get("/api/v1/me/").json()
    described = api_client.get(body["type"])
    assert described.status_code == 200
    assert described.json()["type"] == body["type"]
    assert api_client.get("/api/v1/problems/no-such-thing/").status_code == 404


def test_a_personal_token_acts_for_its_owner_and_the_read_is_logged(api_as, applicant):
    client = api_as(applicant, [scopes.CASES_READ])
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["id"] == applicant.pk
    assert response.json()["scopes"] == [scopes.CASES_READ]
    event = AccessEvent.objects.get(action=Action.API_READ)
    assert event.actor == applicant
    assert event.detail["token"] == "personal"


@pytest.mark.parametrize("mangle", ["unknown", "wrong-secret", "not-a-pat"])
def test_a_wrong_token_is_a_401(api_client, applicant, mangle):
    token = make_token(applicant)
    bad = {
        "unknown": "rpat_0000000000_" + "x" * 43,
        "wrong-secret": token[:-4] + "AAAA",
        "not-a-pat": "some-oauth-token-that-does-not-exist",
    }[mangle]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {bad}")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM


def test_a_revoked_token_is_refused_at_once(api_client, applicant):
    token = make_token(applicant)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/me/").status_code == 200
    PersonalAccessToken.objects.update(revoked_at=timezone.now())
    assert api_client.get("/api/v1/me/").status_code == 401


def test_an_expired_token_is_refused(api_client, applicant):
    token = make_token(applicant, days=1)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1)):
        assert api_client.get("/api/v1/me/").status_code == 401


def test_a_deactivated_account_is_refused(api_client, applicant):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(applicant)}")
    applicant.is_active = False
    applicant.save(update_fields=["is_active"])
    assert api_client.get("/api/v1/me/").status_code == 401


def test_too_many_requests_get_429_with_retry_after(api_client, applicant, settings):
    settings.API_RATES = {"address": "1000/min", "token": "3/min"}
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(applicant)}")
    answers = [api_client.get("/api/v1/me/") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused["Content-Type"] == PROBLEM
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another token of the same person has its own count.
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(applicant)}")
    assert api_client.get("/api/v1/me/").status_code == 200


def test_an_address_is_limited_whatever_the_token(api_client, applicant, settings):
    settings.API_RATES = {"address": "2/min", "token": "1000/min"}
    answers = []
    for _ in range(3):
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(applicant)}")
        answers.append(api_client.get("/api/v1/me/").status_code)
    assert answers == [200, 200, 429]


def test_idempotency_records_are_unique_per_account(applicant, other_applicant):
    IdempotencyRecord.objects.create(user=applicant, key="k", fingerprint="a")
    IdempotencyRecord.objects.create(user=other_applicant, key="k", fingerprint="a")
    assert IdempotencyRecord.objects.count() == 2


@pytest.mark.parametrize("method", ["get", "post", "delete", "patch"])
def test_an_unknown_address_is_a_404_problem_whatever_the_method(api_as, applicant, method):
    client = api_as(applicant)
    response = getattr(client, method)("/api/v1/applications/null,null/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_options_is_not_offered(api_as, applicant):
    response = api_as(applicant).options("/api/v1/applications/")
    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM


def test_the_links_of_a_creation_lead_to_what_it_made(api_client, api_as, applicant):
    schema = api_client.get(
        "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    ).json()
    where = {
        operation["operationId"]: (path, method)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if isinstance(operation, dict) and "operationId" in operation
    }
    links = schema["paths"]["/api/v1/applications/"]["post"]["responses"]["201"]["links"]
    client = api_as(applicant, list(scopes.ALL))
    created = client.post("/api/v1/applications/", {"permit_type": "employee_card"})
    assert created.status_code == 201

    def value(expression: str) -> str:
        if expression == "$response.body#/id":
            return str(created.json()["id"])
        assert expression == "$response.header.ETag", expression
        return created["ETag"]

    followed = set()
    for operation_id, link in links.items():
        path, method = where[operation_id]
        for name, expression in link["parameters"].items():
            place, _, key = name.partition(".")
            if place == "path":
                path = path.replace(f"{{{key}}}", value(expression))
        assert "{" not in path, (operation_id, path)
        if method == "get":
            assert client.get(path).status_code == 200, operation_id
            followed.add(operation_id)
    assert {"applications_retrieve", "applications_questions_list", "applications_timeline"} <= (
        followed
    )
    # A change follows with the version the creation answered.
    answers = links["applications_answers_partial_update"]["parameters"]
    assert answers["header.If-Match"] == "$response.header.ETag"
    changed = client.patch(
        f"/api/v1/applications/{created.json()['id']}/answers/",
        {"answers": {"weekly_hours": 40}},
        format="json",
        HTTP_IF_MATCH=value(answers["header.If-Match"]),
    )
    assert changed.status_code == 200, changed.json()
