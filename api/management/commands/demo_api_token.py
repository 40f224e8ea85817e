"""A personal access token for a demo account, for trying the API against ``make run``.

Demo only (``DJANGO_DEBUG=1``), as ``demo_totp``: a person's own tokens are made in their
profile, in a session that passed the second factor (``api.tokens``). Prints the token; it is
kept only as its digest, so each run makes a new one (valid one day, every scope).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.models import User
from api import scopes
from api.models import PersonalAccessToken, token_digest


class Command(BaseCommand):
    help = "Print a new one-day API token with every scope for a demo account (DEBUG only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", nargs="?", default="applicant1@example.com")
        parser.add_argument("--scopes", dest="scope_names", default=" ".join(scopes.ALL))

    def handle(self, *args: Any, email: str, scope_names: str, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo tokens are made only with DJANGO_DEBUG=1.")
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account {email}; run `make run` (seed_demo) first.")
        wanted = scope_names.split()
        unknown = sorted(set(wanted) - set(scopes.ALL))
        if unknown:
            raise CommandError(f"Unknown scopes: {', '.join(unknown)}")
        prefix, token = PersonalAccessToken.new_secret()
        PersonalAccessToken.objects.create(
            user=user,
            name="demo (manage.py demo_api_token)",
            prefix=prefix,
            digest=token_digest(token),
            scopes=wanted,
            expires_at=timezone.now() + timedelta(days=1),
        )
        self.stdout.write(token)
