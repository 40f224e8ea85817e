from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.constants import Role
from accounts.models import User
from tests.accounts.conftest import PASSWORD, html_body, link_in
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/accounts/signup/"
SENT_URL = "/accounts/verify/sent/"
RESEND_URL = "/accounts/verify/resend/"


def _signup(client, **overrides):
    data = {
        "email": "olena@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "preferred_language": "uk",
        "consent": "on",
        **overrides,
    }
    return client.post(SIGNUP_URL, data)


# --- Sign-up -------------------------------------------------------------------------------------


def test_signup_url_name():
    assert reverse("accounts:signup") == SIGNUP_URL


def test_signup_form_offers_the_active_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    response = client.get(SIGNUP_URL)

    assert response.status_code == 200
    assert response.context["form"]["preferred_language"].value() == "vi"
    assert 'autocomplete="new-password"' in response.text


def test_signup_creates_an_inactive_applicant_and_says_check_your_email(client):
    response = _signup(client, email="Olena@Example.com")

    assert response.status_code == 302
    assert response.url == SENT_URL
    user = User.objects.get()
    assert user.email == "olena@example.com"
    assert not user.is_active
    assert user.check_password(PASSWORD)
    assert user.preferred_language == "uk"
    assert list(user.groups.all()) == [Group.objects.get(name=Role.APPLICANT)]
    assert "Check your e-mail" in client.get(SENT_URL).text


def test_signup_email_is_in_the_chosen_language(client):
    _signup(client, preferred_language="uk")

    [message] = mail.outbox
    assert message.to == ["olena@example.com"]
    html = html_body(message)
    assert '<html lang="uk">' in html
    # The language's own name, which the message shows whatever the catalogue holds.
    assert "Українська" in message.body
    assert "Українська" in html
    assert "/accounts/verify/" in html


def test_signup_email_in_another_language(client):
    _signup(client, preferred_language="vi")

    [message] = mail.outbox
    assert '<html lang="vi">' in html_body(message)
    assert "Tiếng Việt" in message.body


def test_verification_link_activates_logs_in_and_rotates_the_session(client):
    _signup(client)
    path = link_in(mail.outbox[0], "/accounts/verify/")

    # Opening the link (as a mail scanner would) changes nothing yet.
    page = client.get(path)
    assert page.status_code == 200
    assert "Activate my account" in page.text
    assert not User.objects.get().is_active

    session_before = client.session.session_key
    response = client.post(path)

    assert response.status_code == 302
    assert response.url == reverse("profile:profile")
    user = User.objects.get()
    assert user.is_active
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session.session_key != session_before
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "uk"


def test_verification_link_works_only_once(client):
    _signup(client)
    path = link_in(mail.outbox[0], "/accounts/verify/")
    client.post(path)
    client.post(reverse("accounts:logout"))

    # The page answers in the language chosen at sign-up (Ukrainian).
    with translation.override("uk"):
        expected = gettext("This link cannot be used")
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 200
        assert expected in response.text
        assert f'action="{RESEND_URL}"' in response.text
    assert "_auth_user_id" not in client.session


def test_forged_verification_links_are_refused(client, unverified_user):
    path = reverse(
        "accounts:verify",
        kwargs={"uidb64": "MQ", "token": "c5x1yz-0123456789abcdef0123456789abcdef"},
    )
    garbage = reverse("accounts:verify", kwargs={"uidb64": "not-base64!", "token": "x"})

    for url in (path, garbage):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 200
            assert "This link cannot be used" in response.text
    unverified_user.refresh_from_db()
    assert not unverified_user.is_active
    assert "_auth_user_id" not in client.session


def test_a_password_reset_token_does_not_verify(client, unverified_user):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    url = reverse(
        "accounts:verify",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(unverified_user.pk)),
            "token": default_token_generator.make_token(unverified_user),
        },
    )

    response = client.post(url)

    assert "This link cannot be used" in response.text
    unverified_user.refresh_from_db()
    assert not unverified_user.is_active


def test_an_expired_verification_link_is_refused(client):
    _signup(client)
    path = link_in(mail.outbox[0], "/accounts/verify/")
    # A margin of hours: the token's clock is the naive local time (Europe/Prague).
    expired = timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT) + timedelta(hours=3)

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert client.get(path).status_code == 200
        assert "Activate my account" in client.get(path).text
    with time_machine.travel(timezone.now() + expired):
        response = client.post(path)

    assert "This link cannot be used" in response.text
    assert not User.objects.get().is_active


