"""Optimistic locking over HTTP: the application's version is its ETag, and every change
sends it back in ``If-Match`` (RFC 9110 § 13.1.1); the services then refuse a stale one
exactly as they refuse a stale form (``ConcurrentChange`` → 412)."""

from __future__ import annotations

import re
from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from api.problems import PreconditionFailed, PreconditionRequired

_TAG = re.compile(r'^\s*"(\d{1,18})"\s*$')


def etag(version: int) -> str:
    return f'"{version}"'


def with_etag(response: Response, obj: Any) -> Response:
    response["ETag"] = etag(obj.version)
    return response


def expected_version(request: Request, obj: Any | None = None) -> int:
    """The version the caller last saw, from ``If-Match``: 428 without it, 412 when it is not
    a version of this application (``*`` is refused: a change must name what it changes)."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired()
    match = _TAG.match(header)
    if match is None:
        raise PreconditionFailed()
    version = int(match.group(1))
    if obj is not None and version != obj.version:
        raise PreconditionFailed()
    return version
