import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
import redis
import time_machine
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.test import Client

from accounts.constants import Role
from tests.accounts.factories import UserFactory
from tests.notifications.smtp import RecordingHandler, SmtpServer, free_port
from tests.workers import WorkerFactory

# ---- The test clock: TEST_CLOCK ------------------------------------------------------------------
# Deadlines move with the day (weekends, Czech holidays, midnight in Prague), so a test that reads
# the clock must pin its own instant with time_machine. TEST_CLOCK, an ISO 8601 instant with its
# offset (TEST_CLOCK=2027-03-28T00:30:00Z), moves the clock for every other test, so that the suite
# can be run "on" a Saturday in Prague, a holiday, a leap day or a clock-change night
# (`make test-clocks`) and a hidden dependence on today fails there rather than on some future day.
#
# Two kinds of test stay on the real clock, because time_machine moves only this process:
# - ``real_worker``: a Celery worker in a subprocess claims, times out and stamps rows on the
#   machine's clock; travelling only the test's side would test a split clock that production
#   never has. They still run in every travelled run, on the real clock.
# - ``e2e``: Chromium expires cookies and runs scripts on the machine's clock. The browser suite is
#   left out of the travelled runs (`make test-clocks` ignores tests/e2e).


def _read_test_clock() -> datetime | None:
    value = os.environ.get("TEST_CLOCK", "").strip()
    if not value:
        return None
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(
            f"TEST_CLOCK={value!r} is not an ISO 8601 instant (e.g. 2027-03-28T00:30:00Z)"
        ) from None
    if instant.utcoffset() is None:
        # A naive time is a different instant in every time zone; the tests mean one instant.
        raise pytest.UsageError(f"TEST_CLOCK={value!r} needs an offset, e.g. Z or +01:00")
    return instant


TEST_CLOCK = _read_test_clock()  # read on import, so a bad value stops the run before any test


def pytest_report_header(config):
    if TEST_CLOCK is not None:
        return f"TEST_CLOCK: {TEST_CLOCK.isoformat()} (tests that pin no instant of their own)"
    return None


@pytest.fixture(autouse=True)
def _at_test_clock(request):
    """Every test starts at TEST_CLOCK, if set; the clock then ticks on as usual. Tests that pin
    their own instant travel again from here."""
    on_real_clock = request.node.get_closest_marker("real_worker") or (
        request.node.get_closest_marker("e2e")
    )
    if TEST_CLOCK is None or on_real_clock:
        yield
        return
    with time_machine.travel(TEST_CLOCK, tick=True):
        yield


# ---- End of the test clock -----------------------------------------------------------------------


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


@pytest.fixture
def client_for() -> Callable[..., Client]:
    """``client_for(user)``: a browser logged in as ``user``, with the second factor verified
    where they owe one (``_force_login_verifies_second_factor``); ``client_for(None)`` is an
    anonymous one. Pages come in ``language`` (English unless told: cookie and header); other
    keyword arguments are request headers (``HTTP_USER_AGENT=...``)."""

    def make(user: Any, *, language: str = "en", **headers: Any) -> Client:
        browser = Client(HTTP_ACCEPT_LANGUAGE=language, **headers)
        browser.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        if user is not None:
            browser.force_login(user)
        return browser

    return make


@pytest.fixture(autouse=True)
def _force_login_verifies_second_factor(monkeypatch):
    """Staff pages answer only sessions verified by a second factor (accounts.middleware).

    So that tests about other things log staff in with one line, ``force_login`` on every test
    client (the fixtures' and any ``Client()``) also verifies the session of anyone who owes a
    second factor, with a real confirmed authenticator app (made if missing), as a code would.
    ``force_login(user, verified=False)`` stops at the password step; for the steps a person
    takes, see ``tests.accounts.two_factor.log_in_with_code``. It also reads the account's
    permissions, which are then kept, as a first request would.
    """
    from accounts.selectors import second_factor_required
    from tests.accounts.two_factor import verify_session

    password_step_only = Client.force_login

    def force_login(self, user, backend=None, verified=True):
        password_step_only(self, user, backend)
        if verified and second_factor_required(user):
            verify_session(self, user)
        # The permissions are read at the first request and then kept (accounts.backends):
        # read them here, so a test's first request costs what every later one does.
        type(user)._default_manager.get(pk=user.pk).get_all_permissions()

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


