"""Build the part of DS gov.cz the portal uses into static/gov/ (run by `make install`).

The design system is installed from npm (package.json pins it, package-lock.json locks it). Its
HTML flavour ships one CSS file per component, each styling both the web component's element
(``gov-button``) and the class that styles plain HTML (``.gov-button``), every size, colour and
type. We serve one file made of:

- the tokens, the base styles and the layout;
- the components in ``COMPONENTS``, and no other;
- of each rule, only the selectors that can match our pages: a selector naming a web
  component's element (``gov-button``, ``.gov-card gov-icon``) is dropped, since the portal uses
  none (no JavaScript needed, no inline styles for the CSP); so is one asking for a variant
  outside ``VARIANTS`` (``[data-color=secondary]``, ``[data-size=xl]``…). A rule left with no
  selector is dropped.

and the Roboto faces the pages use (regular, medium, bold; Latin and Latin-extended, which cover
Czech and Vietnamese; Cyrillic falls back to the system's sans-serif), and the icons in
``ICONS``. ``tests/test_design_system.py`` checks that the templates ask for nothing outside
these lists. The output is build output: ``static/gov/`` is not committed.

    .venv/bin/python scripts/build_design_system.py
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import tinycss2

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGES = BASE_DIR / "node_modules" / "@gov-design-system-ce"
OUTPUT = BASE_DIR / "static" / "gov"

BASE_FILES = ("tokens.css", "styles.css", "layout.css")
COMPONENTS = (
    "gov-button",
    "gov-card",
    "gov-container",
    "gov-form-checkbox",
    "gov-form-control",
    "gov-form-group",
    "gov-form-input",
    "gov-form-label",
    "gov-form-message",
    "gov-form-radio",
    "gov-form-select",
    "gov-link",
    "gov-message",
    "gov-tag",
)
# The attribute values the templates may use; every other variant's rules are left out.
VARIANTS: dict[str, frozenset[str]] = {
    "data-color": frozenset({"primary", "neutral", "success", "warning", "error"}),
    "data-size": frozenset({"xs", "s", "m"}),
    "data-type": frozenset({"solid", "outlined", "base", "subtle", "checkbox", "radio"}),
}
# Roboto: (file stem, weight).
FACES = (("roboto-regular", 400), ("roboto-medium", 500), ("roboto-bold", 700))
LATIN = (
    "U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+2000-206F, "
    "U+2074, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD"
)
LATIN_EXT = (
    "U+0100-024F, U+0259, U+1E00-1EFF, U+2020, U+20A0-20AB, U+20AD-20CF, U+2113, U+2C60-2C7F, "
    "U+A720-A7FF"
)
ICONS = (
    "chevron-down",
    "chevron-left",
    "chevron-right",
    "download",
    "exclamation-triangle-fill",
    "info-circle-fill",
    "check-circle-fill",
    "list",
    "x-lg",
)

# At-rules whose content is rules of their own, trimmed like the top level.
NESTED = ("media", "supports", "container")
_ELEMENT = re.compile(r"(?:^|[\s>+~(])gov-[a-z-]+")
_ATTRIBUTE = re.compile(r"\[([a-z-]+)=\"?([a-z0-9]+)\"?(?: i)?\]")


def _version(package: str) -> str:
    manifest = json.loads((PACKAGES / package / "package.json").read_text(encoding="utf-8"))
    return str(manifest["version"])


def _keeps(selector: str) -> bool:
    """Whether a selector can match one of our pages (see the module's docstring)."""
    if _ELEMENT.search(selector):
        return False
    for name, value in _ATTRIBUTE.findall(selector):
        allowed = VARIANTS.get(name)
        if allowed is not None and value not in allowed:
            return False
    return True


def _split_selectors(prelude: list) -> list[str]:
    """A rule's selectors, split at its top-level commas (not those inside ``:is(…)``)."""
    selectors: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return [tinycss2.serialize(tokens).strip() for tokens in selectors if tokens]


def _trim(rules: list) -> list[str]:
    out: list[str] = []
    for rule in rules:
        if rule.type == "qualified-rule":
            kept = [s for s in _split_selectors(rule.prelude) if _keeps(s)]
            if kept:
                out.append(",".join(kept) + "{" + tinycss2.serialize(rule.content).strip() + "}")
        elif (
            rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in NESTED
        ):
            inner = _trim(tinycss2.parse_rule_list(rule.content, True, True))
            if inner:
                prelude = tinycss2.serialize(rule.prelude).strip()
                out.append(f"@{rule.at_keyword} {prelude}{{{''.join(inner)}}}")
        elif rule.type == "at-rule":
            out.append(tinycss2.serialize([rule]).strip())
    return out


def _css_file(path: Path) -> str:
    rules = tinycss2.parse_stylesheet(path.read_text(encoding="utf-8-sig"), True, True)
    return "".join(_trim(rules))


def _fonts() -> str:
    faces = []
    for stem, weight in FACES:
        for suffix, unicode_range in (("-ext", LATIN_EXT), ("", LATIN)):
            faces.append(
                f"@font-face{{font-family:Roboto;font-style:normal;font-weight:{weight};"
                f"font-display:swap;src:url(fonts/{stem}{suffix}.woff2) format('woff2');"
                f"unicode-range:{unicode_range}}}"
            )
    return "".join(faces)


def build() -> dict[str, int]:
    if not PACKAGES.is_dir():
        sys.exit("node_modules/@gov-design-system-ce is missing: run `npm ci` (make install).")
    styles = PACKAGES / "styles" / "lib" / "html"
    parts = [
        f"/* DS gov.cz {_version('styles')} (c) Digitální a informační agentura, EUPL-1.2; the "
        "parts the portal uses, built by scripts/build_design_system.py */",
        _fonts(),
    ]
    parts += [_css_file(styles / name) for name in BASE_FILES]
    parts += [_css_file(styles / "components" / f"{name}.css") for name in COMPONENTS]
    if OUTPUT.exists():
        shutil.rmtree(OUTPUT)
    (OUTPUT / "fonts").mkdir(parents=True)
    (OUTPUT / "icons").mkdir()
    css = "\n".join(parts) + "\n"
    (OUTPUT / "gov.css").write_text(css, encoding="utf-8")
    sizes = {"gov.css": len(css.encode())}
    for stem, _weight in FACES:
        for suffix in ("-ext", ""):
            name = f"{stem}{suffix}.woff2"
            shutil.copyfile(PACKAGES / "fonts" / "lib" / name, OUTPUT / "fonts" / name)
            sizes[f"fonts/{name}"] = (OUTPUT / "fonts" / name).stat().st_size
    for icon in ICONS:
        source = PACKAGES / "icons" / "lib" / "components" / f"{icon}.svg"
        shutil.copyfile(source, OUTPUT / "icons" / f"{icon}.svg")
    return sizes


if __name__ == "__main__":
    for name, size in build().items():
        print(f"static/gov/{name}: {size:,} bytes")
