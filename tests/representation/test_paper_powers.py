"""A signed power of attorney on paper: the representative files it for one application (its
reference number and the person's date of birth), a caseworker verifies it or refuses it with a
reason; it counts only after verification, tested both ways."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.constants import Role
from applications.constants import PowerEventKind, PowerSource
from applications.models import PowerOfAttorney
from documents.constants import Role as DocumentRole
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))
UPLOAD = reverse("representation:power_upload")


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(applicant):
    return ApplicationFactory(applicant=applicant.applicants.get(), filed=True)


@pytest.fixture
def lawyer():
    return UserFactory(role=Role.APPLICANT, first_name="Jana", last_name="Advokátová")


def filing(case, **overrides):
    return {
        "on_behalf": "myself",
        "reference_number": case.reference_number,
        "date_of_birth": case.applicant.date_of_birth.isoformat(),
        "file": SimpleUploadedFile("plna-moc.pdf", pdf_bytes("plna moc"), "application/pdf"),
        **overrides,
    }


def case_page(case):
    return reverse("applications:detail", args=[case.pk])


def caseworker_page(case):
    return reverse("caseworker:case", args=[case.pk])


def file_one(client_for, lawyer, case) -> PowerOfAttorney:
    answer = client_for(lawyer).post(UPLOAD, filing(case))
    assert answer.status_code == 302, answer.content.decode()[-3000:]
    return PowerOfAttorney.objects.get()


def test_an_uploaded_power_is_filed_in_the_case_and_does_not_count_yet(client_for, lawyer, case):
    power = file_one(client_for, lawyer, case)

    assert power.source == PowerSource.PAPER and power.representative == lawyer
    assert power.document.application_id == case.pk
    assert power.document.role == DocumentRole.POWER_OF_ATTORNEY
    assert list(power.events.values_list("kind", flat=True)) == [PowerEventKind.UPLOADED]
    assert client_for(lawyer).get(case_page(case)).status_code == 404


def test_a_wrong_date_of_birth_files_nothing_and_keeps_the_form(client_for, lawyer, case):
    answer = client_for(lawyer).post(UPLOAD, filing(case, date_of_birth="1991-05-17"))
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "No application matches this reference number and date of birth." in body
    assert f'value="{case.reference_number}"' in body
    assert not PowerOfAttorney.objects.exists()
    assert not case.documents.filter(role=DocumentRole.POWER_OF_ATTORNEY).exists()


def test_a_caseworker_verifies_it_and_then_it_counts(client_for, lawyer, case, caseworker):
    power = file_one(client_for, lawyer, case)
    office = client_for(caseworker)
    page = office.get(caseworker_page(case)).content.decode()
    assert "Waiting for verification: it does not count yet" in page
    assert reverse("caseworker:document_view", args=[power.document_id]) in page

    office.post(reverse("caseworker:power_verify", args=[case.pk, power.pk]))

    power.refresh_from_db()
    assert power.verified_by == caseworker
    assert client_for(lawyer).get(case_page(case)).status_code == 200
    assert "Jana Advokátová" in office.get(caseworker_page(case)).content.decode()


def test_a_caseworker_refuses_it_with_a_reason_and_it_never_counts(
    client_for, lawyer, case, caseworker
):
    power = file_one(client_for, lawyer, case)
    office = client_for(caseworker)
    refuse = reverse("caseworker:power_refuse", args=[case.pk, power.pk])

    office.post(refuse, {"reason": ""})
    power.refresh_from_db()
    assert power.refused_at is None

    office.post(refuse, {"reason": "Not signed by the person."})
    power.refresh_from_db()
    assert power.refusal_reason == "Not signed by the person."
    assert client_for(lawyer).get(case_page(case)).status_code == 404
    assert "Not signed by the person." in office.get(caseworker_page(case)).content.decode()
    office.post(reverse("caseworker:power_verify", args=[case.pk, power.pk]))
    power.refresh_from_db()
    assert power.verified_at is None


def test_only_the_office_checks_it(client_for, lawyer, case, applicant):
    power = file_one(client_for, lawyer, case)
    for outsider in (lawyer, applicant):
        answer = client_for(outsider).post(
            reverse("caseworker:power_verify", args=[case.pk, power.pk])
        )
        assert answer.status_code == 403
    power.refresh_from_db()
    assert power.verified_at is None
