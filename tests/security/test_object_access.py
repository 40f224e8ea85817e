"""Every URL that takes an id, asked for one applicant's records by everyone else.

The URLs come from the resolver, not from a list kept by hand: a new URL that takes an id fails
``test_every_url_that_takes_an_id_is_walked`` until ``TARGETS`` says which of the owner's
objects to ask it for and who may have them, so no URL goes unchecked.

The people (``_scenario.Persona``): the owner, another applicant, a caseworker the case is not
assigned to, a support worker who did not record the owner, and an anonymous visitor. Each one
the URL's ``Audience`` does not authorise asks for it by GET and, where the URL takes a form, by
POST with that form filled in so that it would work for someone authorised
(``test_each_refused_action_works_for_someone_authorised`` shows it does; the test client does
not enforce CSRF). Unless the URL is open to them, the answer is a refusal: 403, 404, 405, or a
redirect to log in or to the second factor. Either way it holds none of the owner's canary values
(``_scenario.OWNER_CANARIES``) in its body or headers nor any of the owner's files, the records
stay as they were, and no one ends up logged in as the owner. A failure lists every request that
broke a rule, with the person and the rule.

The Django admin is walked separately: it is for staff accounts (``is_staff``) only.
"""

from __future__ import annotations

import contextlib
import enum
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from accounts.tokens import email_verification_token
from applications.constants import AppealResult, ChangeKind, Delivery, Outcome
from applications.extensions import extension_request
from applications.models import (
    Appeal,
    Applicant,
    Application,
    AuditEntry,
    CaseNote,
    ChangeReport,
    Decision,
    Interruption,
    PowerOfAttorney,
)
from applications.queues import SearchIn, Tab
from documents.constants import Verification
from documents.models import Document
from notifications.models import Notification
from organisations.models import Organisation
from tests.applications.factories import pdf_bytes
from tests.security._scenario import (
    FIRM_ICO,
    OWNER_CANARIES,
    STAFF_ONLY_CANARIES,
    Persona,
    Scenario,
    act_as,
    body_of,
    build_scenario,
    canaries_in,
    changes,
    snapshot,
)

pytestmark = pytest.mark.django_db

Kwargs = dict[str, Any]


@pytest.fixture(autouse=True)
def _pinned_clock():
    """Dates here are read relative to today: pin the day, so no run depends on the machine's."""
    with time_machine.travel(datetime(2026, 12, 4, 10, tzinfo=ZoneInfo("Europe/Prague"))):
        yield


# --- Who may have what -------------------------------------------------------------------------


class Audience(enum.Enum):
    """Who a URL serves the owner's records to."""

    OWNER = "the applicant's side of the case"
    STAFF = "staff who process applications (any caseworker, by role)"
    # Staff see the case, but only the caseworker it is assigned to (or a supervisor) acts.
    ASSIGNEE = "the caseworker the case is assigned to"
    SUPERVISOR = "supervisors, who assign cases"
    OWNER_OR_STAFF = "the applicant's side and staff"
    SUPPORT_CREATOR = "the support worker who recorded the person"
    # A person may come to any support centre: every support worker finds and serves them.
    SUPPORT = "support-centre staff"
    # A draft on the staff side: it is not before the office until it is filed.
    NO_ONE = "no one"
    # A page anyone may open (guidance, a link that carries its own credential, a form for one's
    # own records): a 200 is fine, the owner's data and a change to their records are not.
    ANYONE = "anyone, but only with their own records"


class Access(enum.Enum):
    FULL = "may see and change"
    READ = "may see, must not change"
    OPEN = "may open, must neither see nor change"
    NONE = "is refused"


ACCESS: dict[Audience, dict[Persona, Access]] = {
    Audience.OWNER: {Persona.OWNER: Access.FULL},
    Audience.STAFF: {Persona.CASEWORKER: Access.FULL},
    Audience.ASSIGNEE: {Persona.CASEWORKER: Access.READ},
    Audience.SUPERVISOR: {},
    Audience.OWNER_OR_STAFF: {Persona.OWNER: Access.FULL, Persona.CASEWORKER: Access.FULL},
    Audience.SUPPORT_CREATOR: {},
    Audience.SUPPORT: {Persona.SUPPORT: Access.FULL},
    Audience.NO_ONE: {},
    Audience.ANYONE: {persona: Access.OPEN for persona in Persona} | {Persona.OWNER: Access.FULL},
}


def access(audience: Audience, persona: Persona) -> Access:
    return ACCESS[audience].get(persona, Access.NONE)


@dataclass(frozen=True)
class Target:
    """How to ask a URL for the owner's objects, and who may have them.

    ``objects`` gives the URL's keyword arguments, one dict per object asked for; ``queries``
    are appended to each URL. ``payload`` is the form someone authorised would post (None for a
    page without one); ``insider`` is who that is where the audience does not say (it runs in a
    block that is rolled back, so it may arrange the case). ``posts_change`` is False where no
    one's POST changes anything (a forged link, a draft on the staff side).
    """

    audience: Audience
    objects: Callable[[Scenario], list[Kwargs]]
    payload: Callable[[Scenario, Kwargs], dict[str, Any]] | None = None
    insider: Callable[[Scenario], User] | None = None
    queries: tuple[str, ...] = ("",)
    posts_change: bool = True


