"""``{% load session_timeout %}{% session_idle_seconds %}``: the idle timeout, in seconds, for the
warning before it (``templates/accounts/_idle_warning.html``, ``static/js/idle-timeout.js``)."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def session_idle_seconds() -> int:
    return int(settings.SESSION_IDLE_TIMEOUT)