@pytest.fixture(autouse=True)
def _request_limits_start_at_zero(settings):
    """Request limits (django-ratelimit) count in a cache of their own per test: counts left in
    Redis by an earlier test, or an earlier run within the hour, would refuse this one's."""
    import uuid

    alias = "request-limits"
    settings.CACHES = {
        **settings.CACHES,
        alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        },
    }
    settings.RATELIMIT_USE_CACHE = alias
    settings.API_RATE_CACHE = alias


@pytest.fixture(autouse=True)
def _sessions_in_the_database(settings):
    """Sessions in the database, with or without REDIS_URL (which turns on ``cached_db``), so
    a page's query count is the same on every run; tests of the cached sessions set it."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


@pytest.fixture(autouse=True)
def _kept_values_start_afresh(settings):
    """The supervisor dashboard's kept counts (applications/dashboard.py) in a cache of their
    own per test, so one test's figures never show on another's page."""
    import uuid

    settings.CACHES = {
        **settings.CACHES,
        "figures": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        },
        # Kept permission sets too (accounts/backends.py): a rolled-back test's account id
        # comes again in the next test.
        "permissions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        },
    }


@pytest.fixture(autouse=True)
def _public_pages_rendered_afresh():
    """Each test starts with no kept public page (core.page_cache): one test's data must not
    show on the next one's page."""
    from core import page_cache

    page_cache.clear()
    yield
    page_cache.clear()


# --- A real SMTP server and the machine's Redis (notifications, outbox, password reset) --------

DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SmtpServer(controller.hostname, controller.port, handler)
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    """Django's SMTP backend, pointed at the test's server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return smtp_server


@pytest.fixture
def redis_url() -> str:
    """The machine's Redis: REDIS_URL, or db 14 locally. Unreachable is a failure, not a skip."""
    url = os.environ.get("REDIS_URL") or DEFAULT_TEST_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(
            f"Redis at {url} is unreachable ({error}). These tests need a real Redis: start it "
            "or point REDIS_URL at one.",
            pytrace=False,
        )
    return url


@pytest.fixture(autouse=True)
def _side_effects_that_fail_fail_the_test(request, caplog):
    """The outbox logs a handler's error and tries again later, so that a broken PDF never
    breaks the request that decided the case. In a test that would hide the error: any outbox
    failure fails the test, unless the test is about one (``outbox_failure_expected``)."""
    yield
    if request.node.get_closest_marker("outbox_failure_expected"):
        return
    failures = [
        record.getMessage()
        for record in caplog.get_records("call")
        if record.name in ("core.outbox", "core.queueing") and record.levelname == "ERROR"
    ]
    assert not failures, failures


# --- Real workers (tests marked real_worker) ---------------------------------------------------


@pytest.fixture
def queue(redis_url) -> Iterator[str]:
    """A default queue of this test's own (CELERY_DEFAULT_QUEUE), for the web side and the
    workers alike: another test run on this machine sharing the Redis never takes its tasks."""
    name = f"outbox-test-{uuid.uuid4().hex[:12]}"
    client = redis.Redis.from_url(redis_url)
    yield name
    client.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")


@pytest.fixture
def workers(redis_url, tmp_path, smtp_server, queue) -> Iterator[WorkerFactory]:
    factory = WorkerFactory(
        redis_url=redis_url,
        queue=queue,
        tmp_path=tmp_path,
        env={"EMAIL_URL": smtp_server.email_url, "CELERY_DEFAULT_QUEUE": queue},
        started=[],
    )
    yield factory
    for worker in factory.started:
        worker.stop()
