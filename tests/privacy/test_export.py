"""A person downloads everything held about them: data.json and their files, decrypted."""

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.constants import Role
from applications.constants import Relation
from applications.extensions import extension_refuse, extension_request
from applications.services import case_note_add, decision_open
from privacy.constants import Action
from privacy.models import AccessEvent
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicantFactory, ApplicationFactory

pytestmark = pytest.mark.django_db

URL = "/privacy/export/"


@pytest.fixture
def download(client_for) -> Callable[..., zipfile.ZipFile]:
    """``download(user)``: the archive of the user's data, as the page sends it."""

    def export(user) -> zipfile.ZipFile:
        response = client_for(user).post(URL)
        assert response.status_code == 200
        return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    return export


@pytest.fixture
def person(applicant):
    """An account holder with a decided case of their own (the decision opened) and a filed
    case of their child."""
    record = applicant.applicants.get()
    case = ApplicationFactory(applicant=record, rejected=True)
    decision_open(decision=case.decisions.get(), actor=applicant)
    child = ApplicantFactory(
        account=applicant, relation=Relation.CHILD, given_names="Olha", surname="Childova"
    )
    ApplicationFactory(applicant=child, filed=True)
    return applicant


def test_the_url_is_the_one_linked_from_the_dashboard(person, client_for):
    assert reverse("privacy:export") == URL
    dashboard = client_for(person).get(reverse("applications:dashboard"))
    assert f'href="{URL}"' in dashboard.text


def test_anonymous_visitors_log_in_first(anonymous):
    for response in (anonymous.get(URL), anonymous.post(URL)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_page_explains_and_offers_the_download(person, client_for):
    response = client_for(person).get(URL)

    assert response.status_code == 200
    assert "data.json" in response.text
    assert 'method="post"' in response.text


def test_the_download_is_a_private_attachment(person, client_for):
    response = client_for(person).post(URL)

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data-')
    assert response["Cache-Control"] == "no-store"


def test_the_archive_holds_the_persons_data(person, download):
    archive = download(person)
    data = json.loads(archive.read("data.json"))

    assert data["account"]["email"] == person.email
    assert "consent_given_at" in data["account"]
    people = {p["given_names"]: p for p in data["people"]}
    record = person.applicants.get(relation=Relation.SELF)
    me = people[record.given_names]
    assert me["travel_document_number"] == record.travel_document_number
    assert me["address"] == "Vinohradská 12, Praha 2"
    assert me["date_of_birth"] == "1990-05-17"
    [case] = me["applications"]
    assert case["status"] == "decided"
    assert case["decisions"][0]["reasoning"] == "The conditions are not met."
    assert [step["action"] for step in case["timeline"]][:1] == ["file"]
    assert "Olha" in people
    assert people["Olha"]["applications"][0]["status"] == "filed"


def test_every_file_is_in_the_archive_decrypted(person, download):
    archive = download(person)
    data = json.loads(archive.read("data.json"))
    documents = [
        document
        for someone in data["people"]
        for case in someone["applications"]
        for document in case["documents"]
    ]

    assert documents
    assert any(document["role"] == "decision" for document in documents)
    for document in documents:
        content = archive.read(document["file"])
        assert hashlib.sha256(content).hexdigest() == document["sha256"]
        assert document["file"].startswith("files/OAM-")
    # The storage keeps them encrypted at rest: the archive has what the storage decrypted.
    stored = [path for path in Path(default_storage.location).rglob("*") if path.is_file()]
    assert len(stored) == len(documents)
    assert not any(path.read_bytes().startswith(b"%PDF") for path in stored)


def test_nothing_of_another_person_is_in_the_archive(person, other_applicant, download):
    other = other_applicant.applicants.get()
    other_case = ApplicationFactory(applicant=other, filed=True)

    archive = download(person)
    everything = b"".join(archive.read(name) for name in archive.namelist())

    for secret in (other.travel_document_number, other.surname, other_case.reference_number):
        assert secret.encode() not in everything
    assert other_applicant.email.encode() not in everything


def test_the_export_is_logged(person, download):
    download(person)

    [event] = AccessEvent.objects.filter(action=Action.DATA_EXPORT)
    assert event.actor == person
    assert event.path == URL
    assert event.detail == {"people": 2, "cases": 2, "files": event.detail["files"]}


def test_queries_do_not_grow_with_the_number_of_cases(applicant, other_applicant, client_for):
    ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    for _case in range(5):
        ApplicationFactory(applicant=other_applicant.applicants.get(), filed=True)
    one_client, five_client = client_for(applicant), client_for(other_applicant)

    with CaptureQueriesContext(connection) as one:
        one_client.post(URL)
    with CaptureQueriesContext(connection) as five:
        five_client.post(URL)

    assert len(five.captured_queries) == len(one.captured_queries)


def test_queries_are_bounded(applicant, django_assert_max_num_queries, client_for):
    for _case in range(5):
        ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    client = client_for(applicant)

    with django_assert_max_num_queries(20):
        response = client.post(URL)
    assert response.status_code == 200


def test_a_decision_not_yet_received_is_not_in_the_archive_and_stays_undelivered(
    applicant, download
):
    """The portal shows a decision's outcome and text only once it is opened (its delivery,
    from which the appeal clock runs); the export must neither show it earlier nor open it."""
    case = ApplicationFactory(applicant=applicant.applicants.get(), rejected=True)
    decision = case.decisions.get()

    archive = download(applicant)
    data = json.loads(archive.read("data.json"))

    [exported] = data["people"][0]["applications"]
    assert exported["outcome"] == ""
    assert exported["decisions"] == []
    assert all(document["role"] != "decision" for document in exported["documents"])
    assert not any("decision" in name for name in archive.namelist())
    text = archive.read("data.json").decode()
    assert decision.reasoning not in text
    decision.refresh_from_db()
    assert (decision.opened_on, decision.delivered_on) == (None, None)


def test_the_timeline_holds_no_staff_reasoning_or_internal_steps(person, download):
    case = person.applicants.get(relation=Relation.SELF).applications.get()
    caseworker = UserFactory(role=Role.CASEWORKER)
    case_note_add(application=case, author=caseworker, text="Internal: call the employer")

    text = download(person).read("data.json").decode()

    assert "Internal: call the employer" not in text
    assert '"action": "note_added"' not in text


def test_the_remedy_and_requests_for_more_time_are_in_the_archive(applicant, download, caseworker):
    record = applicant.applicants.get()
    with time_machine.travel(datetime(2026, 12, 4, 10, tzinfo=ZoneInfo("Europe/Prague"))):
        case = ApplicationFactory(applicant=record, interrupted=True, caseworker=caseworker)
        extension = extension_request(
            application=case, actor=applicant, reason="My landlord is in hospital."
        )
        extension_refuse(extension=extension, actor=caseworker, reason="Another owner can sign.")
        rejected = ApplicationFactory(applicant=record, rejected=True)
        decision_open(decision=rejected.decisions.get(), actor=applicant)
        archive = download(applicant)
    data = json.loads(archive.read("data.json"))
    cases = {c["reference_number"]: c for c in data["people"][0]["applications"]}

    [interruption] = cases[case.reference_number]["interruptions"]
    [asked] = interruption["extensions"]
    assert asked["reason"] == "My landlord is in hospital."
    assert (asked["result"], asked["answer_reason"]) == ("refused", "Another owner can sign.")
    assert cases[rejected.reference_number]["decisions"][0]["remedy"] == "appeal"