def test_existing_address_is_not_revealed(client):
    fresh = _signup(client, email="someone.new@example.com")
    UserFactory(email="taken@example.com", password="an-old-Password-1", preferred_language="ru")
    mail.outbox.clear()

    taken = _signup(client, email="TAKEN@example.com")

    # The same answer as for a new address …
    assert taken.status_code == fresh.status_code == 302
    assert taken.url == fresh.url == SENT_URL
    # … but no second account, and the holder is told, in their own language.
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    assert User.objects.get(email="taken@example.com").check_password("an-old-Password-1")
    [message] = mail.outbox
    assert message.to == ["taken@example.com"]
    with translation.override("ru"):
        expected = gettext(
            "Someone – perhaps you – tried to create an account on the residence permits "  # noqa: RUF001 — the msgid uses en dashes
            "portal with this e-mail address. You already have an account, so no new one was "
            "created."
        )
    assert expected in message.body
    assert "/accounts/password/reset/" in message.body
    assert "/accounts/verify/" not in message.body
    assert '<html lang="ru">' in html_body(message)


def test_signing_up_again_before_verifying_resends_the_link(client, unverified_user):
    response = _signup(
        client,
        email=unverified_user.email,
        password1="Another-pass-99",
        password2="Another-pass-99",
    )

    assert response.url == SENT_URL
    [message] = mail.outbox
    assert "/accounts/verify/" in message.body
    unverified_user.refresh_from_db()
    # The first password stays: whoever signed up second has not proved the address is theirs.
    assert unverified_user.check_password(PASSWORD)


def test_signup_errors_are_summarised_and_input_kept(client):
    response = _signup(client, password2="something-else-7", consent="", preferred_language="ru")

    assert response.status_code == 200
    assert not User.objects.exists()
    assert not mail.outbox
    assert 'role="alert"' in response.text
    assert 'href="#id_password2"' in response.text
    assert 'href="#id_consent"' in response.text
    assert "Tick the box to consent to the processing of your personal data." in response.text
    assert 'value="olena@example.com"' in response.text
    assert response.context["form"]["preferred_language"].value() == "ru"


@pytest.mark.parametrize(
    "password", ["password", "12345678901", "short", "olena@example.com"], ids=str
)
def test_signup_applies_django_password_validators(client, password):
    response = _signup(client, password1=password, password2=password)

    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not User.objects.exists()


def test_signup_requires_a_language_the_portal_offers(client):
    response = _signup(client, preferred_language="de")

    assert response.status_code == 200
    assert "preferred_language" in response.context["form"].errors


def test_logged_in_people_are_sent_to_their_profile(client, applicant):
    client.force_login(applicant)

    response = client.get(SIGNUP_URL)

    assert response.status_code == 302
    assert response.url == reverse("profile:profile")


# --- Resending the link --------------------------------------------------------------------------


def test_resend_sends_a_new_working_link(client, unverified_user):
    response = client.post(RESEND_URL, {"email": "NEW.applicant@example.com"})

    assert response.status_code == 302
    assert response.url == SENT_URL
    [message] = mail.outbox
    assert '<html lang="uk">' in html_body(message)
    client.post(link_in(message, "/accounts/verify/"))
    unverified_user.refresh_from_db()
    assert unverified_user.is_active


@pytest.mark.parametrize("email", ["nobody@example.com", "active@example.com"])
def test_resend_does_not_reveal_accounts(client, email):
    UserFactory(email="active@example.com")

    response = client.post(RESEND_URL, {"email": email})

    assert response.status_code == 302
    assert response.url == SENT_URL
    assert not mail.outbox


def test_resend_does_not_reactivate_a_deactivated_account(client):
    UserFactory(
        email="blocked@example.com", is_active=False, last_login=timezone.now(), role=Role.APPLICANT
    )

    client.post(RESEND_URL, {"email": "blocked@example.com"})

    assert not mail.outbox


def test_resend_with_an_invalid_address_shows_the_error(client):
    response = client.post(RESEND_URL, {"email": "not an address"})

    assert response.status_code == 200
    assert 'href="#id_email"' in response.text
    assert 'value="not an address"' in response.text


def test_resend_is_post_only(client):
    assert client.get(RESEND_URL).status_code == 405


def test_actions_require_the_csrf_token(unverified_user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    verify_url = reverse(
        "accounts:verify",
        kwargs={"uidb64": "MQ", "token": "c5x1yz-0123456789abcdef0123456789abcdef"},
    )

    for url, data in [
        (SIGNUP_URL, {"email": "x@example.com"}),
        (RESEND_URL, {"email": unverified_user.email}),
        (verify_url, {}),
        ("/accounts/password/reset/", {"email": unverified_user.email}),
    ]:
        assert strict.post(url, data).status_code == 403
    assert not mail.outbox
