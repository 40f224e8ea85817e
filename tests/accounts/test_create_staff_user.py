"""``manage.py create_staff_user``: how an operator opens staff accounts (README, production)."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.constants import Role
from accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Modry-kopec-u-Brna-58"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


# Every staff record carries the name, surname and function decisions are signed with.
NAMED = ("--first-name=Jana", "--last-name=Nováková", "--function=referentka")


def create(*args: str, stdin: str = PASSWORD + "\n") -> str:
    out = io.StringIO()
    call_command("create_staff_user", *args, stdin=io.StringIO(stdin), stdout=out)
    return out.getvalue()


def test_a_caseworker_is_created_with_the_password_from_standard_input():
    out = create(
        "--email",
        "Jana.Novakova@Example.gov.cz",
        "--role",
        "caseworker",
        "--first-name",
        "Jana",
        "--last-name",
        "Nováková",
        "--function",
        "referentka",
        "--language",
        "en",
    )

    user = User.objects.get()
    assert user.email == "jana.novakova@example.gov.cz"
    assert (user.first_name, user.last_name, user.job_title, user.preferred_language) == (
        "Jana",
        "Nováková",
        "referentka",
        "en",
    )
    assert user.has_role(Role.CASEWORKER) and user.has_perm("applications.process_application")
    assert user.is_active and not user.is_staff and not user.is_superuser
    assert authenticate(username="jana.novakova@example.gov.cz", password=PASSWORD) == user
    assert "jana.novakova@example.gov.cz (caseworker) created" in out


def test_the_new_staff_member_must_set_up_an_authenticator_app_at_the_first_log_in(client):
    create("--email", "cw@example.gov.cz", "--role", "caseworker", *NAMED)
    assert not TOTPDevice.objects.exists()

    client.post("/accounts/login/", {"username": "cw@example.gov.cz", "password": PASSWORD})
    response = client.get("/caseworker/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/setup/app/")
    assert response.status_code == 200


def test_an_admin_gets_the_back_office():
    create("--email", "admin@example.gov.cz", "--role", "admin", *NAMED)

    user = User.objects.get()
    assert user.is_staff and user.is_superuser and user.has_role(Role.ADMIN)


def on_terminal(monkeypatch, *typed: str) -> None:
    answers = iter(typed)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))


def test_on_a_terminal_the_password_is_asked_twice(monkeypatch):
    on_terminal(monkeypatch, PASSWORD, PASSWORD)

    call_command(
        "create_staff_user",
        "--email=sup@example.gov.cz",
        "--role=supervisor",
        *NAMED,
        stdin=Terminal(),
        stdout=io.StringIO(),
    )

    assert authenticate(username="sup@example.gov.cz", password=PASSWORD).has_perm(
        "applications.assign_application"
    )


def test_on_a_terminal_two_different_passwords_create_nothing(monkeypatch):
    on_terminal(monkeypatch, PASSWORD, PASSWORD + "x")

    with pytest.raises(CommandError, match="differ"):
        call_command(
            "create_staff_user",
            "--email=sup@example.gov.cz",
            "--role=supervisor",
            *NAMED,
            stdin=Terminal(),
        )

    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--role=caseworker"], "password\n", "too common"),
        (["--role=caseworker"], "x@example.gov.cz\n", "too similar"),
        (["--role=caseworker"], "\n", "No password"),
        (["--role=caseworker"], "", "No password"),
        (["--role=applicant"], PASSWORD, "invalid choice"),
        # The password is never an argument: it would stay in the shell's history.
        (["--role=caseworker", f"--password={PASSWORD}"], PASSWORD, "unrecognized arguments"),
    ],
)
def test_refusals_create_nothing(args, stdin, message):
    with pytest.raises(CommandError, match=message):
        create("--email=x@example.gov.cz", *args, *NAMED, stdin=stdin)

    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("named", "message"),
    [
        # Decisions are signed with the name, surname and function: none may be left out ...
        (["--first-name=Jana", "--last-name=Nováková"], "--function"),
        (["--last-name=Nováková", "--function=referentka"], "--first-name"),
        # ... nor given empty.
        (["--first-name=Jana", "--last-name=Nováková", "--function= "], "name, surname and"),
        (["--first-name=", "--last-name=Nováková", "--function=referentka"], "name, surname"),
    ],
)
def test_a_staff_member_without_a_name_or_a_function_is_refused(named, message):
    with pytest.raises(CommandError, match=message):
        create("--email=x@example.gov.cz", "--role=caseworker", *named)

    assert not User.objects.exists()


def test_an_existing_address_is_refused_and_left_as_it_was():
    existing = UserFactory(email="taken@example.gov.cz", role=Role.APPLICANT)

    with pytest.raises(CommandError, match="exists already"):
        create("--email", "Taken@example.gov.cz", "--role", "supervisor", *NAMED)

    existing.refresh_from_db()
    assert not existing.is_staff_member
    assert User.objects.count() == 1