def _cases(*names: str) -> Callable[[Scenario], list[Kwargs]]:
    return lambda s: [{"pk": s.cases[name].pk} for name in names]


def _documents(*names: str) -> Callable[[Scenario], list[Kwargs]]:
    return lambda s: [{"pk": s.documents[name].pk} for name in names]


def _version(kwargs: Kwargs) -> int:
    return Application.objects.values_list("version", flat=True).get(pk=kwargs["pk"])


def _case_action(action: str, **fields: Any) -> Callable[[Scenario, Kwargs], dict[str, Any]]:
    """A caseworker action's form (prefixed by the action); a callable field reads the scenario."""

    def payload(s: Scenario, kwargs: Kwargs) -> dict[str, Any]:
        data = {f"{action}-expected_version": _version(kwargs)}
        for name, value in fields.items():
            data[f"{action}-{name}"] = value(s) if callable(value) else value
        return data

    return payload


def _with_version(**fields: Any) -> Callable[[Scenario, Kwargs], dict[str, Any]]:
    return lambda s, kwargs: {"version": _version(kwargs), **fields}


def _owners_token(s: Scenario) -> list[Kwargs]:
    """A live personal access token of the owner's, made once (the scenario has none)."""
    from api.models import PersonalAccessToken
    from tests.api.conftest import make_token

    token = PersonalAccessToken.objects.filter(user=s.owner, revoked_at__isnull=True).first()
    if token is None:
        make_token(s.owner, name="The owner's script")
        token = PersonalAccessToken.objects.get(user=s.owner, revoked_at__isnull=True)
    return [{"pk": token.pk}]


def _owners_oauth_application(s: Scenario) -> list[Kwargs]:
    """An application the owner allowed: a live access token and its refresh token."""
    import secrets

    from oauth2_provider.models import (
        get_access_token_model,
        get_application_model,
        get_refresh_token_model,
    )

    application_model = get_application_model()
    application, _made = application_model.objects.get_or_create(
        name="The owner's helper",
        defaults={
            "client_type": application_model.CLIENT_PUBLIC,
            "authorization_grant_type": application_model.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": "https://client.example/callback",
        },
    )
    refresh_model = get_refresh_token_model()
    if not refresh_model.objects.filter(
        user=s.owner, application=application, revoked__isnull=True
    ).exists():
        access = get_access_token_model().objects.create(
            user=s.owner,
            application=application,
            token=secrets.token_urlsafe(32),
            expires=timezone.now() + timedelta(hours=1),
            scope="cases:read",
        )
        refresh_model.objects.create(
            user=s.owner,
            application=application,
            token=secrets.token_urlsafe(32),
            access_token=access,
        )
    return [{"pk": application.pk}]


def _nothing(s: Scenario, kwargs: Kwargs) -> dict[str, Any]:
    return {}


def _upload(s: Scenario, kwargs: Kwargs) -> dict[str, Any]:
    interrupted = kwargs["pk"] == s.cases["interrupted"].pk
    code = (s.requested_kind if interrupted else s.documents["draft"].kind).code
    scan = SimpleUploadedFile("outsider.pdf", pdf_bytes("outsider"), "application/pdf")
    return {"item": code, f"{code}-file": scan}


def _owner_with_a_second_page(s: Scenario) -> User:
    """The owner, their draft's document given a second page, so that the first can move."""
    from applications.case_documents import document_upload_pages

    draft = s.documents["draft"]
    page = SimpleUploadedFile("page-2.pdf", pdf_bytes("page 2"), "application/pdf")
    document_upload_pages(
        application=draft.application, kind=draft.kind, uploads=[page], actor=s.owner
    )
    return s.owner


def _note(s: Scenario, kwargs: Kwargs) -> dict[str, Any]:
    return {"text": "An outsider's note."}


def _verdict(s: Scenario, kwargs: Kwargs) -> dict[str, Any]:
    prefix = f"doc{kwargs['pk']}"
    return {f"{prefix}-decision": "reject", f"{prefix}-reason": "An outsider's reason."}


def _accept_all_documents(s: Scenario, kwargs: Kwargs) -> dict[str, Any]:
    """The case page's documents form: every document waiting for verification accepted."""
    waiting = Document.objects.filter(
        application_id=kwargs["pk"], is_current=True, verification=Verification.PENDING
    ).values_list("pk", flat=True)
    return {
        "documents-expected_version": _version(kwargs),
        "documents-shown": [str(pk) for pk in waiting],
        "documents-accept_all": "True",
        "documents-looked": "on",
    }


def _child_form(s: Scenario, kwargs: Kwargs) -> dict[str, Any]:
    return {
        "given_names": "Outsider",
        "surname": "Outsider",
        "date_of_birth": "2016-03-09",
        "nationality": "UA",
        "travel_document_number": "OUT000001",
        "address": "",
    }


def _forged_link(token_for: Callable[[User], str]) -> Callable[[Scenario], list[Kwargs]]:
    """The owner's id with a token made for someone else: a link tampered with."""

    def objects(s: Scenario) -> list[Kwargs]:
        other = s.accounts[Persona.OTHER_APPLICANT]
        uid = urlsafe_base64_encode(force_bytes(s.owner.pk))
        return [{"uidb64": uid, "token": token_for(other)}]

    return objects


