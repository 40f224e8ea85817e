"""A whole proceeding through the API alone, as a third-party application acting for a person:
OAuth consent (PKCE) → a draft → its documents → filing → the interruption answered → the
decision fetched, which delivers it → an appeal; a webhook receiver started here verifies every
signature and hears each event once, in order. The office's side (claim, interrupt, decide)
is done by a caseworker through the services, as the caseworker's pages do.

It runs twice: with the side effects delivered in this process, and with real Celery workers on
Redis (on this test's clock), one of them killed while it is sending the ``case.decided``
webhook: the receiver then hears that message twice with one webhook-id, and takes it once."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from api import scopes
from applications import services
from applications.constants import Status
from applications.models import Application
from core import outbox
from core.models import OutboxMessage
from permits.models import DocumentKind
from tests.api.conftest import run_outbox
from tests.api.test_oauth import consent, exchange
from tests.applications.factories import pdf_bytes
from tests.webhooks.test_webhooks import Receiver
from tests.workers import WorkerFactory, broker_at, wait_for
from webhooks.models import Delivery

# A Tuesday in Prague, away from holidays and clock changes.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=True):
        yield


EVENTS = ["filed", "interrupted", "resumed", "decided", "delivered", "appealed"]


@pytest.mark.django_db
def test_a_proceeding_through_the_api_alone(client_for, applicant, caseworker, oauth_app, settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    with Receiver() as receiver:
        application = journey(
            client_for, applicant, caseworker, oauth_app, receiver, settle=run_outbox
        )
    assert_heard_each_event_once_in_order(receiver, application)
    assert len(receiver.received) == len(EVENTS)


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_proceeding_through_the_api_with_a_worker_killed_during_a_delivery(
    client_for, applicant, caseworker, oauth_app, settings, workers, redis_url, queue
):
    settings.WEBHOOK_ALLOW_HTTP = True
    # A dead worker's claim runs out after the lease; the task limits follow from it.
    workers.env.update(OUTBOX_LEASE_SECONDS="20", WEBHOOK_TIMEOUT_SECONDS="60")
    workers.pin_clock()
    with Receiver(stall=40, stall_on="case.decided") as receiver, broker_at(redis_url, queue=queue):
        first = workers.start()
        killed = []

        def settle() -> None:
            if receiver.stall_on and not killed and Delivery.objects.filter(event="decided"):
                wait_for(
                    receiver.stalling.is_set, timeout=90, worker=first, what="sending case.decided"
                )
                first.kill()
                killed.append(workers.start())
            wait_until_all_delivered(workers)

        application = journey(client_for, applicant, caseworker, oauth_app, receiver, settle)

    assert killed, "no worker was killed during a delivery"
    # The workers ran on the test's clock: what they stamped is on the test's day.
    stamped = {
        timezone.localdate(at)
        for at in OutboxMessage.objects.values_list("delivered_at", flat=True)
    }
    assert stamped == {NOW.date()}
    assert_heard_each_event_once_in_order(receiver, application)
    decided = [m for m in receiver.received if m["type"] == "case.decided"]
    assert len(decided) == 2
    assert decided[0]["id"] == decided[1]["id"]


def wait_until_all_delivered(workers: WorkerFactory, timeout: float = 180) -> None:
    """What beat does once a minute, more often: queue again what a dead worker held, until
    every side effect recorded so far is delivered."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        outbox.sweep()
        if not outbox.pending().exists():
            return
        for worker in workers.started[-1:]:
            assert worker.process.poll() is None, worker.output()
        time.sleep(0.5)
    waiting = list(outbox.pending().values_list("topic", "attempts", "last_error"))
    pytest.fail(
        f"Side effects still waiting after {timeout} s: {waiting}\n{workers.started[-1].output()}"
    )


def assert_heard_each_event_once_in_order(receiver: Receiver, application: Application) -> None:
    application.refresh_from_db()
    assert application.status == Status.APPEALED
    assert receiver.bad_signatures == 0
    heard = receiver.heard_once()
    assert [m["type"] for m in heard] == [f"case.{event}" for event in EVENTS]
    assert {m["data"]["application_id"] for m in receiver.received} == {application.pk}


