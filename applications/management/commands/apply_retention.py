"""Anonymise closed cases past the retention period now (the nightly job, by hand)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from applications.retention import retention_apply, retention_cutoff
from core import clock


class Command(BaseCommand):
    help = (
        "Anonymise closed and withdrawn cases that closed more than RETENTION_CLOSED_CASES_DAYS "
        "ago: delete their files and documents, empty their answers and notes, and anonymise "
        "people whose last case it was. Open cases are never touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be anonymised; change nothing.",
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        today = clock.today()
        report = retention_apply(today=today, dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        deleted = "Would delete" if dry_run else "Deleted"
        purged = "Would purge" if dry_run else "Purged"
        self.stdout.write(
            f"Retention period {settings.RETENTION_CLOSED_CASES_DAYS} days: "
            f"cases closed before {retention_cutoff(today).isoformat()}."
        )
        if options.get("verbosity", 1) > 1:
            for reference in report.references:
                self.stdout.write(f"  {reference}")
        self.stdout.write(f"{verb} {report.cases} case(s).")
        self.stdout.write(f"{deleted} {report.documents} document(s) and their files.")
        self.stdout.write(f"{verb} {report.people} person record(s).")
        self.stdout.write(
            f"{purged} {report.access_events_purged} "
            "access log event(s) past ACCESS_LOG_RETENTION_DAYS."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
