"""One applicant's records, marked with canary values, and the people who must not see them.

The owner's name, travel document, address and e-mail are values no other record holds, so
their appearance in any response (HTML, JSON, CSV, a PDF, a file download, a header) to someone
else is a leak, whatever the page. The owner's files are also known byte for byte.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponseBase
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from accounts.constants import Role
from accounts.models import User
from api.models import PersonalAccessToken
from applications import representation, services
from applications.case_documents import document_upload
from applications.constants import PowerScope, Relation
from applications.models import (
    Appeal,
    Applicant,
    Application,
    AuditEntry,
    CaseNote,
    Decision,
    Interruption,
    PowerOfAttorney,
)
from documents.models import Document
from notifications.constants import Channel, Kind
from notifications.models import Notification
from organisations import services as organisations
from organisations.models import Membership, Organisation
from permits.models import DocumentKind
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicantFactory, ApplicationFactory, pdf_bytes
from webhooks.models import Delivery, Subscription

OWNER_EMAIL = "canary.owner@example.com"

# Anything of the owner's: no one but the owner, and staff on their own pages, may see these.
OWNER_CANARIES = (
    "Canarygiven",
    "Canaryowner",
    "CANARY123456",
    "Canary street 1",
    OWNER_EMAIL,
    "Canarykid",
    "Canarychild",
    "CANARYCHILD1",
    "CANARYSCAN",  # the text inside the owner's uploaded PDFs
    "Canarynotice",
)
# An internal note: staff only, never the applicant (the owner included).
STAFF_ONLY_CANARIES = ("Canarynote",)


class Persona(enum.Enum):
    """Who asks. Only the owner holds the records; the rest are someone else to them."""

    OWNER = "the owner"
    OTHER_APPLICANT = "another applicant"
    CASEWORKER = "an unassigned caseworker"
    SUPPORT = "a support worker who did not file for the owner"
    ANONYMOUS = "an anonymous visitor"
    # Representatives (SPEC §1) the owner's power of attorney does not cover for these records.
    REPRESENTATIVE_WITHOUT_POWER = "a member of a verified organisation the owner gave no power"
    REPRESENTATIVE_OUT_OF_SCOPE = "a representative whose power covers another case only"
    REPRESENTATIVE_ENDED = "a representative whose power of attorney ended"
    REPRESENTATIVE_WHO_LEFT = "a former member of the organisation holding the owner's power"


# The organisation holding the owner's power over all their proceedings.
FIRM_ICO = "27074358"

REPRESENTATIVES = (
    Persona.REPRESENTATIVE_WITHOUT_POWER,
    Persona.REPRESENTATIVE_OUT_OF_SCOPE,
    Persona.REPRESENTATIVE_ENDED,
    Persona.REPRESENTATIVE_WHO_LEFT,
)


@dataclass
class Scenario:
    """The owner's objects, by name, and the accounts of the people who ask for them."""

    owner: User
    record: Applicant
    child: Applicant
    cases: dict[str, Application]
    documents: dict[str, Document]
    interruption: Interruption
    decision: Decision
    notification: Notification
    accounts: dict[Persona, User | None]
    assigned_caseworker: User
    supervisor: User
    other_draft: Application
    requested_kind: DocumentKind
    files: set[bytes] = field(default_factory=set)

    def owner_documents(self) -> list[Document]:
        return list(
            Document.objects.filter(application__applicant__account=self.owner).order_by("pk")
        )


def _upload(application: Application, kind: DocumentKind, name: str, actor: User) -> Document:
    content = pdf_bytes(f"CANARYSCAN {name}")
    upload = SimpleUploadedFile(name, content, "application/pdf")
    return document_upload(application=application, kind=kind, upload=upload, actor=actor)