def _permit_type(s: Scenario) -> int:
    return s.cases["draft"].permit_type_id


def _assignee(s: Scenario) -> User:
    return s.assigned_caseworker


def _assignee_after_the_deadline(s: Scenario) -> User:
    # Proceedings may be stopped only once the documents' deadline has passed.
    yesterday = timezone.localdate() - timedelta(days=1)
    Interruption.objects.filter(pk=s.interruption.pk).update(
        started_on=yesterday - timedelta(days=30), deadline=yesterday
    )
    return s.assigned_caseworker


def _the_support_worker_who_recorded_the_owner(s: Scenario) -> User:
    support = s.accounts[Persona.SUPPORT]
    Applicant.objects.filter(pk__in=[s.record.pk, s.child.pk]).update(created_by=support)
    return support


def _supervisor(s: Scenario) -> User:
    return s.supervisor


def _assignee_asked_for_more_time(s: Scenario) -> User:
    # The owner asked for more time before the documents' deadline (§ 39(2)): there is a
    # request for the caseworker to answer.
    extension_request(interruption=s.interruption, actor=s.owner, reason="The owner's reason.")
    return s.assigned_caseworker


def _assignee_of_a_decision_sent_by_post(s: Scenario) -> User:
    # The owner asked for paper: the decision's receipt is recorded by hand (SPEC D3).
    Application.objects.filter(pk=s.cases["decided"].pk).update(delivery=Delivery.POST)
    return s.assigned_caseworker


def _delivery_receipt(s: Scenario) -> SimpleUploadedFile:
    # A new file for every post: an upload is read once.
    return SimpleUploadedFile("doručenka.pdf", pdf_bytes("outsider receipt"), "application/pdf")


def _reported_change(s: Scenario) -> list[Kwargs]:
    # A change the owner reported on the case a caseworker holds. Made through the model, once:
    # the scenario predates reported changes, and the walk's record does not count them.
    report, _made = ChangeReport.objects.get_or_create(
        application=s.cases["claimed"],
        sub_number=900,
        defaults={"kind": ChangeKind.ADDRESS, "data": {"address": "Nová 9, Praha 3"}},
    )
    return [{"pk": report.pk}]


def _the_firm() -> Organisation:
    return Organisation.objects.get(ico=FIRM_ICO)


def _firm(s: Scenario) -> list[Kwargs]:
    return [{"pk": _the_firm().pk}]


def _firm_admin(s: Scenario) -> User:
    return _the_firm().memberships.get(role="admin", left_at__isnull=True).user


def _firms_plain_member(s: Scenario) -> list[Kwargs]:
    firm = _the_firm()
    member = firm.memberships.filter(role="member", left_at__isnull=True).get()
    return [{"pk": firm.pk, "member": member.pk}]


def _firms_power(s: Scenario) -> list[Kwargs]:
    return [{"pk": PowerOfAttorney.objects.get(organisation=_the_firm()).pk}]


def _uploaded_power(s: Scenario) -> list[Kwargs]:
    power = PowerOfAttorney.objects.get(source="paper")
    return [{"pk": power.application_id, "power": power.pk}]


EVERY_CASE = ("draft", "child_draft", "filed", "claimed", "interrupted", "decided", "appealed")
IN_PROCEEDINGS = ("filed", "claimed", "interrupted", "decided", "appealed")
# A tab is not an id, and every tab refuses alike: two are enough.
TABS = [{"tab": Tab.NEW}, {"tab": Tab.MINE}]
# Searches that find the owner: a surname's beginning, the travel document number.
SEARCHES = ("?q=Canaryown", f"?q=CANARY123456&search_in={SearchIn.DOCUMENT}")

