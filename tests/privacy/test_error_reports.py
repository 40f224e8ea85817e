"""No personal data in error pages, error reports or application logs."""

import io
import logging

import pytest
from django.core import mail
from django.test import Client
from django.utils.log import AdminEmailHandler

from privacy.log_filters import ScrubPersonalData, scrub
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "ivan.petrenko@example.com"
PASSPORT = "FP7654321"
POSTED = {"email": EMAIL, "travel_document_number": PASSPORT, "address": "Dlouhá 5, Praha"}


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = "tests.privacy.boom_urls"
    settings.DEBUG = False
    settings.ADMINS = [("Admin", "admin@example.org")]


@pytest.fixture
def console():
    """The site's console handler (the one with the scrubbing filter), writing into a buffer."""
    [handler] = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, ScrubPersonalData) for f in handler.filters)
    ]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@pytest.fixture
def error_mail():
    """Error e-mails to the admins, as production would send them with ADMINS set."""
    handler = AdminEmailHandler(include_html=True)
    handler.setLevel(logging.ERROR)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield mail.outbox
    logger.removeHandler(handler)


def post_boom():
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(UserFactory(email="someone.else@example.com"))
    client.cookies["sessionid-extra"] = "cookie-secret"
    return client.post("/boom/?q=Petrenko", POSTED)


def test_the_500_page_shows_no_details(failing_site):
    response = post_boom()

    assert response.status_code == 500
    assert "Something went wrong" in response.text
    for secret in (EMAIL, PASSPORT, "RuntimeError", "Traceback", "Petrenko"):
        assert secret not in response.text


def test_the_log_line_has_no_e_mail_and_no_posted_values(failing_site, console):
    post_boom()

    logged = console.getvalue()
    assert "Internal Server Error: /boom/" in logged
    assert "RuntimeError: Could not save [e-mail]" in logged
    for secret in (EMAIL, PASSPORT, "Dlouhá", "Petrenko"):
        assert secret not in logged


def test_the_error_report_hides_post_data_variables_and_the_query(failing_site, error_mail):
    post_boom()

    [message] = error_mail
    html = message.alternatives[0][0]
    for text in (message.subject, message.body, html):
        for secret in (
            EMAIL,
            PASSPORT,
            "Dlouhá",
            "Petrenko",
            "someone.else@example.com",
            "cookie-secret",
        ):
            assert secret not in text
    assert "travel_document_number" in message.body  # the field's name, not its value


@pytest.mark.parametrize(
    ("status", "path", "heading"),
    [
        (404, "/documents/999999/download/", "Page not found"),
        (403, "/caseworker/", "Access refused"),
    ],
)
def test_error_pages_are_the_sites_own_and_say_nothing_more(applicant, status, path, heading):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(applicant)

    response = client.get(path)

    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in response.text
    assert "No Document matches the given query" not in response.text
    assert "<h1>Not Found</h1>" not in response.text


def test_scrub_replaces_addresses_anywhere_in_a_line():
    assert scrub("Key (email)=(Anna.N+x@mail.example.cz) exists") == (
        "Key (email)=([e-mail]) exists"
    )
    assert scrub("nothing personal") == "nothing personal"
