"""CSV exports neutralise formulas (OWASP CSV injection): a cell a spreadsheet would run as a
formula, whatever a person typed into their data, comes out as text with a leading apostrophe.

Tab and carriage return count too: spreadsheets skip them before a formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from applications.queues import Tab
from tests.applications.factories import ApplicantFactory, ApplicationFactory

pytestmark = pytest.mark.django_db


def exported_surnames(client) -> list[str]:
    response = client.get(reverse("caseworker:queue_export", args=[Tab.NEW]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    return [row[1] for row in rows[1:]]


@pytest.mark.parametrize(
    "surname",
    ["\t=1+1", "\r=1+1", "=1+1", "+1+1", "-1+1", "@SUM(1,1)"],
    ids=["tab", "carriage-return", "equals", "plus", "minus", "at"],
)
def test_a_cell_that_starts_a_formula_is_exported_as_text(client, caseworker, surname):
    # Filed with that surname: the list shows the person as filed (SPEC §2).
    ApplicationFactory(applicant=ApplicantFactory(surname=surname), filed=True)
    client.force_login(caseworker)

    [exported] = exported_surnames(client)

    assert exported.startswith("'" + surname)


def test_ordinary_text_is_exported_as_it_is(client, caseworker):
    ApplicationFactory(applicant=ApplicantFactory(surname="Nováková"), filed=True)
    client.force_login(caseworker)

    [exported] = exported_surnames(client)

    assert exported.startswith("Nováková")
