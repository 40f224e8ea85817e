"""Open an account for a member of staff: how an operator makes the first caseworkers,
supervisors, support-centre staff and administrators of an installation.

    .venv/bin/python manage.py create_staff_user --email jana.novakova@example.gov.cz \\
        --role caseworker --first-name Jana --last-name Nováková --function referentka

The name, surname and function are required: decisions and resolutions are signed with them
(Administrative Procedure Code § 69(1), outside the seeds).

The password is never an argument (it would land in the shell's history and in the process
list): the command asks for it twice on a terminal, and otherwise reads one line from standard
input, e.g. ``manage.py create_staff_user ... < /run/secrets/password``. At the first log-in the
new account sets up an authenticator app, as every staff account must.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from accounts.constants import Language
from accounts.roles import STAFF_ROLES
from accounts.services import AccountError, staff_user_create


class Command(BaseCommand):
    help = (
        "Create a staff account (caseworker, supervisor, support, admin). The password is read "
        "from standard input, or asked for twice on a terminal; never give it as an argument."
    )
    # Tests hand in their own standard input, as for Django's createsuperuser.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="The staff member's e-mail address.")
        parser.add_argument(
            "--role",
            required=True,
            choices=sorted(STAFF_ROLES),
            help="admin also opens the back office (/admin/) with every permission.",
        )
        parser.add_argument("--first-name", required=True, help="The staff member's name.")
        parser.add_argument("--last-name", required=True, help="The staff member's surname.")
        parser.add_argument(
            "--function",
            required=True,
            help="The function signed on decisions and letters, e.g. referentka.",
        )
        parser.add_argument(
            "--language",
            default=Language.CS.value,
            choices=Language.values,
            help="The language of the portal and of e-mails for this person (default cs).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stdin: TextIO = options.get("stdin") or sys.stdin
        password = self.read_password(stdin)
        # The operator reads English, as from every other command (the password validators
        # would otherwise answer in Czech, the language of record).
        with translation.override("en"):
            try:
                user = staff_user_create(
                    email=options["email"],
                    password=password,
                    role=options["role"],
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    job_title=options["function"],
                    preferred_language=options["language"],
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            except AccountError as error:
                raise CommandError(error.message) from None
        self.stdout.write(
            f"Staff account {user.email} ({options['role']}) created. At the first log-in it "
            "sets up an authenticator app."
        )

    def read_password(self, stdin: TextIO) -> str:
        if stdin.isatty():
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("The two passwords differ; nothing was created.")
        else:
            password = stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError(
                "No password: give it on standard input (one line) or type it at the prompt."
            )
        return password
