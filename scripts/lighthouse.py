"""Lighthouse on ten main pages of the portal, with thresholds (`make lighthouse`).

Builds a fresh demo site the way scripts/take_screenshots.py does (its helpers, pointed at
var/lighthouse/), logs the demo applicant and caseworker in over HTTP (the caseworker with the
code of the demo authenticator app) and runs the Lighthouse CLI pinned in package.json on each
page in turn, as a phone (Lighthouse's default form factor), with Debian's Chromium.

Performance is not measured; nor, on the pages robots.txt keeps search engines out of, is
whether they may be indexed (NOT_INDEXED_AUDIT). For each page the script prints the scores and
the failing audits and writes the reports (``<page>.report.json`` and ``.report.html``) and a
summary (``<page>.json``) into var/lighthouse/, with all pages in ``summary.json``. It exits
with 1 when a page scores below a threshold (docs/lighthouse.md) or could not be audited.

    .venv/bin/python scripts/lighthouse.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from urllib.robotparser import RobotFileParser

BASE_DIR = Path(__file__).resolve().parent.parent
WORK = BASE_DIR / "var" / "lighthouse"
LIGHTHOUSE = BASE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox"
# The lowest score each category may have, as Lighthouse shows it (0-100).
THRESHOLDS = {"accessibility": 98, "best-practices": 95, "seo": 95}
# Audits whose score is a pass or a fail; "manual", "informative" and "notApplicable" ones are
# not scored, "error" ones are listed apart.
SCORED_MODES = ("binary", "numeric", "metricSavings")
# robots.txt keeps search engines out of the accounts, the cases and the back office on purpose;
# on those pages this audit would only repeat that (alone, it takes their SEO score to 63), so
# it is skipped there and runs on the pages robots.txt lets in.
NOT_INDEXED_AUDIT = "is-crawlable"
LIGHTHOUSE_TIMEOUT = 300
REQUEST_TIMEOUT = 30

APPLICANT = "applicant1@example.com"
CASEWORKER = "caseworker1@example.com"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    person: str | None = None  # who is logged in; None: nobody


# --- The scores -----------------------------------------------------------------------------------


def percent(score: float | None) -> int | None:
    """A category's or an audit's score as Lighthouse's report shows it (rounded half up)."""
    return None if score is None else int(score * 100 + 0.5)


def summarise(report: dict[str, Any]) -> dict[str, Any]:
    """What a Lighthouse report (the JSON "LHR") says about the categories in THRESHOLDS: the
    scores, the audits that fail or could not run, and a run that failed as a whole."""
    audits = report.get("audits", {})
    categories = report.get("categories", {})
    scores: dict[str, int | None] = {}
    failing: list[dict[str, Any]] = []
    for category in THRESHOLDS:
        data = categories.get(category)
        scores[category] = percent(data.get("score")) if data else None
        for reference in data.get("auditRefs", []) if data else []:
            audit = audits.get(reference["id"], {})
            mode = audit.get("scoreDisplayMode")
            score = audit.get("score")
            if mode == "error" or (mode in SCORED_MODES and score is not None and score < 1):
                failing.append(
                    {
                        "category": category,
                        "id": reference["id"],
                        "title": audit.get("title", ""),
                        "score": percent(score),
                        "weight": reference.get("weight", 0),
                        "error": audit.get("errorMessage") if mode == "error" else None,
                        "items": len((audit.get("details") or {}).get("items") or []),
                    }
                )
    runtime_error = report.get("runtimeError")
    return {
        "requested_url": report.get("requestedUrl"),
        "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl"),
        "lighthouse": report.get("lighthouseVersion"),
        "user_agent": report.get("environment", {}).get("hostUserAgent"),
        "form_factor": report.get("configSettings", {}).get("formFactor"),
        "scores": scores,
        "failing": failing,
        "runtime_error": runtime_error.get("message") if runtime_error else None,
        "warnings": report.get("runWarnings", []),
    }


def problems(summary: dict[str, Any], url: str) -> list[str]:
    """Why this page fails the check: scores below THRESHOLDS, a score missing, a run that
    failed or a page that was not the one asked for (a redirect to the login page)."""
    found = []
    if summary.get("runtime_error"):
        found.append(f"Lighthouse failed: {summary['runtime_error']}")
    final_url = summary.get("final_url")
    if final_url and final_url != url:
        found.append(f"audited {final_url} instead of {url}")
    for category, minimum in THRESHOLDS.items():
        score = summary["scores"].get(category)
        if score is None:
            found.append(f"{category}: no score")
        elif score < minimum:
            found.append(f"{category} {score} < {minimum}")
    return found