def build_scenario(
    *,
    other_applicant: User,
    caseworker: User,
    assigned_caseworker: User,
    support: User,
    supervisor: User,
) -> Scenario:
    """The owner with a case in each state that has its own pages, a child, documents, an
    interruption, a decision with its PDF, an appeal, an internal note and a notification."""
    record = ApplicantFactory(
        account__email=OWNER_EMAIL,
        account__first_name="Canarygiven",
        account__last_name="Canaryowner",
        given_names="Canarygiven",
        surname="Canaryowner",
        travel_document_number="CANARY123456",
        address="Canary street 1, Praha 2",
        email=OWNER_EMAIL,
    )
    owner = record.account
    child = ApplicantFactory(
        account=owner,
        relation=Relation.CHILD,
        given_names="Canarykid",
        surname="Canarychild",
        travel_document_number="CANARYCHILD1",
        date_of_birth=date(2016, 3, 9),
        address="",
    )
    staffed = {"caseworker": assigned_caseworker}
    cases = {
        # "ready": a draft with every document uploaded and the declarations confirmed, so an
        # action that slipped through (file, delete, remove a document) would succeed.
        "draft": ApplicationFactory(applicant=record, ready=True),
        "child_draft": ApplicationFactory(applicant=child),
        "filed": ApplicationFactory(applicant=record, filed=True),
        "claimed": services.application_claim(
            application=ApplicationFactory(applicant=record, filed=True),
            actor=assigned_caseworker,
        ),
        "interrupted": ApplicationFactory(applicant=record, interrupted=True, **staffed),
        "decided": ApplicationFactory(applicant=record, decided=True, **staffed),
        "appealed": ApplicationFactory(applicant=record, appealed=True, **staffed),
    }
    interruption = cases["interrupted"].interruptions.get(ended_on__isnull=True)
    requested_kind = interruption.requested_kinds.first()
    draft_kind = cases["draft"].documents.filter(is_current=True).first().kind
    documents = {
        "draft": _upload(cases["draft"], draft_kind, "Canaryowner-passport.pdf", owner),
        "interrupted": _upload(
            cases["interrupted"], requested_kind, "Canaryowner-lease.pdf", owner
        ),
        "filed": cases["filed"].documents.filter(is_current=True).first(),
    }
    decision = cases["decided"].decisions.get()
    documents["decision"] = decision.document
    services.case_note_add(
        application=cases["filed"],
        author=assigned_caseworker,
        text="Canarynote: ring the employer before deciding.",
    )
    notification = Notification.objects.create(
        recipient=owner,
        channel=Channel.IN_APP,
        kind=Kind.FILED,
        application=cases["filed"],
        language="en",
        subject="Canarynotice: your application is filed",
        body="Dear Canarygiven Canaryowner, your application is filed.",
        event_key="canary:filed",
        idempotency_key="canary:filed:in_app",
    )
    other_record = Applicant.objects.get(account=other_applicant)
    representatives = _representatives(owner, record, other_applicant, supervisor)
    scenario = Scenario(
        owner=owner,
        record=record,
        child=child,
        cases=cases,
        documents=documents,
        interruption=interruption,
        decision=decision,
        notification=notification,
        accounts={
            Persona.OWNER: owner,
            Persona.OTHER_APPLICANT: other_applicant,
            Persona.CASEWORKER: caseworker,
            Persona.SUPPORT: support,
            Persona.ANONYMOUS: None,
            **representatives,
        },
        assigned_caseworker=assigned_caseworker,
        supervisor=supervisor,
        other_draft=ApplicationFactory(applicant=other_record),
        requested_kind=requested_kind,
    )
    for document in scenario.owner_documents():
        try:
            with document.file.open("rb") as handle:
                scenario.files.add(handle.read())
        except (FileNotFoundError, ValueError):
            continue  # a file replaced in a draft; its row stays in the record
    return scenario


def _representatives(
    owner: User, record: Applicant, other_applicant: User, supervisor: User
) -> dict[Persona, User]:
    """Four people who represent someone, none of them the owner in these records: a member of
    an organisation holding another person's power; a representative whose power covers one
    other case of the owner's (not walked); one whose power over all the owner's proceedings
    ended; and a member who left the organisation that still holds such a power (its other
    members act for the owner, so the owner's decisions are delivered to them)."""
    people = {persona: UserFactory(role=Role.APPLICANT) for persona in REPRESENTATIVES}

    def organisation(admin: User, ico: str) -> Organisation:
        made = organisations.organisation_register(
            user=admin, name=f"Representing {ico}", ico=ico, kind="agency"
        )
        return organisations.organisation_verify(organisation=made, actor=supervisor)

    def power(person: User, applicant: Applicant, **kwargs: Any) -> PowerOfAttorney:
        return representation.power_grant(
            applicant=applicant,
            actor=person,
            second_factor_verified=True,
            valid_from=timezone.localdate(),
            **kwargs,
        )

    theirs = organisation(people[Persona.REPRESENTATIVE_WITHOUT_POWER], "25596641")
    power(
        other_applicant,
        Applicant.objects.get(account=other_applicant),
        organisation=theirs,
        scope=PowerScope.ALL,
    )
    elsewhere = ApplicationFactory(applicant=record, filed=True)
    power(
        owner,
        record,
        representative=people[Persona.REPRESENTATIVE_OUT_OF_SCOPE],
        scope=PowerScope.CASE,
        application=elsewhere,
    )
    ended = power(
        owner, record, representative=people[Persona.REPRESENTATIVE_ENDED], scope=PowerScope.ALL
    )
    representation.power_end(power=ended, actor=owner)
    firm = organisation(UserFactory(role=Role.APPLICANT), FIRM_ICO)
    power(owner, record, organisation=firm, scope=PowerScope.ALL)
    firm_admin = firm.memberships.get(role="admin").user
    # A current member besides the administrator (the walk's target for removing a member).
    organisations.member_add(
        organisation=firm, actor=firm_admin, user=UserFactory(role=Role.APPLICANT)
    )
    left = organisations.member_add(
        organisation=firm, actor=firm_admin, user=people[Persona.REPRESENTATIVE_WHO_LEFT]
    )
    organisations.member_leave(membership=left, actor=people[Persona.REPRESENTATIVE_WHO_LEFT])
    # A signed power of attorney uploaded for the filed case, waiting for a caseworker.
    filed = Application.objects.filter(applicant=record, status="filed").order_by("pk").first()
    representation.power_upload(
        actor=UserFactory(role=Role.APPLICANT),
        reference_number=filed.reference_number,
        date_of_birth=record.date_of_birth,
        upload=SimpleUploadedFile("plna-moc.pdf", pdf_bytes("power"), "application/pdf"),
    )
    return people


