"""Personal access tokens in the profile (/accounts/api-access/): made only after the second
factor, shown once, kept as a digest, revocable at once by their owner alone."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api import scopes
from api.models import PersonalAccessToken, token_digest
from api.token_pages import NEW_TOKEN_SESSION_KEY
from api.tokens import SecondFactorNeeded, create_token
from privacy.constants import Action
from privacy.models import AccessEvent
from tests.accounts.two_factor import verify_session
from tests.api.conftest import make_token

pytestmark = pytest.mark.django_db

PAGE = "/accounts/api-access/"
CREATED = "/accounts/api-access/tokens/created/"
TOKEN_PATTERN = re.compile(r"rpat_[0-9a-f]{10}_[A-Za-z0-9_-]{20,}")


NOW = datetime(2026, 12, 4, 10, tzinfo=ZoneInfo("Europe/Prague"))


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def verified(client_for):
    """``verified(user)``: a browser logged in as ``user`` whose session passed the second
    factor (a confirmed authenticator app, as after typing its code)."""

    def make(user, **kwargs):
        browser = client_for(user, **kwargs)
        verify_session(browser, user)
        return browser

    return make


def new_token_form(**overrides):
    return {
        "name": "My script",
        "scopes": [scopes.CASES_READ, scopes.NOTIFICATIONS_READ],
        "days": "30",
        **overrides,
    }


def me(token: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get("/api/v1/me/")


def security_changes():
    return list(
        AccessEvent.objects.filter(action=Action.ACCOUNT_SECURITY)
        .order_by("pk")
        .values_list("actor_id", "object_id", "detail")
    )


# --- Without a second factor ---------------------------------------------------------------------


def test_without_the_second_factor_the_page_explains_and_links_to_turning_it_on(
    client_for, applicant
):
    response = client_for(applicant).get(PAGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="second-factor-needed"' in body
    assert "two-step log-in" in body
    assert f'href="{reverse("accounts:two_factor")}"' in body
    # No form to make a token.
    assert 'name="scopes"' not in body
    assert "Make the token" not in body


def test_without_the_second_factor_a_post_is_refused_and_nothing_is_made(client_for, applicant):
    response = client_for(applicant).post(PAGE, new_token_form())
    assert response.status_code == 403
    assert not PersonalAccessToken.objects.exists()
    assert security_changes() == []


def test_the_service_itself_refuses_without_the_second_factor(applicant):
    with pytest.raises(SecondFactorNeeded):
        create_token(
            user=applicant,
            name="x",
            scopes=[scopes.CASES_READ],
            days=10,
            second_factor_verified=False,
        )
    assert not PersonalAccessToken.objects.exists()


# --- Making a token ------------------------------------------------------------------------------


def test_with_the_second_factor_the_form_is_offered(verified, applicant):
    body = verified(applicant).get(PAGE).content.decode()
    assert 'id="second-factor-needed"' not in body
    for scope in scopes.ALL:
        assert f'value="{scope}"' in body
    # The default validity.
    assert 'name="days" value="90"' in body


def test_a_token_is_shown_once_works_and_carries_the_ticked_scopes(verified, applicant):
    browser = verified(applicant)
    response = browser.post(PAGE, new_token_form())
    assert response.status_code == 302
    assert response["Location"] == CREATED
    token_row = PersonalAccessToken.objects.get()

    shown = browser.get(CREATED)
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    body = shown.content.decode()
    assert "only this once" in body
    secret = TOKEN_PATTERN.search(body).group(0)
    assert secret.startswith(f"rpat_{token_row.prefix}_")
    # Gone from the session once shown; the page does not show it again.
    assert NEW_TOKEN_SESSION_KEY not in browser.session
    again = browser.get(CREATED)
    assert again.status_code == 302
    assert secret not in browser.get(PAGE).content.decode()

    # Kept as its digest only.
    assert token_row.digest == token_digest(secret)
    stored = PersonalAccessToken.objects.filter(pk=token_row.pk).values().get()
    assert not [name for name, value in stored.items() if secret in str(value)]
    assert token_row.name == "My script"
    assert token_row.expires_at == NOW + timedelta(days=30)

    answer = me(secret)
    assert answer.status_code == 200
    assert answer.json()["id"] == applicant.pk
    assert answer.json()["scopes"] == sorted([scopes.CASES_READ, scopes.NOTIFICATIONS_READ])

    assert security_changes() == [
        (
            applicant.pk,
            str(applicant.pk),
            {
                "change": "api_token_created",
                "token_id": token_row.pk,
                "scopes": [scopes.CASES_READ, scopes.NOTIFICATIONS_READ],
                "days": 30,
            },
        )
    ]


def test_a_token_longer_than_the_limit_is_refused_in_czech_too(verified, applicant, settings):
    settings.API_TOKEN_MAX_DAYS = 180
    response = verified(applicant, language="cs").post(PAGE, new_token_form(days="181"))
    assert response.status_code == 200
    assert "Hodnota musí být menší nebo rovna 180." in response.content.decode()
    assert not PersonalAccessToken.objects.exists()

    english = verified(applicant).post(PAGE, new_token_form(days="181"))
    assert "Ensure this value is less than or equal to 180." in english.content.decode()
    assert verified(applicant).post(PAGE, new_token_form(days="180")).status_code == 302
    assert PersonalAccessToken.objects.count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"scopes": []},
        {"scopes": ["admin:everything"]},
        {"name": ""},
        {"days": "0"},
    ],
)
def test_a_form_with_errors_makes_nothing(verified, applicant, overrides):
    response = verified(applicant).post(PAGE, new_token_form(**overrides))
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert not PersonalAccessToken.objects.exists()


def test_the_list_shows_each_token_without_its_secret(
    client_for, applicant, other_applicant, django_assert_max_num_queries
):
    live = make_token(applicant, [scopes.CASES_READ], name="Reader")
    make_token(applicant, [scopes.EXPORT_READ], name="Old one")
    PersonalAccessToken.objects.filter(name="Old one").update(revoked_at=timezone.now())
    make_token(other_applicant, name="Not mine")
    browser = client_for(applicant)
    browser.get(PAGE)
    with django_assert_max_num_queries(12):
        response = browser.get(PAGE)
    body = response.content.decode()
    reader = PersonalAccessToken.objects.get(name="Reader")
    assert f"rpat_{reader.prefix}…" in body
    assert live not in body
    assert str(scopes.SCOPES[scopes.CASES_READ]) in body
    assert str(scopes.SCOPES[scopes.EXPORT_READ]) in body
    assert "Revoked on" in body
    assert "Not mine" not in body
    # Only the live token can be revoked.
    assert body.count("/revoke/") == 1


# --- Revoking ------------------------------------------------------------------------------------


def test_a_revoked_token_is_refused_at_once(client_for, applicant):
    secret = make_token(applicant, [scopes.CASES_READ])
    token = PersonalAccessToken.objects.get()
    assert me(secret).status_code == 200
    response = client_for(applicant).post(reverse("api_pages:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert me(secret).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at == NOW
    assert security_changes() == [
        (applicant.pk, str(applicant.pk), {"change": "api_token_revoked", "token_id": token.pk})
    ]
    # A second revocation changes and records nothing.
    client_for(applicant).post(reverse("api_pages:token_revoke", args=[token.pk]))
    assert len(security_changes()) == 1


def test_another_person_cannot_revoke_my_token(client_for, applicant, other_applicant):
    secret = make_token(applicant, [scopes.CASES_READ])
    token = PersonalAccessToken.objects.get()
    response = client_for(other_applicant).post(reverse("api_pages:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert me(secret).status_code == 200


def test_revoking_is_post_only(client_for, applicant):
    make_token(applicant)
    token = PersonalAccessToken.objects.get()
    url = reverse("api_pages:token_revoke", args=[token.pk])
    assert client_for(applicant).get(url).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("url", [PAGE, CREATED])
def test_anonymous_visitors_are_sent_to_log_in(anonymous, url):
    response = anonymous.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_visitors_cannot_revoke(anonymous, applicant):
    make_token(applicant)
    token = PersonalAccessToken.objects.get()
    response = anonymous.post(reverse("api_pages:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_profile_links_to_the_page(client_for, applicant):
    body = client_for(applicant).get(reverse("profile:profile")).content.decode()
    assert f'href="{PAGE}"' in body


# --- The back office -----------------------------------------------------------------------------


def test_the_admin_lists_tokens_without_their_digest_and_revokes(client_for, superuser, applicant):
    secret = make_token(applicant, [scopes.CASES_READ], name="Reader")
    token = PersonalAccessToken.objects.get()
    browser = client_for(superuser)
    changelist = browser.get(reverse("admin:api_personalaccesstoken_changelist"))
    assert changelist.status_code == 200
    body = changelist.content.decode()
    assert f"rpat_{token.prefix}…" in body
    assert token.digest not in body
    detail = browser.get(reverse("admin:api_personalaccesstoken_change", args=[token.pk]))
    assert detail.status_code == 200
    assert token.digest not in detail.content.decode()
    assert 'name="name"' not in detail.content.decode()
    assert browser.get(reverse("admin:api_personalaccesstoken_add")).status_code == 403

    response = browser.post(
        reverse("admin:api_personalaccesstoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    assert me(secret).status_code == 401
    assert security_changes() == [
        (superuser.pk, str(applicant.pk), {"change": "api_token_revoked", "token_id": token.pk})
    ]
