"""What the browser tests do again and again: log people in, run axe-core, measure the page."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlparse

from playwright.sync_api import Locator, Page, expect

from accounts.constants import Role
from tests.accounts.factories import UserFactory
from tests.accounts.two_factor import totp_code, totp_device_for
from tests.e2e.conftest import PHONE

PASSWORD = "password-for-tests"

# axe-core's rule sets for WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

# Every page axe-core has passed in this test run, by path with ids masked (/applications/#/),
# and every page it found a serious or critical violation on (in any state, size or language).
PAGES_CHECKED: set[str] = set()
PAGES_FAILING_AXE: set[str] = set()

# The field of the second-factor step.
CODE_FIELD = "main input[autocomplete='one-time-code'], main input[name='code']"


@dataclass
class Staff:
    user: object
    device: object

    @property
    def email(self) -> str:
        return self.user.email


# The public pages every browser check visits: guidance, the tools, and the account pages a
# visitor reaches before logging in.
PUBLIC_PAGES = (
    "/",
    "/permits/",
    "/permits/employee_card/",
    "/permits/advisor/",
    "/permits/calculators/schengen/",
    "/accounts/password/reset/",
    "/contact/",
)


def make_staff(role: Role, **fields) -> Staff:
    """A staff account with a confirmed authenticator app (staff log in with a second factor)."""
    user = UserFactory(role=role, preferred_language="en", **fields)
    return Staff(user=user, device=totp_device_for(user))


def make_applicant(**fields):
    """An applicant with an account, personal details filled in, speaking English."""
    from tests.applications.factories import ApplicantFactory

    return ApplicantFactory(account__preferred_language="en", **fields)


def log_in(
    page: Page,
    email: str,
    password: str = PASSWORD,
    *,
    device=None,
    axe_source: str = "",
    check: Callable[[Page], object] | None = None,
) -> bool:
    """The log-in page, then the second-factor step when the site asks for a code (checked
    with axe-core too when ``axe_source`` is given; both pages are given to ``check``, a
    ``PageChecks``, when it is). Says whether it asked."""
    page.goto("/accounts/login/")
    if check:
        check(page)
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
        if check:
            check(page)
        # A code is accepted once: each staff person logs in once per test.
        code_field.first.fill(totp_code(device))
        code_field.first.press("Enter")
        page.wait_for_load_state()
    expect(page.locator("form[action$='/accounts/logout/']")).to_have_count(1)
    return asked


def log_in_staff(
    page: Page, staff: Staff, *, axe_source: str = "", check: Callable[[Page], object] | None = None
) -> None:
    asked = log_in(page, staff.email, device=staff.device, axe_source=axe_source, check=check)
    assert asked, f"{staff.email} (staff) was let in without a second factor"


def applicant_status(page: Page) -> Locator:
    """The case's status on the applicant's case page (the live region case-status.js keeps
    current)."""
    return page.locator("#case-status").locator("[data-status-label], .status-tag").first


def caseworker_status(page: Page) -> Locator:
    """The case's status in the panel of the caseworker's case page."""
    return page.locator("#case-panel").locator("[data-status], .status-tag").first


def success_message(page: Page) -> Locator:
    """The page's success message (the messages framework's, at the top of <main>)."""
    return page.locator(".messages .gov-message[data-color='success']")


def page_key(url: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/#", urlparse(url).path)


def axe_violations(page: Page, axe_source: str) -> list[dict]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page as shown."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => {
                    const check = [...n.any, ...n.all, ...n.none].find((c) => c.message);
                    const why = check ? ` (${check.message.slice(0, 160)})` : "";
                    return n.target.join(" ") + why;
                }),
            }));
        }""",
        AXE_TAGS,
    )
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def describe_violations(blocking: list[dict]) -> str:
    return "\n".join(
        f"  {v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['nodes'])}" for v in blocking
    )


