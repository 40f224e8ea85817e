import io
import re
import time
from base64 import b32encode

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.constants import Role
from tests.accounts.factories import UserFactory
from tests.accounts.two_factor import (
    TEST_PASSWORD,
    log_in_with_code,
    totp_code,
    totp_device_for,
)
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
VERIFY_URL = "/accounts/two-factor/verify/"
SETUP_APP_URL = "/accounts/two-factor/setup/app/"
SETUP_EMAIL_URL = "/accounts/two-factor/setup/email/"
SETTINGS_URL = "/accounts/two-factor/"
RECOVERY_URL = "/accounts/two-factor/recovery-codes/"


def next_step(steps: int = 1) -> float:
    """A moment ten seconds into a coming 30-second step of the authenticator apps.

    In the future, not at a fixed date: a session saved at a time travelled to expires
    by the real clock.
    """
    now = time.time()
    return now - now % 30 + 30 * steps + 10


def password_step(client, user, password=TEST_PASSWORD, **data):
    return client.post(LOGIN_URL, {"username": user.email, "password": password, **data})


def is_second_step(response) -> bool:
    return response.status_code == 302 and response.url.startswith(VERIFY_URL)


def _speaks_english(user):
    # Logging in switches the pages to the person's language; these tests read English text.
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


@pytest.fixture
def caseworker(caseworker):
    return _speaks_english(caseworker)


@pytest.fixture
def applicant(applicant):
    return _speaks_english(applicant)


@pytest.fixture(params=[Role.CASEWORKER, Role.SUPERVISOR, Role.SUPPORT, "superuser"])
def staff_member(request):
    if request.param == "superuser":
        return UserFactory(is_staff=True, is_superuser=True)
    return UserFactory(role=request.param)


def test_url_names():
    assert reverse("accounts:two_factor_verify") == VERIFY_URL
    assert reverse("accounts:two_factor_setup_app") == SETUP_APP_URL
    assert reverse("accounts:two_factor") == SETTINGS_URL


# --- Staff: no page without the second factor ---------------------------------------------------


def test_staff_with_a_password_alone_reach_no_staff_page(client, staff_member):
    totp_device_for(staff_member)
    case = ApplicationFactory(filed=True)

    response = password_step(client, staff_member, next="/caseworker/")

    assert is_second_step(response)
    assert response.url == f"{VERIFY_URL}?next=%2Fcaseworker%2F"
    for path in [
        "/caseworker/",
        "/caseworker/queue/mine/",
        f"/caseworker/cases/{case.pk}/",
        "/caseworker/dashboard/",
        "/support/",
        "/support/applicants/new/",
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/applications/application/{case.pk}/change/",
        "/accounts/profile/",
        "/accounts/two-factor/",
        "/notifications/",
        "/",
    ]:
        assert is_second_step(client.get(path)), path
    # Actions too: nothing changes.
    claim = client.post(f"/caseworker/cases/{case.pk}/claim/")
    assert is_second_step(claim)
    case.refresh_from_db()
    assert case.assigned_to_id is None


