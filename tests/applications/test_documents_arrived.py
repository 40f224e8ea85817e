"""Documents arrived: what the applicant sent after filing (documents supplied or uploaded, a
change reported) puts the case in the "Documents arrived" queue and tells the caseworker who has
it, once per arrival; checking it all (every document verified, every change acknowledged), or
the end of the proceedings, takes it out (``applications.case_watch``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.constants import Role
from applications import queues, services
from applications.case_documents import document_upload, document_verify
from applications.constants import OPEN_STATUSES, ChangeKind, Outcome, Status
from applications.models import Application, ChangeReport
from applications.queues import QueueFilters, Tab
from documents.constants import Role as DocumentRole
from documents.constants import Verification
from documents.models import Document
from notifications.constants import Channel, Kind
from notifications.models import Notification
from permits.models import DocumentKind
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, pdf_bytes
from tests.applications.test_queues import FIVE, bulk_cases, employee_card
from tests.notifications.factories import forget_notices

pytestmark = pytest.mark.django_db

PRAGUE = ZoneInfo("Europe/Prague")
# Monday 2 March 2026, mid-morning in Prague.
MONDAY = datetime(2026, 3, 2, 10, tzinfo=PRAGUE)


@pytest.fixture(autouse=True)
def clock_at():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a service left for after its commit: the outbox delivers in-process."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def upload(application: Application, actor, code: str = "accommodation") -> Document:
    return document_upload(
        application=application,
        kind=DocumentKind.objects.get(code=code),
        upload=SimpleUploadedFile(f"{code}.pdf", pdf_bytes(code), "application/pdf"),
        actor=actor,
    )


def arrived_at(application: Application) -> datetime | None:
    return Application.objects.values_list("arrived_at", flat=True).get(pk=application.pk)


def in_queue(user) -> list[int]:
    return [case.pk for case in queues.queue_for(user, Tab.ARRIVED, today=timezone.localdate())]


def arrival_notices(application: Application) -> list[tuple[int, str]]:
    return sorted(
        Notification.objects.filter(
            application=application, kind=Kind.DOCUMENTS_ARRIVED
        ).values_list("recipient_id", "channel")
    )


def to_verify(application: Application) -> list[Document]:
    return list(
        Document.objects.filter(
            application=application,
            role=DocumentRole.EVIDENCE,
            is_current=True,
            verification=Verification.PENDING,
        ).order_by("sub_number")
    )


def verify_all(application: Application, actor) -> None:
    for document in to_verify(application):
        document_verify(document=document, actor=actor, accepted=True)


def filed_for(caseworker) -> Application:
    application = ApplicationFactory(filed=True)
    services.application_claim(application=application, actor=caseworker)
    application.refresh_from_db()
    return application


# --- Arriving ---------------------------------------------------------------------------------


def test_supplied_documents_put_the_case_in_the_queue_and_tell_the_caseworker_once(
    caseworker, other_caseworker, committed, clock_at
):
    caseworker.preferred_language = "en"
    caseworker.save(update_fields=["preferred_language"])
    application = ApplicationFactory(interrupted=True, caseworker=caseworker)
    owner = application.applicant.account
    forget_notices()
    assert arrived_at(application) is None

    with committed():
        upload(application, owner)
    clock_at.shift(timedelta(hours=2))
    with committed():
        upload(application, owner, "financial_means")
        services.application_supply_requested_documents(application=application, actor=owner)

    # The first arrival is kept; two files and the supply are one arrival.
    assert arrived_at(application) == MONDAY
    assert in_queue(caseworker) == in_queue(other_caseworker) == [application.pk]
    assert arrival_notices(application) == sorted(
        [(caseworker.pk, Channel.IN_APP), (caseworker.pk, Channel.EMAIL)]
    )
    notice = Notification.objects.get(
        application=application, kind=Kind.DOCUMENTS_ARRIVED, channel=Channel.IN_APP
    )
    assert f"Documents arrived in {application.reference_number}" in notice.body
    application.refresh_from_db()
    assert application.status == Status.FILED  # the system resumed it, as before


def test_supplying_puts_the_case_in_the_queue_when_nothing_marked_it_yet(
    caseworker, committed, clock_at
):
    application = ApplicationFactory(interrupted=True, caseworker=caseworker)
    owner = application.applicant.account
    upload(application, owner)
    # Unmarked meanwhile (as a case whose documents came before this queue existed would be).
    Application.objects.filter(pk=application.pk).update(arrived_at=None)
    forget_notices()
    clock_at.shift(timedelta(hours=1))

    with committed():
        services.application_supply_requested_documents(application=application, actor=owner)

    assert arrived_at(application) == MONDAY + timedelta(hours=1)
    assert in_queue(caseworker) == [application.pk]
    assert {channel for _, channel in arrival_notices(application)} == {
        Channel.IN_APP,
        Channel.EMAIL,
    }


def test_supplying_what_was_already_checked_is_no_arrival(caseworker, committed):
    application = ApplicationFactory(interrupted=True, caseworker=caseworker)
    owner = application.applicant.account
    upload(application, owner)
    verify_all(application, caseworker)
    assert arrived_at(application) is None
    forget_notices()

    with committed():
        services.application_supply_requested_documents(application=application, actor=owner)

    assert arrived_at(application) is None
    assert in_queue(caseworker) == []
    assert arrival_notices(application) == []


def test_an_upload_to_a_filed_case_arrives_and_a_draft_upload_does_not(caseworker, committed):
    draft = ApplicationFactory()
    application = filed_for(caseworker)
    forget_notices()

    with committed():
        upload(draft, draft.applicant.account)
        upload(application, application.applicant.account, "financial_means")

    assert arrived_at(draft) is None
    assert arrived_at(application) == MONDAY
    assert [pk for pk, _ in arrival_notices(application)] == [caseworker.pk, caseworker.pk]


def test_on_a_case_nobody_has_the_arrival_waits_in_the_queue_and_tells_nobody(
    caseworker, committed
):
    application = ApplicationFactory(filed=True)
    forget_notices()

    with committed():
        upload(application, application.applicant.account, "financial_means")

    assert in_queue(caseworker) == [application.pk]
    assert not Notification.objects.filter(kind=Kind.DOCUMENTS_ARRIVED).exists()


def test_the_caseworker_is_not_told_of_what_they_added_themselves(caseworker, committed):
    application = filed_for(caseworker)
    forget_notices()

    with committed():
        upload(application, caseworker, "financial_means")

    assert arrived_at(application) == MONDAY
    assert not Notification.objects.filter(kind=Kind.DOCUMENTS_ARRIVED).exists()


def test_the_notice_is_in_the_caseworkers_language(caseworker, committed):
    caseworker.preferred_language = "vi"
    caseworker.save(update_fields=["preferred_language"])
    application = filed_for(caseworker)
    forget_notices()

    with committed():
        upload(application, application.applicant.account, "financial_means")

    assert set(
        Notification.objects.filter(kind=Kind.DOCUMENTS_ARRIVED).values_list("language", flat=True)
    ) == {"vi"}


# --- Checked ----------------------------------------------------------------------------------


def test_verifying_every_document_takes_the_case_out(caseworker, committed, clock_at):
    application = ApplicationFactory(interrupted=True, caseworker=caseworker)
    owner = application.applicant.account
    upload(application, owner)
    services.application_supply_requested_documents(application=application, actor=owner)
    *first, last = to_verify(application)
    assert first

    for document in first:
        document_verify(document=document, actor=caseworker, accepted=True)
    assert in_queue(caseworker) == [application.pk]
    # A rejection is a check too: the applicant is told, nothing waits for the office.
    document_verify(document=last, actor=caseworker, accepted=False, reason="Blurred scan.")

    assert arrived_at(application) is None
    assert in_queue(caseworker) == []

    # Something new is a new arrival, with its own notice.
    forget_notices()
    clock_at.shift(timedelta(days=1))
    with committed():
        upload(application, owner, "financial_means")
    assert arrived_at(application) == MONDAY + timedelta(days=1)
    assert len(arrival_notices(application)) == 2


def test_a_reported_change_arrives_until_acknowledged(caseworker, committed):
    application = filed_for(caseworker)
    verify_all(application, caseworker)
    forget_notices()

    with committed():
        report = services.change_report_submit(
            application=application,
            actor=application.applicant.account,
            kind=ChangeKind.ADDRESS,
            data={"address": "Korunní 5, Praha 2"},
        )

    assert in_queue(caseworker) == [application.pk]
    # The change-reported notice tells the caseworker: the arrival adds no second one.
    assert Notification.objects.filter(kind=Kind.CHANGE_REPORTED, recipient=caseworker).exists()
    assert arrival_notices(application) == []

    services.change_report_acknowledge(report=report, actor=caseworker)

    assert arrived_at(application) is None
    assert in_queue(caseworker) == []


def test_both_documents_and_changes_are_checked_before_the_case_leaves(caseworker):
    application = filed_for(caseworker)
    owner = application.applicant.account
    report = services.change_report_submit(
        application=application,
        actor=owner,
        kind=ChangeKind.ADDRESS,
        data={"address": "Korunní 5, Praha 2"},
        attachments=[SimpleUploadedFile("lease.pdf", pdf_bytes("lease"), "application/pdf")],
    )

    services.change_report_acknowledge(report=report, actor=caseworker)
    assert in_queue(caseworker) == [application.pk]  # the attachment and filed documents wait

    verify_all(application, caseworker)
    assert in_queue(caseworker) == []
    assert ChangeReport.objects.get().acknowledged_at is not None


@pytest.mark.parametrize("end", ["decide", "withdraw"])
def test_the_end_of_the_proceedings_takes_the_case_out(end, caseworker):
    application = filed_for(caseworker)
    owner = application.applicant.account
    upload(application, owner, "financial_means")
    assert in_queue(caseworker) == [application.pk]

    if end == "decide":
        services.application_decide(
            application=application,
            actor=caseworker,
            outcome=Outcome.REJECTED,
            reasoning="The conditions are not met.",
        )
    else:
        services.application_withdraw(application=application, actor=owner)

    assert arrived_at(application) is None
    assert in_queue(caseworker) == []


def test_stopping_the_proceedings_takes_the_case_out(caseworker, clock_at):
    application = ApplicationFactory(interrupted=True, caseworker=caseworker)
    upload(application, application.applicant.account, "financial_means")
    clock_at.shift(timedelta(days=40))  # the documents' deadline passed

    services.application_stop(application=application, actor=caseworker)

    assert arrived_at(application) is None


# --- The queue tab ----------------------------------------------------------------------------


def test_the_tab_follows_my_cases_and_lists_the_oldest_arrival_first(
    caseworker, other_caseworker, clock_at
):
    assert list(queues.TABS)[:3] == [Tab.NEW, Tab.MINE, Tab.ARRIVED]
    assert str(queues.TABS[Tab.ARRIVED]) == "Documents arrived"
    cases = [filed_for(other_caseworker) for _ in range(3)]
    for hours, application in zip((5, 1, 3), cases, strict=True):
        with time_machine.travel(MONDAY + timedelta(hours=hours), tick=False):
            upload(application, application.applicant.account, "financial_means")
    # A decided case with an unacknowledged change is not an open case: not listed.
    decided = ApplicationFactory(decided=True, caseworker=other_caseworker)
    services.change_report_submit(
        application=decided,
        actor=decided.applicant.account,
        kind=ChangeKind.ADDRESS,
        data={"address": "Korunní 5, Praha 2"},
    )
    assert arrived_at(decided) is not None

    oldest_first = [cases[1].pk, cases[2].pk, cases[0].pk]
    assert in_queue(caseworker) == oldest_first
    newest_first = queues.queue_for(
        caseworker, Tab.ARRIVED, QueueFilters(descending=True), today=timezone.localdate()
    )
    assert [case.pk for case in newest_first] == oldest_first[::-1]
    counts = queues.tab_counts(caseworker, today=timezone.localdate())
    assert counts[Tab.ARRIVED] == 3
    filtered = queues.tab_counts(
        caseworker, QueueFilters(assignee=str(other_caseworker.pk)), today=timezone.localdate()
    )
    assert filtered[Tab.ARRIVED] == 3


def test_the_tab_shows_the_prague_day_of_arrival(caseworker, client_for):
    application = filed_for(caseworker)
    # 22:30 UTC on 31 March (summer time) is 00:30 on 1 April in Prague.
    with time_machine.travel(datetime(2026, 3, 31, 22, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        upload(application, application.applicant.account, "financial_means")
        response = client_for(caseworker).get(reverse("caseworker:queue_tab", args=[Tab.ARRIVED]))

    assert response.status_code == 200
    columns = [column.key for column in response.context["columns"]]
    assert columns[-1] == "arrived_on"
    assert str(response.context["columns"][-1].label) == "Arrived on"
    assert {"reference", "applicant", "status", "assignee"} <= set(columns)
    (row,) = response.context["rows"]
    assert row["pk"] == application.pk
    listed = next(iter(queues.queue_for(caseworker, Tab.ARRIVED, today=date(2026, 4, 1))))
    assert queues.cell(listed, "arrived_on") == date(2026, 4, 1)
    shown = [cell["text"] if isinstance(cell, dict) else cell for cell in row["cells"]]
    assert shown[-1] == date_format(date(2026, 4, 1), "SHORT_DATE_FORMAT")


def test_the_tab_runs_the_same_queries_for_5_and_200_cases(
    client_for, caseworker, django_assert_num_queries
):
    client = client_for(caseworker)
    url = reverse("caseworker:queue_tab", args=[Tab.ARRIVED])
    other = UserFactory(role=Role.CASEWORKER)

    def arrive() -> None:
        Application.objects.filter(arrived_at__isnull=True, status__in=OPEN_STATUSES).update(
            arrived_at=timezone.now()
        )

    bulk_cases(5, caseworker=caseworker, other=other, plans=FIVE, permit_type=employee_card())
    arrive()
    with CaptureQueriesContext(connection) as few:
        small = client.get(url)
    assert small.status_code == 200

    bulk_cases(195, caseworker=caseworker, other=other, seed=2)
    arrive()
    with django_assert_num_queries(len(few.captured_queries)):
        large = client.get(url)

    assert large.status_code == 200
    assert 0 < len(small.context["rows"]) < len(large.context["rows"])
