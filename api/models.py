"""Personal access tokens and the answers kept for idempotency keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from encryption.fields import EncryptedJSONField, RowKeyField

PAT_MARK = "rpat_"
PREFIX_LENGTH = 10


def token_digest(token: str) -> str:
    """SHA-256 of the whole token. The secret part is 256 random bits, so a fast hash is as
    strong as a slow one here (a slow one protects guessable passwords, not random keys)."""
    return hashlib.sha256(token.encode()).hexdigest()


class PersonalAccessTokenQuerySet(models.QuerySet["PersonalAccessToken"]):
    def usable(self, *, now: datetime | None = None) -> PersonalAccessTokenQuerySet:
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class PersonalAccessToken(models.Model):
    """A token a person makes for their own scripts: shown once, kept only as its digest.

    Made only in a session that passed the second factor (``api.tokens.create_token``);
    scoped (``api.scopes``), expiring, listed and revocable in the profile. The prefix
    (public, shown in the list) finds the row; the digest proves the rest.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True)
    digest = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PersonalAccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="pat_user_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({PAT_MARK}{self.prefix}…)"

    @staticmethod
    def new_secret() -> tuple[str, str]:
        """(prefix, whole token) for a new token."""
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        return prefix, f"{PAT_MARK}{prefix}_{secrets.token_urlsafe(32)}"

    def matches(self, token: str) -> bool:
        return hmac.compare_digest(self.digest, token_digest(token))

    def is_usable(self, *, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    def allows(self, scopes: list[str] | tuple[str, ...]) -> bool:
        return set(scopes) <= set(self.scopes)


class IdempotencyRecord(models.Model):
    """The answer to a POST that carried an ``Idempotency-Key``: the same key again, from the
    same caller with the same request, gets this answer instead of a second object."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    # The answer holds personal data (a new application) or a secret shown once (a webhook
    # subscription's): encrypted at rest, bound to the row, like the rest of the file.
    answer = EncryptedJSONField(null=True)
    location = models.CharField(max_length=500, blank=True)
    # The ETag the first answer carried (a new application's version): the replay repeats it.
    etag = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    row_key = RowKeyField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.status_code}"
