"""Production mode: with the environment a deployment sets, Django's deployment checklist
(``check --deploy``) finds nothing, and the security settings are the ones we promise.

Each test starts a fresh Python with only the variables given here, so nothing from the test
run (its pytest-env defaults, a developer's shell) can make production look better than it is.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
# Secrets are made fresh for every run; the placeholders in .env.example are replaced by these.
GENERATED_SECRETS = ("DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY")


def _key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The least a production deployment sets: the rest have production defaults."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "pobyty.example.gov.cz",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://pobyty.example.gov.cz",
        "DJANGO_PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "FIELD_ENCRYPTION_KEYS": f"prod1:{_key()}",
        "BLIND_INDEX_KEY": _key(),
        **overrides,
    }


def env_example(tmp_path: Path) -> dict[str, str]:
    """The variables .env.example lists, as a deployment would copy them, with real secrets."""
    variables = {}
    for line in (BASE_DIR / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            variables[name.strip()] = value.strip()
    fresh = production_env(tmp_path)
    for name in GENERATED_SECRETS:
        variables[name] = fresh[name]
    return {**variables, "PATH": fresh["PATH"], "HOME": fresh["HOME"], "LANG": fresh["LANG"]}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 -- our own interpreter and manage.py, fixed arguments
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deployment_checklist_finds_nothing_in_production_mode(tmp_path):
    result = run(
        production_env(tmp_path), "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_variables_in_env_example_make_a_clean_production(tmp_path):
    env = env_example(tmp_path)
    assert env["DJANGO_DEBUG"] == "0"

    result = run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]

    result = run(env, "manage.py", "check")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
names = %r
print(json.dumps({name: getattr(settings, name, None) for name in names}, default=str))
"""


def production_settings(tmp_path: Path, *names: str, **overrides: str) -> dict[str, object]:
    env = {**production_env(tmp_path, **overrides), "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = run(env, "-c", PRINT_SETTINGS % (names,))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_speaks_https_only_with_a_year_of_hsts_and_secure_cookies(tmp_path):
    values = production_settings(
        tmp_path,
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "SECURE_REFERRER_POLICY",
        "X_FRAME_OPTIONS",
    )

    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        # Trusting X-Forwarded-Proto is an opt-in for deployments behind a TLS proxy.
        "SECURE_PROXY_SSL_HEADER": None,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
    }


def test_behind_a_tls_proxy_the_forwarded_protocol_is_trusted_only_when_asked(tmp_path):
    values = production_settings(
        tmp_path, "SECURE_PROXY_SSL_HEADER", DJANGO_SECURE_PROXY_SSL_HEADER="1"
    )

    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_hsts_preload_can_be_turned_off_and_the_checklist_then_says_so(tmp_path):
    env = production_env(tmp_path, DJANGO_SECURE_HSTS_PRELOAD="0")

    result = run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode != 0
    assert "security.W021" in result.stderr + result.stdout
