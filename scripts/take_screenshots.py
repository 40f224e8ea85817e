"""Pictures of the portal's main pages from the demo data, for the README (`make screenshots`).

Builds a fresh demo database in var/screenshots/ (the one `make run` uses is left alone), serves
it with runserver on a free local port, logs the demo people in with Chromium (staff with the
code of their demo authenticator app) and writes docs/screenshots/*.png. The decision's PDF is
drawn by pdftoppm (poppler-utils); pngquant, when installed, makes the files smaller.

    .venv/bin/python scripts/take_screenshots.py
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORK = BASE_DIR / "var" / "screenshots"
OUTPUT = BASE_DIR / "docs" / "screenshots"
WIDTH = 1280
HEIGHT = 800
# A phone's first screen, as the pages are designed for it first.
PHONE = {"width": 375, "height": 812}
# Long pages are cut here: the top of a page shows what it is for.
MAX_HEIGHT = 1500
DEMO_PASSWORD = "demo-password"  # noqa: S105 - seed_demo's, for local demo accounts only

ENVIRONMENT = {
    **os.environ,
    "DJANGO_DEBUG": "1",
    "DATABASE_URL": f"sqlite:///{WORK / 'db.sqlite3'}",
    "DJANGO_PRIVATE_MEDIA_ROOT": str(WORK / "private"),
    # Tasks (the decisions' PDFs) run in-process, as in `make run`.
    "REDIS_URL": "",
}


def manage(*arguments: str) -> None:
    command = [sys.executable, str(BASE_DIR / "manage.py"), *arguments]
    subprocess.run(command, check=True, env=ENVIRONMENT, cwd=BASE_DIR)  # noqa: S603 - fixed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while server.poll() is None and time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            time.sleep(0.3)
        else:
            return
    raise SystemExit(f"runserver did not start; see {WORK / 'server.log'}")


@contextmanager
def demo_site() -> Iterator[str]:
    """A fresh demo database, served on a free port until the block ends."""
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    manage("migrate", "--noinput", "-v", "0")
    manage("seed_demo")
    port = free_port()
    command = [sys.executable, str(BASE_DIR / "manage.py"), "runserver", "--noreload"]
    log = (WORK / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - our own manage.py
        [*command, f"127.0.0.1:{port}"], env=ENVIRONMENT, cwd=BASE_DIR, stdout=log, stderr=log
    )
    try:
        wait_until_listening(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def setup_django() -> None:
    os.environ.update(ENVIRONMENT)
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Playwright's sync API keeps an event loop in this thread; the ORM reads below are plain.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django

    django.setup()


def second_factor_code(email: str) -> str:
    """The code the person's demo authenticator app shows now (a code works once)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__email=email, confirmed=True).first()
    if device is None:
        raise SystemExit(f"{email} has no authenticator app in the demo data")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def log_in(browser, base_url: str, email: str, viewport: dict[str, int] | None = None):
    from django.conf import settings

    context = browser.new_context(
        base_url=base_url,
        viewport=viewport or {"width": WIDTH, "height": HEIGHT},
        locale="en-GB",
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    code = page.locator("main input[autocomplete='one-time-code'], main input[name='code']")
    if code.count():
        code.first.fill(second_factor_code(email))
        code.first.press("Enter")
        page.wait_for_load_state()
    if not page.locator("form[action$='/accounts/logout/']").count():
        raise SystemExit(f"{email} could not log in: {page.url}")
    # The README speaks English; the demo people prefer other languages.
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base_url}])
    return page


def shoot(page, path: str, name: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    width = page.viewport_size["width"]
    limit = MAX_HEIGHT if width == WIDTH else page.viewport_size["height"]
    height = min(page.evaluate("document.documentElement.scrollHeight"), limit)
    target = OUTPUT / f"{name}.png"
    page.screenshot(
        path=target, full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height}
    )
    print(f"  {target.relative_to(BASE_DIR)}")


def decision_first_page(decision, name: str) -> None:
    """The decision's PDF, first page, as the applicant downloads it."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("pdftoppm is missing: apt-get install poppler-utils")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "decision.pdf"
        with decision.document.file.open("rb") as handle:  # decrypted by the storage
            source.write_bytes(handle.read())
        command = [pdftoppm, "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile"]
        subprocess.run([*command, str(source), str(OUTPUT / name)], check=True)  # noqa: S603
    print(f"  {(OUTPUT / f'{name}.png').relative_to(BASE_DIR)}")


def optimise() -> None:
    pngquant = shutil.which("pngquant")
    if pngquant is None:
        print("pngquant is not installed: the pictures stay as Chromium wrote them")
        return
    for picture in sorted(OUTPUT.glob("*.png")):
        command = [pngquant, "--force", "--skip-if-larger", "--quality=70-95", "--strip"]
        # Exit 98/99: already small enough, or the quality would suffer; the file stays.
        subprocess.run([*command, "--output", str(picture), str(picture)], check=False)  # noqa: S603


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with demo_site() as base_url:
        setup_django()
        from applications.constants import Status
        from applications.models import Application

        def case(email: str, status: str, **filters) -> Application:
            cases = Application.objects.filter(status=status, **filters).order_by("pk")
            if email:
                cases = cases.filter(applicant__account__email=email)
            return cases.first()

        applicant = "applicant1@example.com"
        draft = case(applicant, Status.DRAFT)
        interrupted = case(applicant, Status.INTERRUPTED)
        decided = case(applicant, Status.DECIDED)
        worked = case("", Status.FILED, assigned_to__email="caseworker1@example.com")

        from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            print("Screenshots:")
            visitor = browser.new_context(
                base_url=base_url, viewport={"width": WIDTH, "height": HEIGHT}, locale="en-GB"
            ).new_page()
            visitor.context.add_cookies(
                [{"name": "django_language", "value": "en", "url": base_url}]
            )
            shoot(visitor, "/", "home")
            visitor.context.close()
            page = log_in(browser, base_url, applicant, viewport=PHONE)
            shoot(page, "/applications/", "phone-applicant-dashboard")
            shoot(page, f"/applications/{interrupted.pk}/", "phone-applicant-interruption")
            page.context.close()
            page = log_in(browser, base_url, applicant)
            shoot(page, "/applications/", "applicant-dashboard")
            shoot(page, f"/applications/{draft.pk}/", "applicant-task-list")
            shoot(page, f"/applications/{decided.pk}/", "applicant-case-timeline")
            shoot(page, f"/applications/{interrupted.pk}/", "applicant-interruption")
            decision_first_page(decided.current_decision, "decision-pdf")

            page = log_in(browser, base_url, "caseworker1@example.com")
            shoot(page, "/caseworker/", "caseworker-queue")
            shoot(page, f"/caseworker/cases/{worked.pk}/", "caseworker-case")

            page = log_in(browser, base_url, "supervisor@example.com")
            shoot(page, "/caseworker/dashboard/", "supervisor-dashboard")
            browser.close()
    optimise()


if __name__ == "__main__":
    main()
