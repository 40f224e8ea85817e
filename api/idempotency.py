"""``Idempotency-Key`` on the POSTs that create something (the IETF httpapi draft
"The Idempotency-Key HTTP Header Field"): the same key again, from the same account, for the
same request, answers what the first answered and creates nothing; the same key for another
request is refused (422); while the first is still running, 409.

The key is recorded before the work, in its own committed row, so two requests racing with one
key cannot both run; a request that fails with a server error releases its key. Records are
kept ``API_IDEMPOTENCY_HOURS`` hours (the nightly sweep in ``api.tasks``).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from api.models import IdempotencyRecord
from api.problems import IdempotencyConflict, IdempotencyInProgress

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _fingerprint(request: Request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.get_full_path().encode())
    media_type = (request.content_type or "").split(";")[0].strip()
    digest.update(media_type.encode())
    if media_type == "multipart/form-data":
        # Larger than Django keeps in memory, and framed by a boundary each retry picks anew:
        # the parsed fields and each file's name and content, streamed.
        for key in sorted(request.data.keys()):
            for value in request.data.getlist(key):
                digest.update(key.encode() + b"\0")
                if hasattr(value, "chunks"):
                    digest.update((value.name or "").encode() + b"\0")
                    for chunk in value.chunks():
                        digest.update(chunk)
                else:
                    digest.update(str(value).encode() + b"\0")
    else:
        # The raw body, read before DRF parses it (Django keeps it for the parsers).
        digest.update(request._request.body)
    return digest.hexdigest()


def idempotent(view: Callable[..., Response]) -> Callable[..., Response]:
    """Wrap a view method that creates something."""

    @functools.wraps(view)
    def wrapped(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER)
        if key is None:
            return view(self, request, *args, **kwargs)
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise exceptions.ValidationError(
                {HEADER: [_("An Idempotency-Key is 1 to 255 printable characters.")]}
            )
        fingerprint = _fingerprint(request)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=request.user, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            record = IdempotencyRecord.objects.get(user=request.user, key=key)
            if record.fingerprint != fingerprint:
                raise IdempotencyConflict() from None
            if record.status_code is None:
                raise IdempotencyInProgress() from None
            replay = Response(record.answer, status=record.status_code)
            if record.location:
                replay["Location"] = record.location
            if record.etag:
                replay["ETag"] = record.etag
            replay["Idempotent-Replayed"] = "true"
            return replay
        try:
            response = view(self, request, *args, **kwargs)
        except Exception:
            # Nothing was created (a refusal, or a failure that rolled back): the key is free
            # again, and the same request is judged afresh when it comes back.
            record.delete()
            raise
        if response.status_code >= 500:
            record.delete()
            return response
        record.status_code = response.status_code
        # As the caller received it (dates as ISO strings): the replay answers the same bytes.
        record.answer = json.loads(JSONRenderer().render(response.data) or b"null")
        record.location = response.get("Location", "")[:500]
        record.etag = response.get("ETag", "")[:100]
        record.save(update_fields=["status_code", "answer", "location", "etag"])
        return response

    return wrapped