def journey(
    client_for,
    applicant,
    caseworker,
    oauth_app,
    receiver: Receiver,
    settle: Callable[[], None],
) -> Application:
    """The proceeding, from consent to the appeal; ``settle`` delivers the side effects
    recorded so far (the PDF, the letters, the webhooks) before the next step reads them."""
    every_scope = " ".join(scopes.ALL)
    code, verifier = consent(client_for(applicant), oauth_app, scope=every_scope)
    answer = exchange(Client(), oauth_app, code, verifier)
    tokens = answer.json()
    assert answer.status_code == 200, tokens
    assert set(tokens["scope"].split()) == set(scopes.ALL)
    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}", HTTP_ACCEPT_LANGUAGE="en"
    )

    made = api.post(
        "/api/v1/webhooks/",
        {
            "url": receiver.url,
            "events": EVENTS,
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    receiver.secret = made.json()["secret"]

    # A draft, its answers, its documents, the declarations, filing.
    case = api.post("/api/v1/applications/", {"permit_type": "employee_card"}).json()
    url = f"/api/v1/applications/{case['id']}/"
    case = api.patch(
        f"{url}answers/",
        {
            "answers": {
                "monthly_salary_czk": "45000",
                "weekly_hours": 40,
                "vacancy_number": "12345678",
            }
        },
        format="json",
        HTTP_IF_MATCH=f'"{case["version"]}"',
    ).json()
    for item in case["checklist"]:
        uploaded = api.post(
            f"{url}documents/",
            {
                "kind": item["kind"],
                "file": SimpleUploadedFile(
                    f"{item['kind']}.pdf", pdf_bytes(item["kind"]), "application/pdf"
                ),
            },
            format="multipart",
            HTTP_IF_MATCH=f'"{case["version"]}"',
        )
        assert uploaded.status_code == 201, uploaded.json()
    case = api.post(
        f"{url}declarations/",
        {"truthful": True, "consent": True},
        format="json",
        HTTP_IF_MATCH=f'"{case["version"]}"',
    ).json()
    filed = api.post(f"{url}file/", HTTP_IF_MATCH=f'"{case["version"]}"')
    assert filed.status_code == 200, filed.json()
    settle()

    # The office asks for a document.
    application = Application.objects.get(pk=case["id"])
    services.application_claim(application=application, actor=caseworker)
    kind = DocumentKind.objects.get(code="accommodation")
    services.application_interrupt(
        application=application,
        actor=caseworker,
        reason="Doložte doklad o zajištění ubytování.",
        document_kinds=[kind],
    )
    settle()

    # The person (through the application) supplies it; the proceedings resume.
    version = api.get(url).json()["version"]
    uploaded = api.post(
        f"{url}documents/",
        {
            "kind": "accommodation",
            "file": SimpleUploadedFile("lease.pdf", pdf_bytes("lease"), "application/pdf"),
        },
        format="multipart",
        HTTP_IF_MATCH=f'"{version}"',
    )
    assert uploaded.status_code == 201, uploaded.json()
    version = api.get(url).json()["version"]
    resumed = api.post(f"{url}interruptions/supply/", HTTP_IF_MATCH=f'"{version}"')
    assert resumed.status_code == 200, resumed.json()
    assert resumed.json()["status"] == "filed"
    settle()

    # The office decides; the PDF is made and the decision made available.
    application.refresh_from_db()
    services.application_decide(
        application=application,
        actor=caseworker,
        outcome="rejected",
        reasoning="Podmínky nejsou splněny.",
    )
    settle()

    decisions = api.get(f"{url}decisions/").json()
    assert decisions[0]["delivered_on"] is None
    opened = api.get(f"{url}decisions/{decisions[0]['id']}/")
    assert opened.status_code == 200
    assert opened.json()["delivered_on"] == "2026-03-10"
    pdf = api.get(f"{url}decisions/{decisions[0]['id']}/pdf")
    assert pdf.status_code == 200
    settle()

    version = api.get(url).json()["version"]
    appeal = api.post(
        f"{url}appeals/",
        {"grounds": "The office overlooked my employment contract."},
        format="json",
        HTTP_IF_MATCH=f'"{version}"',
        HTTP_IDEMPOTENCY_KEY="appeal-1",
    )
    assert appeal.status_code == 201, appeal.json()
    settle()

    return application
