import re

import pytest
from django.conf import settings
from django.core import mail

from accounts import services
from accounts.models import User

PASSWORD = "a-long-Passphrase-42"


@pytest.fixture
def client(client):
    """The test client, reading the portal in English: Django's own messages (password
    validators, log-in errors) are translated into Czech, the default language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def unverified_user(db) -> User:
    """An account as sign-up leaves it: inactive until the e-mail link is opened."""
    user = services.user_signup(
        email="new.applicant@example.com",
        password=PASSWORD,
        preferred_language="uk",
        base_url="http://testserver/",
    )
    mail.outbox.clear()
    return user


def html_body(message: mail.EmailMultiAlternatives) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def link_in(message: mail.EmailMessage, path_prefix: str) -> str:
    """The path of the first link in the text body that starts with ``path_prefix``."""
    match = re.search(rf"http://testserver({re.escape(path_prefix)}\S+)", message.body)
    assert match, message.body
    return match.group(1)
