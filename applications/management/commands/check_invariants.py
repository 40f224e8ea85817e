"""List every case that breaks a rule of the proceedings (SPEC §2): ``applications.invariants``.

Exits non-zero when it finds any, so ``make run`` (after the demo seed) and scripts stop on them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from applications import invariants
from core import clock


class Command(BaseCommand):
    help = "List every case that breaks a rule of SPEC §2; exit non-zero if there is any."

    def handle(self, *args: Any, **options: Any) -> None:
        found = invariants.violations(today=clock.today())
        for violation in found:
            self.stdout.write(str(violation))
        summary = f"{len(found)} violation{'' if len(found) == 1 else 's'}"
        if found:
            raise CommandError(summary)
        self.stdout.write(summary)
