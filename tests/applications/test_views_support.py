"""The support centre: staff record a person without an account and file for them in person.

Access rule: every support page needs ``applications.file_on_behalf`` (403 for other logged-in
people, the login page for anonymous visitors); a worker reaches only the people and cases they
created, another worker's are a 404.
"""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.constants import Role
from applications.constants import Channel, Delivery, Status
from applications.models import Applicant, Application, travel_document_indexes
from core.clock import PRAGUE
from permits.models import PermitType
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicantFactory, ApplicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db


PERSON = {
    "given_names": "Nguyen Van",
    "surname": "Anh",
    "date_of_birth": "1988-02-29",
    "nationality": "VN",
    "travel_document_number": "C1234567",
    "address": "Sokolovská 1, Praha 8",
    "email": "",
    "phone": "+420 777 000 111",
    "preferred_language": "vi",
}


@pytest.fixture
def other_support(db):
    return UserFactory(role=Role.SUPPORT)


def recorded_by(worker, **kwargs) -> Applicant:
    return ApplicantFactory(account=None, created_by=worker, **kwargs)


def filed_by(worker, person: Applicant) -> Application:
    """A case a support worker filed for a person without an account, through the services."""
    from applications import services
    from applications.case_documents import document_upload
    from applications.checks import required_document_kinds

    application = services.application_create(
        applicant=person,
        permit_type=PermitType.objects.get(code="employee_card"),
        actor=worker,
        channel=Channel.IN_PERSON,
    )
    for kind in required_document_kinds(application):
        document_upload(
            application=application,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind.code}.pdf", pdf_bytes(kind.code)),
            actor=worker,
        )
    services.application_confirm_declarations(application=application, actor=worker)
    return services.application_file(application=application, actor=worker)


SUPPORT_PAGES = ["support:home", "support:applicant_create"]


@pytest.mark.parametrize("name", SUPPORT_PAGES)
def test_support_pages_need_the_support_permission(
    name, support, applicant, caseworker, supervisor, anonymous, client_for
):
    target = reverse(name)
    assert client_for(support).get(target).status_code == 200
    assert client_for(applicant).get(target).status_code == 403
    assert client_for(caseworker).get(target).status_code == 403
    assert client_for(supervisor).get(target).status_code == 403
    response = anonymous.get(target)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={target}"


def test_the_nav_links_to_the_support_centre_for_support_staff_only(support, applicant, client_for):
    support_url = reverse("support:home")
    assert support_url in client_for(support).get("/").content.decode()
    body = client_for(applicant).get("/").content.decode()
    assert support_url not in body
    assert reverse("applications:dashboard") in body
    assert 'href="/permits/"' in body


def test_record_a_person_without_an_account(support, client_for):
    response = client_for(support).post(reverse("support:applicant_create"), PERSON)

    person = Applicant.objects.get(travel_document_index__in=travel_document_indexes("C1234567"))
    assert response.status_code == 302
    assert response["Location"] == reverse("support:applicant", args=[person.pk])
    assert person.account is None
    assert person.created_by == support
    assert person.preferred_language == "vi"


