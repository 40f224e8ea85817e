"""``python -m tests.core.slow_pdf_worker -A config worker …``: a Celery worker whose decision
PDFs take a minute to render, so that a test can kill it in the middle of one. It writes
``SLOW_PDF_STARTED`` (a file path from the environment) when it starts rendering."""

from __future__ import annotations

import os
import time
from pathlib import Path

from celery.__main__ import main
from celery.signals import worker_process_init


@worker_process_init.connect
def _render_slowly(**kwargs: object) -> None:
    import applications.letters

    original = applications.letters.render_pdf

    def slow_render_pdf(*args: object, **kw: object) -> bytes:
        Path(os.environ["SLOW_PDF_STARTED"]).write_text("rendering")
        time.sleep(60)
        return original(*args, **kw)

    applications.letters.render_pdf = slow_render_pdf


if __name__ == "__main__":
    main()