def assert_accessible(page: Page, axe_source: str) -> str:
    """axe-core finds no serious or critical WCAG 2.1 A/AA violation on the page as shown.
    Returns the page's path with ids masked."""
    blocking = axe_violations(page, axe_source)
    assert not blocking, f"axe-core on {page.url}:\n{describe_violations(blocking)}"
    key = page_key(page.url)
    PAGES_CHECKED.add(key)
    return key


@contextmanager
def viewport(page: Page, size: dict[str, int]) -> Iterator[Page]:
    """The page at another window size for a while (the layout follows at once: no reload)."""
    previous = page.viewport_size
    page.set_viewport_size(size)
    try:
        yield page
    finally:
        if previous:
            page.set_viewport_size(previous)


# Where the page is wider than the window: the elements that stick out on the right while their
# parent does not (where the overflow starts), widest first.
_OVERFLOW_JS = """() => {
    const root = document.documentElement;
    // A phone's browser widens innerWidth to a page that is too wide (it zooms out):
    // clientWidth stays the layout's width.
    const width = Math.min(window.innerWidth, root.clientWidth);
    const result = {
        scrollWidth: root.scrollWidth, innerWidth: window.innerWidth,
        clientWidth: root.clientWidth, width, culprits: [],
    };
    if (root.scrollWidth <= width) return result;
    const name = (element) => {
        let text = element.tagName.toLowerCase();
        if (element.id) text += "#" + element.id;
        const classes = [...element.classList].slice(0, 3);
        if (classes.length) text += "." + classes.join(".");
        return text;
    };
    const path = (element) => {
        const parts = [];
        for (let e = element; e && e !== document.body && parts.length < 4; e = e.parentElement) {
            parts.unshift(name(e));
        }
        return parts.join(" > ");
    };
    const out = (element) => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && box.right > width + 0.5;
    };
    for (const element of document.body.querySelectorAll("*")) {
        const parent = element.parentElement;
        if (!out(element) || (parent !== document.body && out(parent))) continue;
        const box = element.getBoundingClientRect();
        result.culprits.push({
            element: path(element), right: Math.round(box.right), width: Math.round(box.width),
            text: (element.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 60),
        });
    }
    result.culprits.sort((a, b) => b.right - a.right);
    result.culprits = result.culprits.slice(0, 5);
    return result;
}"""


def horizontal_overflow(page: Page) -> str | None:
    """Why the page scrolls sideways (document.documentElement.scrollWidth is more than
    window.innerWidth, or than the document's clientWidth: a phone widens innerWidth to fit a page
    that is too wide), with the elements that stick out; None when it does not."""
    measured = page.evaluate(_OVERFLOW_JS)
    if measured["scrollWidth"] <= measured["width"]:
        return None
    culprits = "; ".join(
        f'{c["element"]} (right edge {c["right"]}px, {c["width"]}px wide, "{c["text"]}")'
        for c in measured["culprits"]
    )
    return (
        f"scrolls sideways: scrollWidth {measured['scrollWidth']}px > {measured['width']}px "
        f"(innerWidth {measured['innerWidth']}px, clientWidth {measured['clientWidth']}px); "
        f"sticking out: {culprits or 'nothing measurable'}"
    )


def overflow_problems(page: Page) -> list[str]:
    problem = horizontal_overflow(page)
    return [problem] if problem else []


def assert_no_horizontal_scroll(page: Page) -> None:
    problem = horizontal_overflow(page)
    assert problem is None, f"{page.url} {problem}"


