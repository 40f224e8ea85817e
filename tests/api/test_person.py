"""The person's notices and their data export through the API."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from api import scopes
from privacy.constants import Action
from privacy.models import AccessEvent
from tests.api.conftest import run_outbox
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_notices_are_the_callers_in_the_language_asked(api_as, applicant, other_applicant):
    ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    ApplicationFactory(applicant=other_applicant.applicants.get(), filed=True)
    run_outbox()  # the notices of the filings, as the workers would make them
    client = api_as(applicant, [scopes.NOTIFICATIONS_READ])
    english = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    czech = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="cs").json()["results"]
    assert english and len(english) == len(czech)
    assert {n["application_id"] for n in english} == {
        applicant.applicants.get().applications.get().pk
    }
    assert english[0]["subject"] != czech[0]["subject"]
    assert AccessEvent.objects.filter(action=Action.API_READ, detail__what="notifications").exists()


def test_notices_need_their_scope(api_as, applicant):
    assert api_as(applicant, [scopes.CASES_READ]).get("/api/v1/notifications/").status_code == 403


def test_the_export_is_the_profiles_archive_and_is_recorded(api_as, applicant):
    ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    response = api_as(applicant, [scopes.EXPORT_READ]).get("/api/v1/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist()
    event = AccessEvent.objects.get(action=Action.DATA_EXPORT)
    assert event.actor == applicant
    assert event.detail["via"] == "api" and event.detail["cases"] == 1
