"""Production static files: ``collectstatic`` with the storage ``.env.example`` sets (WhiteNoise's
compressed manifest) finishes, and the files the pages ask for are in its manifest. A missing
manifest makes every page answer 500, so a file that stops collectstatic must fail here, not in
a deployment.

Like ``test_deploy``, each test runs a fresh Python with only the production variables.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.security.test_deploy import env_example, run


def test_collectstatic_with_the_production_storage_builds_the_manifest(tmp_path):
    static_root = tmp_path / "static"
    env = {**env_example(tmp_path), "DJANGO_STATIC_ROOT": str(static_root)}
    assert env["DJANGO_STATICFILES_STORAGE"].endswith("CompressedManifestStaticFilesStorage")

    result = run(env, "manage.py", "collectstatic", "--noinput", "-v", "0")

    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    for name in (
        "gov/gov.css",
        "gov/fonts/roboto-regular.woff2",
        "vendor/jquery-ui/jquery-ui.min.js",
        "css/site.css",
        "favicon.ico",
        "favicon.svg",
    ):
        hashed = Path(static_root / manifest[name])
        assert hashed.is_file(), name
        if name.endswith((".css", ".js")):  # served compressed too (fonts are compressed already)
            assert hashed.with_name(hashed.name + ".gz").is_file(), name
    # The design system's stylesheet asks for its fonts by their hashed names.
    gov_css = (static_root / manifest["gov/gov.css"]).read_text(encoding="utf-8")
    assert Path(manifest["gov/fonts/roboto-regular.woff2"]).name in gov_css