def below_the_first_screen(
    page: Page, targets: dict[str, Locator], *, height: int = PHONE["height"]
) -> list[str]:
    """The targets that are missing, hidden, or end below the first screen (their bounding box's
    bottom, measured from the top of the page, is more than ``height``)."""
    problems = []
    for name, locator in targets.items():
        if locator.count() == 0 or not locator.first.is_visible():
            problems.append(f"{name} is not shown ({locator})")
            continue
        box = locator.first.evaluate(
            """(element) => {
                const box = element.getBoundingClientRect();
                return {top: box.top + window.scrollY, bottom: box.bottom + window.scrollY};
            }"""
        )
        if box["bottom"] > height:
            problems.append(
                f"{name} is below the first screen: its box spans {box['top']:.0f} to "
                f"{box['bottom']:.0f}px from the top of the page, the screen is {height}px "
                f"({locator})"
            )
    return problems


# The header's row: the visible direct children of .site-header__inner and the visible items of
# #site-menu (each link of the main navigation, each dropdown's summary, anything else in the
# menu as a whole), with the lines of visible text each item takes.
_HEADER_JS = """() => {
    const visible = (element) => {
        const style = getComputedStyle(element);
        const box = element.getBoundingClientRect();
        return style.display !== "none" && style.visibility !== "hidden"
            && box.width > 0 && box.height > 0;
    };
    const name = (element) => {
        let text = element.tagName.toLowerCase();
        if (element.id) text += "#" + element.id;
        const classes = [...element.classList].slice(0, 2);
        if (classes.length) text += "." + classes.join(".");
        const words = (element.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 40);
        return words ? `${text} "${words}"` : text;
    };
    const lines = (element) => {
        const boxes = [];
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.textContent.trim()) continue;
            if (node.parentElement.closest(".visually-hidden")) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            for (const box of range.getClientRects()) if (box.width > 0) boxes.push(box);
        }
        boxes.sort((a, b) => a.top - b.top);
        let count = 0, bottom = -Infinity;
        for (const box of boxes) {
            if (box.top >= bottom - 1) { count += 1; bottom = box.bottom; }
            else bottom = Math.max(bottom, box.bottom);
        }
        return count;
    };
    const measure = (element, kind) => {
        const box = element.getBoundingClientRect();
        return {name: name(element), kind, top: box.top, bottom: box.bottom, left: box.left,
                right: box.right, lines: kind === "item" ? lines(element) : null};
    };
    const header = document.querySelector(".site-header");
    const inner = document.querySelector(".site-header__inner");
    const menu = document.getElementById("site-menu");
    if (!header || !inner || !menu) return {missing: true};
    const boxes = [...inner.children].filter(visible).map((child) => measure(child, "child"));
    for (const child of menu.children) {
        let items = [child];
        if (child.matches("nav")) items = [...child.querySelectorAll("li")];
        else if (child.matches("details")) items = [child.querySelector(":scope > summary")];
        for (const item of items) if (item && visible(item)) boxes.push(measure(item, "item"));
    }
    return {
        missing: false, height: header.getBoundingClientRect().height,
        innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth,
        boxes,
    };
}"""


def header_row_problems(page: Page, *, max_height: float = 90) -> list[str]:
    """Why the header is not one row: every visible child of .site-header__inner and every
    visible item of #site-menu must share a horizontal band (their vertical ranges overlap),
    each item of the menu must take one line of text, all must lie inside the window, and the
    header must be lower than ``max_height``."""
    measured = page.evaluate(_HEADER_JS)
    if measured["missing"]:
        return ["the header (.site-header, .site-header__inner, #site-menu) is missing"]
    problems = []
    boxes = measured["boxes"]
    if not any(box["kind"] == "item" for box in boxes):
        problems.append("no item of #site-menu is visible")
    top = max(box["top"] for box in boxes)
    bottom = min(box["bottom"] for box in boxes)
    if top >= bottom:
        ranges = ", ".join(f"{b['name']} {b['top']:.0f} to {b['bottom']:.0f}px" for b in boxes)
        problems.append(f"not one row: no vertical band is shared by all of {ranges}")
    for box in boxes:
        if box["lines"] is not None and box["lines"] > 1:
            problems.append(f"{box['name']} wraps onto {box['lines']} lines")
        if box["left"] < -0.5 or box["right"] > measured["innerWidth"] + 0.5:
            problems.append(
                f"{box['name']} lies outside the window: {box['left']:.0f} to {box['right']:.0f}px "
                f"of {measured['innerWidth']}px"
            )
    if measured["height"] >= max_height:
        problems.append(f"the header is {measured['height']:.0f}px high (less than {max_height})")
    if measured["scrollWidth"] > measured["innerWidth"]:
        problems.append(
            f"the page scrolls sideways: {measured['scrollWidth']}px in {measured['innerWidth']}px"
        )
    return problems


