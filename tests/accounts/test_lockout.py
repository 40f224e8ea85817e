import logging
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.lockout import RECOGNISED_BROWSER_COOKIE, account_failures
from accounts.network import client_ip, login_username
from tests.accounts.conftest import PASSWORD
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
TEST_PASSWORD = "password-for-tests"  # UserFactory's
LOCKED = "Logging in is blocked for now"
THROTTLED = "it can now be logged into only from a browser that has logged in to it before"
NEW_PASSWORD = "a-new-and-long-passphrase-42"
# A Tuesday morning in Prague, UTC.
MORNING = datetime(2027, 3, 9, 8, 0, tzinfo=UTC)


def attempt(client, email, password, **headers):
    return client.post(LOGIN_URL, {"username": email, "password": password}, **headers)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def target(db):
    return UserFactory(email="target@example.com")


def test_the_fifth_failure_locks_and_the_right_password_then_fails(client, target):
    for _ in range(4):
        response = attempt(client, target.email, "wrong-guess")
        assert response.status_code == 200
        assert LOCKED not in response.text

    fifth = attempt(client, target.email, "wrong-guess")
    assert fifth.status_code == 429
    assert LOCKED in fifth.text
    assert "15 minutes" in fifth.text
    assert "target@example.com" not in fifth.text

    right = attempt(client, target.email, TEST_PASSWORD)
    assert right.status_code == 429
    assert not logged_in(client)


def test_the_lockout_holds_against_a_changing_forwarded_for(client, target):
    for n in range(5):
        response = attempt(
            client,
            target.email,
            "wrong-guess",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
            HTTP_X_REAL_IP=f"198.51.100.{n}",
        )
    assert response.status_code == 429

    fresh_headers = attempt(
        client,
        target.email,
        TEST_PASSWORD,
        HTTP_X_FORWARDED_FOR="192.0.2.200",
        HTTP_X_REAL_IP="192.0.2.201",
    )
    assert fresh_headers.status_code == 429
    assert not logged_in(client)


def test_failures_from_other_addresses_do_not_lock_the_owner_out(target):
    """The failures lock the addresses they came from, not the account: failing on purpose
    does not keep the owner out."""
    for n in range(5):
        attempt(Client(REMOTE_ADDR=f"203.0.113.{n}"), target.email, "wrong-guess")

    elsewhere = Client(REMOTE_ADDR="192.0.2.50")
    assert attempt(elsewhere, target.email, TEST_PASSWORD).status_code == 302
    assert logged_in(elsewhere)


def test_another_spelling_of_the_address_is_the_same_account(settings, target):
    """The per-account count gathers every spelling of the address."""
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 5
    for number, spelling in enumerate(
        [
            "Target@example.com",
            "TARGET@EXAMPLE.COM",
            " target@Example.com",
            "tArget@example.com",
            "target@example.COM",
        ]
    ):
        attempt(Client(REMOTE_ADDR=f"203.0.113.{number}"), spelling, "wrong-guess")

    assert account_failures(target.email) == 5
    assert attempt(Client(REMOTE_ADDR="192.0.2.51"), target.email, TEST_PASSWORD).status_code == 429


