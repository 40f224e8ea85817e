"""E-mail backends for tests of failures; used through settings.EMAIL_BACKEND."""

from __future__ import annotations

import threading
import time
from typing import ClassVar

from django.core.mail.backends import locmem


class FlakyBackend(locmem.EmailBackend):
    """Raises the queued errors, one per sending, then delivers to ``mail.outbox``."""

    errors: ClassVar[list[BaseException]] = []

    def send_messages(self, messages):
        if FlakyBackend.errors:
            raise FlakyBackend.errors.pop(0)
        return super().send_messages(messages)


class SlowBackend(locmem.EmailBackend):
    """Takes its time, as a real server does, so two senders overlap."""

    delay: ClassVar[float] = 0.5
    lock = threading.Lock()

    def send_messages(self, messages):
        time.sleep(SlowBackend.delay)
        with SlowBackend.lock:
            return super().send_messages(messages)