@dataclass
class PageChecks:
    """Checks each page a test shows it, and keeps going: ``checks(page)`` runs axe-core on the
    page as shown and then measures it at a phone's size (375 by 812 px: nothing may scroll
    sideways); ``checks.watch(page)`` notes every page the browser reaches, and
    ``checks.assert_clean()`` fails with everything found, including pages reached but never
    checked. The problems so far are also written into a failed test's report (conftest.py)."""

    axe_source: str
    problems: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    reached: dict[str, str] = field(default_factory=dict)

    def __call__(self, page: Page, *, phone: bool = True) -> str:
        key = page_key(page.url)
        blocking = axe_violations(page, self.axe_source)
        if blocking:
            PAGES_FAILING_AXE.add(key)
            language = page.evaluate("() => document.documentElement.lang")
            self.problems.append(
                f"{key} [{language}]: axe-core ({page.url}):\n{describe_violations(blocking)}"
            )
        else:
            PAGES_CHECKED.add(key)
        if phone:
            with viewport(page, PHONE):
                overflow = horizontal_overflow(page)
            if overflow:
                PAGES_NOT_FITTING_A_PHONE.add(key)
                self.problems.append(f"{key} at {PHONE['width']} px: {overflow}")
            else:
                PAGES_FITTING_A_PHONE.add(key)
        self.checked.add(key)
        return key

    def add(self, where: str, problems: list[str]) -> None:
        self.problems.extend(f"{where}: {problem}" for problem in problems)

    def watch(self, page: Page) -> None:
        def navigated(frame) -> None:
            if frame == page.main_frame and frame.url.startswith("http"):
                self.reached.setdefault(page_key(frame.url), frame.url)

        page.on("framenavigated", navigated)

    def report(self) -> list[str]:
        unchecked = sorted(set(self.reached) - self.checked)
        missed = [f"reached but never checked: {', '.join(unchecked)}"] if unchecked else []
        return [*self.problems, *missed]

    def assert_clean(self) -> None:
        found = self.report()
        assert not found, f"{len(found)} problems:\n" + "\n".join(f"- {p}" for p in found)


# Every page found to fit a phone's width in this test run (PageChecks), and every page found
# to scroll sideways there, like PAGES_CHECKED and PAGES_FAILING_AXE.
PAGES_FITTING_A_PHONE: set[str] = set()
PAGES_NOT_FITTING_A_PHONE: set[str] = set()


def open_menu(page: Page) -> None:
    """On a narrow screen the header's menu is behind the "Menu" toggle: open it if it is
    closed."""
    page.wait_for_load_state()  # the style sheets: until then everything looks visible
    toggle = page.locator("[data-menu-toggle]")
    menu = page.locator("#site-menu")
    if toggle.is_visible() and not menu.is_visible():
        toggle.click()
        expect(menu).to_be_visible()


def choose_language(page: Page, code: str) -> None:
    """Switch the portal's language with the header's switcher: open the language dropdown (and
    the menu first on a narrow screen), press the language's button."""
    open_menu(page)
    languages = page.locator("details.site-languages")
    if languages.get_attribute("open") is None:
        languages.locator("summary").click()
    languages.locator(f"button[name=language][value='{code}']").click()
    expect(page.locator("html")).to_have_attribute("lang", code)
    page.wait_for_load_state()
