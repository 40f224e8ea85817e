"""Demo accounts and cases for trying the portal; ``--applications N`` adds N bulk cases.

Idempotent: accounts are matched by e-mail and the demo cases are created only once, so running
it again leaves the database as it was. Only with DJANGO_DEBUG on (``DEMO_DATA_ENABLED``): the
demo accounts' password and second-factor keys are published, so elsewhere it refuses and
writes nothing.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections, transaction
from django.db.models import Q

from accounts.constants import Role
from accounts.demo import DemoDataDisabled, demo_data_check, demo_second_factors_ensure
from accounts.models import User
from applications import representation
from applications.constants import AppealResult, Channel, Outcome, PowerScope, Relation, Status
from applications.demo import (
    BulkCase,
    CasePlan,
    Cast,
    build_demo_case,
    bulk_create_cases,
    bulk_insert,
    filed_year,
    random_applicant,
    random_plan,
)
from applications.models import (
    Appeal,
    Applicant,
    Application,
    AuditEntry,
    Decision,
    Interruption,
    ReferenceCounter,
)
from core import clock
from organisations import services as organisations
from permits.models import PermitType

# Only ever created by this command (never by migrations or settings).
DEMO_PASSWORD = "demo-password"  # noqa: S105

DEMO_USERS: list[dict[str, Any]] = [
    {
        "email": "admin@example.com",
        "role": Role.ADMIN,
        "superuser": True,
        "first_name": "Alena",
        "last_name": "Správcová",
        "job_title": "správkyně systému",
    },
    {
        "email": "supervisor@example.com",
        "role": Role.SUPERVISOR,
        "first_name": "Petr",
        "last_name": "Vedoucí",
        "job_title": "vedoucí oddělení",
    },
    {
        "email": "caseworker1@example.com",
        "role": Role.CASEWORKER,
        "first_name": "Jana",
        "last_name": "Nováková",
        "job_title": "referentka",
    },
    {
        "email": "caseworker2@example.com",
        "role": Role.CASEWORKER,
        "first_name": "Tomáš",
        "last_name": "Dvořák",
        "job_title": "referent",
    },
    {
        "email": "support@example.com",
        "role": Role.SUPPORT,
        "first_name": "Eva",
        "last_name": "Pomocná",
        "job_title": "pracovnice kontaktního centra",
    },
    {
        "email": "applicant1@example.com",
        "role": Role.APPLICANT,
        "first_name": "Olena",
        "last_name": "Kovalenko",
        "language": "uk",
    },
    {
        "email": "applicant2@example.com",
        "role": Role.APPLICANT,
        "first_name": "Minh",
        "last_name": "Nguyen",
        "language": "vi",
    },
    # The HR officer of the demo employer, which represents applicant2 (DEMO_EMPLOYER).
    {
        "email": "hr@example.com",
        "role": Role.APPLICANT,
        "first_name": "Petra",
        "last_name": "Personalistová",
        "language": "en",
    },
]

# A verified employer holding applicant2's power of attorney for all their proceedings.
DEMO_EMPLOYER = {"name": "Strojírny Brno a.s.", "ico": "25596641", "kind": "employer"}

# (permit type code, plan, owner) — owner "a1"/"a2" is a demo account, None someone the
# support centre registered. Ages are days before today.
DEMO_CASES: list[tuple[str, CasePlan, str | None]] = [
    # applicant1: one of everything they must be able to try
    ("employee_card", CasePlan(Status.DRAFT), "a1"),
    ("employee_card", CasePlan(Status.FILED, filed_days_ago=12, assigned=False), "a1"),
    (
        "ltr_family",
        CasePlan(Status.INTERRUPTED, filed_days_ago=40, open_interruption_days_ago=3),
        "a1",
    ),
    (
        "ltr_study",
        CasePlan(Status.DECIDED, filed_days_ago=70, decided_days_ago=1, outcome=Outcome.REJECTED),
        "a1",
    ),
    (
        "long_term_visa",
        CasePlan(
            Status.CLOSED,
            filed_days_ago=400,
            decided_days_ago=330,
            outcome=Outcome.GRANTED,
            opened=True,
            channel=Channel.EMBASSY,
        ),
        "a1",
    ),
    # applicant2
    ("blue_card", CasePlan(Status.DRAFT), "a2"),
    ("blue_card", CasePlan(Status.FILED, filed_days_ago=55, assigned=True), "a2"),
    (
        "ltr_extension",
        CasePlan(
            Status.DECIDED,
            filed_days_ago=50,
            decided_days_ago=4,
            outcome=Outcome.GRANTED,
            opened=True,
        ),
        "a2",
    ),
    # the queues: due within 7 days, overdue, fresh, with a past interruption
    ("employee_card", CasePlan(Status.FILED, filed_days_ago=57, assigned=False), None),
    ("employee_card", CasePlan(Status.FILED, filed_days_ago=58, assigned=True), None),
    ("ltr_study", CasePlan(Status.FILED, filed_days_ago=62, assigned=True), None),
    ("ltr_research", CasePlan(Status.FILED, filed_days_ago=66, assigned=False), None),
    ("ltr_investment", CasePlan(Status.FILED, filed_days_ago=3, assigned=False), None),
    ("ict_card", CasePlan(Status.FILED, filed_days_ago=20, assigned=True), None),
    (
        "permanent_residence",
        CasePlan(Status.FILED, filed_days_ago=45, past_interruption=(5, 14), assigned=True),
        None,
    ),
    (
        "permanent_residence",
        CasePlan(Status.FILED, filed_days_ago=170, channel=Channel.EMBASSY, assigned=True),
        None,
    ),
    ("ltr_family", CasePlan(Status.FILED, filed_days_ago=260, assigned=True), None),
    (
        "blue_card",
        CasePlan(Status.FILED, filed_days_ago=30, past_interruption=(2, 10), assigned=False),
        None,
    ),
    ("purpose_change", CasePlan(Status.FILED, filed_days_ago=8, assigned=False), None),
    ("card_replacement", CasePlan(Status.FILED, filed_days_ago=59, assigned=True), None),
    ("ltr_job_seeking", CasePlan(Status.FILED, filed_days_ago=1, assigned=False), None),
    ("employee_card", CasePlan(Status.FILED, filed_days_ago=75, assigned=True), None),
    # interrupted: waiting, and past the documents' deadline
    (
        "employee_card",
        CasePlan(Status.INTERRUPTED, filed_days_ago=30, open_interruption_days_ago=10),
        None,
    ),
    (
        "ltr_study",
        CasePlan(Status.INTERRUPTED, filed_days_ago=60, open_interruption_days_ago=40),
        None,
    ),
    (
        "blue_card",
        CasePlan(Status.INTERRUPTED, filed_days_ago=50, open_interruption_days_ago=33),
        None,
    ),
    (
        "ict_card_eu",
        CasePlan(Status.INTERRUPTED, filed_days_ago=25, open_interruption_days_ago=2),
        None,
    ),
    # decided, appealed, closed, withdrawn
    (
        "employee_card",
        CasePlan(Status.DECIDED, filed_days_ago=45, decided_days_ago=12, outcome=Outcome.GRANTED),
        None,
    ),
    (
        "ltr_research",
        CasePlan(
            Status.DECIDED,
            filed_days_ago=40,
            decided_days_ago=6,
            outcome=Outcome.REJECTED,
            opened=True,
        ),
        None,
    ),
    (
        "card_data_change",
        CasePlan(Status.DECIDED, filed_days_ago=20, decided_days_ago=2, outcome=Outcome.GRANTED),
        None,
    ),
    (
        "ltr_study",
        CasePlan(
            Status.APPEALED,
            filed_days_ago=80,
            decided_days_ago=14,
            outcome=Outcome.REJECTED,
            opened=True,
            appealed=True,
        ),
        None,
    ),
    (
        "employee_card",
        CasePlan(
            Status.APPEALED,
            filed_days_ago=90,
            decided_days_ago=20,
            outcome=Outcome.REJECTED,
            opened=True,
            appealed=True,
        ),
        None,
    ),
    (
        "permanent_residence",
        CasePlan(
            Status.CLOSED,
            filed_days_ago=200,
            decided_days_ago=120,
            outcome=Outcome.GRANTED,
            opened=True,
        ),
        None,
    ),
    (
        "blue_card",
        CasePlan(Status.CLOSED, filed_days_ago=150, decided_days_ago=90, outcome=Outcome.GRANTED),
        None,
    ),
    (
        "ltr_family",
        CasePlan(
            Status.CLOSED,
            filed_days_ago=300,
            decided_days_ago=100,
            outcome=Outcome.REJECTED,
            opened=True,
            appealed=True,
            appeal_result=AppealResult.DISMISSED,
        ),
        None,
    ),
    ("ltr_extension", CasePlan(Status.WITHDRAWN, filed_days_ago=30), None),
    (
        "seasonal_work_visa",
        CasePlan(Status.WITHDRAWN, filed_days_ago=20, channel=Channel.EMBASSY),
        None,
    ),
    (
        "extraordinary_work_visa",
        CasePlan(Status.FILED, filed_days_ago=100, channel=Channel.EMBASSY, assigned=True),
        None,
    ),
    # Filed in the Czech Republic only: not at an embassy.
    ("tolerated_stay_visa", CasePlan(Status.FILED, filed_days_ago=10, assigned=False), None),
    (
        "visa_reassessment",
        CasePlan(Status.FILED, filed_days_ago=50, channel=Channel.EMBASSY, assigned=True),
        None,
    ),
    ("ltr_protection", CasePlan(Status.FILED, filed_days_ago=5, assigned=False), None),
]


class Command(BaseCommand):
    help = "Create the demo accounts and cases (idempotent); --applications N adds N bulk cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--applications", type=int, default=0, help="Also bulk-insert N random cases."
        )
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="Processes that insert the bulk cases (default: one per core from 100,000).",
        )

    def handle(
        self,
        *args: Any,
        applications: int = 0,
        batch_size: int = 5000,
        workers: int = 0,
        **options: Any,
    ) -> None:
        try:
            demo_data_check()
        except DemoDataDisabled as error:
            raise CommandError(f"seed_demo refused: {error}") from None
        today = clock.today()
        users = self.ensure_users()
        demo_second_factors_ensure(users=users.values())
        if Applicant.objects.filter(account=users["applicant1@example.com"]).exists():
            self.stdout.write("Demo cases exist already; nothing to add.")
        else:
            self.create_demo_cases(users, today)
        if applications:
            self.bulk_cases(applications, users, today, batch_size, workers)

    # --- Accounts ----------------------------------------------------------------------------

    def ensure_users(self) -> dict[str, User]:
        users = {}
        for spec in DEMO_USERS:
            user = User.objects.filter(email=spec["email"]).first()
            if user is None:
                user = User.objects.create_user(
                    spec["email"],
                    DEMO_PASSWORD,
                    first_name=spec["first_name"],
                    last_name=spec["last_name"],
                    # Staff sign decisions and resolutions with their function
                    # (Administrative Procedure Code § 69(1), outside the seeds).
                    job_title=spec.get("job_title", ""),
                    preferred_language=spec.get("language", "cs"),
                    is_staff=spec.get("superuser", False),
                    is_superuser=spec.get("superuser", False),
                )
            user.groups.add(Group.objects.get(name=spec["role"]))
            users[spec["email"]] = user
        self.stdout.write(f"{len(users)} demo accounts ready.")
        return users

    # --- The demo cases ----------------------------------------------------------------------

    @transaction.atomic
    def create_demo_cases(self, users: dict[str, User], today: date) -> None:
        """Each demo case told through the services, step by step on its own days."""
        rng = random.Random(2026)  # the same people every time
        types = {t.code: t for t in PermitType.objects.all()}
        owners = {
            "a1": self.own_applicant(users["applicant1@example.com"], rng, "UA"),
            "a2": self.own_applicant(users["applicant2@example.com"], rng, "VN"),
        }
        caseworkers = [users["caseworker1@example.com"], users["caseworker2@example.com"]]
        support = users["support@example.com"]
        for index, (type_code, plan, owner) in enumerate(DEMO_CASES):
            applicant = owners[owner] if owner else random_applicant(rng, created_by=support)
            if applicant.pk is None:
                applicant.save()
            # The support centre files in person for the people it registered.
            in_person = plan.channel == Channel.ONLINE and owner is None
            build_demo_case(
                plan,
                applicant=applicant,
                permit_type=types[type_code],
                channel=Channel.IN_PERSON if in_person else plan.channel,
                cast=Cast(
                    applicant_side=applicant.account or support, caseworker=caseworkers[index % 2]
                ),
                today=today,
                verified=plan.status not in (Status.DRAFT, Status.FILED) or index % 3 == 0,
            )
        self.stdout.write(f"{len(DEMO_CASES)} demo cases created.")
        self.create_demo_employer(users, owners["a2"], today)

    def create_demo_employer(
        self, users: dict[str, User], represented: Applicant, today: date
    ) -> None:
        """The employer registers, the office verifies it, and applicant2 gives it a power of
        attorney in the portal (as with their second factor): its HR officer then sees and acts
        in applicant2's cases, and their decisions are delivered to it."""
        employer = organisations.organisation_register(
            user=users["hr@example.com"], **DEMO_EMPLOYER
        )
        employer = organisations.organisation_verify(
            organisation=employer, actor=users["supervisor@example.com"]
        )
        representation.power_grant(
            applicant=represented,
            actor=users["applicant2@example.com"],
            second_factor_verified=True,
            organisation=employer,
            scope=PowerScope.ALL,
            valid_from=today,
        )
        self.stdout.write(f"Demo employer {employer} represents {represented.full_name}.")

    def own_applicant(self, user: User, rng: random.Random, nationality: str) -> Applicant:
        applicant = random_applicant(rng, account=user, created_by=user)
        applicant.given_names, applicant.surname = user.first_name, user.last_name
        applicant.nationality = nationality
        applicant.email = user.email
        applicant.preferred_language = user.preferred_language
        applicant.relation = Relation.SELF
        applicant.save()
        return applicant

    # --- Bulk benchmark data -----------------------------------------------------------------

    def bulk_cases(
        self, count: int, users: dict[str, User], today: date, batch_size: int, workers: int
    ) -> None:
        started = time.monotonic()
        postgres = connection.vendor == "postgresql"
        if not workers:
            # Building the rows in Python is most of the work: one process per core, for a
            # load big enough to pay for starting them (PostgreSQL only: SQLite has one writer).
            workers = min(os.cpu_count() or 1, 4) if postgres and count >= 100_000 else 1
        shares = [count // workers + (1 if i < count % workers else 0) for i in range(workers)]
        jobs = [(share, today, batch_size, count + i, i + 1) for i, share in enumerate(shares)]
        if workers == 1:
            _insert_cases(*jobs[0])
        else:
            # Each process opens its own connection; the parent's must not be shared.
            connections.close_all()
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                pool.starmap(_insert_cases, jobs)
        took = time.monotonic() - started
        self.stdout.write(f"{count} bulk cases created in {took:.1f} s by {workers} process(es).")
        if postgres:
            # Fresh statistics, or the planner goes on believing the tables are empty.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {', '.join(BULK_TABLES)}")
            self.stdout.write(
                f"Statistics refreshed (ANALYZE) in {time.monotonic() - started - took:.1f} s."
            )


# The tables a bulk load writes, for ANALYZE afterwards.
BULK_TABLES = [
    model._meta.db_table
    for model in (Applicant, Application, Interruption, Decision, AuditEntry, Appeal)
]


def reserve_references(year: int, count: int) -> list[tuple[int, int]]:
    """Take ``count`` numbers of the year's sequence at once, under the counter's lock."""
    with transaction.atomic():
        ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year)], ignore_conflicts=True)
        counter = ReferenceCounter.objects.select_for_update().get(year=year)
        first = counter.last_value + 1
        counter.last_value += count
        counter.save(update_fields=["last_value"])
    return [(year, n) for n in range(first, first + count)]