# Keyed by URL name, or by the route where a pattern has no name; a URL asked in two ways has a
# tuple. Objects are chosen in the state where the action would succeed for someone authorised.
TARGETS: dict[str, Target | tuple[Target, ...]] = {
    # The profile's API access: the owner's own token and the owner's consent to an application.
    "api_pages:token_revoke": Target(Audience.OWNER, _owners_token, _nothing),
    "api_pages:application_revoke": Target(Audience.OWNER, _owners_oauth_application, _nothing),
    # Representation: the owner's power of attorney held by an organisation (the owner may end
    # it; its members would too, and none of the walk's people is one), and that organisation's
    # pages, for its current members only.
    "representation:power_end": Target(Audience.OWNER, _firms_power, _nothing),
    # A signed power of attorney uploaded for the owner's case: caseworkers check it.
    "caseworker:power_verify": Target(Audience.STAFF, _uploaded_power, _nothing),
    "caseworker:power_refuse": Target(
        Audience.STAFF, _uploaded_power, lambda s, kw: {"reason": "An outsider's reason."}
    ),
    "representation:organisation": Target(Audience.NO_ONE, _firm),
    "representation:organisation_csv": Target(Audience.NO_ONE, _firm),
    "representation:member_add": Target(
        Audience.NO_ONE,
        _firm,
        lambda s, kw: {"email": s.accounts[Persona.OTHER_APPLICANT].email, "role": "member"},
        insider=_firm_admin,
    ),
    "representation:member_leave": Target(
        Audience.NO_ONE, _firms_plain_member, _nothing, insider=_firm_admin
    ),
    # The applicant's pages.
    "applications:detail": Target(Audience.OWNER, _cases(*EVERY_CASE)),
    "applications:status": Target(Audience.OWNER, _cases(*EVERY_CASE)),
    "applications:questions": Target(
        Audience.OWNER, _cases("draft", "child_draft"), lambda s, kw: {"save_later": "1"}
    ),
    "applications:documents": Target(Audience.OWNER, _cases("draft", "interrupted"), _upload),
    "applications:document_remove": Target(
        Audience.OWNER,
        lambda s: [
            {"pk": s.cases["draft"].pk, "document_pk": s.documents["draft"].pk},
            # Another applicant's own draft with the owner's document in it.
            {"pk": s.other_draft.pk, "document_pk": s.documents["draft"].pk},
        ],
        _nothing,
    ),
    "applications:document_move": Target(
        Audience.OWNER,
        lambda s: [
            {"pk": s.cases["draft"].pk, "document_pk": s.documents["draft"].pk},
            {"pk": s.other_draft.pk, "document_pk": s.documents["draft"].pk},
        ],
        lambda s, kw: {"direction": "down"},
        insider=lambda s: _owner_with_a_second_page(s),
    ),
    "applications:supply": Target(Audience.OWNER, _cases("interrupted"), _nothing),
    "applications:extension": Target(
        Audience.OWNER, _cases("interrupted"), _with_version(reason="An outsider's reason.")
    ),
    "applications:check": Target(Audience.OWNER, _cases("draft")),
    "applications:file": Target(
        Audience.OWNER,
        _cases("draft", "child_draft"),
        lambda s, kw: {"truthful": "on", "consent": "on"},
    ),
    "applications:filed": Target(Audience.OWNER, _cases("filed")),
    "applications:delete": Target(Audience.OWNER, _cases("draft", "child_draft"), _nothing),
    "applications:decision": Target(Audience.OWNER, _cases("decided", "appealed")),
    # The form keeps a draft in the session and lodges nothing; "Lodge" on the check page lodges
    # the session's draft only (tests/applications/test_appeal_steps.py): neither changes a row.
    "applications:appeal": Target(
        Audience.OWNER,
        _cases("decided"),
        _with_version(grounds="An outsider's grounds."),
        posts_change=False,
    ),
    "applications:appeal_check": Target(
        Audience.OWNER, _cases("decided"), _with_version(), posts_change=False
    ),
    "applications:appeal_receipt": Target(Audience.OWNER, _cases("appealed")),
    "applications:appeal_receipt_pdf": Target(Audience.OWNER, _cases("appealed")),
    "applications:withdraw": Target(
        Audience.OWNER, _cases("filed", "interrupted"), _with_version()
    ),
    "applications:report_change": Target(
        Audience.OWNER,
        _cases(*IN_PROCEEDINGS),
        lambda s, kw: {"kind": ChangeKind.ADDRESS, "address": "An outsider's street 7, Praha"},
    ),
    # Open to every logged-in person; the owner's record in the form must be refused.
    "applications:start": Target(
        Audience.ANYONE,
        lambda s: [{}],
        lambda s, kw: {"applicant": s.record.pk, "permit_type": _permit_type(s)},
    ),
    "profile:child_edit": Target(Audience.OWNER, lambda s: [{"pk": s.child.pk}], _child_form),
    "accounts:verify": Target(
        Audience.ANYONE,
        _forged_link(email_verification_token.make_token),
        _nothing,
        posts_change=False,
    ),
    "accounts:password_reset_confirm": Target(
        Audience.ANYONE,
        _forged_link(default_token_generator.make_token),
        lambda s, kw: dict.fromkeys(("new_password1", "new_password2"), "Outsider-pass-4821"),
        posts_change=False,
    ),
    "notifications:mark_read": Target(
        Audience.OWNER, lambda s: [{"pk": s.notification.pk}], _nothing
    ),
    "documents:download": (
        Target(Audience.OWNER_OR_STAFF, _documents("interrupted", "filed", "decision")),
        # A draft is not in proceedings: its files are the applicant's alone, as on the
        # caseworker's pages (caseworker:case and caseworker:document_view refuse drafts).
        Target(Audience.OWNER, _documents("draft")),
    ),
    # The support centre: any support worker serves a person on record; the cases they did not
    # start stay out of reach (support:receipt).
    "support:applicant": Target(
        Audience.SUPPORT,
        lambda s: [{"pk": s.record.pk}, {"pk": s.child.pk}],
        lambda s, kw: {"permit_type": _permit_type(s)},
        insider=_the_support_worker_who_recorded_the_owner,
    ),
    "support:receipt": Target(Audience.SUPPORT_CREATOR, _cases("filed")),
    # Public guidance: a permit type's code, not a person's object.
    "permits:detail": Target(Audience.ANYONE, lambda s: [{"code": "employee_card"}]),
    "permits:before_you_start": Target(Audience.ANYONE, lambda s: [{"code": "employee_card"}]),
    # The caseworker workspace.
    "caseworker:queue_tab": Target(Audience.STAFF, lambda s: TABS, queries=SEARCHES),
    "caseworker:queue_export": Target(Audience.STAFF, lambda s: TABS, queries=SEARCHES),
    "caseworker:case": (
        Target(Audience.STAFF, _cases("filed")),
        # The page's documents form: only the assignee (or a supervisor) verifies.
        Target(
            Audience.ASSIGNEE,
            _cases("claimed", "interrupted", "decided", "appealed"),
            _accept_all_documents,
            insider=_assignee,
        ),
        Target(Audience.NO_ONE, _cases("draft")),
    ),
    "caseworker:claim": (
        Target(Audience.STAFF, _cases("filed"), _case_action("claim")),
        Target(Audience.NO_ONE, _cases("draft"), _case_action("claim"), posts_change=False),
        # A case another caseworker holds.
        Target(
            Audience.ASSIGNEE,
            _cases("claimed"),
            _case_action("claim"),
            insider=_assignee,
        ),
    ),
    "caseworker:release": Target(
        Audience.ASSIGNEE, _cases("claimed"), _case_action("release"), insider=_assignee
    ),
    "caseworker:assign": Target(
        Audience.SUPERVISOR,
        _cases("filed"),
        _case_action("assign", assignee=lambda s: s.accounts[Persona.CASEWORKER].pk),
        insider=_supervisor,
    ),
    "caseworker:bulk_assign": Target(
        Audience.SUPERVISOR,
        lambda s: [{}],
        lambda s, kw: {
            "cases": [s.cases["filed"].pk, s.cases["claimed"].pk],
            "assignee": s.accounts[Persona.CASEWORKER].pk,
        },
        insider=_supervisor,
    ),
    "caseworker:interrupt": Target(
        Audience.ASSIGNEE,
        _cases("claimed"),
        _case_action(
            "interrupt",
            document_kinds=lambda s: [s.requested_kind.pk],
            reason="An outsider's reason.",
            deadline_days=15,
        ),
        insider=_assignee,
    ),
    "caseworker:resume": Target(
        Audience.ASSIGNEE, _cases("interrupted"), _case_action("resume"), insider=_assignee
    ),
    "caseworker:decide": Target(
        Audience.ASSIGNEE,
        _cases("claimed"),
        _case_action(
            "decide", outcome=Outcome.REJECTED, reasoning="An outsider's reasons.", confirm="on"
        ),
        insider=_assignee,
    ),
    "caseworker:stop": Target(
        Audience.ASSIGNEE,
        _cases("interrupted"),
        _case_action("stop", confirm="on"),
        insider=_assignee_after_the_deadline,
    ),
    "caseworker:extension": Target(
        Audience.ASSIGNEE,
        _cases("interrupted"),
        lambda s, kw: {
            "answer": "refuse",
            "reason": "An outsider's reasons.",
            "expected_version": _version(kw),
        },
        insider=_assignee_asked_for_more_time,
    ),
    "caseworker:appeal_result": Target(
        Audience.ASSIGNEE,
        _cases("appealed"),
        _case_action("appeal_result", result=AppealResult.DISMISSED),
        insider=_assignee,
    ),
    "caseworker:record_receipt": Target(
        Audience.ASSIGNEE,
        _cases("decided"),
        _case_action(
            "record_receipt",
            received_on=lambda s: timezone.localdate().isoformat(),
            proof=_delivery_receipt,
        ),
        insider=_assignee_of_a_decision_sent_by_post,
    ),
    "caseworker:change_acknowledge": Target(
        Audience.ASSIGNEE, _reported_change, _nothing, insider=_assignee
    ),
    "caseworker:note_add": (
        Target(Audience.STAFF, _cases("filed"), _note),
        Target(Audience.NO_ONE, _cases("draft"), _note, posts_change=False),
    ),
    "caseworker:document_view": (
        Target(Audience.STAFF, _documents("interrupted", "filed", "decision")),
        Target(Audience.NO_ONE, _documents("draft")),
    ),
    "caseworker:permit_step": Target(
        Audience.ASSIGNEE,
        lambda s: [{"pk": s.cases["decided"].pk, "step": "appointment"}],
        lambda s, kw: {"card-appointment-day": timezone.localdate().isoformat()},
        insider=_assignee,
    ),
    "caseworker:document_verify": (
        Target(Audience.ASSIGNEE, _documents("interrupted"), _verdict, insider=_assignee),
        Target(Audience.NO_ONE, _documents("draft"), _verdict, posts_change=False),
    ),
}