def _example_paths(patterns, prefix=""):
    """A path for every URL pattern of the site, with a made-up value for each parameter."""
    for pattern in patterns:
        route = str(pattern.pattern)
        if route.startswith("^"):
            continue  # a regular expression (admin app indexes): the admin index stands for them
        route = re.sub(r"<int:\w+>", "1", route)
        route = re.sub(r"<(?:\w+:)?\w+>", "x", route)
        if isinstance(pattern, URLResolver):
            yield from _example_paths(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + route


OPEN_PATHS = {VERIFY_URL, SETUP_APP_URL, "/accounts/logout/", "/i18n/setlang/", "/healthz"}


def test_no_url_of_the_site_answers_an_unverified_staff_session(client, caseworker):
    totp_device_for(caseworker)
    client.force_login(caseworker, verified=False)
    paths = set(_example_paths(get_resolver().url_patterns)) - OPEN_PATHS

    assert len(paths) > 100  # the admin's pages are among them
    for path in sorted(paths):
        response = client.get(path)
        assert is_second_step(response), (path, response.status_code)


def test_staff_log_in_with_password_and_code(client, caseworker):
    device = totp_device_for(caseworker)
    password_step(client, caseworker, next="/caseworker/")
    page = client.get(f"{VERIFY_URL}?next=/caseworker/")
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.text
    key_before = client.session.session_key

    response = client.post(VERIFY_URL, {"code": totp_code(device), "next": "/caseworker/"})

    assert response.status_code == 302
    assert response.url == "/caseworker/"
    # A new session key once the session is verified.
    assert client.session.session_key != key_before
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/caseworker/").status_code == 200


def test_the_admin_login_page_is_the_portals_login(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/admin/"
    assert client.get("/admin/").url == "/admin/login/?next=/admin/"


def test_the_admin_answers_a_verified_superuser(client, superuser):
    log_in_with_code(client, superuser)

    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_with_a_summary(client, caseworker):
    device = totp_device_for(caseworker)
    password_step(client, caseworker)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY_URL, {"code": wrong})

    assert response.status_code == 200
    assert 'href="#id_code"' in response.text
    assert "This code is not right." in response.text
    assert is_second_step(client.get("/caseworker/"))


# --- Enrolment -----------------------------------------------------------------------------------


def test_staff_without_a_device_must_set_up_an_app_end_to_end(client, caseworker):
    response = password_step(client, caseworker, next="/caseworker/")
    assert is_second_step(response)
    assert is_second_step(client.get("/caseworker/"))

    to_setup = client.get(response.url)
    assert to_setup.status_code == 302
    assert to_setup.url == f"{SETUP_APP_URL}?next=%2Fcaseworker%2F"
    page = client.get(to_setup.url)
    assert page.status_code == 200
    assert "<svg" in page.text
    pending = TOTPDevice.objects.get(user=caseworker)
    assert not pending.confirmed
    secret = b32encode(pending.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in page.text
    # Coming back shows the same key: a QR code scanned already stays right.
    client.get(to_setup.url)
    assert TOTPDevice.objects.filter(user=caseworker).count() == 1

    confirmed = client.post(SETUP_APP_URL, {"code": totp_code(pending), "next": "/caseworker/"})

    assert confirmed.status_code == 302
    assert confirmed.url == RECOVERY_URL
    assert TOTPDevice.objects.get(user=caseworker).confirmed
    codes_page = client.get(RECOVERY_URL)
    codes = re.findall(r'<li class="recovery-code">(\w+)</li>', codes_page.text)
    assert len(codes) == 10
    assert 'href="/caseworker/"' in codes_page.text
    # Shown once.
    assert client.get(RECOVERY_URL).status_code == 302
    assert client.get("/caseworker/").status_code == 200


def test_enrolment_with_a_wrong_code_turns_nothing_on(client, caseworker):
    password_step(client, caseworker)
    client.get(SETUP_APP_URL)

    response = client.post(SETUP_APP_URL, {"code": "000000"})

    assert response.status_code == 200
    assert 'href="#id_code"' in response.text
    assert not TOTPDevice.objects.get(user=caseworker).confirmed
    assert is_second_step(client.get("/caseworker/"))


def test_knowing_the_password_does_not_let_anyone_add_a_device(client, caseworker):
    """Someone with the password of an account that has an app cannot set up their own."""
    totp_device_for(caseworker)
    password_step(client, caseworker)

    assert is_second_step(client.get(SETUP_APP_URL))
    assert is_second_step(client.post(SETUP_APP_URL, {"code": "123456"}))
    assert TOTPDevice.objects.filter(user=caseworker).count() == 1


def test_staff_cannot_choose_codes_by_email(client, caseworker):
    client.force_login(caseworker)

    assert client.get(SETUP_EMAIL_URL).status_code == 403


def test_staff_cannot_turn_the_second_factor_off(client, caseworker):
    client.force_login(caseworker)

    response = client.post("/accounts/two-factor/disable/", {"password": TEST_PASSWORD})

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=caseworker, confirmed=True).exists()
    assert "Staff accounts always log in in two steps." in client.get(SETTINGS_URL).text


def test_staff_replace_their_app(client, caseworker):
    old = totp_device_for(caseworker)
    client.force_login(caseworker)
    client.get(SETUP_APP_URL)
    new = TOTPDevice.objects.get(user=caseworker, confirmed=False)

    client.post(SETUP_APP_URL, {"code": totp_code(new)})

    assert list(TOTPDevice.objects.filter(user=caseworker)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


# --- One code, one use; throttling ---------------------------------------------------------------


def test_a_replayed_code_is_refused(caseworker):
    device = totp_device_for(caseworker)
    first, second = Client(), Client()
    with time_machine.travel(next_step(), tick=False):
        code = totp_code(device)
        # Staff start from their queue.
        assert log_in_with_code(first, caseworker).url == reverse("caseworker:queue")

        password_step(second, caseworker)
        replay = second.post(VERIFY_URL, {"code": code})

        assert replay.status_code == 200
        assert "This code is not right." in replay.text
        assert is_second_step(second.get("/caseworker/"))
        # The code of the step before, still within the tolerance for slow typists, is spent too.
        earlier = totp_code(device, at=time.time() - 30)
        assert second.post(VERIFY_URL, {"code": earlier}).status_code == 200
        assert is_second_step(second.get("/caseworker/"))

    # The next step's code works.
    with time_machine.travel(next_step(2), tick=False):
        assert second.post(VERIFY_URL, {"code": totp_code(device)}).status_code == 302
        assert second.get("/caseworker/").status_code == 200


def test_wrong_codes_are_throttled(client, caseworker):
    device = totp_device_for(caseworker)
    password_step(client, caseworker)
    with time_machine.travel(next_step(), tick=False) as clock:
        wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
        for wait in (1, 2, 4, 8):
            client.post(VERIFY_URL, {"code": wrong})
            if wait < 8:
                clock.shift(wait)
        device.refresh_from_db()
        assert device.throttling_failure_count == 4

        # Even the right code is not checked until the wait (8 s after the 4th) is over.
        refused = client.post(VERIFY_URL, {"code": totp_code(device)})
        assert refused.status_code == 200
        assert re.search(r"wait \d+ seconds", refused.text)
        assert is_second_step(client.get("/caseworker/"))

        clock.shift(30)  # past the wait, and a fresh 30-second step
        assert client.post(VERIFY_URL, {"code": totp_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_recovery_code_works_once(caseworker):
    totp_device_for(caseworker)
    codes = _recovery_codes_of(caseworker)
    first, second = Client(), Client()

    password_step(first, caseworker)
    response = first.post(VERIFY_URL, {"code": codes[0].upper()})
    assert response.status_code == 302
    assert first.get("/caseworker/").status_code == 200

    password_step(second, caseworker)
    assert second.post(VERIFY_URL, {"code": codes[0]}).status_code == 200
    assert is_second_step(second.get("/caseworker/"))
    assert StaticDevice.objects.get(user=caseworker).token_set.count() == 9


def _recovery_codes_of(user) -> list[str]:
    from accounts import services

    return services.recovery_codes_renew(user=user)


def test_new_recovery_codes_replace_the_old(client, caseworker):
    old = _recovery_codes_of(caseworker)
    client.force_login(caseworker)

    response = client.post(RECOVERY_URL)

    assert response.url == RECOVERY_URL
    new = re.findall(r'<li class="recovery-code">(\w+)</li>', client.get(RECOVERY_URL).text)
    assert len(new) == 10
    device = StaticDevice.objects.get(user=caseworker)
    tokens = set(device.token_set.values_list("token", flat=True))
    assert tokens == set(new)
    assert not tokens & set(old)


# --- Applicants ----------------------------------------------------------------------------------


def test_applicants_without_a_second_factor_log_in_with_the_password(client, applicant):
    response = password_step(client, applicant, next="/accounts/profile/")

    assert response.url == "/accounts/profile/"
    assert client.get("/accounts/profile/").status_code == 200
    assert "Off: your password alone logs you in." in client.get(SETTINGS_URL).text


def test_the_profile_links_to_two_step_login(client, applicant):
    client.force_login(applicant)

    assert f'href="{SETTINGS_URL}"' in client.get("/accounts/profile/").text


def test_an_applicant_turns_on_an_app_and_then_needs_it(client, applicant):
    client.force_login(applicant)
    client.get(SETUP_APP_URL)
    device = TOTPDevice.objects.get(user=applicant)
    with time_machine.travel(next_step(), tick=False):
        assert client.post(SETUP_APP_URL, {"code": totp_code(device)}).url == RECOVERY_URL
    assert "On: each log-in asks for your password and a code from your authenticator app." in (
        client.get(SETTINGS_URL).text
    )

    other = Client()
    assert is_second_step(password_step(other, applicant))
    assert is_second_step(other.get("/accounts/profile/"))
    with time_machine.travel(next_step(2), tick=False):
        assert other.post(VERIFY_URL, {"code": totp_code(device)}).status_code == 302
    assert other.get("/accounts/profile/").status_code == 200


def test_an_applicant_turns_on_codes_by_email_and_logs_in_with_one(
    client, applicant, django_capture_on_commit_callbacks
):
    applicant.preferred_language = "uk"
    applicant.save()
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(SETUP_EMAIL_URL, {"send": "1"})
    [message] = mail.outbox
    assert message.to == [applicant.email]
    [(html, _mimetype)] = message.alternatives
    assert '<html lang="uk">' in html
    code = re.search(r"\b(\d{6})\b", message.body).group(1)
    response = client.post(SETUP_EMAIL_URL, {"code": code})
    assert response.url == SETTINGS_URL
    assert EmailDevice.objects.get(user=applicant).confirmed

    # The next log-in mails a code and asks for it.
    mail.outbox.clear()
    other = Client()
    with time_machine.travel(time.time() + 61), django_capture_on_commit_callbacks(execute=True):
        assert is_second_step(password_step(other, applicant))
    [login_mail] = mail.outbox
    login_code = re.search(r"\b(\d{6})\b", login_mail.body).group(1)
    page = other.get(VERIFY_URL)
    assert 'inputmode="numeric"' in page.text
    assert other.post(VERIFY_URL, {"code": login_code}).status_code == 302
    assert other.get("/accounts/profile/").status_code == 200

    # An e-mailed code works once.
    third = Client()
    password_step(third, applicant)
    assert third.post(VERIFY_URL, {"code": login_code}).status_code == 200
    assert is_second_step(third.get("/accounts/profile/"))


def test_a_new_code_by_email_at_most_once_a_minute(
    client, applicant, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SETUP_EMAIL_URL, {"send": "1"})
        refused = client.post(SETUP_EMAIL_URL, {"send": "1"}, follow=True)

    assert len(mail.outbox) == 1
    assert "We sent you a code less than a minute ago." in refused.text
    with time_machine.travel(time.time() + 61), django_capture_on_commit_callbacks(execute=True):
        client.post(SETUP_EMAIL_URL, {"send": "1"})
    assert len(mail.outbox) == 2


def test_an_applicant_turns_the_second_factor_off_with_the_password(client, applicant):
    totp_device_for(applicant)
    client.force_login(applicant)

    wrong = client.post("/accounts/two-factor/disable/", {"password": "not-it"})
    assert wrong.status_code == 200
    assert 'href="#id_password"' in wrong.text
    assert TOTPDevice.objects.filter(user=applicant).exists()

    response = client.post("/accounts/two-factor/disable/", {"password": TEST_PASSWORD})

    assert response.url == SETTINGS_URL
    assert not TOTPDevice.objects.filter(user=applicant).exists()
    other = Client()
    assert password_step(other, applicant).url == reverse("applications:dashboard")


def test_the_two_factor_pages_need_a_login(client):
    for path in [SETTINGS_URL, VERIFY_URL, SETUP_APP_URL, SETUP_EMAIL_URL]:
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")


def test_disable_is_post_only(client, applicant):
    client.force_login(applicant)

    assert client.get("/accounts/two-factor/disable/").status_code == 405


# --- Test client and demo ------------------------------------------------------------------------


def test_force_login_in_tests_verifies_staff_with_a_real_device(client, caseworker):
    client.force_login(caseworker)

    assert client.get("/caseworker/").status_code == 200
    device = TOTPDevice.objects.get(user=caseworker)
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_force_login_can_stop_at_the_password_step(client, caseworker):
    client.force_login(caseworker, verified=False)

    assert is_second_step(client.get("/caseworker/"))


def test_demo_staff_get_their_demo_app_and_the_code_prints_in_debug_only(settings):
    settings.DEMO_DATA_ENABLED = True  # what DJANGO_DEBUG=1 turns on
    call_command("seed_demo", verbosity=0)
    device = TOTPDevice.objects.get(user__email="caseworker1@example.com")
    assert device.confirmed
    assert b32encode(device.bin_key).decode() == "CASEWORKERONEDEMOSECRETAAAAAAAAA"
    assert not TOTPDevice.objects.filter(user__email="applicant1@example.com").exists()

    settings.DEMO_DATA_ENABLED = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("demo_totp", "caseworker1@example.com")

    settings.DEMO_DATA_ENABLED = True
    out = io.StringIO()
    with time_machine.travel(next_step(), tick=False):
        call_command("demo_totp", "caseworker1@example.com", stdout=out, stderr=io.StringIO())
        assert out.getvalue().strip() == totp_code(device)
    with pytest.raises(CommandError, match="not a demo staff account"):
        call_command("demo_totp", "applicant1@example.com")