# --- Logging in over HTTP -------------------------------------------------------------------------


class CsrfTokenParser(HTMLParser):
    """The CSRF token of the first POST form of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.token: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        if tag == "input" and fields.get("name") == "csrfmiddlewaretoken" and not self.token:
            self.token = fields.get("value")


class Session:
    """One person's cookies on the demo site: urllib with a cookie jar, redirects followed."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = CookieJar()
        # No proxy from the environment: the demo site is on this machine.
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def open(self, path: str, data: dict[str, str] | None = None) -> tuple[str, str]:
        """GET ``path`` (POST ``data`` when given); the final URL and the page's HTML."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)  # noqa: S310 - ours
        with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
            return response.geturl(), response.read().decode("utf-8", "replace")

    def submit(self, path: str, fields: dict[str, str]) -> tuple[str, str]:
        """Fill in the form at ``path`` (its CSRF token included) and send it."""
        _url, html = self.open(path)
        parser = CsrfTokenParser()
        parser.feed(html)
        if not parser.token:
            raise SystemExit(f"{path}: no form with a CSRF token")
        return self.open(path, {"csrfmiddlewaretoken": parser.token, **fields})

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)


def log_in(
    base_url: str, email: str, password: str, second_factor_code: Callable[[str], str]
) -> Session:
    """A session of ``email``: the password, then (staff) the authenticator app's code."""
    session = Session(base_url)
    url, _html = session.submit("/accounts/login/", {"username": email, "password": password})
    where = urllib.parse.urlsplit(url)
    if where.path.startswith("/accounts/two-factor/"):
        step = f"{where.path}?{where.query}" if where.query else where.path
        url, _html = session.submit(step, {"code": second_factor_code(email)})
    if urllib.parse.urlsplit(url).path.startswith(("/accounts/login/", "/accounts/two-factor/")):
        raise SystemExit(f"{email} could not log in: ended at {url}")
    return session


# --- Lighthouse -----------------------------------------------------------------------------------


