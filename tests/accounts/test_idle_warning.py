"""The warning before the idle timeout: the endpoints its script asks (static/js/idle-timeout.js)
and the dialog in the page. The browser side is tests/e2e/test_idle_warning.py."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

# A Wednesday morning in Prague: nothing here depends on the day or the hour.
START = datetime(2026, 3, 4, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))
MINUTE = 60
PROFILE_URL = "/accounts/profile/"
KEEP_ALIVE_URL = reverse("accounts:keep_alive")
STATUS_URL = reverse("accounts:session_status")
LOGIN_URL = reverse("accounts:login")


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def at_minute(clock, minute: int) -> None:
    clock.move_to(START.timestamp() + minute * MINUTE)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- Keep-alive --------------------------------------------------------------------------------


def test_staying_logged_in_restarts_the_idle_clock(clock, applicant, client_for):
    client = client_for(applicant)

    at_minute(clock, 25)
    response = client.post(KEEP_ALIVE_URL)
    at_minute(clock, 40)
    page = client.get(PROFILE_URL)

    assert response.status_code == 204
    assert response.content == b""
    assert page.status_code == 200
    assert logged_in(client)


def test_without_it_the_session_ends_after_thirty_idle_minutes(clock, applicant, client_for):
    client = client_for(applicant)

    at_minute(clock, 40)
    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)
    assert not logged_in(client)


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_keep_alive_is_post_only(clock, applicant, client_for, method):
    client = client_for(applicant)
    at_minute(clock, 25)

    response = getattr(client, method)(KEEP_ALIVE_URL)

    assert response.status_code == 405


def test_keep_alive_needs_the_csrf_token(clock, applicant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)

    response = client.post(KEEP_ALIVE_URL)

    assert response.status_code == 403


def test_keep_alive_refuses_an_anonymous_caller_without_a_page(clock, client):
    response = client.post(KEEP_ALIVE_URL)

    # A 401 for the script, not the log-in page: that page would swallow the person's message.
    assert response.status_code == 401


def test_keep_alive_after_the_timeout_does_not_bring_the_session_back(clock, applicant, client_for):
    client = client_for(applicant)

    at_minute(clock, 31)
    response = client.post(KEEP_ALIVE_URL)

    assert response.status_code == 401
    assert not logged_in(client)
    page = client.get(LOGIN_URL)
    assert "You were logged out after 30 minutes without activity." in page.content.decode()


def test_keep_alive_touches_only_the_callers_session(clock, applicant, other_applicant, client_for):
    mine, theirs = client_for(applicant), client_for(other_applicant)
    same_person_elsewhere = client_for(applicant)
    their_session = dict(theirs.session.items())

    at_minute(clock, 25)
    assert mine.post(KEEP_ALIVE_URL).status_code == 204

    assert dict(theirs.session.items()) == their_session
    at_minute(clock, 40)
    assert mine.get(PROFILE_URL).status_code == 200
    assert theirs.get(PROFILE_URL).status_code == 302
    # Another session of the same account is another session: it was idle, and has ended.
    assert same_person_elsewhere.get(PROFILE_URL).status_code == 302


# --- Seconds left ------------------------------------------------------------------------------


def test_the_status_says_how_many_seconds_are_left(clock, applicant, client_for):
    client = client_for(applicant)

    at_minute(clock, 10)
    response = client.get(STATUS_URL)

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {"seconds_left": 20 * MINUTE, "idle_timeout": 30 * MINUTE}


def test_asking_for_the_status_is_not_activity(clock, applicant, client_for):
    client = client_for(applicant)

    for minute in (10, 20, 29):
        at_minute(clock, minute)
        assert client.get(STATUS_URL).json()["seconds_left"] == (30 - minute) * MINUTE
    at_minute(clock, 31)
    response = client.get(STATUS_URL)

    assert response.status_code == 401
    assert not logged_in(client)
    # The message waits for the log-in page the script then opens.
    page = client.get(LOGIN_URL)
    assert "You were logged out after 30 minutes without activity." in page.content.decode()


def test_the_status_counts_from_the_last_page_in_any_tab(clock, applicant, client_for):
    client = client_for(applicant)

    at_minute(clock, 20)
    client.get(PROFILE_URL)  # another tab
    at_minute(clock, 26)
    data = client.get(STATUS_URL).json()

    assert data["seconds_left"] == 24 * MINUTE


def test_the_status_follows_the_setting(clock, applicant, client_for, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * MINUTE
    client = client_for(applicant)

    at_minute(clock, 1)
    data = client.get(STATUS_URL).json()

    assert data == {"seconds_left": 4 * MINUTE, "idle_timeout": 5 * MINUTE}


def test_the_status_answers_an_anonymous_caller_401(client):
    assert client.get(STATUS_URL).status_code == 401


def test_the_status_is_read_only(clock, applicant, client_for):
    assert client_for(applicant).post(STATUS_URL).status_code == 405


def test_a_session_owing_a_second_factor_is_sent_to_the_code_step(clock, caseworker, client):
    """Like every other address (tests/accounts/test_two_factor.py); the script then stops."""
    client.force_login(caseworker, verified=False)

    response = client.get(STATUS_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_verify"))


# --- The dialog in the page --------------------------------------------------------------------


def test_a_signed_in_page_carries_the_closed_dialog_and_the_script(clock, applicant, client_for):
    body = client_for(applicant).get(PROFILE_URL).content.decode()

    assert '<dialog class="idle-warning" id="idle-warning"' in body
    assert "<dialog open" not in body  # closed without JavaScript
    assert 'data-idle-seconds="1800"' in body
    assert f'data-status-url="{STATUS_URL}"' in body
    assert f'data-keep-alive-url="{KEEP_ALIVE_URL}"' in body
    assert 'src="/static/js/idle-timeout.js"' in body
    assert "Stay logged in" in body
    assert "<script>" not in body
    assert " style=" not in body


def test_an_anonymous_page_has_neither(client):
    body = client.get(LOGIN_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "idle-warning" not in body
    assert "idle-timeout.js" not in body


def test_the_policy_lets_the_script_ask_its_own_site(clock, applicant, client_for):
    policy = client_for(applicant).get(PROFILE_URL)["Content-Security-Policy"]

    assert "connect-src 'self'" in policy
