"""Browser tests: Playwright (sync API) drives Debian's Chromium against pytest-django's live
server.

Chromium comes from the system (`make browsers` installs Debian's package): Playwright's own
browser download does not work on these machines. Without it the tests are skipped on a
developer's machine, and fail in CI (``CI`` set), where they must run.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import override_settings

from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "e2e-artifacts"
AXE_SOURCE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

# The copy of axe-core the tests put into a page, left out of the saved HTML.
AXE_INJECTED = re.compile(r"<script>/\*! axe v.*?</script>", re.DOTALL)

# Desktop and phone sizes used across the tests.
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def _unavailable(reason: str) -> None:
    """In CI the browser tests must run: a missing browser is a failure there, a skip
    elsewhere (``make e2e`` and ``make test`` install it)."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests; see `make browsers`)")
    pytest.skip(f"{reason}; `make browsers` installs it")


@pytest.fixture
def _plain_http() -> Iterator[None]:
    """The live server speaks plain HTTP on localhost; production's HTTPS-only settings (the
    redirect, secure cookies) would lock the browser out. TLS is the proxy's job in production
    and has nothing to test here. Only for the browser tests: other tests see the settings as
    they are."""
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,
    ):
        yield


@pytest.fixture
def live_server(_plain_http, live_server):
    """pytest-django's live server (one for the session, on a free port), first started under
    the settings above: its middleware reads some of them once, when the server starts."""
    return live_server


@pytest.fixture
def browser(transactional_db) -> Iterator:
    """A Chromium for one test, started after the test's database is set up and closed before
    it is flushed.

    While Playwright's sync API is open, its event loop runs in the test's thread. Django then
    takes that thread for an async one: it refuses the ORM ("you cannot call this from an async
    context") and keeps the thread's database connections apart from those the test database
    was set up with (which carry the data restored after each flush). So the database is set
    up and flushed with no loop running; in between, the test's own queries are allowed (they
    run in sync code, nothing in that thread runs coroutines) and their connections closed
    before the loop stops.
    """
    if not CHROMIUM.exists():
        _unavailable(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import Error, sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            try:
                chromium = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
            except Error as error:
                _unavailable(f"Chromium at {CHROMIUM} did not start: {error}")
            try:
                yield chromium
            finally:
                chromium.close()
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SOURCE.exists():
        _unavailable("axe-core is not installed (node_modules/axe-core)")
    return AXE_SOURCE.read_text()


@pytest.fixture
def page_checks(axe_source, request):
    """A ``PageChecks`` for the test (tests/e2e/helpers.py): axe-core and a phone's width on each
    page it is given; what it found so far goes into the report of a test that fails."""
    from tests.e2e.helpers import PageChecks

    checks = PageChecks(axe_source)
    request.node.e2e_page_checks = checks
    return checks


@pytest.fixture
def open_browser(browser, live_server, request) -> Iterator[Callable[..., object]]:
    """``open_browser("applicant")`` gives a page in a browser context of its own (cookies,
    session): one per person, kept open for the whole test.

    Contexts bypass the Content Security Policy so that axe-core can be injected into the
    page as an inline script; the site's own scripts carry the policy's nonce and do not
    depend on that bypass.
    """
    contexts = []

    def open_context(name: str, *, viewport: dict[str, int] | None = None, **options):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport or DESKTOP,
            locale="en-GB",
            bypass_csp=True,
            accept_downloads=True,
            **options,
        )
        context.set_default_timeout(int(os.environ.get("E2E_TIMEOUT_MS", 10_000)))
        contexts.append((name, context))
        return context.new_page()

    request.node.e2e_contexts = contexts
    yield open_context
    for _name, context in contexts:
        context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call) -> Generator[None, object, None]:
    """When a browser test fails, keep every open page: a full-page screenshot and its HTML,
    in var/e2e-artifacts/<test>/."""
    outcome = yield
    report = outcome.get_result()
    checks = getattr(item, "e2e_page_checks", None)
    if report.failed and report.when == "call" and checks is not None and checks.report():
        found = "\n".join(f"- {problem}" for problem in checks.report())
        report.sections.append(("e2e page checks so far", found))
    contexts = getattr(item, "e2e_contexts", None)
    if not report.failed or not contexts or report.when == "teardown":
        return
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", item.name)
    shutil.rmtree(folder, ignore_errors=True)  # a previous run's pictures would mislead
    folder.mkdir(parents=True)
    saved = []
    for number, (name, context) in enumerate(contexts, start=1):
        for index, page in enumerate(context.pages, start=1):
            stem = f"{number}-{name}-{index}"
            try:
                page.screenshot(path=folder / f"{stem}.png", full_page=True, timeout=10_000)
                html = AXE_INJECTED.sub("<script><!-- axe-core --></script>", page.content())
                (folder / f"{stem}.html").write_text(f"<!-- {page.url} -->\n{html}", "utf-8")
            except Exception as error:  # a crashed page must not hide the test's own failure
                (folder / f"{stem}.error.txt").write_text(str(error), encoding="utf-8")
            saved.append(stem)
    message = f"Browser state of the failed test: {folder} ({', '.join(saved)})"
    report.sections.append(("e2e artifacts", message))
    reporter = item.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("")
        reporter.write_line(message)


def pytest_terminal_summary(terminalreporter) -> None:
    from tests.e2e import helpers

    def summary(title: str, pages: set[str]) -> None:
        if pages:
            terminalreporter.write_sep("-", title.format(count=len(pages)))
            terminalreporter.write_line(", ".join(sorted(pages)))

    # A page counts as passing only if it passed every time it was checked.
    summary(
        "axe-core: {count} pages without serious or critical violations",
        helpers.PAGES_CHECKED - helpers.PAGES_FAILING_AXE,
    )
    summary("axe-core: serious or critical violations on {count} pages", helpers.PAGES_FAILING_AXE)
    summary(
        "{count} pages fit 375 px without scrolling sideways",
        helpers.PAGES_FITTING_A_PHONE - helpers.PAGES_NOT_FITTING_A_PHONE,
    )
    summary("{count} pages scroll sideways at 375 px", helpers.PAGES_NOT_FITTING_A_PHONE)
