"""Requests refused to visitors who are not logged in are counted per kind, client address, page
and hour, so that a scanner or a flood does not fill the access log; refusals to someone logged
in stay events of their own."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from privacy import retention
from privacy.constants import Action, DeniedRequestKind
from privacy.models import AccessEvent, DeniedRequestCount
from privacy.services import denied_request_count, record_access
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

# 10:50 in the morning, UTC; the flood runs into the next hour.
MORNING = datetime(2027, 3, 10, 10, 50, tzinfo=UTC)


def visitor(address: str) -> Client:
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


def test_200_anonymous_404s_make_a_handful_of_counts_that_add_up(django_assert_max_num_queries):
    scanners = [visitor("203.0.113.7"), visitor("2001:db8::7")]
    with time_machine.travel(MORNING, tick=False) as clock:
        for number in range(200):
            if number == 100:
                clock.move_to(MORNING + timedelta(minutes=20))
            # Made-up permit codes: a page that names an object, here none.
            scanner = scanners[number % 2]
            if number in (10, 110):
                # Once a row exists, a refusal costs the page's own work and one UPDATE.
                with django_assert_max_num_queries(3):
                    response = scanner.get(f"/permits/no-such-type-{number}/")
            else:
                response = scanner.get(f"/permits/no-such-type-{number}/")
            assert response.status_code == 404

    assert not AccessEvent.objects.exists()
    rows = DeniedRequestCount.objects.order_by("hour", "ip_address")
    assert [(row.hour.hour, row.ip_address, row.count) for row in rows] == [
        (10, "2001:db8::7", 50),
        (10, "203.0.113.7", 50),
        (11, "2001:db8::7", 50),
        (11, "203.0.113.7", 50),
    ]
    assert {(row.kind, row.path) for row in rows} == {
        (DeniedRequestKind.NOT_FOUND, "/permits/<slug:code>/")
    }
    assert rows.aggregate(total=Sum("count"))["total"] == 200


def test_an_anonymous_csrf_failure_is_counted_with_its_address_and_page():
    strict = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")

    with time_machine.travel(MORNING, tick=False):
        for _attempt in range(3):
            response = strict.post(reverse("accounts:login"), REMOTE_ADDR="198.51.100.9")
            assert response.status_code == 403
            assert "The form has expired" in response.text

    [row] = DeniedRequestCount.objects.all()
    assert (row.kind, row.ip_address, row.path, row.count) == (
        DeniedRequestKind.CSRF_FAILED,
        "198.51.100.9",
        "/accounts/login/",
        3,
    )
    assert not AccessEvent.objects.exists()


def test_a_refusal_to_someone_logged_in_stays_an_event_of_its_own(applicant, other_applicant):
    case = ApplicationFactory(applicant=other_applicant.applicants.get(), filed=True)
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(applicant)

    for _attempt in range(3):
        assert browser.get(reverse("applications:detail", args=[case.pk])).status_code == 404

    events = AccessEvent.objects.filter(action=Action.ACCESS_DENIED, actor=applicant)
    assert events.count() == 3
    assert {event.object_id for event in events} == {str(case.pk)}
    assert not DeniedRequestCount.objects.exists()


def test_a_404_on_an_address_that_names_nothing_is_not_counted():
    assert visitor("203.0.113.8").get("/no-such-page/").status_code == 404

    assert not DeniedRequestCount.objects.exists()


@time_machine.travel(MORNING, tick=False)
def test_a_row_created_meanwhile_by_another_request_is_added_to(rf, monkeypatch):
    """The race ``update_or_create`` loses: between this request's UPDATE (no row yet) and its
    INSERT, another request inserted the row. The INSERT fails on the key; the count is added."""
    request = rf.get("/permits/x/", REMOTE_ADDR="203.0.113.9")
    request.resolver_match = None
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    real_update = type(DeniedRequestCount.objects.none()).update
    calls = []

    def update_after_the_other_request_inserted(queryset, **values):
        calls.append(values)
        if len(calls) == 1:
            DeniedRequestCount.objects.create(
                kind=DeniedRequestKind.NOT_FOUND,
                ip_address="203.0.113.9",
                path="/permits/x/",
                hour=hour,
                count=1,
            )
            return 0
        return real_update(queryset, **values)

    monkeypatch.setattr(
        type(DeniedRequestCount.objects.none()), "update", update_after_the_other_request_inserted
    )

    denied_request_count(request, DeniedRequestKind.NOT_FOUND)

    assert len(calls) == 2
    assert DeniedRequestCount.objects.get().count == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_requests_at_the_same_moment_each_add_their_own():
    threads, per_thread = 4, 25
    barrier = threading.Barrier(threads)
    failures = []

    def flood() -> None:
        try:
            scanner = visitor("203.0.113.10")
            barrier.wait()
            for number in range(per_thread):
                assert scanner.get(f"/permits/no-such-type-{number}/").status_code == 404
        except Exception as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=flood) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert failures == []
    assert DeniedRequestCount.objects.aggregate(total=Sum("count"))["total"] == threads * per_thread
    # One hour may have turned during the run: at most one row per hour.
    assert DeniedRequestCount.objects.count() <= 2


def test_the_counts_are_purged_with_the_access_log(settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    today = timezone.localdate()
    for days_ago in (40, 10):
        with time_machine.travel(timezone.now() - timedelta(days=days_ago), tick=False):
            assert visitor("203.0.113.11").get("/permits/no-such-type/").status_code == 404

    assert retention.access_log_due(today=today) == 1
    assert retention.access_log_purge(today=today) == 1

    [kept] = DeniedRequestCount.objects.all()
    assert kept.hour > timezone.now() - timedelta(days=11)


def test_the_access_log_is_purged_after_its_period(settings, caseworker):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    today = timezone.localdate()
    with time_machine.travel(today - timedelta(days=40)):
        old = record_access(None, Action.CASE_VIEWED, actor=caseworker)
    recent = record_access(None, Action.CASE_VIEWED, actor=caseworker)

    assert retention.access_log_purge(today=today) == 1

    assert list(AccessEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk != recent.pk
    settings.ACCESS_LOG_RETENTION_DAYS = 0
    assert retention.access_log_purge(today=today + timedelta(days=9999)) == 0


def test_the_back_office_shows_the_counts_read_only(client, superuser):
    with time_machine.travel(MORNING, tick=False):
        visitor("203.0.113.12").get("/permits/no-such-type/")
    row = DeniedRequestCount.objects.get()
    client.force_login(superuser)

    listing = client.get(reverse("admin:privacy_deniedrequestcount_changelist"))
    detail = client.get(reverse("admin:privacy_deniedrequestcount_change", args=[row.pk]))

    assert listing.status_code == 200
    assert "203.0.113.12" in listing.text
    assert "/permits/&lt;slug:code&gt;/" in listing.text
    assert detail.status_code == 200
    assert 'type="submit"' not in detail.text.split('id="content-main"')[1]
    assert client.get(reverse("admin:privacy_deniedrequestcount_add")).status_code == 403
    delete = reverse("admin:privacy_deniedrequestcount_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert DeniedRequestCount.objects.filter(pk=row.pk).exists()