def lighthouse(url: str, name: str, cookie: str, skip: list[str]) -> dict[str, Any]:
    """Run the pinned Lighthouse CLI on ``url``, the audits ``skip`` left out; its report (the
    LHR) as a dict."""
    headers = WORK / f"{name}.headers.json"
    headers.write_text(json.dumps({"Cookie": cookie}), encoding="utf-8")
    command = [
        str(LIGHTHOUSE),
        url,
        f"--only-categories={','.join(THRESHOLDS)}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--extra-headers={headers}",
        "--output=json",
        "--output=html",
        f"--output-path={WORK / name}",
        "--quiet",
        "--no-enable-error-reporting",
        *([f"--skip-audits={','.join(skip)}"] if skip else []),
    ]
    environment = {**os.environ, "CHROME_PATH": CHROME_PATH}
    try:
        subprocess.run(  # noqa: S603 - the pinned CLI, our own arguments
            command, check=True, env=environment, cwd=BASE_DIR, timeout=LIGHTHOUSE_TIMEOUT
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        return {"runtimeError": {"code": "CLI", "message": str(error)}, "requestedUrl": url}
    finally:
        headers.unlink(missing_ok=True)  # a live session's cookie
    return json.loads((WORK / f"{name}.report.json").read_text(encoding="utf-8"))


def print_page(page: Page, summary: dict[str, Any], found: list[str]) -> None:
    scores = "  ".join(f"{category} {summary['scores'][category]}" for category in THRESHOLDS)
    print(f"\n{page.name} ({page.path}): {scores}" + ("  FAIL" if found else ""))
    for problem in found:
        print(f"  ! {problem}")
    for audit_id in summary.get("skipped", []):
        print(f"  (not audited: {audit_id}, robots.txt keeps search engines out of this page)")
    for audit in summary["failing"]:
        extra = f" ({audit['items']} elements)" if audit["items"] else ""
        if audit["error"]:
            extra = f" (error: {audit['error']})"
        elif not audit["weight"]:
            extra += " (weight 0)"
        print(f"  - {audit['category']}: {audit['id']}: {audit['title']}{extra}")


def print_table(results: list[tuple[Page, dict[str, Any], list[str]]]) -> None:
    """The scores as the Markdown table of docs/lighthouse.md."""
    print("\n| page | path | indexed | accessibility | best practices | SEO | failing audits |")
    print("|---|---|---|---|---|---|---|")
    for page, summary, _found in results:
        scores = " | ".join(str(summary["scores"][category]) for category in THRESHOLDS)
        failing = ", ".join(sorted({f"`{audit['id']}`" for audit in summary["failing"]})) or "-"
        indexed = "no" if summary.get("skipped") else "yes"
        print(f"| {page.name} | `{page.path}` | {indexed} | {scores} | {failing} |")


# --- The demo site --------------------------------------------------------------------------------


def demo_helpers():
    """scripts/take_screenshots.py, its demo site moved to var/lighthouse/: its demo_site(),
    manage() and setup_django() read the module's WORK and ENVIRONMENT when they run."""
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    from scripts import take_screenshots as shots

    screenshots_work = str(shots.WORK)
    shots.ENVIRONMENT = {
        key: value.replace(screenshots_work, str(WORK)) for key, value in shots.ENVIRONMENT.items()
    }
    shots.WORK = WORK
    return shots


def pages() -> list[Page]:
    """The ten pages, the demo data's ids looked up (Django must be set up)."""
    from applications.constants import Status
    from applications.models import Application
    from permits.selectors import permit_type_list_grouped

    permit_type = permit_type_list_grouped()[0].permit_types[0]
    mine = Application.objects.filter(applicant__account__email=APPLICANT).order_by("pk")
    applicant_case = mine.filter(status=Status.DECIDED).first() or mine.first()
    queue = Application.objects.filter(status=Status.FILED).order_by("pk")
    worked = queue.filter(assigned_to__email=CASEWORKER).first() or queue.first()
    if applicant_case is None or worked is None:
        raise SystemExit("the demo data has no case for the case pages")
    return [
        Page("home", "/"),
        Page("permit-catalogue", "/permits/"),
        Page("permit-type", f"/permits/{permit_type.code}/"),
        Page("advisor", "/permits/advisor/"),
        Page("login", "/accounts/login/"),
        Page("signup", "/accounts/signup/"),
        Page("applicant-dashboard", "/applications/", APPLICANT),
        Page("applicant-case", f"/applications/{applicant_case.pk}/", APPLICANT),
        Page("caseworker-queue", "/caseworker/", CASEWORKER),
        Page("caseworker-case", f"/caseworker/cases/{worked.pk}/", CASEWORKER),
    ]


def main() -> int:
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: make browsers (npm ci) installs it")
    if not Path(CHROME_PATH).exists():
        raise SystemExit(f"Chromium is missing at {CHROME_PATH}: make browsers installs it")
    shots = demo_helpers()
    results: list[tuple[Page, dict[str, Any], list[str]]] = []
    with shots.demo_site() as base_url:
        shots.setup_django()
        from django.conf import settings

        # English pages, as in the README's screenshots (the demo people prefer others).
        language = f"{settings.LANGUAGE_COOKIE_NAME}=en"
        cookies: dict[str | None, str] = {None: language}
        sessions: dict[str, Session] = {}
        for person in (APPLICANT, CASEWORKER):
            session = log_in(base_url, person, shots.DEMO_PASSWORD, shots.second_factor_code)
            session_cookie = session.cookie(settings.SESSION_COOKIE_NAME)
            if not session_cookie:
                raise SystemExit(f"{person} logged in without a session cookie")
            sessions[person] = session
            cookies[person] = f"{settings.SESSION_COOKIE_NAME}={session_cookie}; {language}"
        robots = RobotFileParser()
        robots.parse(Session(base_url).open("/robots.txt")[1].splitlines())
        checked = pages()
        for page in checked:
            # A signed-in page must open as itself, not as the login page it would redirect to.
            if page.person and sessions[page.person].open(page.path)[0] != base_url + page.path:
                raise SystemExit(f"{page.person} cannot open {page.path}")
        print(f"Lighthouse {THRESHOLDS} on {base_url}, mobile:")
        for page in checked:
            url = base_url + page.path
            skip = [] if robots.can_fetch("*", url) else [NOT_INDEXED_AUDIT]
            summary = summarise(lighthouse(url, page.name, cookies[page.person], skip))
            # The port changes from run to run: the summaries name the page by its path.
            summary.update(name=page.name, path=page.path, person=page.person, skipped=skip)
            found = problems(summary, url)
            summary["problems"] = found
            (WORK / f"{page.name}.json").write_text(json.dumps(summary, indent=2), "utf-8")
            print_page(page, summary, found)
            results.append((page, summary, found))
    everything = [summary for _page, summary, _found in results]
    (WORK / "summary.json").write_text(
        json.dumps({"thresholds": THRESHOLDS, "pages": everything}, indent=2), "utf-8"
    )
    print_table(results)
    failed = [page.name for page, _summary, found in results if found]
    print(f"\nReports in {WORK.relative_to(BASE_DIR)}/.")
    if failed:
        print(f"Below the thresholds or not audited: {', '.join(failed)}", file=sys.stderr)
        return 1
    print("Every page meets the thresholds.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
