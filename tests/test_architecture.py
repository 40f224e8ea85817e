"""The shape of the code: apps depend downward only, no module cycle inside an app, and no import
hidden in a function to get round either (docs/architecture.md).

The contracts live in ``pyproject.toml`` (layers) and ``.importlinter-cycles.ini`` (cycles); these
tests run import-linter on them, and show on a copy of the tree that each contract does fail when
an upward import or a new cycle is added.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "config",
    "api",
    "applications",
    "documents",
    "notifications",
    "webhooks",
    "organisations",
    "privacy",
    "permits",
    "accounts",
    "encryption",
    "core",
)
CYCLES_CONFIG = ".importlinter-cycles.ini"

# Imports that stay inside a function, and why. None of them is there to get round a cycle.
FUNCTION_LEVEL_IMPORTS_ALLOWED = {
    # Django's documented place to connect receivers and register handlers: the app registry is
    # ready only when ``ready()`` runs.
    "ready": "AppConfig.ready(): the app registry is ready only then",
    # The Celery app is imported while settings load, before Django is set up; the heartbeat
    # receiver's module uses the cache.
    "_record_worker_heartbeat": "config/celery.py is imported before Django is set up",
}


def lint_imports(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache", *args]
    # The command is this virtualenv's own lint-imports with fixed arguments.
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603


def test_apps_depend_downward_only():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_import_cycle_between_the_modules_of_an_app():
    result = lint_imports(CYCLES_CONFIG)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    """The product packages and the contracts, copied to try a breach on."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "locale", "migrations"),
        )
    for name in ("pyproject.toml", CYCLES_CONFIG):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_the_layer_contract_fails_on_an_upward_import(tree_copy: Path):
    (tree_copy / "documents" / "probe.py").write_text("from applications import models\n")

    result = lint_imports(cwd=tree_copy)

    assert result.returncode != 0
    assert "documents.probe -> applications.models" in result.stdout


def test_the_cycle_contract_fails_on_a_new_cycle(tree_copy: Path):
    (tree_copy / "core" / "probe_a.py").write_text("from core import probe_b\n")
    (tree_copy / "core" / "probe_b.py").write_text("from core import probe_a\n")

    result = lint_imports(CYCLES_CONFIG, cwd=tree_copy)

    assert result.returncode != 0
    assert "No cycles are allowed in core" in result.stdout


def _function_level_imports() -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                if function.name in FUNCTION_LEVEL_IMPORTS_ALLOWED:
                    continue
                for node in ast.walk(function):
                    module = ""
                    if isinstance(node, ast.ImportFrom):
                        module = "." * node.level + (node.module or "")
                    elif isinstance(node, ast.Import):
                        module = node.names[0].name
                    else:
                        continue
                    if module.startswith(".") or module.split(".")[0] in PACKAGES:
                        relative = path.relative_to(ROOT)
                        found.append(f"{relative}:{node.lineno} {function.name}: {module}")
    return found


def test_no_import_of_the_project_hides_in_a_function():
    assert _function_level_imports() == []
