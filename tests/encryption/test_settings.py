"""Production refuses to start without its encryption keys, or with malformed ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

SETUP = "import django; django.setup()"


def start(*unset: str, **variables: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **variables}
    for name in unset:
        environment.pop(name, None)
    return subprocess.run(  # noqa: S603 - this interpreter, a fixed snippet
        [sys.executable, "-c", SETUP],
        cwd=Path(settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_without_keys_does_not_start():
    started = start(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-production-secret-key-of-fifty-characters-or-so",
        FIELD_ENCRYPTION_KEYS="",
        BLIND_INDEX_KEY="",
    )

    assert started.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY are required" in started.stderr


def test_malformed_keys_stop_the_start():
    started = start(DJANGO_DEBUG="1", FIELD_ENCRYPTION_KEYS="2026a:dG9vIHNob3J0")

    assert started.returncode != 0
    assert "32 random bytes" in started.stderr


def test_the_local_run_has_development_keys():
    started = start("FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", DJANGO_DEBUG="1")

    assert started.returncode == 0, started.stderr