def test_one_address_trying_many_accounts_is_locked_for_all(target):
    """Forged X-Forwarded-For and X-Real-IP headers do not make one client into many."""
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for n in range(5):
        attempt(
            attacker,
            f"someone{n}@example.com",
            "wrong-guess",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
            HTTP_X_REAL_IP=f"198.51.100.{n}",
        )

    response = attempt(attacker, target.email, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429
    # The account's holder, from their own address, is not affected.
    holder = Client(REMOTE_ADDR="192.0.2.10")
    assert attempt(holder, target.email, TEST_PASSWORD).status_code == 302
    assert logged_in(holder)


def test_behind_a_trusted_proxy_the_proxy_appended_address_counts(settings, target):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for n in range(5):
        # The client forges the left part; the proxy appends the address it really saw.
        attempt(
            Client(REMOTE_ADDR=proxy),
            f"someone{n}@example.com",
            "wrong-guess",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.66",
        )

    locked = Client(REMOTE_ADDR=proxy)
    response = attempt(
        locked, target.email, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.66"
    )
    assert response.status_code == 429
    other_client = Client(REMOTE_ADDR=proxy)
    response = attempt(other_client, target.email, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.7")
    assert response.status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, target):
    for _ in range(5):
        attempt(client, target.email, "wrong-guess")
    assert attempt(client, target.email, TEST_PASSWORD).status_code == 429

    with time_machine.travel(time.time() + settings.AXES_COOLOFF_TIME.total_seconds() + 60):
        response = attempt(client, target.email, TEST_PASSWORD)
        assert response.status_code == 302
        assert logged_in(client)


def test_a_successful_login_resets_the_count(client, target):
    for _ in range(4):
        attempt(client, target.email, "wrong-guess")
    assert attempt(client, target.email, TEST_PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        attempt(client, target.email, "wrong-guess")

    assert attempt(client, target.email, TEST_PASSWORD).status_code == 302


def test_the_lockout_page_speaks_the_visitors_language(target):
    czech = Client(HTTP_ACCEPT_LANGUAGE="cs")
    for _ in range(5):
        response = attempt(czech, target.email, "wrong-guess")

    assert response.status_code == 429
    assert '<html lang="cs" data-theme="light">' in response.text
    assert "accounts/lockout.html" in [t.name for t in response.templates]
    assert 'href="/accounts/password/reset/"' in response.text


def test_an_account_awaiting_verification_cannot_be_guessed_past_the_lockout(
    client, unverified_user
):
    for _ in range(5):
        response = attempt(client, unverified_user.email, "wrong-guess")
    assert response.status_code == 429

    right = attempt(client, unverified_user.email, PASSWORD)

    assert right.status_code == 429
    assert "Your account is not active yet." not in right.text


def test_failed_logins_leave_no_address_in_the_logs(client, target, caplog):
    with caplog.at_level(logging.DEBUG):
        for _ in range(5):
            attempt(client, target.email, "wrong-guess", REMOTE_ADDR="203.0.113.77")

    assert "target@example.com" not in caplog.text
    assert "203.0.113.77" not in caplog.text


# --- Who is asking -------------------------------------------------------------------------------


def test_the_client_address_is_remote_addr_unless_proxies_are_trusted(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.5", HTTP_X_REAL_IP="1.2.3.4"
    )

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "192.0.2.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.5"


@pytest.mark.parametrize(
    ("forwarded_for", "proxies", "expected"),
    [
        ("198.51.100.1, 203.0.113.5", 1, "203.0.113.5"),
        ("198.51.100.1, 203.0.113.5, 10.0.0.3", 2, "203.0.113.5"),
        # Fewer entries than proxies: it did not come through them all.
        ("203.0.113.5", 2, "10.0.0.2"),
        ("", 1, "10.0.0.2"),
        ("not-an-address", 1, "10.0.0.2"),
        (" 2001:db8::1 ", 1, "2001:db8::1"),
    ],
)
def test_the_client_address_behind_proxies(settings, forwarded_for, proxies, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_ip(request) == expected


def test_the_username_is_counted_in_one_spelling():
    request = RequestFactory().post("/", {"username": "  Anna@Example.COM "})

    assert login_username(request) == "anna@example.com"
    assert login_username(request, {"username": "ANNA@example.com"}) == "anna@example.com"
    assert login_username(RequestFactory().post("/", {})) is None


def test_a_login_to_ones_own_account_does_not_clear_failures_on_others(target):
    """Password spraying: four guesses at other accounts, a log-in to one's own, four more…
    The address still locks at the fifth failure."""
    own = UserFactory(email="own@example.com")
    victims = [UserFactory(email=f"victim{n}@example.com") for n in range(6)]
    codes = []
    for number, victim in enumerate(victims):
        codes.append(attempt(Client(REMOTE_ADDR="203.0.113.9"), victim.email, "Summer2026!"))
        if number == 3:
            assert (
                attempt(Client(REMOTE_ADDR="203.0.113.9"), own.email, TEST_PASSWORD).status_code
                == 302
            )

    assert [response.status_code for response in codes] == [200, 200, 200, 200, 429, 429]


@pytest.mark.parametrize("spelling", ["n\u0131na@example.com", "N\u0130NA@example.com"])
def test_a_unicode_case_spelling_of_the_address_is_not_the_account(spelling):
    """PostgreSQL's UPPER() folds the dotless i (U+0131) to I, Python's lower() does not: such a
    spelling must not reach the account with a lock-out count of its own."""
    nina = UserFactory(email="nina@example.com")
    for number in range(5):
        attempt(Client(REMOTE_ADDR=f"198.51.100.{number}"), nina.email, "wrong-guess")
    client = Client(REMOTE_ADDR="192.0.2.78")

    attempt(client, spelling, TEST_PASSWORD)

    assert not logged_in(client)


# --- Failing on purpose does not keep the owner out (docs/security.md) ----------------------------


def test_an_attacker_failing_100_times_never_keeps_the_owner_out(target):
    """From one address, over several cool-offs: the attacker's address is locked at the fifth
    failure of each round; the owner, at their own address, logs in every time, from a browser
    that has never logged in before."""
    cooloff = settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    attacker = Client(REMOTE_ADDR="203.0.113.66", HTTP_ACCEPT_LANGUAGE="en")
    attempts = 0
    with time_machine.travel(MORNING, tick=False) as clock:
        for _round in range(5):
            answers = []
            for _ in range(20):
                answers.append(attempt(attacker, target.email, "wrong-guess").status_code)
                attempts += 1
            assert answers == [200] * 4 + [429] * 16

            owner = Client(REMOTE_ADDR="192.0.2.10")
            assert attempt(owner, target.email, TEST_PASSWORD).status_code == 302
            assert logged_in(owner)
            # The owner's log-in does not unlock the attacker.
            assert attempt(attacker, target.email, TEST_PASSWORD).status_code == 429
            attempts += 1

            clock.shift(cooloff)

    assert attempts == 105


def test_only_password_checks_count_against_the_account(target):
    """Attempts refused while the address is locked are not guesses: they do not bring the
    per-account throttle nearer."""
    attacker = Client(REMOTE_ADDR="203.0.113.67")
    for _ in range(100):
        attempt(attacker, target.email, "wrong-guess")

    assert account_failures(target.email) == settings.AXES_FAILURE_LIMIT


def guess_from_many_addresses(email: str, guesses: int) -> list[int]:
    return [
        attempt(
            Client(REMOTE_ADDR=f"10.0.{n // 200}.{n % 200 + 1}"), email, "wrong-guess"
        ).status_code
        for n in range(guesses)
    ]


def test_guessing_from_many_addresses_stops_at_the_account_limit_except_in_the_owners_browser(
    target,
):
    owners_browser = Client(REMOTE_ADDR="192.0.2.10", HTTP_ACCEPT_LANGUAGE="en")
    assert attempt(owners_browser, target.email, TEST_PASSWORD).status_code == 302
    owners_browser.post("/accounts/logout/")
    limit = settings.LOGIN_ACCOUNT_FAILURE_LIMIT

    # One guess from each of 100 addresses: no address is locked.
    assert guess_from_many_addresses(target.email, limit) == [200] * limit

    # The next, even with the right password, is refused without a check from a new browser…
    stranger = Client(REMOTE_ADDR="198.51.100.200", HTTP_ACCEPT_LANGUAGE="en")
    refused = attempt(stranger, target.email, TEST_PASSWORD)
    assert refused.status_code == 429
    assert THROTTLED in refused.text
    assert target.email not in refused.text
    assert not logged_in(stranger)
    # …and the owner's browser, from wherever it is, logs in.
    response = attempt(owners_browser, target.email, TEST_PASSWORD, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 302
    assert logged_in(owners_browser)


def test_a_new_password_set_by_the_emailed_link_lifts_the_throttle(settings, target):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 10
    guess_from_many_addresses(target.email, settings.LOGIN_ACCOUNT_FAILURE_LIMIT)
    browser = Client(REMOTE_ADDR="198.51.100.200", HTTP_ACCEPT_LANGUAGE="en")
    assert attempt(browser, target.email, TEST_PASSWORD).status_code == 429

    uid = urlsafe_base64_encode(force_bytes(target.pk))
    token = default_token_generator.make_token(target)
    form_url = browser.get(reverse("accounts:password_reset_confirm", args=[uid, token])).url
    browser.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert attempt(browser, target.email, NEW_PASSWORD).status_code == 302
    assert logged_in(browser)


def test_the_throttle_tells_nobody_whether_an_address_has_an_account(settings, target):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 10
    limit = settings.LOGIN_ACCOUNT_FAILURE_LIMIT
    guess_from_many_addresses(target.email, limit)
    guess_from_many_addresses("nobody-here@example.com", limit)

    pages = [
        attempt(
            Client(REMOTE_ADDR="198.51.100.200", HTTP_ACCEPT_LANGUAGE="en"), email, "wrong-guess"
        )
        for email in (target.email, "nobody-here@example.com")
    ]

    assert [page.status_code for page in pages] == [429, 429]
    assert all(THROTTLED in page.text for page in pages)


def test_the_browser_cookie_names_no_account_and_scripts_cannot_read_it(target):
    browser = Client(REMOTE_ADDR="192.0.2.10")

    response = attempt(browser, target.email, TEST_PASSWORD)

    cookie = response.cookies[RECOGNISED_BROWSER_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 3600
    assert len(cookie.value) == 32
    assert set(cookie.value) <= set("0123456789abcdef")
    assert "target" not in cookie.value


def test_a_new_password_forgets_the_browsers_that_logged_in(settings, target):
    """Whoever had the account's password and logged in with it loses the exemption with it."""
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 10
    intruder = Client(REMOTE_ADDR="203.0.113.70")
    assert attempt(intruder, target.email, TEST_PASSWORD).status_code == 302
    target.set_password(NEW_PASSWORD)
    target.save()
    guess_from_many_addresses(target.email, settings.LOGIN_ACCOUNT_FAILURE_LIMIT)

    assert attempt(intruder, target.email, NEW_PASSWORD).status_code == 429