def _insert_cases(count: int, today: date, batch_size: int, seed: int, worker: int) -> None:
    """Insert ``count`` random cases in batches of ``batch_size``, a transaction each (one of
    the processes of ``bulk_cases``, or the only one)."""
    started = time.monotonic()
    rng = random.Random(seed)
    types = [t for t in PermitType.objects.fileable() if t.can_file_in_country]
    caseworkers = list(User.objects.filter(Q(groups__name=Role.CASEWORKER)).distinct())
    support = User.objects.get(email="support@example.com")
    made = 0
    for size in _batches(count, batch_size):
        with transaction.atomic():
            applicants = bulk_insert(
                Applicant, [random_applicant(rng, created_by=support) for _ in range(size)]
            )
            plans = [random_plan(rng) for _ in range(size)]
            filed = [filed_year(p, today) for p in plans if p.status != Status.DRAFT]
            references = {
                year: iter(reserve_references(year, filed.count(year))) for year in set(filed)
            }
            cases = [
                BulkCase(
                    plan=plan,
                    applicant=applicant,
                    permit_type=rng.choice(types),
                    caseworker=rng.choice(caseworkers),
                    # The support centre files in person, or at an embassy.
                    channel=Channel.EMBASSY
                    if plan.channel == Channel.EMBASSY
                    else Channel.IN_PERSON,
                    reference=next(references[filed_year(plan, today)])
                    if plan.status != Status.DRAFT
                    else None,
                )
                for plan, applicant in zip(plans, applicants, strict=True)
            ]
            bulk_create_cases(cases, today=today, actor=support)
        made += size
        print(f"  [{worker}] {made}/{count} cases ({time.monotonic() - started:.0f} s)", flush=True)


def _batches(total: int, size: int) -> Iterator[int]:
    while total > 0:
        yield min(size, total)
        total -= size
