"""Denied requests and log-in events go to the access log; no password ever does."""

import pytest
from django.test import Client
from django.urls import reverse

from privacy.constants import Action
from privacy.models import AccessEvent, DeniedRequestCount
from privacy.receivers import attempted_name_digest
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

PASSWORD = "password-for-tests"


def test_another_persons_case_is_a_404_and_logged_as_denied(applicant, other_applicant, client_for):
    case = ApplicationFactory(applicant=other_applicant.applicants.get(), filed=True)
    url = reverse("applications:detail", args=[case.pk])

    assert client_for(applicant).get(url).status_code == 404

    [event] = AccessEvent.objects.filter(action=Action.ACCESS_DENIED)
    assert event.actor == applicant
    assert event.path == url
    assert event.object_id == str(case.pk)
    assert event.object_type == "applications:detail"
    assert event.detail == {"status": 404, "method": "GET"}
    assert event.ip_address == "127.0.0.1"


def test_a_403_is_logged_as_denied(applicant, client_for):
    url = reverse("caseworker:queue")

    assert client_for(applicant).get(url).status_code == 403

    [event] = AccessEvent.objects.filter(action=Action.ACCESS_DENIED)
    assert (event.actor, event.path, event.detail["status"]) == (applicant, url, 403)


def test_an_anonymous_visitor_is_sent_to_log_in_which_is_not_a_denial(anonymous):
    response = anonymous.get(reverse("documents:download", args=[1]))

    assert response.status_code == 302
    assert not AccessEvent.objects.filter(action=Action.ACCESS_DENIED).exists()


def test_an_anonymous_denial_is_counted_with_its_address():
    """Counted per address, page and hour, not an event each (test_denied_counts.py)."""
    strict = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")

    response = strict.post(reverse("accounts:login"), REMOTE_ADDR="198.51.100.9")

    assert response.status_code == 403
    assert not AccessEvent.objects.filter(action=Action.ACCESS_DENIED).exists()
    [count] = DeniedRequestCount.objects.all()
    assert (count.ip_address, count.count) == ("198.51.100.9", 1)


def test_a_404_on_an_address_that_names_nothing_is_not_logged(applicant, client_for):
    assert client_for(applicant).get("/no-such-page/").status_code == 404

    assert not AccessEvent.objects.filter(action=Action.ACCESS_DENIED).exists()


def test_log_in_and_log_out_are_logged(client):
    user = UserFactory(email="anna@example.com")

    client.post(reverse("accounts:login"), {"username": "anna@example.com", "password": PASSWORD})
    client.post(reverse("accounts:logout"))

    login = AccessEvent.objects.get(action=Action.LOGIN)
    logout = AccessEvent.objects.get(action=Action.LOGOUT)
    assert (login.actor, login.path, login.ip_address) == (user, "/accounts/login/", "127.0.0.1")
    assert (logout.actor, logout.path) == (user, "/accounts/logout/")


def all_text(event: AccessEvent) -> str:
    return " ".join(
        str(getattr(event, field.attname)) for field in AccessEvent._meta.concrete_fields
    )


def test_a_failed_log_in_names_the_account_but_never_the_password(client):
    user = UserFactory(email="anna@example.com")

    client.post(
        reverse("accounts:login"),
        {"username": "Anna@Example.com", "password": "wrong-secret-typed"},
    )

    [event] = AccessEvent.objects.filter(action=Action.LOGIN_FAILED)
    assert event.actor == user
    assert event.path == "/accounts/login/"
    assert "wrong-secret-typed" not in all_text(event)


def test_a_failed_log_in_for_no_account_keeps_only_a_hash_of_the_name(client):
    client.post(
        reverse("accounts:login"),
        {"username": "stranger@example.com", "password": "wrong-secret-typed"},
    )

    [event] = AccessEvent.objects.filter(action=Action.LOGIN_FAILED)
    assert event.actor is None
    assert event.detail == {"name_hash": attempted_name_digest("Stranger@example.com")}
    assert "stranger" not in all_text(event)
    assert "wrong-secret-typed" not in all_text(event)


def test_a_lockout_is_logged(client, settings):
    UserFactory(email="anna@example.com")

    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(reverse("accounts:login"), {"username": "anna@example.com", "password": "nope"})

    assert AccessEvent.objects.filter(action=Action.LOCKED_OUT).exists()
    assert not AccessEvent.objects.filter(action=Action.ACCESS_DENIED).exists()
