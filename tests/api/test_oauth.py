"""OAuth 2.0 for the API: authorization code with PKCE, the consent page in the site's look,
and the consent withdrawn from the profile at once."""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from oauth2_provider.models import get_access_token_model
from rest_framework.test import APIClient

from api import scopes
from privacy.constants import Action
from privacy.models import AccessEvent
from tests.api.conftest import REDIRECT_URI

pytestmark = pytest.mark.django_db


AUTHORIZE = "/oauth/authorize/"
TOKEN = "/oauth/token/"
PAGE = "/accounts/api-access/"


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(datetime(2026, 12, 4, 10, tzinfo=ZoneInfo("Europe/Prague"))):
        yield


class _FormFields(HTMLParser):
    """The inputs of the consent form, as a browser would send them (hidden ones)."""

    def __init__(self) -> None:
        super().__init__()
        self.in_form = False
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form" and found.get("id") == "authorizationForm":
            self.in_form = True
        elif tag == "input" and self.in_form and found.get("type") == "hidden":
            self.hidden[found["name"] or ""] = found.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False


def hidden_fields(html: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(html)
    return parser.hidden


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.decode().rstrip("=")


def authorize_url(oauth_app, *, challenge: str | None, scope: str = scopes.CASES_READ) -> str:
    query = {
        "response_type": "code",
        "client_id": oauth_app.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": scope,
        "state": "state-123",
    }
    if challenge is not None:
        query |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    return f"{AUTHORIZE}?{urlencode(query)}"


def consent(browser, oauth_app, *, scope: str = scopes.CASES_READ) -> tuple[str, str]:
    """Ask for consent and allow it: (code, verifier)."""
    verifier, challenge = pkce_pair()
    page = browser.get(authorize_url(oauth_app, challenge=challenge, scope=scope))
    assert page.status_code == 200
    fields = hidden_fields(page.content.decode())
    answer = browser.post(AUTHORIZE, {**fields, "allow": "Authorize"})
    assert answer.status_code == 302
    location = urlsplit(answer["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    query = parse_qs(location.query)
    assert query["state"] == ["state-123"]
    return query["code"][0], verifier


def exchange(client, oauth_app, code: str, verifier: str):
    return client.post(
        TOKEN,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "client_id": oauth_app.client_id,
            "code_verifier": verifier,
        },
    )


def refresh(client, oauth_app, refresh_token: str):
    return client.post(
        TOKEN,
        {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": oauth_app.client_id,
        },
    )


def me(access_token: str):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token}")
    return api.get("/api/v1/me/")


def test_the_consent_page_names_the_application_and_what_it_may_do(
    client_for, applicant, oauth_app
):
    _verifier, challenge = pkce_pair()
    response = client_for(applicant).get(authorize_url(oauth_app, challenge=challenge))
    assert response.status_code == 200
    assert "oauth2_provider/authorize.html" in [t.name for t in response.templates]
    assert "base.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert "Allow Tax Helper to act for you?" in body
    assert str(scopes.SCOPES[scopes.CASES_READ]) in body
    # Only what was asked for.
    assert str(scopes.SCOPES[scopes.CASES_WRITE]) not in body
    fields = hidden_fields(body)
    # Every field django-oauth-toolkit's own page posts is carried.
    assert {
        "csrfmiddlewaretoken",
        "redirect_uri",
        "scope",
        "nonce",
        "client_id",
        "state",
        "response_type",
        "code_challenge",
        "code_challenge_method",
        "claims",
        "resource",
    } <= set(fields)
    assert fields["code_challenge"] == challenge
    assert fields["code_challenge_method"] == "S256"
    assert 'name="allow"' in body


def test_the_whole_flow_gives_tokens_with_exactly_the_consented_scopes(
    client, client_for, applicant, oauth_app
):
    code, verifier = consent(client_for(applicant), oauth_app)
    response = exchange(client, oauth_app, code, verifier)
    assert response.status_code == 200, response.content
    issued = response.json()
    assert issued["scope"] == scopes.CASES_READ
    assert issued["refresh_token"]

    answer = me(issued["access_token"])
    assert answer.status_code == 200
    assert answer.json()["id"] == applicant.pk
    assert answer.json()["scopes"] == [scopes.CASES_READ]
    event = AccessEvent.objects.get(action=Action.API_READ)
    assert event.detail["token"] == "oauth"
    assert event.detail["client_id"] == oauth_app.client_id


def test_a_wrong_verifier_gets_no_token(client, client_for, applicant, oauth_app):
    code, _verifier = consent(client_for(applicant), oauth_app)
    response = exchange(client, oauth_app, code, pkce_pair()[0])
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not get_access_token_model().objects.exists()


def test_without_pkce_the_request_is_refused(client_for, applicant, oauth_app):
    response = client_for(applicant).get(authorize_url(oauth_app, challenge=None))
    # No consent page: the application is told the request is invalid, and gets no code.
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["error"] == ["invalid_request"]
    assert "code" not in query


def test_denying_sends_no_code(client_for, applicant, oauth_app):
    browser = client_for(applicant)
    _verifier, challenge = pkce_pair()
    page = browser.get(authorize_url(oauth_app, challenge=challenge))
    answer = browser.post(AUTHORIZE, hidden_fields(page.content.decode()))
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer["Location"]).query)
    assert query["error"] == ["access_denied"]
    assert "code" not in query


