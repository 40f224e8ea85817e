"""What the browser tests do again and again: log people in, run axe-core, measure the page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from playwright.sync_api import Page, expect

from accounts.constants import Role
from tests.accounts.factories import UserFactory
from tests.accounts.two_factor import totp_code, totp_device_for

PASSWORD = "password-for-tests"

# axe-core's rule sets for WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

# Every page axe-core has passed in this test run, by path with ids masked (/applications/#/).
PAGES_CHECKED: set[str] = set()

# The field of the second-factor step.
CODE_FIELD = "main input[autocomplete='one-time-code'], main input[name='code']"


@dataclass
class Staff:
    user: object
    device: object

    @property
    def email(self) -> str:
        return self.user.email


def make_staff(role: Role, **fields) -> Staff:
    """A staff account with a confirmed authenticator app (staff log in with a second factor)."""
    user = UserFactory(role=role, preferred_language="en", **fields)
    return Staff(user=user, device=totp_device_for(user))


def make_applicant(**fields):
    """An applicant with an account, personal details filled in, speaking English."""
    from tests.applications.factories import ApplicantFactory

    return ApplicantFactory(account__preferred_language="en", **fields)


def log_in(
    page: Page, email: str, password: str = PASSWORD, *, device=None, axe_source: str = ""
) -> bool:
    """The log-in page, then the second-factor step when the site asks for a code (checked
    with axe-core too when ``axe_source`` is given). Says whether it asked."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    code_field = page.locator(CODE_FIELD)
    asked = code_field.count() > 0
    if asked:
        assert device is not None, f"{email} is asked for a second factor and has no device"
        if axe_source:
            assert_accessible(page, axe_source)
        # A code is accepted once: each staff person logs in once per test.
        code_field.first.fill(totp_code(device))
        code_field.first.press("Enter")
        page.wait_for_load_state()
    expect(page.locator("form[action$='/accounts/logout/']")).to_have_count(1)
    return asked


def log_in_staff(page: Page, staff: Staff, *, axe_source: str = "") -> None:
    asked = log_in(page, staff.email, device=staff.device, axe_source=axe_source)
    assert asked, f"{staff.email} (staff) was let in without a second factor"


def page_key(url: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/#", urlparse(url).path)


def assert_accessible(page: Page, axe_source: str) -> str:
    """axe-core finds no serious or critical WCAG 2.1 A/AA violation on the page as shown.
    Returns the page's path with ids masked."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
            }));
        }""",
        AXE_TAGS,
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    report = "\n".join(
        f"  {v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['nodes'])}" for v in blocking
    )
    assert not blocking, f"axe-core on {page.url}:\n{report}"
    key = page_key(page.url)
    PAGES_CHECKED.add(key)
    return key


def assert_no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths[0]}px in {widths[1]}px"