# The admin's URL arguments; an argument not here fails the walk of the admin.
ADMIN_ARGUMENTS = {
    "object_id",
    "pk",
    "content_type_id",
    # An action on a case or a permit (ServiceActionsAdmin): <object_id>/action/<action>/
    "action",
    "id",
    "app_label",
    "url",
}


# --- The resolver ------------------------------------------------------------------------------

_ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_PARAMETER = re.compile(r"\(\?P<(\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    key: str
    namespace: str
    pieces: tuple[URLPattern | URLResolver, ...]

    @property
    def parameters(self) -> list[str]:
        names: list[str] = []
        for piece in self.pieces:
            pattern = piece.pattern
            if isinstance(pattern, RoutePattern):
                names += list(pattern.converters)
            else:
                regex = pattern.regex
                names += list(regex.groupindex)
                # A positional group takes an argument too; the walk must hear of it.
                unnamed = regex.groups - len(regex.groupindex)
                names += [f"unnamed group {n + 1}" for n in range(unnamed)]
        return names

    @property
    def is_admin(self) -> bool:
        return self.namespace.split(":")[0] == "admin"

    def url(self, kwargs: Kwargs) -> str:
        parts = []
        for piece in self.pieces:
            text = str(piece.pattern)
            if isinstance(piece.pattern, RoutePattern):
                parts.append(_ROUTE_PARAMETER.sub(lambda m: str(kwargs[m[1]]), text))
            else:
                text = text.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
                parts.append(_REGEX_PARAMETER.sub(lambda m: str(kwargs[m[1]]), text))
        return "/" + "".join(parts)


def routes(
    resolver: URLResolver | None = None,
    namespace: str = "",
    pieces: tuple[URLPattern | URLResolver, ...] = (),
) -> Iterator[Route]:
    """Every URL pattern of the site, with its full namespace and the patterns it is made of."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from routes(entry, inner, (*pieces, entry))
            continue
        route = (*pieces, entry)
        if entry.name:
            key = f"{namespace}:{entry.name}" if namespace else entry.name
        else:
            key = "".join(str(piece.pattern) for piece in route)
        yield Route(key=key, namespace=namespace, pieces=route)


def _site_routes() -> list[Route]:
    """The pages. The admin is walked below; the API, with tokens, in test_api_access.py."""
    return [route for route in routes() if not route.is_admin and not is_api(route)]


def is_api(route: Route) -> bool:
    return route.namespace.split(":")[0] == "api"


def targets_of(route: Route) -> tuple[Target, ...]:
    found = TARGETS.get(route.key, ())
    return found if isinstance(found, tuple) else (found,)


# --- Asking, and judging the answer ------------------------------------------------------------

_SECOND_FACTOR = re.compile(r"otp|2fa|two.?factor|totp|mfa|second.?factor", re.IGNORECASE)


def is_refusal(response: HttpResponseBase) -> bool:
    """403, 404, 405, or a redirect to log in or to the second factor."""
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    path = urlsplit(response["Location"]).path
    # The admin sends non-staff from its log-out to its index, which refuses them in turn.
    if path in (reverse("accounts:login"), reverse("admin:login"), reverse("admin:index")):
        return True
    try:
        view = resolve(path).view_name
    except Resolver404:
        return False
    return bool(_SECOND_FACTOR.search(view) or _SECOND_FACTOR.search(path))


class Walk:
    """Asks and judges, and collects every problem, so that one run reports them all."""

    def __init__(self, client: Client, scenario: Scenario) -> None:
        self.client = client
        self.scenario = scenario
        self.requests = 0
        self.problems: list[str] = []
        self.record = snapshot()

    def ask(
        self,
        persona: Persona,
        method: str,
        url: str,
        data: dict[str, Any] | None = None,
        *,
        refusal: bool = True,
        may_see_owner: bool = False,
    ) -> HttpResponseBase | None:
        """One request: a refusal (unless ``refusal`` is False), and none of the owner's data
        (unless ``may_see_owner``); only the owner may see their own. A value the person typed
        into the URL (a search) is not counted as shown to them."""
        label = f"{method} {url} as {persona.value}"
        self.requests += 1
        try:
            if method == "GET":
                response = self.client.get(url)
            else:
                response = self.client.post(url, data or {})
            body = body_of(response)
        except Exception as error:
            self.problems.append(f"{label}: raised {error!r}")
            return None
        if refusal and not is_refusal(response):
            where = f" to {response['Location']}" if response.has_header("Location") else ""
            self.problems.append(f"{label}: answered {response.status_code}{where}, not a refusal")
        if not may_see_owner:
            typed = unquote(url).lower()
            hidden = STAFF_ONLY_CANARIES
            if persona is not Persona.OWNER:
                hidden += OWNER_CANARIES
            leaked = canaries_in(response, body, hidden)
            leaked = [canary for canary in leaked if canary.lower() not in typed]
            if leaked:
                self.problems.append(f"{label}: the answer shows {', '.join(leaked)}")
            if persona is not Persona.OWNER and body in self.scenario.files:
                self.problems.append(f"{label}: the answer is one of the owner's files")
        return response

    def settle(self, persona: Persona, what: str) -> None:
        """Since the last settling, nothing changed and no one was logged in as the owner."""
        after = snapshot()
        changed = changes(self.record, after)
        self.record = after
        if changed:
            self.problems.append(f"{what} as {persona.value}: changed {', '.join(changed)}")
        owner_pk = str(self.scenario.owner.pk)
        if persona is not Persona.OWNER and self.client.session.get(SESSION_KEY) == owner_pk:
            self.problems.append(f"{what} as {persona.value}: logged in as the owner")

    def report(self) -> str:
        return f"{len(self.problems)} problems in {self.requests} requests:\n" + "\n".join(
            self.problems
        )


@pytest.fixture
def scenario(other_applicant, caseworker, other_caseworker, support, supervisor) -> Scenario:
    built = build_scenario(
        other_applicant=other_applicant,
        caseworker=caseworker,
        assigned_caseworker=other_caseworker,
        support=support,
        supervisor=supervisor,
    )
    # The owner's API access exists before the walk records what must not change.
    _owners_token(built)
    _owners_oauth_application(built)
    return built


# --- The tests ---------------------------------------------------------------------------------


def test_every_url_that_takes_an_id_is_walked():
    """The walk knows every URL that takes an id, and how to fill every argument of the admin."""
    taking_ids = {route.key for route in _site_routes() if route.parameters}
    unknown = sorted(taking_ids - TARGETS.keys())
    assert not unknown, (
        "These URLs take an id but the object-access walk does not know them; add each to "
        f"TARGETS in {__name__} with the owner's objects to ask for and who may have them: "
        f"{unknown}"
    )
    stale = sorted(TARGETS.keys() - {route.key for route in _site_routes()})
    assert not stale, f"TARGETS names URLs the site no longer has: {stale}"
    admin_arguments = {name for route in routes() if route.is_admin for name in route.parameters}
    assert admin_arguments <= ADMIN_ARGUMENTS, (
        f"The admin has URL arguments the admin walk cannot fill: "
        f"{sorted(admin_arguments - ADMIN_ARGUMENTS)}"
    )


def test_no_one_else_gets_the_owners_records(client, scenario):
    """The walk: every URL that takes an id, for each of the owner's objects, as each person the
    URL does not serve in full."""
    walk = Walk(client, scenario)
    for persona in Persona:
        act_as(client, scenario, persona)
        for route in _site_routes():
            for target in targets_of(route):
                level = access(target.audience, persona)
                if level is not Access.FULL:
                    _walk_target(walk, persona, level, route, target)
    assert not walk.problems, walk.report()


def _walk_target(walk: Walk, persona: Persona, level: Access, route: Route, target: Target) -> None:
    judged = {"refusal": level is Access.NONE, "may_see_owner": level is Access.READ}
    for kwargs in target.objects(walk.scenario):
        for query in target.queries:
            url = route.url(kwargs) + query
            walk.ask(persona, "GET", url, **judged)
            if target.payload is not None:
                data = target.payload(walk.scenario, kwargs)
                walk.ask(persona, "POST", url, data, **judged)
            walk.settle(persona, url)


def _default_insider(audience: Audience) -> Callable[[Scenario], User]:
    if audience in (Audience.STAFF, Audience.ASSIGNEE):
        return lambda s: s.accounts[Persona.CASEWORKER]
    if audience in (Audience.OWNER, Audience.OWNER_OR_STAFF, Audience.ANYONE):
        return lambda s: s.owner
    raise AssertionError(f"A target for {audience.value} must name its insider.")


def test_each_refused_action_works_for_someone_authorised(client, scenario):
    """The forms the walk posts are ones that work: sent by someone authorised, each changes the
    record. Otherwise "nothing changed" above could not fail. Each is rolled back."""
    ineffective = []
    for route in _site_routes():
        for target in targets_of(route):
            if target.payload is None or not target.posts_change:
                continue
            kwargs = target.objects(scenario)[0]
            url = route.url(kwargs)
            with transaction.atomic():
                insider = (target.insider or _default_insider(target.audience))(scenario)
                client.force_login(insider)
                before = snapshot()
                response = client.post(url, target.payload(scenario, kwargs))
                if not changes(before, snapshot()):
                    ineffective.append(f"POST {url} as {insider}: {response.status_code}")
                transaction.set_rollback(True)
    assert not ineffective, "These posts changed nothing:\n" + "\n".join(ineffective)


def test_the_walk_would_see_a_leak(client, scenario):
    """The people who may see the owner's records find the canaries in every kind of answer the
    walk judges (a page, JSON, CSV, a download, a document shown inline), and the searches the
    walk makes do find the owner."""
    owner, caseworker = scenario.owner, scenario.accounts[Persona.CASEWORKER]
    filed = scenario.cases["filed"].pk
    decision = scenario.documents["decision"].pk
    seen: list[tuple[User, str, tuple[str, ...], bool]] = [
        (owner, f"/applications/{filed}/", ("Canaryowner",), False),
        (owner, "/notifications/", ("Canarynotice",), False),
        (owner, "/accounts/profile/", ("Canary street 1", "Canarychild"), False),
        (owner, f"/documents/{scenario.documents['draft'].pk}/download/", ("CANARYSCAN",), True),
        (caseworker, f"/caseworker/cases/{filed}/", ("Canaryowner", "Canarynote"), False),
        (caseworker, f"/caseworker/documents/{decision}/view/", (), True),
        *[(caseworker, f"/caseworker/{query}", ("Canaryowner",), False) for query in SEARCHES],
        (caseworker, f"/caseworker/queue/new/export.csv{SEARCHES[0]}", ("Canaryowner",), False),
    ]
    for account, url, canaries, is_file in seen:
        client.force_login(account)
        response = client.get(url)
        body = body_of(response)
        assert response.status_code == 200, url
        assert canaries_in(response, body, canaries) == list(canaries), url
        assert (body in scenario.files) is is_file, url
    client.force_login(owner)
    response = client.get(f"/applications/{filed}/status.json")
    assert response.status_code == 200
    assert response.json()["status"] == scenario.cases["filed"].status


# --- Pages without an id: lists, searches, dashboards --------------------------------------------

# Query strings that search for the owner, on the pages that search.
SEARCH_PAGES = {"caseworker:queue": SEARCHES, "support:home": SEARCHES}


def test_lists_and_searches_show_no_one_else_the_owner(client, scenario):
    """Every page without an id (dashboards, the notification centre, the profile, the export of
    one's own data, the queues), and the searches, as everyone but the owner. Staff may find the
    owner in the caseworker workspace; no one else may, anywhere."""
    walk = Walk(client, scenario)
    for persona in Persona:
        if persona is Persona.OWNER:
            continue
        act_as(client, scenario, persona)
        for route in _site_routes():
            if route.parameters:
                continue
            staff_page = route.namespace == "caseworker"
            for query in ("", *SEARCH_PAGES.get(route.key, ())):
                url = route.url({}) + query
                walk.ask(
                    persona,
                    "GET",
                    url,
                    refusal=False,
                    may_see_owner=(staff_page and persona is Persona.CASEWORKER)
                    or (route.key == "support:home" and persona is Persona.SUPPORT)
                    # Their power covers one case of the owner's (not walked): they act for
                    # the owner there, so the owner's name is theirs to see; the cases
                    # walked are not (below).
                    or persona is Persona.REPRESENTATIVE_OUT_OF_SCOPE,
                )
    assert not walk.problems, walk.report()

    # The representative whose power covers one other case sees that case only: none of the
    # walked cases is listed for them, on the dashboard or through the API.
    act_as(client, scenario, Persona.REPRESENTATIVE_OUT_OF_SCOPE)
    dashboard = client.get(reverse("applications:dashboard")).content.decode()
    for name in EVERY_CASE:
        assert f"/applications/{scenario.cases[name].pk}/" not in dashboard, name

    # Stated outright: the live status of someone else's case, the caseworkers' search and its
    # CSV for an applicant.
    act_as(client, scenario, Persona.OTHER_APPLICANT)
    for name in EVERY_CASE:
        response = client.get(f"/applications/{scenario.cases[name].pk}/status.json")
        assert response.status_code == 404
    for query in SEARCHES:
        assert client.get(f"/caseworker/{query}").status_code == 403
        assert client.get(f"/caseworker/queue/new/export.csv{query}").status_code == 403


# --- The admin -----------------------------------------------------------------------------------


def _owners_objects(s: Scenario) -> dict[type[models.Model], int]:
    filed = s.cases["filed"]
    return {
        Application: filed.pk,
        Applicant: s.record.pk,
        Interruption: s.interruption.pk,
        Decision: s.decision.pk,
        Appeal: s.cases["appealed"].appeals.get().pk,
        AuditEntry: filed.audit_entries.first().pk,
        CaseNote: filed.notes.get().pk,
        Document: s.documents["draft"].pk,
        Notification: s.notification.pk,
        User: s.owner.pk,
    }


def _admin_url(
    route: Route, s: Scenario, owners: dict[type[models.Model], int]
) -> tuple[str, bool]:
    """The route with the owner's object of its model, or else the first of the model (or 1);
    and whether the URL names one of the owner's objects."""
    # /admin/<app_label>/<model_name>/...
    parts = route.url(dict.fromkeys(route.parameters, "x")).strip("/").split("/")
    model = None
    if len(parts) >= 3:
        with contextlib.suppress(LookupError):
            model = apps.get_model(parts[1], parts[2])
    object_id: Any = 1
    if model is not None:
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        object_id = owners.get(model, first or 1)
    values = {
        "object_id": object_id,
        "pk": object_id,
        "action": "withdraw",
        "id": s.owner.pk,
        "app_label": "applications",
        "url": "nonexistent/",
    }
    if route.key == "admin:view_on_site":
        values |= {
            "content_type_id": ContentType.objects.get_for_model(Applicant).pk,
            "object_id": s.record.pk,
        }
    kwargs = {name: values[name] for name in route.parameters}
    owners_object = bool(kwargs) and (model in owners or route.key == "admin:view_on_site")
    return route.url(kwargs), owners_object or "id" in kwargs


def test_the_admin_refuses_everyone_but_staff_accounts(client, scenario):
    """Every admin URL, with the owner's objects where the model has them, by GET (and by POST
    where it names one of them) for the owner, a caseworker and an anonymous visitor: a redirect
    to log in, no data, no change. The back office is for staff accounts (``is_staff``) only."""
    owners = _owners_objects(scenario)
    admin = [
        _admin_url(route, scenario, owners)
        for route in routes()
        if route.is_admin and route.key != "admin:login"
    ]
    walk = Walk(client, scenario)
    for persona in (Persona.OWNER, Persona.CASEWORKER, Persona.ANONYMOUS):
        account = scenario.accounts[persona]
        assert account is None or not account.is_staff
        act_as(client, scenario, persona)
        for url, names_owners_object in admin:
            walk.ask(persona, "GET", url)
            if names_owners_object:
                walk.ask(persona, "POST", url, {"post": "yes", "_save": "Save"})
        walk.settle(persona, "the admin")
    assert not walk.problems, walk.report()
