"""Keeping personal data out of the application's log lines."""

from __future__ import annotations

import logging
import re

# An e-mail address anywhere in a line: logins, notification recipients and integrity errors
# ("Key (email)=(…) already exists") would otherwise put them there.
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_REPLACEMENT = "[e-mail]"


def scrub(text: str) -> str:
    return _EMAIL.sub(_REPLACEMENT, text)


class ScrubPersonalData(logging.Filter):
    """Replaces e-mail addresses in a record's message and traceback before any handler
    formats it. The record is changed in place: later handlers see the scrubbed text too."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True
