"""Every view or download of a person's data by staff, and every export, writes exactly one
access event: who, what, when, from where. A person reading their own file writes none."""

import pytest
from django.urls import reverse

from applications.models import Application
from privacy.constants import Action
from privacy.models import AccessEvent
from tests.applications.factories import ApplicationFactory
from tests.applications.test_views_support import filed_by, recorded_by

pytestmark = pytest.mark.django_db

# The browser the access log records (``assert_event``).
USER_AGENT = "TestBrowser/1.0"


def only_event(action: Action) -> AccessEvent:
    [event] = AccessEvent.objects.filter(action=action)
    return event


@pytest.fixture
def case(caseworker) -> Application:
    return ApplicationFactory(filed=True)


def assert_event(event: AccessEvent, *, actor, path: str, application=None) -> None:
    assert event.actor == actor
    assert event.actor_email == actor.email
    assert event.ip_address == "127.0.0.1"
    assert event.user_agent == "TestBrowser/1.0"
    assert event.path == path
    if application is not None:
        assert event.application == application
        assert event.reference_number == application.reference_number


def test_the_caseworker_case_page_is_logged(case, caseworker, client_for):
    url = reverse("caseworker:case", args=[case.pk])

    assert client_for(caseworker, HTTP_USER_AGENT=USER_AGENT).get(url).status_code == 200

    event = only_event(Action.CASE_VIEWED)
    assert_event(event, actor=caseworker, path=url, application=case)
    assert event.object_type == "applications.application"
    assert event.object_id == str(case.pk)


def test_a_document_viewed_in_the_case_page_is_logged(case, caseworker, client_for):
    document = case.documents.first()
    url = reverse("caseworker:document_view", args=[document.pk])

    assert client_for(caseworker, HTTP_USER_AGENT=USER_AGENT).get(url).status_code == 200

    event = only_event(Action.DOCUMENT_VIEWED)
    assert_event(event, actor=caseworker, path=url, application=case)
    assert (event.object_type, event.object_id) == ("documents.document", str(document.pk))


def test_a_staff_download_is_logged_and_the_owners_is_not(case, caseworker, client_for):
    document = case.documents.first()
    url = reverse("documents:download", args=[document.pk])

    assert (
        client_for(case.applicant.account, HTTP_USER_AGENT=USER_AGENT).get(url).status_code == 200
    )
    assert not AccessEvent.objects.filter(action=Action.DOCUMENT_DOWNLOADED).exists()

    assert client_for(caseworker, HTTP_USER_AGENT=USER_AGENT).get(url).status_code == 200
    assert_event(
        only_event(Action.DOCUMENT_DOWNLOADED), actor=caseworker, path=url, application=case
    )


def test_the_owner_reading_their_case_writes_no_staff_event(case, client_for):
    client_for(case.applicant.account, HTTP_USER_AGENT=USER_AGENT).get(
        reverse("applications:detail", args=[case.pk])
    )

    assert not AccessEvent.objects.exclude(action=Action.LOGIN).exists()


def test_the_csv_export_is_logged_with_its_filters_but_not_the_search_words(
    case, caseworker, client_for
):
    url = reverse("caseworker:queue_export", args=["new"])

    response = client_for(caseworker, HTTP_USER_AGENT=USER_AGENT).get(
        url, {"q": "Kovalenko", "channel": "online"}
    )
    b"".join(response.streaming_content)

    event = only_event(Action.EXPORT)
    assert_event(event, actor=caseworker, path=url)
    assert event.object_id == "new"
    assert event.detail["q"] is True
    assert event.detail["channel"] == "online"
    assert "Kovalenko" not in str(event.detail)


@pytest.mark.parametrize(
    ("model", "action"),
    [
        ("application", Action.CASE_VIEWED),
        ("applicant", Action.APPLICANT_VIEWED),
        ("document", Action.DOCUMENT_VIEWED),
    ],
)
def test_admin_change_and_history_pages_are_logged(case, superuser, model, action, client_for):
    target = {
        "application": case,
        "applicant": case.applicant,
        "document": case.documents.first(),
    }[model]
    app = "documents" if model == "document" else "applications"
    client = client_for(superuser, HTTP_USER_AGENT=USER_AGENT)

    change = reverse(f"admin:{app}_{model}_change", args=[target.pk])
    assert client.get(change).status_code == 200
    event = only_event(action)
    assert_event(event, actor=superuser, path=change)
    assert event.object_id == str(target.pk)
    if model != "applicant":
        assert event.reference_number == case.reference_number

    history = reverse(f"admin:{app}_{model}_history", args=[target.pk])
    assert client.get(history).status_code == 200
    assert AccessEvent.objects.filter(action=action, path=history).count() == 1


def test_a_missing_object_in_the_admin_is_not_logged_as_a_view(superuser, client_for):
    response = client_for(superuser, HTTP_USER_AGENT=USER_AGENT).get(
        reverse("admin:applications_applicant_change", args=[999999])
    )

    assert response.status_code == 302
    assert not AccessEvent.objects.filter(action=Action.APPLICANT_VIEWED).exists()


def test_support_centre_pages_showing_a_person_are_logged(support, client_for):
    person = recorded_by(support, surname="Kovalenko", travel_document_number="FX100")
    application = filed_by(support, person)
    client = client_for(support, HTTP_USER_AGENT=USER_AGENT)

    client.get(reverse("support:home"))
    assert not AccessEvent.objects.filter(action=Action.APPLICANT_SEARCHED).exists()
    client.get(reverse("support:home"), {"q": "Kovalenko"})
    searched = only_event(Action.APPLICANT_SEARCHED)
    assert "Kovalenko" not in str(searched.detail)

    page = reverse("support:applicant", args=[person.pk])
    assert client.get(page).status_code == 200
    viewed = only_event(Action.APPLICANT_VIEWED)
    assert_event(viewed, actor=support, path=page)
    assert (viewed.object_type, viewed.object_id) == ("applications.applicant", str(person.pk))

    receipt = reverse("support:receipt", args=[application.pk])
    assert client.get(receipt).status_code == 200
    assert_event(
        only_event(Action.CASE_VIEWED), actor=support, path=receipt, application=application
    )


def test_one_event_per_logged_request(case, caseworker, client_for):
    client = client_for(caseworker, HTTP_USER_AGENT=USER_AGENT)
    url = reverse("caseworker:case", args=[case.pk])
    client.get(url)
    before = AccessEvent.objects.count()

    client.get(url)

    assert AccessEvent.objects.count() == before + 1
