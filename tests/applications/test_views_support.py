"""The support centre: staff record a person without an account and file for them in person.

Access rule: every support page needs ``applications.file_on_behalf`` (403 for other logged-in
people, the login page for anonymous visitors). A worker finds and opens every person on record,
whoever recorded them, and starts applications for them; the cases another worker started are a
404 to them.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.constants import Role
from applications import persons
from applications.constants import Channel, Delivery, Status
from applications.models import Applicant, Application, travel_document_indexes
from core.clock import PRAGUE
from permits.models import PermitType
from privacy.constants import Action
from privacy.models import AccessEvent
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


def test_search_finds_own_people_by_surname_or_travel_document(support, client_for):
    mine = recorded_by(support, surname="Kovalenko", travel_document_number="FX100")
    client = client_for(support)

    by_name = client.get(reverse("support:home"), {"q": "koval"}).context["applicants"]
    by_document = client.get(reverse("support:home"), {"q": "FX100"}).context["applicants"]

    assert by_name == [mine]
    assert by_document == [mine]


def test_support_opens_another_workers_person_but_not_their_cases(
    support, other_support, client_for
):
    theirs = recorded_by(other_support)
    application = filed_by(other_support, theirs)
    client = client_for(support)

    page = client.get(reverse("support:applicant", args=[theirs.pk]))
    assert page.status_code == 200
    assert page.context["applications"] == []
    assert page.context["other_applications"] == 1
    assert 'id="other-applications"' in page.content.decode()
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
        assert (
            body.count(f'<th scope="row" data-document-number>{document.file_reference}</th>') == 2
        )
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


# --- Who may already be recorded, before recording a person -----------------------------------


def test_recording_the_same_person_twice_shows_the_match_before_saving(
    support, other_support, client_for
):
    first = recorded_by(
        other_support,
        **{**PERSON, "given_names": "Nguyễn Văn", "surname": "Ánh", "date_of_birth": "1988-02-29"},
    )
    client = client_for(support)
    url = reverse("support:applicant_create")

    response = client.post(url, PERSON)

    assert response.status_code == 200
    assert Applicant.objects.count() == 1
    [match] = response.context["matches"]
    assert match.person == first
    assert match.reasons == (
        persons.MatchReason.TRAVEL_DOCUMENT,
        persons.MatchReason.NAME_AND_BIRTH,
    )
    body = response.content.decode()
    assert "This person may already be recorded" in body
    assert "Nguyễn Văn" in body
    assert "•••• 4567" in body and "C1234567</td>" not in body
    assert other_support.get_full_name() in body
    assert "No account" in body
    assert "Same travel document (nationality and number); Same name and date of birth" in body
    assert f'href="{reverse("support:applicant", args=[first.pk])}"' in body
    assert "Use this person" in body
    # Every typed value is kept, and the staff member confirms for the people listed.
    for value in ("Nguyen Van", "Anh", "1988-02-29", "C1234567", "+420 777 000 111"):
        assert f'value="{value}"' in body
    assert f'name="matches_seen" value="{first.pk}"' in body
    assert 'name="confirm_new_person"' in body
    assert "Record as a new person anyway" in body
    assert AccessEvent.objects.filter(action=Action.APPLICANT_SEARCHED).get().detail == {
        "matching": True,
        "found": 1,
    }

    response = client.post(
        url, {**PERSON, "matches_seen": str(first.pk), "confirm_new_person": "on"}
    )

    second = Applicant.objects.exclude(pk=first.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("support:applicant", args=[second.pk])
    assert second.created_by == support


def test_sending_the_matches_back_unconfirmed_asks_again_and_saves_nothing(support, client_for):
    first = recorded_by(support, **{**PERSON, "travel_document_number": "OLD0001"})
    client = client_for(support)

    response = client.post(
        reverse("support:applicant_create"), {**PERSON, "matches_seen": str(first.pk)}
    )

    assert response.status_code == 200
    assert Applicant.objects.count() == 1
    assert [match.reasons for match in response.context["matches"]] == [
        (persons.MatchReason.NAME_AND_BIRTH,)
    ]
    body = response.content.decode()
    assert 'href="#id_confirm_new_person"' in body
    assert "tick this box to record a new person anyway" in body


def test_a_confirmation_covers_only_the_people_it_was_given_for(support, client_for):
    seen = recorded_by(support, **{**PERSON, "travel_document_number": "OLD0001"})
    unseen = recorded_by(support, **PERSON)

    response = client_for(support).post(
        reverse("support:applicant_create"),
        {**PERSON, "matches_seen": str(seen.pk), "confirm_new_person": "on"},
    )

    assert response.status_code == 200
    assert Applicant.objects.count() == 2
    assert {match.person for match in response.context["matches"]} == {seen, unseen}
    # The box comes back unticked, for the new list.
    body = response.content.decode()
    [box] = re.findall(r'<input[^>]*name="confirm_new_person"[^>]*>', body)
    assert "checked" not in box
    assert f'value="{min(seen.pk, unseen.pk)},{max(seen.pk, unseen.pk)}"' in body


def test_a_weak_match_is_shown_too(support, client_for):
    weaker = recorded_by(
        support,
        **{**PERSON, "given_names": "Thi Mai", "travel_document_number": "X9999999"},
    )

    response = client_for(support).post(reverse("support:applicant_create"), PERSON)

    [match] = response.context["matches"]
    assert match.person == weaker
    assert match.reasons == (persons.MatchReason.SURNAME_AND_BIRTH,)
    assert not Applicant.objects.exclude(pk=weaker.pk).exists()


def test_nobody_matching_records_at_once(support, client_for):
    recorded_by(
        support, **{**PERSON, "date_of_birth": "1988-03-01", "travel_document_number": "Z1"}
    )

    response = client_for(support).post(reverse("support:applicant_create"), PERSON)

    assert response.status_code == 302
    assert Applicant.objects.count() == 2


def test_the_form_with_matches_runs_a_fixed_number_of_queries(
    support, client_for, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(support)
    url = reverse("support:applicant_create")
    recorded_by(support, **PERSON)
    with CaptureQueriesContext(connection) as one:
        client.post(url, PERSON)
    for _ in range(persons.MATCH_LIMIT + 5):
        recorded_by(support, **{**PERSON, "given_names": "Thi Mai", "travel_document_number": "X1"})
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.post(url, PERSON)
    assert len(response.context["matches"]) == persons.MATCH_LIMIT


# --- The search of everyone on record ----------------------------------------------------------


def test_search_finds_another_workers_people_by_name_birth_date_or_document(
    support, other_support, client_for
):
    nguyen = recorded_by(
        other_support,
        given_names="Văn An",
        surname="Nguyễn",
        date_of_birth=datetime(1988, 2, 29).date(),
        nationality="VN",
        travel_document_number="C1234567",
    )
    with_account = ApplicantFactory(surname="Nguyen", given_names="Thi Mai")
    ApplicationFactory(applicant=nguyen, created_by=other_support)
    ApplicationFactory(applicant=nguyen, created_by=other_support)
    client = client_for(support)
    home = reverse("support:home")

    by_name = client.get(home, {"q": "nguyen"})
    assert by_name.context["applicants"] == [with_account, nguyen]
    assert client.get(home, {"q": "nguyen, van"}).context["applicants"] == [nguyen]
    assert client.get(home, {"born": "1988-02-29"}).context["applicants"] == [nguyen]
    assert client.get(home, {"q": "C 123 4567"}).context["applicants"] == [nguyen]
    assert client.get(home, {"q": "nguyen", "born": "1990-01-01"}).context["applicants"] == []

    body = by_name.content.decode()
    assert "Nguyễn, Văn An" in body
    assert "•••• 4567" in body and "C1234567" not in body
    assert "Viet Nam" in body or "Vietnam" in body
    assert '<td class="numeric" data-label="Applications" data-applications>2</td>' in body
    assert other_support.get_full_name() in body
    assert "2 people found" in body


def test_search_for_nobody_says_so(support, client_for):
    response = client_for(support).get(reverse("support:home"), {"q": "Nobody"})
    assert 'id="no-results"' in response.content.decode()
    assert response.context["applicants"] == []


def test_search_pages_through_many_people(support, client_for):
    for n in range(30):
        recorded_by(support, surname=f"Kovalenko{n:02d}")
    client = client_for(support)

    first = client.get(reverse("support:home"), {"q": "koval"})
    second = client.get(reverse("support:home"), {"q": "koval", "page": 2})

    assert len(first.context["applicants"]) == 25
    assert len(second.context["applicants"]) == 5
    assert "q=koval&amp;page=2" in first.content.decode()
    assert set(first.context["applicants"]).isdisjoint(second.context["applicants"])


@pytest.mark.parametrize("people", [5, 50])
def test_search_runs_a_fixed_number_of_queries(
    people, support, other_support, client_for, django_assert_num_queries
):
    for n in range(people):
        person = recorded_by(other_support if n % 2 else support, surname=f"Kovalenko{n:02d}")
        ApplicationFactory(applicant=person, created_by=support)
    client = client_for(support)
    client.get(reverse("support:home"))  # the session is warm

    # Session, user, second-factor device (the permissions are kept: accounts.backends), the
    # count, the access log, the page, the worker's recent applications, the unread
    # notifications.
    with django_assert_num_queries(8):
        response = client.get(reverse("support:home"), {"q": "koval"})
    assert len(response.context["applicants"]) == min(people, 25)


def test_the_search_is_in_the_access_log_without_what_was_searched(support, client_for):
    recorded_by(support, surname="Kovalenko")
    client_for(support).get(reverse("support:home"), {"q": "Kovalenko", "born": "1990-05-17"})

    [event] = AccessEvent.objects.filter(action=Action.APPLICANT_SEARCHED)
    assert event.detail == {"q": True, "born": True, "found": 1}


# --- A person's page, whoever recorded them ---------------------------------------------------


def test_support_files_for_a_person_another_worker_recorded(support, other_support, client_for):
    theirs = recorded_by(other_support)
    card = PermitType.objects.get(code="card_replacement")
    client = client_for(support)

    response = client.post(reverse("support:applicant", args=[theirs.pk]), {"permit_type": card.pk})

    application = Application.objects.get()
    assert response.status_code == 302
    assert application.applicant == theirs
    assert application.created_by == support
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 200
    page = client.get(reverse("support:applicant", args=[theirs.pk]))
    assert page.context["applications"] == [application]
    assert page.context["other_applications"] == 0
    # The page of a person someone else recorded is in the access log like any other.
    viewed = AccessEvent.objects.get(action=Action.APPLICANT_VIEWED)
    assert (viewed.actor, viewed.object_id) == (support, str(theirs.pk))


def test_support_opens_and_files_for_a_person_with_an_account(support, client_for):
    person = ApplicantFactory()
    online = ApplicationFactory(applicant=person, created_by=person.account)
    card = PermitType.objects.get(code="card_replacement")
    client = client_for(support)

    page = client.get(reverse("support:applicant", args=[person.pk]))
    assert page.status_code == 200
    assert page.context["other_applications"] == 1
    assert "Has an account" in page.content.decode()
    assert client.get(reverse("applications:detail", args=[online.pk])).status_code == 404

    response = client.post(reverse("support:applicant", args=[person.pk]), {"permit_type": card.pk})
    assert response.status_code == 302
    started = Application.objects.exclude(pk=online.pk).get()
    assert (started.applicant, started.created_by, started.channel) == (
        person,
        support,
        Channel.IN_PERSON,
    )


def test_an_anonymised_person_is_not_found_nor_opened(support, client_for):
    person = recorded_by(support, surname="Kovalenko")
    persons.applicant_anonymise(applicant=person)
    client = client_for(support)

    assert client.get(reverse("support:applicant", args=[person.pk])).status_code == 404
    assert client.get(reverse("support:home"), {"q": "anonymised"}).context["applicants"] == []


def test_the_person_page_runs_a_fixed_number_of_queries(
    support, other_support, client_for, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = recorded_by(other_support)
    client = client_for(support)
    url = reverse("support:applicant", args=[person.pk])
    client.get(url)
    ApplicationFactory(applicant=person, created_by=support)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        ApplicationFactory(applicant=person, created_by=support)
        ApplicationFactory(applicant=person, created_by=other_support)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["applications"]) == 11
    assert response.context["other_applications"] == 10


def test_applicants_cannot_use_the_person_pages(applicant, support, client_for):
    person = recorded_by(support)
    client = client_for(applicant)

    assert client.get(reverse("support:applicant", args=[person.pk])).status_code == 403
    assert client.post(reverse("support:applicant_create"), PERSON).status_code == 403
    assert client.get(reverse("support:home"), {"q": person.surname}).status_code == 403
    own = applicant.applicants.get()
    assert client.get(reverse("support:applicant", args=[own.pk])).status_code == 403
    assert Applicant.objects.count() == 2


def test_a_missing_person_is_a_404(support, client_for):
    assert client_for(support).get(reverse("support:applicant", args=[999999])).status_code == 404
