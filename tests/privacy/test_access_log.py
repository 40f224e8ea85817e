"""The access log is append-only; the admin reads and filters it and can change nothing."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from privacy.constants import Action
from privacy.models import AccessEvent
from privacy.services import record_access
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(caseworker):
    request = RequestFactory().get("/caseworker/cases/1/?q=secret", REMOTE_ADDR="192.0.2.7")
    request.user = caseworker
    return record_access(request, Action.CASE_VIEWED)


def test_an_event_keeps_who_what_when_and_from_where(event, caseworker):
    assert event.actor == caseworker
    assert event.actor_email == caseworker.email
    assert event.action == Action.CASE_VIEWED
    assert event.ip_address == "192.0.2.7"
    assert event.path == "/caseworker/cases/1/"
    assert event.created_at is not None


def test_events_cannot_be_changed_or_deleted(event):
    event.action = Action.LOGIN
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AccessEvent.objects.filter(pk=event.pk).update(action=Action.LOGIN)
    with pytest.raises(PermissionError):
        AccessEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.action == Action.CASE_VIEWED


def test_the_actor_e_mail_outlives_the_account(event, caseworker):
    email = caseworker.email
    caseworker.delete()

    event.refresh_from_db()
    assert event.actor is None
    assert event.actor_email == email


def test_forwarded_for_is_ignored_without_a_trusted_proxy(caseworker, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    request.user = caseworker

    assert record_access(request, Action.CASE_VIEWED).ip_address == "192.0.2.7"


def test_the_admin_has_view_permission_only(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    model_admin = site._registry[AccessEvent]

    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.get_actions(request) == {}


def test_the_admin_filters_by_action_and_who_and_searches_by_email(client, superuser, caseworker):
    applicant_user = UserFactory(email="someone@example.com")
    for actor, action in [
        (caseworker, Action.CASE_VIEWED),
        (caseworker, Action.EXPORT),
        (applicant_user, Action.DATA_EXPORT),
        (None, Action.ACCESS_DENIED),
    ]:
        record_access(None, action, actor=actor)
    client.force_login(superuser)
    url = reverse("admin:privacy_accessevent_changelist")

    by_action = client.get(url, {"action": Action.EXPORT})
    by_staff = client.get(url, {"who": "staff"})
    by_nobody = client.get(url, {"who": "nobody"})
    by_email = client.get(url, {"q": caseworker.email})

    assert by_action.status_code == 200
    assert [e.action for e in by_action.context["cl"].result_list] == [Action.EXPORT]
    staff_actions = {e.action for e in by_staff.context["cl"].result_list}
    assert {Action.CASE_VIEWED, Action.EXPORT} <= staff_actions
    assert Action.DATA_EXPORT not in staff_actions
    assert [e.action for e in by_nobody.context["cl"].result_list] == [Action.ACCESS_DENIED]
    assert {e.actor_email for e in by_email.context["cl"].result_list} == {caseworker.email}
    [exported] = by_action.context["cl"].result_list
    detail = client.get(reverse("admin:privacy_accessevent_change", args=[exported.pk]))
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
