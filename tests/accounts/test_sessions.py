import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from accounts import services
from tests.accounts.conftest import link_in
from tests.accounts.two_factor import TEST_PASSWORD, log_in_with_code, totp_device_for

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
PROFILE_URL = "/accounts/profile/"
MINUTE = 60


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def english_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_login_gives_the_session_a_new_key(client, applicant):
    client.get(LOGIN_URL)
    session = client.session
    session["before_login"] = True
    session.save()
    key_before = session.session_key

    client.post(LOGIN_URL, {"username": applicant.email, "password": TEST_PASSWORD})

    assert logged_in(client)
    assert client.session.session_key != key_before
    assert not Session.objects.filter(session_key=key_before).exists()


def test_each_login_step_gives_the_session_a_new_key(client, caseworker):
    totp_device_for(caseworker)
    client.get(LOGIN_URL)
    client.session.save()
    keys = [client.cookies[settings.SESSION_COOKIE_NAME].value]

    client.post(LOGIN_URL, {"username": caseworker.email, "password": TEST_PASSWORD})
    keys.append(client.session.session_key)
    log_in_with_code(client, caseworker)
    keys.append(client.session.session_key)

    assert len(set(keys)) == 3


# --- Timeouts ------------------------------------------------------------------------------------


def test_an_idle_session_ends(client, applicant):
    client.force_login(applicant)
    start = time.time()

    with time_machine.travel(start + 29 * MINUTE):
        assert client.get(PROFILE_URL).status_code == 200
    # The request at 29 minutes counted as activity.
    with time_machine.travel(start + 58 * MINUTE):
        assert client.get(PROFILE_URL).status_code == 200
    with time_machine.travel(start + 89 * MINUTE):
        response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next=%2Faccounts%2Fprofile%2F"
    assert not logged_in(client)
    page = client.get(response.url)
    assert "You were logged out after 30 minutes without activity." in page.text


def test_a_session_ends_twelve_hours_after_login_however_busy(client, applicant):
    client.force_login(applicant)
    start = time.time()

    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + minutes * MINUTE):
            assert client.get(PROFILE_URL).status_code == 200, minutes
    with time_machine.travel(start + 12 * 60 * MINUTE + MINUTE):
        response = client.get(PROFILE_URL)
        assert response.status_code == 302
        assert response.url.startswith(LOGIN_URL)
        page = client.get(response.url)

    assert not logged_in(client)
    assert "You were logged out because you had been logged in for 12 hours." in page.text


def test_the_timeouts_come_from_the_settings(client, applicant, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * MINUTE
    client.force_login(applicant)

    with time_machine.travel(time.time() + 6 * MINUTE):
        assert client.get(PROFILE_URL).status_code == 302


def test_a_timed_out_post_changes_nothing_and_starts_afresh(client, applicant):
    client.force_login(applicant)

    with time_machine.travel(time.time() + 31 * MINUTE):
        response = client.post(PROFILE_URL, {"preferred_language": "ru"})

    assert response.status_code == 302
    assert response.url == LOGIN_URL
    applicant.refresh_from_db()
    assert applicant.preferred_language != "ru"


def test_staff_sessions_time_out_too(client, caseworker):
    client.force_login(caseworker)

    with time_machine.travel(time.time() + 31 * MINUTE):
        response = client.get("/caseworker/")

    assert response.url == f"{LOGIN_URL}?next=%2Fcaseworker%2F"


# --- Password change, reset, deactivation ------------------------------------------------------


def test_a_password_change_ends_the_other_sessions_but_not_this_one(applicant):
    here, elsewhere = english_client(), english_client()
    here.force_login(applicant)
    elsewhere.force_login(applicant)

    response = here.post(
        "/accounts/password/change/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "brand-New-secret-77",
            "new_password2": "brand-New-secret-77",
        },
    )

    assert response.status_code == 302
    assert here.get(PROFILE_URL).status_code == 200
    assert elsewhere.get(PROFILE_URL).status_code == 302
    assert not logged_in(elsewhere)


def test_a_password_reset_ends_every_session(applicant, django_capture_on_commit_callbacks):
    elsewhere = english_client()
    elsewhere.force_login(applicant)
    browser = english_client()
    with django_capture_on_commit_callbacks(execute=True):
        browser.post("/accounts/password/reset/", {"email": applicant.email})
    path = link_in(mail.outbox[0], "/accounts/password/reset/")
    set_password_url = browser.get(path, follow=True).redirect_chain[-1][0]

    browser.post(
        set_password_url,
        {"new_password1": "brand-New-secret-77", "new_password2": "brand-New-secret-77"},
    )

    assert elsewhere.get(PROFILE_URL).status_code == 302
    assert not logged_in(elsewhere)


def test_deactivation_ends_every_session(applicant):
    first, second = english_client(), english_client()
    first.force_login(applicant)
    second.force_login(applicant)

    applicant.is_active = False
    applicant.save()

    for client in (first, second):
        assert client.get(PROFILE_URL).status_code == 302
        assert not logged_in(client)
    # Active again, the old sessions do not come back.
    applicant.is_active = True
    applicant.save()
    for client in (first, second):
        assert client.get(PROFILE_URL).status_code == 302


def test_deactivating_in_the_admin_deletes_the_sessions_for_good(client, superuser, applicant):
    theirs = english_client()
    theirs.force_login(applicant)
    key = theirs.session.session_key
    client.force_login(superuser)
    form = client.get(f"/admin/accounts/user/{applicant.pk}/change/").context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"password", "groups", "user_permissions"}
    }
    data.update(
        {
            "email": applicant.email,
            "date_joined_0": applicant.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": applicant.date_joined.strftime("%H:%M:%S"),
            "is_active": "",
        }
    )
    data = {name: value for name, value in data.items() if value not in (False, "")}
    data["groups"] = [group.pk for group in applicant.groups.all()]

    response = client.post(f"/admin/accounts/user/{applicant.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    applicant.refresh_from_db()
    assert not applicant.is_active
    assert not Session.objects.filter(session_key=key).exists()
    # Active again, the old session does not come back.
    applicant.is_active = True
    applicant.save()
    assert theirs.get(PROFILE_URL).status_code == 302


def test_user_sessions_end_leaves_other_accounts_alone(applicant, other_applicant):
    theirs, others = english_client(), english_client()
    theirs.force_login(applicant)
    others.force_login(other_applicant)

    assert services.user_sessions_end(user=applicant) == 1

    assert not logged_in(theirs)
    assert others.get(PROFILE_URL).status_code == 200


# --- Cookies -------------------------------------------------------------------------------------


def test_the_session_cookie_flags(client, applicant, settings):
    settings.SESSION_COOKIE_SECURE = True

    response = client.post(LOGIN_URL, {"username": applicant.email, "password": TEST_PASSWORD})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["secure"]
    assert cookie["samesite"] == "Lax"
    # It lasts until the browser closes; the server ends the session by its timeouts.
    assert not cookie["expires"]
    assert not cookie["max-age"]


def test_production_settings_make_the_cookies_secure():
    root = Path(settings.BASE_DIR)
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SESSION_"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "x" * 50,
            "FIELD_ENCRYPTION_KEYS": os.environ.get("FIELD_ENCRYPTION_KEYS", ""),
            "BLIND_INDEX_KEY": os.environ.get("BLIND_INDEX_KEY", ""),
        }
    )
    script = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.SESSION_IDLE_TIMEOUT, s.SESSION_ABSOLUTE_TIMEOUT, "
        "s.TRUSTED_PROXY_COUNT)"
    )
    output = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", script],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert re.fullmatch(r"True True True Lax 1800 43200 0\s*", output), output
