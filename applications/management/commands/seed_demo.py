"""Demo accounts and cases for trying the portal; ``--applications N`` adds N bulk cases.

Idempotent: accounts are matched by e-mail and the demo cases are created only once, so running
it again leaves the database as it was. Only with DJANGO_DEBUG on (``DEMO_DATA_ENABLED``): the
demo accounts' password and second-factor keys are published, so elsewhere it refuses and
writes nothing.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone
from psycopg import sql

from accounts.constants import Role
from accounts.demo import DemoDataDisabled, demo_data_check, demo_second_factors_ensure
from accounts.models import User
from applications.constants import AppealResult, Channel, Outcome, Relation, Status
from applications.demo import (
    BuiltCase,
    CasePlan,
    build_case,
    minimal_pdf,
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
from documents.constants import Role as DocumentRole
from documents.constants import Verification
from documents.models import Document
from permits.models import DocumentKind, Permit, PermitType

# Only ever created by this command (never by migrations or settings).
DEMO_PASSWORD = "demo-password"  # noqa: S105

DEMO_USERS: list[dict[str, Any]] = [
    {
        "email": "admin@example.com",
        "role": Role.ADMIN,
        "superuser": True,
        "first_name": "Alena",
        "last_name": "Správcová",
    },
    {
        "email": "supervisor@example.com",
        "role": Role.SUPERVISOR,
        "first_name": "Petr",
        "last_name": "Vedoucí",
    },
    {
        "email": "caseworker1@example.com",
        "role": Role.CASEWORKER,
        "first_name": "Jana",
        "last_name": "Nováková",
    },
    {
        "email": "caseworker2@example.com",
        "role": Role.CASEWORKER,
        "first_name": "Tomáš",
        "last_name": "Dvořák",
    },
    {
        "email": "support@example.com",
        "role": Role.SUPPORT,
        "first_name": "Eva",
        "last_name": "Pomocná",
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
]

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
    (
        "tolerated_stay_visa",
        CasePlan(Status.FILED, filed_days_ago=10, channel=Channel.EMBASSY, assigned=False),
        None,
    ),
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

    def handle(
        self, *args: Any, applications: int = 0, batch_size: int = 5000, **options: Any
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
            self.bulk_cases(applications, users, today, batch_size)

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
        from documents.tasks import render_decision_pdf

        rng = random.Random(2026)  # the same people and numbers every time
        types = {
            t.code: t for t in PermitType.objects.prefetch_related("requirements__document_kind")
        }
        owners = {
            "a1": self.own_applicant(users["applicant1@example.com"], rng, "UA"),
            "a2": self.own_applicant(users["applicant2@example.com"], rng, "VN"),
        }
        caseworkers = [users["caseworker1@example.com"], users["caseworker2@example.com"]]
        support = users["support@example.com"]
        decisions: list[int] = []
        for index, (type_code, plan, owner) in enumerate(DEMO_CASES):
            permit_type = types[type_code]
            applicant = owners[owner] if owner else random_applicant(rng, created_by=support)
            if applicant.pk is None:
                applicant.save()
            actor = applicant.account or support
            filed_year = (today - timedelta(days=plan.filed_days_ago)).year
            built = build_case(
                plan,
                applicant=applicant,
                permit_type=permit_type,
                reference=self.reserve_references(filed_year, 1)[0]
                if plan.status != Status.DRAFT
                else None,
                today=today,
                caseworker=caseworkers[index % 2] if plan.status != Status.DRAFT else None,
                actor_applicant=actor,
            )
            if plan.channel == Channel.ONLINE and owner is None:
                built.application.channel = Channel.IN_PERSON
            self.save_case(built)
            self.attach_documents(
                built,
                permit_type,
                actor,
                rng,
                verified=plan.status not in (Status.DRAFT, Status.FILED) or index % 3 == 0,
            )
            if built.decision is not None:
                decisions.append(built.decision.pk)
        transaction.on_commit(lambda: [render_decision_pdf.delay(pk) for pk in decisions])
        self.stdout.write(f"{len(DEMO_CASES)} demo cases created.")

    def own_applicant(self, user: User, rng: random.Random, nationality: str) -> Applicant:
        applicant = random_applicant(rng, account=user, created_by=user)
        applicant.given_names, applicant.surname = user.first_name, user.last_name
        applicant.nationality = nationality
        applicant.email = user.email
        applicant.preferred_language = user.preferred_language
        applicant.relation = Relation.SELF
        applicant.save()
        return applicant

    def save_case(self, built: BuiltCase) -> None:
        app = built.application
        app.save()
        for interruption in built.interruptions:
            interruption.application = app
            interruption.save()
        if built.decision is not None:
            built.decision.application = app
            built.decision.save()
            if built.decision.outcome == Outcome.GRANTED:
                Permit.objects.create(
                    application=app,
                    number=app.card_number,
                    permit_type=app.permit_type,
                    holder=app.applicant,
                    valid_from=built.decision.valid_from,
                    valid_to=built.decision.valid_to,
                )
        if built.appeal is not None:
            built.appeal.application = app
            built.appeal.decision = built.decision
            built.appeal.save()
        for entry in built.audit:
            entry.application = app
        AuditEntry.objects.bulk_create(built.audit)

    def attach_documents(
        self,
        built: BuiltCase,
        permit_type: PermitType,
        actor: User,
        rng: random.Random,
        *,
        verified: bool,
    ) -> None:
        app = built.application
        kinds = [
            r.document_kind
            for r in permit_type.requirements.all()
            if r.condition in ("always", "rule")
        ]
        open_interruption = next((i for i in built.interruptions if i.ended_on is None), None)
        if open_interruption is not None:
            # The document the office asks for is the one missing from the file.
            requested = DocumentKind.objects.get(code="accommodation")
            open_interruption.requested_kinds.set([requested])
            kinds = [k for k in kinds if k.pk != requested.pk]
        if app.status == Status.DRAFT:
            kinds = kinds[:2]
        for number, kind in enumerate(kinds, start=1):
            document = Document(
                application=app,
                role=DocumentRole.EVIDENCE,
                kind=kind,
                sub_number=number,
                original_name=f"{kind.code}.pdf",
                content_type="application/pdf",
                uploaded_by=actor,
                verification=Verification.ACCEPTED if verified else Verification.PENDING,
            )
            content = minimal_pdf(f"{kind.name_en} - {app.applicant.full_name}")
            document.size = len(content)
            document.sha256 = hashlib.sha256(content).hexdigest()
            document.file.save(document.original_name, ContentFile(content), save=False)
            document.save()

    # --- Bulk benchmark data -----------------------------------------------------------------

    def reserve_references(self, year: int, count: int) -> list[tuple[int, int]]:
        """Take ``count`` numbers of the year's sequence at once, under the counter's lock."""
        with transaction.atomic():
            ReferenceCounter.objects.bulk_create(
                [ReferenceCounter(year=year)], ignore_conflicts=True
            )
            counter = ReferenceCounter.objects.select_for_update().get(year=year)
            first = counter.last_value + 1
            counter.last_value += count
            counter.save(update_fields=["last_value"])
        return [(year, n) for n in range(first, first + count)]

    def bulk_cases(self, count: int, users: dict[str, User], today: date, batch_size: int) -> None:
        started = time.monotonic()
        rng = random.Random(count)
        types = [t for t in PermitType.objects.fileable() if t.can_file_in_country]
        caseworkers = list(User.objects.filter(Q(groups__name=Role.CASEWORKER)).distinct())
        support = users["support@example.com"]
        made = 0
        for size in _batches(count, batch_size):
            with transaction.atomic():
                applicants = _bulk_insert(
                    Applicant, [random_applicant(rng, created_by=support) for _ in range(size)]
                )
                plans = [random_plan(rng) for _ in range(size)]
                years: dict[int, int] = {}
                for plan in plans:
                    if plan.status != Status.DRAFT:
                        year = (today - timedelta(days=plan.filed_days_ago)).year
                        years[year] = years.get(year, 0) + 1
                references = {
                    year: iter(self.reserve_references(year, n)) for year, n in years.items()
                }
                built = []
                for plan, applicant in zip(plans, applicants, strict=True):
                    reference = None
                    if plan.status != Status.DRAFT:
                        reference = next(
                            references[(today - timedelta(days=plan.filed_days_ago)).year]
                        )
                    case = build_case(
                        plan,
                        applicant=applicant,
                        permit_type=rng.choice(types),
                        reference=reference,
                        today=today,
                        caseworker=rng.choice(caseworkers),
                        actor_applicant=support,
                    )
                    if case.application.channel == Channel.ONLINE:
                        case.application.channel = Channel.IN_PERSON
                    built.append(case)
                Application.objects.bulk_create(
                    [c.application for c in built], batch_size=batch_size
                )
                children: dict[type, list[Any]] = {Interruption: [], Decision: [], AuditEntry: []}
                for case in built:
                    for row in (*case.interruptions, *case.audit):
                        row.application = case.application
                        children[type(row)].append(row)
                    if case.decision is not None:
                        case.decision.application = case.application
                        children[Decision].append(case.decision)
                for model, rows in children.items():
                    _bulk_insert(model, rows)
                appeals = []
                for case in built:
                    if case.appeal is not None:
                        case.appeal.application = case.application
                        case.appeal.decision = case.decision
                        appeals.append(case.appeal)
                _bulk_insert(Appeal, appeals)
            made += size
            self.stdout.write(f"  {made}/{count} cases ({time.monotonic() - started:.0f} s)")
        self.stdout.write(f"{count} bulk cases created in {time.monotonic() - started:.1f} s.")


def _bulk_insert(model: type[Model], rows: list[Any]) -> list[Any]:
    """Insert many rows fast: PostgreSQL's COPY with ids taken from the table's sequence in
    one query (so children can point at their parents), ``bulk_create`` elsewhere."""
    if not rows:
        return rows
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(rows)
    meta = model._meta
    fields = meta.concrete_fields
    auto_now_add = [
        f for f in fields if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
    ]
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
            for field in auto_now_add:
                setattr(row, field.attname, now)
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(meta.db_table),
            sql.SQL(", ").join(sql.Identifier(f.column) for f in fields),
        )
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                # pre_save(), as save() would: it encrypts personal data (bound to the row's
                # row_key) and computes blind indexes.
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields]
                )
    return rows


def _batches(total: int, size: int) -> Iterator[int]:
    while total > 0:
        yield min(size, total)
        total -= size
