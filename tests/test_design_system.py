"""The pages are drawn with DS gov.cz only (docs/design-system.md): no Bootstrap class is left in
a template or a Python module that writes markup, every design-system variant a template asks
for is one the build keeps, and the build keeps only what the pages use.

The Django admin keeps its own look and the letters (WeasyPrint PDFs) their own stylesheet: both
are left out of the scan, as are the plain-text and HTML e-mails' inline styles.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
TEMPLATES = BASE_DIR / "templates"
# Not pages of the portal: the admin's own templates and the letters' (PDF) templates.
NOT_PAGES = ("admin", "documents")

# Bootstrap 5's class names, by the prefixes and words it uses; our own vocabulary avoids them.
BOOTSTRAP = re.compile(
    r"^(?:btn(?:-.+)?|alert(?:-.+)?|badge|row|col(?:-.+)?|g[xy]?-\d|[mp][tbsexy]?-(?:\d|auto)"
    r"|[mp][tbsexy]?-[a-z]{2}-\d|d-.+|flex-.+|justify-content-.+|align-(?:items|self|content)-.+"
    r"|card(?:-.+)?|list-group(?:-.+)?|table(?:-.+)?|form-control(?:-.+)?|form-select(?:-.+)?"
    r"|form-check(?:-.+)?|form-label|form-text|invalid-feedback|is-invalid|is-valid"
    r"|text-(?:muted|body-secondary|primary|secondary|success|danger|warning|info|light|dark|end"
    r"|start|center|bg-.+|nowrap|break|decoration-.+|uppercase)|fw-.+|fs-\d|bg-.+|border(?:-.+)?"
    r"|rounded(?:-.+)?|shadow(?:-.+)?|container(?:-fluid)?|navbar(?:-.+)?|nav(?:-.+)?"
    r"|dropdown(?:-.+)?|collapse|accordion(?:-.+)?|modal(?:-.+)?|list-unstyled|list-inline(?:-.+)?"
    r"|position-.+|sticky-.+|w-\d+|h-\d+|vstack|hstack|gap-\d|ms-auto|me-auto|float-.+"
    r"|display-\d|font-monospace|row-cols-.+|img-fluid|figure(?:-.+)?|blockquote(?:-.+)?|input-group(?:-.+)?|spinner-.+"
    r"|progress(?:-.+)?|pagination|page-(?:item|link)|breadcrumb(?:-item)?|visually-hidden-focusable"
    r")$"
)
# Ours, although shaped like Bootstrap's: the skip link's and the tables' wrappers (site.css).
OURS = {"visually-hidden-focusable", "table-wrap"}
CLASS_ATTRIBUTE = re.compile(r"""class="([^"]*)\"""")
CSS_CLASS_ARGUMENT = re.compile(r"""(?:css_class=|["']class["']:\s*)["']([^"']*)["']""")
VARIANT_ATTRIBUTE = re.compile(r"""\b(data-(?:color|size|type))="([^"{]*)\"""")


def _build_script():
    spec = importlib.util.spec_from_file_location(
        "build_design_system", BASE_DIR / "scripts" / "build_design_system.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pages() -> list[Path]:
    return [
        path
        for path in sorted(TEMPLATES.rglob("*.html"))
        if path.relative_to(TEMPLATES).parts[0] not in NOT_PAGES and "email" not in path.parts
    ]


def _class_tokens(text: str) -> list[str]:
    tokens = []
    for value in CLASS_ATTRIBUTE.findall(text) + CSS_CLASS_ARGUMENT.findall(text):
        # Template logic inside the attribute ({% if %}…{% endif %}, {{ … }}) is not a class.
        plain = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", value)
        tokens += plain.split()
    return tokens


def _bootstrap_in(paths: list[Path]) -> dict[str, list[str]]:
    """Each file's Bootstrap classes, for the files that have any."""
    found = {}
    for path in paths:
        bootstrap = [
            token
            for token in _class_tokens(path.read_text(encoding="utf-8"))
            if BOOTSTRAP.match(token) and token not in OURS
        ]
        if bootstrap:
            found[str(path.relative_to(BASE_DIR))] = sorted(set(bootstrap))
    return found


def test_no_page_template_uses_a_bootstrap_class():
    assert _bootstrap_in(_pages()) == {}


def test_no_python_module_writes_a_bootstrap_class():
    packages = ("accounts", "applications", "documents", "notifications", "permits", "core")
    modules = [
        path
        for package in packages
        for path in sorted((BASE_DIR / package).rglob("*.py"))
        if "migrations" not in path.parts
    ]
    assert _bootstrap_in(modules) == {}


def test_the_classifier_recognises_bootstrap_and_spares_the_design_system():
    for bootstrap in ("btn", "btn-primary", "col-md-6", "mb-3", "d-flex", "text-muted", "row"):
        assert BOOTSTRAP.match(bootstrap), bootstrap
    for ours in ("gov-button", "stack", "cluster", "data-table", "summary-row", "muted", "panel"):
        assert not BOOTSTRAP.match(ours), ours


def test_every_variant_a_page_asks_for_is_one_the_build_keeps():
    variants = _build_script().VARIANTS
    unknown = set()
    for path in _pages():
        for name, value in VARIANT_ATTRIBUTE.findall(path.read_text(encoding="utf-8")):
            if value and value not in variants[name]:
                unknown.add((str(path.relative_to(BASE_DIR)), name, value))
    assert unknown == set()


def test_every_design_system_component_a_page_uses_is_built():
    components = set(_build_script().COMPONENTS)
    used = set()
    for path in [*_pages(), *sorted((TEMPLATES / "gov_cz").rglob("*.html"))]:
        for token in _class_tokens(path.read_text(encoding="utf-8")):
            if token.startswith("gov-") and not token.startswith("gov-list"):
                used.add(token.split("__")[0])
    assert used - components == set()


def test_the_build_serves_the_used_parts_only():
    """``make install`` built static/gov/: no web-component selectors, no left-out variant."""
    css = (BASE_DIR / "static" / "gov" / "gov.css").read_text(encoding="utf-8")
    assert ".gov-button" in css and ".gov-form-input" in css
    assert "gov-wizard" not in css  # a component the pages do not use
    assert "[data-color=secondary]" not in css  # a variant they do not use
    assert not re.search(r"(?:^|[,}])gov-button[\s,{.\[:]", css)  # the web component's element
    fonts = sorted(path.name for path in (BASE_DIR / "static" / "gov" / "fonts").iterdir())
    assert len(fonts) == 6 and all(name.endswith(".woff2") for name in fonts)


@pytest.mark.parametrize(
    ("selector", "kept"),
    [
        (".gov-button[data-color=primary]", True),
        (".gov-button[data-color=secondary]", False),
        ('.gov-form-checkbox[data-size="xl"]', False),
        ("gov-button", False),
        (".gov-card gov-icon", False),
        (".gov-card .gov-card__content", True),
    ],
)
def test_the_build_keeps_a_selector_only_when_a_page_can_match_it(selector, kept):
    assert _build_script()._keeps(selector) is kept
