"""Print the code a demo staff account's authenticator app shows now (local demo only)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DemoDataDisabled, demo_data_check, demo_key_hex


class Command(BaseCommand):
    help = (
        "Print the current six-digit code of a demo staff account (DJANGO_DEBUG only). "
        "Each code works once; the next comes within 30 seconds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="A demo staff account, e.g. caseworker1@example.com")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        try:
            demo_data_check()
        except DemoDataDisabled as error:
            raise CommandError(f"demo_totp refused: {error}") from None
        key = demo_key_hex(email)
        if key is None:
            raise CommandError(f"{email} is not a demo staff account.")
        device = TOTPDevice.objects.filter(
            user__email__iexact=email, key=key, confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"{email} has no demo authenticator app: run seed_demo first.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now = time.time()
        totp.time = now
        seconds_left = device.step - int(now - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        self.stderr.write(
            f"The app shows this code for {seconds_left} more seconds; it works once."
        )
