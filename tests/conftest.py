import pytest
from django.test import Client

from accounts.constants import Role
from tests.accounts.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords_and_private_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "encryption.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }


@pytest.fixture
def applicant(db):
    from tests.applications.factories import ApplicantFactory

    return ApplicantFactory().account


@pytest.fixture
def other_applicant(db):
    from tests.applications.factories import ApplicantFactory

    return ApplicantFactory().account


@pytest.fixture
def caseworker(db):
    return UserFactory(role=Role.CASEWORKER)


@pytest.fixture
def other_caseworker(db):
    return UserFactory(role=Role.CASEWORKER)


@pytest.fixture
def supervisor(db):
    return UserFactory(role=Role.SUPERVISOR)


@pytest.fixture
def support(db):
    return UserFactory(role=Role.SUPPORT)


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def client():
    """A browser that asks for English pages unless a test sets a language cookie or header;
    without it LocaleMiddleware would answer in Czech, the language of record."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def anonymous():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def _force_login_verifies_second_factor(monkeypatch):
    """Staff pages answer only sessions verified by a second factor (accounts.middleware).

    So that tests about other things log staff in with one line, ``force_login`` on every test
    client (the fixtures' and any ``Client()``) also verifies the session of anyone who owes a
    second factor, with a real confirmed authenticator app (made if missing), as a code would.
    ``force_login(user, verified=False)`` stops at the password step; for the steps a person
    takes, see ``tests.accounts.two_factor.log_in_with_code``.
    """
    from accounts.selectors import second_factor_required
    from tests.accounts.two_factor import verify_session

    password_step_only = Client.force_login

    def force_login(self, user, backend=None, verified=True):
        password_step_only(self, user, backend)
        if verified and second_factor_required(user):
            verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Tasks run in-process in tests, even when REDIS_URL points at a real broker; tests that
    need a real worker opt out with the ``real_worker`` marker."""
    from config.celery import app

    if request.node.get_closest_marker("real_worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Messages built outside a request (services, tasks) come out in English in tests, so
    assertions read naturally; requests still pick their language by cookie or header."""
    from django.utils import translation

    with translation.override("en"):
        yield