def test_anonymous_visitors_log_in_first(anonymous, oauth_app):
    url = authorize_url(oauth_app, challenge=pkce_pair()[1])
    response = anonymous.get(url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("accounts:login")
    assert parse_qs(location.query)["next"] == [url]


def test_the_profile_lists_the_application_allowed(
    client, client_for, applicant, other_applicant, oauth_app, django_assert_max_num_queries
):
    browser = client_for(applicant)
    code, verifier = consent(browser, oauth_app, scope=f"{scopes.CASES_READ} {scopes.EXPORT_READ}")
    assert exchange(client, oauth_app, code, verifier).status_code == 200
    browser.get(PAGE)
    with django_assert_max_num_queries(12):
        body = browser.get(PAGE).content.decode()
    assert "Tax Helper" in body
    assert str(scopes.SCOPES[scopes.CASES_READ]) in body
    assert str(scopes.SCOPES[scopes.EXPORT_READ]) in body
    assert "Access token valid until" in body
    assert "May renew it until" in body
    assert reverse("api_pages:application_revoke", args=[oauth_app.pk]) in body
    assert "Tax Helper" not in client_for(other_applicant).get(PAGE).content.decode()


def test_revoking_the_application_stops_its_tokens_at_once(
    client, client_for, applicant, oauth_app
):
    browser = client_for(applicant)
    code, verifier = consent(browser, oauth_app)
    issued = exchange(client, oauth_app, code, verifier).json()
    # Refreshing works while the consent stands (and rotates the pair).
    renewed = refresh(client, oauth_app, issued["refresh_token"])
    assert renewed.status_code == 200, renewed.content
    issued = renewed.json()
    assert me(issued["access_token"]).status_code == 200

    response = browser.post(reverse("api_pages:application_revoke", args=[oauth_app.pk]))
    assert response.status_code == 302

    assert me(issued["access_token"]).status_code == 401
    refused = refresh(client, oauth_app, issued["refresh_token"])
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"
    listed = browser.get(PAGE).content.decode()
    assert 'id="application-list"' not in listed
    assert 'id="no-applications"' in listed
    event = AccessEvent.objects.get(action=Action.ACCOUNT_SECURITY)
    assert event.actor == applicant
    assert event.detail == {"change": "oauth_application_revoked", "client_id": oauth_app.client_id}


def test_an_unused_code_is_withdrawn_too(client, client_for, applicant, oauth_app):
    browser = client_for(applicant)
    code, verifier = consent(browser, oauth_app)
    browser.post(reverse("api_pages:application_revoke", args=[oauth_app.pk]))
    assert exchange(client, oauth_app, code, verifier).status_code == 400


def test_another_person_cannot_revoke_my_consent(
    client, client_for, applicant, other_applicant, oauth_app
):
    code, verifier = consent(client_for(applicant), oauth_app)
    issued = exchange(client, oauth_app, code, verifier).json()
    response = client_for(other_applicant).post(
        reverse("api_pages:application_revoke", args=[oauth_app.pk])
    )
    assert response.status_code == 404
    assert me(issued["access_token"]).status_code == 200
    assert refresh(client, oauth_app, issued["refresh_token"]).status_code == 200
    assert not AccessEvent.objects.filter(action=Action.ACCOUNT_SECURITY).exists()


def test_revoking_an_unknown_application_is_a_404(client_for, applicant):
    response = client_for(applicant).post(reverse("api_pages:application_revoke", args=[99999]))
    assert response.status_code == 404


def test_revoking_is_post_only(client_for, applicant, oauth_app):
    url = reverse("api_pages:application_revoke", args=[oauth_app.pk])
    assert client_for(applicant).get(url).status_code == 405


def test_staff_reach_consent_and_their_tokens_only_through_the_second_factor(
    caseworker, oauth_app, client_for
):
    from django.test import Client

    unverified = Client()
    unverified.force_login(caseworker, verified=False)
    _verifier, challenge = pkce_pair()
    for address in (
        authorize_url(oauth_app, challenge=challenge),
        reverse("api_pages:index"),
    ):
        answer = unverified.get(address)
        assert answer.status_code == 302, address
        assert answer.url.startswith(reverse("accounts:two_factor_verify")), address
    # With the second factor, the consent page is offered as to anyone.
    code, _ = consent(client_for(caseworker), oauth_app)
    assert code