def act_as(client: Client, scenario: Scenario, persona: Persona) -> None:
    account = scenario.accounts[persona]
    if account is None:
        client.logout()
    else:
        # Logging in as someone else starts a new session: nothing carries over.
        client.force_login(account)


# --- What a response gives away ----------------------------------------------------------------


def body_of(response: HttpResponseBase) -> bytes:
    if getattr(response, "streaming", False):
        # Read to the end: the test client closes the response (and its file) then.
        return b"".join(response.streaming_content)
    return response.content


def canaries_in(response: HttpResponseBase, body: bytes, canaries: tuple[str, ...]) -> list[str]:
    """The canary values found in the response's body or headers, ignoring letter case."""
    headers = "\n".join(f"{name}: {value}" for name, value in response.headers.items())
    haystack = body.lower() + b"\n" + headers.lower().encode()
    return [canary for canary in canaries if canary.lower().encode() in haystack]


def snapshot() -> dict[str, Any]:
    """What a refused request must leave as it was: states, versions, files, marks, counts."""
    return {
        "applications": list(
            Application.objects.order_by("pk").values_list(
                "pk", "status", "version", "assigned_to_id", "answers", "declarations_confirmed_at"
            )
        ),
        "applicants": list(
            Applicant.objects.order_by("pk").values_list(
                "pk", "account_id", "given_names", "surname", "travel_document_number", "address"
            )
        ),
        "documents": list(
            Document.objects.order_by("pk").values_list(
                "pk", "is_current", "verification", "item_number", "page"
            )
        ),
        "decisions": list(
            Decision.objects.order_by("pk").values_list("pk", "opened_on", "delivered_on")
        ),
        "appeals": Appeal.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
        "notes": CaseNote.objects.count(),
        "notifications": list(Notification.objects.order_by("pk").values_list("pk", "read_at")),
        "accounts": list(
            User.objects.order_by("pk").values_list(
                "pk", "email", "password", "is_active", "email_verified_at"
            )
        ),
        # API access: personal access tokens and OAuth grants.
        "access_tokens": list(
            PersonalAccessToken.objects.order_by("pk").values_list("pk", "revoked_at")
        ),
        "webhooks": list(
            Subscription.objects.order_by("pk").values_list("pk", "url", "events", "active")
        ),
        "webhook_deliveries": list(
            Delivery.objects.order_by("pk").values_list("pk", "state", "attempts")
        ),
        "oauth_tokens": (
            get_access_token_model().objects.count(),
            list(get_refresh_token_model().objects.order_by("pk").values_list("pk", "revoked")),
        ),
        # Representation: powers of attorney, organisations and their members.
        "powers_of_attorney": list(
            PowerOfAttorney.objects.order_by("pk").values_list(
                "pk", "verified_at", "refused_at", "ended_at", "valid_to"
            )
        ),
        "memberships": list(Membership.objects.order_by("pk").values_list("pk", "role", "left_at")),
        "organisations": list(
            Organisation.objects.order_by("pk").values_list("pk", "name", "verified_at")
        ),
    }


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [name for name in before if before[name] != after[name]]
