"""How Debian's Chromium is started, for the browser tests and the README's screenshots."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps calling home (updates, sync, field trials), and on a
    # closed network every such call hangs until it times out.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
