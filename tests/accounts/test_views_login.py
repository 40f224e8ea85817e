import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.constants import Role
from accounts.http import landing_url
from accounts.models import User
from tests.accounts.conftest import PASSWORD, html_body, link_in
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
LOGOUT_URL = "/accounts/logout/"
TEST_PASSWORD = "password-for-tests"  # UserFactory's
WRONG_LOGIN = "Please enter a correct e-mail address and password."
NOT_ACTIVE = "Your account is not active yet."


def _login(client, email, password):
    return client.post(LOGIN_URL, {"username": email, "password": password})


def test_url_names_are_kept():
    assert reverse("accounts:login") == LOGIN_URL
    assert reverse("accounts:logout") == LOGOUT_URL


def test_login_page_links_sign_up_and_password_reset(client):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert 'href="/accounts/signup/"' in response.text
    assert 'href="/accounts/password/reset/"' in response.text
    assert 'autocomplete="email"' in response.text
    assert 'autocomplete="current-password"' in response.text


def test_login_by_email_in_any_letter_case(client):
    user = UserFactory(email="anna.novak@example.com")

    response = _login(client, "Anna.Novak@EXAMPLE.com", TEST_PASSWORD)

    assert response.status_code == 302
    # An applicant starts from "My applications".
    assert response.url == reverse("applications:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_follows_next(client, applicant):
    response = client.post(
        LOGIN_URL,
        {"username": applicant.email, "password": TEST_PASSWORD, "next": "/accounts/profile/"},
    )

    assert response.url == "/accounts/profile/"


def test_login_switches_to_the_preferred_language(client):
    UserFactory(email="vu@example.com", preferred_language="vi")

    response = _login(client, "vu@example.com", TEST_PASSWORD)

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    assert '<html lang="vi" data-theme="light">' in client.get("/").text


def test_wrong_password_gets_the_summary_and_keeps_the_address(client):
    UserFactory(email="anna@example.com")

    response = _login(client, "anna@example.com", "not-the-password")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'role="alert"' in response.text
    assert 'href="#id_username"' in response.text
    assert WRONG_LOGIN in response.text
    assert 'value="anna@example.com"' in response.text


def test_unverified_account_gets_the_hint_only_with_the_right_password(client, unverified_user):
    right = _login(client, "New.Applicant@example.com", PASSWORD)

    assert right.status_code == 200
    assert "_auth_user_id" not in client.session
    assert NOT_ACTIVE in right.text
    assert 'action="/accounts/verify/resend/"' in right.text
    assert 'value="new.applicant@example.com"' in right.text

    wrong = _login(client, unverified_user.email, "not-the-password")
    unknown = _login(client, "nobody@example.com", "not-the-password")

    for response in (wrong, unknown):
        assert WRONG_LOGIN in response.text
        assert NOT_ACTIVE not in response.text
        assert "/accounts/verify/resend/" not in response.text


def test_deactivated_account_cannot_log_in(client):
    UserFactory(email="blocked@example.com", is_active=False)

    response = _login(client, "blocked@example.com", TEST_PASSWORD)

    assert "_auth_user_id" not in client.session
    assert NOT_ACTIVE not in response.text


def test_logout_is_post_only(client, applicant):
    client.force_login(applicant)

    assert client.get(LOGOUT_URL).status_code == 405
    assert "_auth_user_id" in client.session

    response = client.post(LOGOUT_URL)

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# --- Password reset ------------------------------------------------------------------------------


def test_password_reset_email_is_in_the_preferred_language_and_the_link_works(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="irina@example.com", preferred_language="ru")

    # The mail leaves through the outbox once the request's transaction has committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "IRINA@example.com"})

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    [message] = mail.outbox
    assert message.to == ["irina@example.com"]
    assert '<html lang="ru">' in html_body(message)
    assert "Русский" in message.body

    path = link_in(message, "/accounts/password/reset/")
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]

    done = client.post(
        set_password_url,
        {"new_password1": "brand-New-secret-77", "new_password2": "brand-New-secret-77"},
    )

    assert done.status_code == 302
    assert done.url == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("brand-New-secret-77")
    assert _login(client, "irina@example.com", "brand-New-secret-77").status_code == 302
    # The link is single-use.
    client.post(LOGOUT_URL)
    assert not client.get(path, follow=True).context["validlink"]


def test_password_reset_does_not_reveal_accounts(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert not mail.outbox


def test_password_reset_with_a_bad_link(client):
    response = client.get("/accounts/password/reset/MQ/abc-def/", follow=True)

    assert response.status_code == 200
    assert not response.context["validlink"]
    assert 'href="/accounts/password/reset/"' in response.text


def test_new_password_errors_are_summarised(client, django_capture_on_commit_callbacks):
    UserFactory(email="irina@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "irina@example.com"})
    path = link_in(mail.outbox[0], "/accounts/password/reset/")
    set_password_url = client.get(path, follow=True).redirect_chain[-1][0]

    response = client.post(
        set_password_url, {"new_password1": "12345678", "new_password2": "12345678"}
    )

    assert response.status_code == 200
    assert 'href="#id_new_password2"' in response.text


# --- Password change -----------------------------------------------------------------------------


def test_password_change_requires_login(client):
    response = client.get("/accounts/password/change/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/accounts/password/change/"


def test_password_change(client, applicant):
    client.force_login(applicant)

    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "brand-New-secret-77",
            "new_password2": "brand-New-secret-77",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    assert User.objects.get(pk=applicant.pk).check_password("brand-New-secret-77")
    # Still logged in: Django keeps the session valid after a change of password.
    assert client.get("/accounts/profile/").status_code == 200


def test_password_change_with_a_wrong_old_password(client, applicant):
    client.force_login(applicant)

    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": "wrong",
            "new_password1": "brand-New-secret-77",
            "new_password2": "brand-New-secret-77",
        },
    )

    assert response.status_code == 200
    assert 'href="#id_old_password"' in response.text
    assert User.objects.get(pk=applicant.pk).check_password(TEST_PASSWORD)


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (Role.APPLICANT, "applications:dashboard"),
        (Role.SUPPORT, "support:home"),
        (Role.CASEWORKER, "caseworker:queue"),
        (Role.SUPERVISOR, "caseworker:queue"),
    ],
)
def test_a_person_lands_where_their_work_is(role, landing):
    user = UserFactory(role=role)
    assert landing_url(user) == reverse(landing)


def test_an_administrator_lands_in_the_back_office():
    assert landing_url(UserFactory(is_staff=True, is_superuser=True)) == reverse("admin:index")


def test_a_page_asked_for_wins_over_the_landing(client):
    UserFactory(email="anna.novak@example.com")
    response = client.post(
        reverse("accounts:login") + "?next=/permits/",
        {"username": "anna.novak@example.com", "password": TEST_PASSWORD},
    )
    assert response.url == "/permits/"
