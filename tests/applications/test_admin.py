"""The back office: pages load with bounded queries, transitions run through the services."""

import pytest
from django.urls import reverse

from applications.constants import Status
from applications.models import Application, AuditEntry
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

INLINE_PREFIXES = ["interruptions", "decisions", "audit_entries"]


def change_form(**data):
    """The change form as a browser posts it: the inlines' management forms included."""
    for prefix in INLINE_PREFIXES:
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return data


MODELS = [
    "applications/application",
    "applications/applicant",
    "applications/interruption",
    "applications/decision",
    "applications/appeal",
    "applications/auditentry",
    "documents/document",
    "permits/permittype",
    "permits/documentkind",
    "permits/permit",
    "accounts/user",
]


@pytest.fixture
def cases(caseworker):
    ApplicationFactory.create_batch(2, filed=True)
    ApplicationFactory(interrupted=True, caseworker=caseworker)
    ApplicationFactory(rejected=True, caseworker=caseworker)
    ApplicationFactory(appealed=True, caseworker=caseworker)


@pytest.mark.parametrize("model", MODELS)
def test_changelists_load_with_bounded_queries(
    model, client, superuser, cases, django_assert_max_num_queries
):
    client.force_login(superuser)
    with django_assert_max_num_queries(15):
        response = client.get(f"/admin/{model}/")
    assert response.status_code == 200


def test_application_change_page_lists_transitions_and_audit(client, superuser, cases):
    client.force_login(superuser)
    application = Application.objects.filter(status=Status.FILED).first()
    response = client.get(reverse("admin:applications_application_change", args=[application.pk]))
    assert response.status_code == 200
    assert b"_fsm_transition_to" in response.content
    assert b"file" in response.content


def test_transition_from_admin_goes_through_the_service(client, superuser):
    application = ApplicationFactory(filed=True)
    client.force_login(superuser)
    url = reverse("admin:applications_application_change", args=[application.pk])
    response = client.post(url, change_form(_fsm_transition_to="withdraw"), follow=True)
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    entry = AuditEntry.objects.get(application=application, action="withdraw")
    assert entry.actor == superuser


def test_transition_with_form_from_admin(client, superuser):
    from permits.models import DocumentKind

    application = ApplicationFactory(filed=True)
    client.force_login(superuser)
    url = reverse("admin:applications_application_transition", args=[application.pk, "interrupt"])
    kind = DocumentKind.objects.get(code="accommodation")
    response = client.post(
        url, {"reason": "Missing lease.", "document_kinds": [kind.pk], "deadline_days": 30}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.INTERRUPTED
    assert AuditEntry.objects.filter(application=application, action="interrupt").count() == 1


def test_refused_transition_in_admin_shows_the_reason(client, superuser):
    application = ApplicationFactory(filed=True)
    client.force_login(superuser)
    url = reverse("admin:applications_application_change", args=[application.pk])
    # Finalizing needs a decision whose appeal period passed.
    response = client.post(url, change_form(_fsm_transition_to="finalize"), follow=True)
    application.refresh_from_db()
    assert application.status == Status.FILED
    assert not AuditEntry.objects.filter(application=application, action="finalize").exists()
    assert response.status_code == 200