def test_recording_a_person_keeps_input_and_links_errors(support, client_for):
    response = client_for(support).post(
        reverse("support:applicant_create"), {**PERSON, "surname": "", "date_of_birth": "soon"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="#id_surname"' in body
    assert 'href="#id_date_of_birth"' in body
    assert 'value="C1234567"' in body
    assert not Applicant.objects.filter(
        travel_document_index__in=travel_document_indexes("C1234567")
    ).exists()


def test_search_finds_own_people_by_surname_or_travel_document(support, other_support, client_for):
    mine = recorded_by(support, surname="Kovalenko", travel_document_number="FX100")
    theirs = recorded_by(other_support, surname="Kovalenko", travel_document_number="FX200")
    client = client_for(support)

    by_name = client.get(reverse("support:home"), {"q": "koval"}).context["applicants"]
    by_document = client.get(reverse("support:home"), {"q": "FX100"}).context["applicants"]

    assert by_name == [mine]
    assert by_document == [mine]
    assert theirs not in client.get(reverse("support:home"), {"q": "FX200"}).context["applicants"]


def test_support_cannot_reach_another_workers_people_or_cases(support, other_support, client_for):
    theirs = recorded_by(other_support)
    application = filed_by(other_support, theirs)
    client = client_for(support)

    assert client.get(reverse("support:applicant", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404
    assert client.get(reverse("support:receipt", args=[application.pk])).status_code == 404
    document = application.documents.first()
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404


def test_support_files_in_person_and_prints_the_receipt(
    support, django_capture_on_commit_callbacks, client_for
):
    client = client_for(support)
    client.post(reverse("support:applicant_create"), PERSON)
    person = Applicant.objects.get(travel_document_index__in=travel_document_indexes("C1234567"))
    card = PermitType.objects.get(code="card_replacement")

    response = client.post(reverse("support:applicant", args=[person.pk]), {"permit_type": card.pk})

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    assert application.channel == Channel.IN_PERSON
    assert application.created_by == support
    assert application.applicant == person

    # The same draft pages as the applicant's.
    response = client.post(
        reverse("applications:questions", args=[application.pk]),
        {"protection_status": "none"},
    )
    assert response.status_code == 302
    documents_url = reverse("applications:documents", args=[application.pk])
    for item, _form in client.get(documents_url).context["items"]:
        code = item.kind.code
        response = client.post(
            documents_url,
            {
                "item": code,
                f"{code}-file": SimpleUploadedFile(f"{code}.pdf", pdf_bytes(code)),
            },
        )
        assert response.status_code == 302
    assert client.get(reverse("applications:check", args=[application.pk])).status_code == 200
    response = client.post(
        reverse("applications:file", args=[application.pk]), {"truthful": "on", "consent": "on"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.FILED

    confirmation = client.get(reverse("applications:filed", args=[application.pk]))
    assert reverse("support:receipt", args=[application.pk]) in confirmation.content.decode()
    receipt = client.get(reverse("support:receipt", args=[application.pk]))
    body = receipt.content.decode()
    assert receipt.status_code == 200
    assert application.reference_number in body
    assert "Nguyen Van Anh" in body
    # In Czech, the language of record, and in the person's Vietnamese.
    assert "Osobně v kontaktním centru" in body
    assert "Trực tiếp tại trung tâm hỗ trợ" in body


def test_a_draft_has_no_receipt(support, client_for):
    person = recorded_by(support)
    application = ApplicationFactory(applicant=person, created_by=support)
    response = client_for(support).get(reverse("support:receipt", args=[application.pk]))
    assert response.status_code == 404


def test_receipt_refuses_other_roles(support, applicant, caseworker, anonymous, client_for):
    application = ApplicationFactory(applicant=recorded_by(support), created_by=support)
    target = reverse("support:receipt", args=[application.pk])
    assert client_for(applicant).get(target).status_code == 403
    assert client_for(caseworker).get(target).status_code == 403
    assert anonymous.get(target).status_code == 302


def test_support_page_of_a_person_lists_their_cases(support, client_for):
    person = recorded_by(support, surname="Horák")
    application = ApplicationFactory(applicant=person, created_by=support)
    response = client_for(support).get(reverse("support:applicant", args=[person.pk]))
    assert response.status_code == 200
    assert response.context["applications"] == [application]


def test_a_support_worker_cannot_start_an_embassy_only_type(support, client_for):
    person = recorded_by(support)
    response = client_for(support).post(
        reverse("support:applicant", args=[person.pk]),
        {"permit_type": PermitType.objects.get(code="long_term_visa").pk},
    )
    assert response.status_code == 200
    assert not Application.objects.exists()


# --- The receipt: Czech and the person's language, the documents, the delivery -----------------

FILED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=PRAGUE)


def receipt_of(client_for, support, **person) -> tuple[Application, str]:
    with time_machine.travel(FILED_AT, tick=False):
        application = filed_by(support, recorded_by(support, **person))
        response = client_for(support).get(reverse("support:receipt", args=[application.pk]))
    assert response.status_code == 200
    return application, response.content.decode()


def test_the_receipt_lists_every_document_and_the_delivery_in_czech_and_english(
    support, client_for
):
    application, body = receipt_of(
        client_for, support, preferred_language="en", address="Sokolovská 1, Praha 8"
    )

    assert '<div class="receipt" lang="cs" id="receipt-cs">' in body
    assert 'lang="en" id="receipt-en"' in body
    assert "Potvrzení o podání žádosti" in body
    assert "Receipt of an application" in body
    documents = list(application.documents.current_evidence().select_related("kind"))
    assert documents
    for document in documents:
        # Its number in the file (OAM-4217-3/DP-2026), once in each language.
        assert document.file_reference.startswith(application.reference_number.split("/")[0])
        assert body.count(f"<td data-document-number>{document.file_reference}</td>") == 2
        assert document.kind.name_cs in body
        assert document.kind.name_en in body
    assert body.count('data-delivery="post"') == 2
    assert body.count("Sokolovská 1, Praha 8") == 2
    assert "sent to you by post, to the address: Sokolovská 1, Praha 8." in body
    assert "The period of 15 days for an appeal runs from that day." in body


def test_the_receipt_is_in_the_persons_own_language_too(support, client_for):
    _application, body = receipt_of(client_for, support, preferred_language="vi")

    assert "Potvrzení o podání žádosti" in body
    assert 'lang="vi" id="receipt-vi"' in body
    assert "Giấy biên nhận đơn" in body
    assert "Trực tiếp tại trung tâm hỗ trợ" in body


def test_a_czech_speaker_gets_one_receipt(support, client_for):
    _application, body = receipt_of(client_for, support, preferred_language="cs")

    assert body.count("Potvrzení o podání žádosti") == 1
    assert "receipt-translation" not in body


def test_without_an_address_the_decision_is_handed_over_in_person(support, client_for):
    application, body = receipt_of(client_for, support, preferred_language="en", address="")

    assert application.delivery == Delivery.IN_PERSON
    assert body.count('data-delivery="in_person"') == 2
    assert "The decision will be handed to you in person at the office." in body
    assert "The period of 15 days for an appeal runs from that day." in body
