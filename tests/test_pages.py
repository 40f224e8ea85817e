"""The pages every public-administration site has (issue 16): contact and help, the accessibility
statement (Act No. 99/2019 Coll.) and how personal data are processed."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.constants import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
PAGES = ("contact", "accessibility", "privacy_notice")
POSTAL_ADDRESS = (
    "Ministerstvo vnitra České republiky",
    "Odbor azylové a migrační politiky",
    "Nad Štolou 936/3",
    "170 34 Praha 7",
)


def page(client_for, name: str, user=None) -> str:
    response = client_for(user).get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def main(html: str) -> str:
    return html[html.index('<main id="main"') : html.index("</main>")]


def postal_address(html: str) -> str:
    found = re.search(
        r'<address class="panel postal-address" lang="cs">(.*?)</address>', html, re.S
    )
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_the_pages_answer_in_every_language_with_their_own_description(client_for, name, language):
    response = client_for(None, language=language).get(reverse(name))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" ' in html
    description = re.search(r'<meta name="description" content="([^"]+)">', html)
    home = client_for(None, language=language).get(reverse("home")).content.decode()
    assert description is not None
    assert description.group(0) not in home


@pytest.mark.parametrize("name", PAGES)
def test_no_invented_telephone_e_mail_or_data_box(client_for, name):
    text = main(page(client_for, name))
    assert "@" not in text
    assert not re.search(r"\+420|\b\d{3} \d{3} \d{3}\b", text)  # a Czech telephone number
    assert "datov" not in text.lower() and "data box" not in text.lower()


# --- Contact and help -----------------------------------------------------------------------------


def test_contact_tells_how_to_get_help_and_where_to_write(client_for):
    html = page(client_for, "contact")

    assert "<h1>Contact and help</h1>" in html
    support = html[html.index('id="support-centres"') :]
    assert "Support centres help people who cannot file an application alone." in support  # [000]
    address = postal_address(html)
    for line in POSTAL_ADDRESS:
        assert line in address
    for url in ("permits:catalogue", "permits:advisor", "accessibility", "privacy_notice"):
        assert f'href="{reverse(url)}"' in main(html)


# --- Accessibility statement ----------------------------------------------------------------------


def test_the_accessibility_statement_has_the_parts_the_act_asks_for(client_for):
    html = page(client_for, "accessibility")

    assert "Act No. 99/2019 Coll." in html
    conformity = html[html.index('id="conformity"') : html.index('id="limitations"')]
    assert "EN 301 549" in conformity and "WCAG" in conformity and "2.1" in conformity
    assert "partially conformant" in conformity
    limitations = html[html.index('id="limitations"') : html.index('id="assessment"')]
    assert "PDF" in limitations
    assert "Cyrillic" in limitations
    assert "sign language" in limitations and "easy-to-read" in limitations
    assessment = html[html.index('id="assessment"') : html.index('id="feedback"')]
    assert '<time datetime="2026-12-04">4 December 2026</time>' in assessment
    assert "axe-core" in assessment and "Lighthouse" in assessment
    assert "keyboard" in assessment and "375 pixels" in assessment
    feedback = html[html.index('id="feedback"') :]
    for line in POSTAL_ADDRESS:
        assert line in postal_address(feedback)


# --- Personal data --------------------------------------------------------------------------------


def test_the_privacy_notice_names_the_controller_the_basis_and_the_rights(client_for):
    html = page(client_for, "privacy_notice")

    controller = html[html.index('id="controller"') : html.index('id="data"')]
    assert "The controller of your personal data is the Ministry of the Interior" in controller
    for line in POSTAL_ADDRESS:
        assert line in postal_address(controller)
    basis = html[html.index('id="legal-basis"') : html.index('id="retention"')]
    assert "Article 6(1)(c)" in basis and "Article 6(1)(e)" in basis
    assert "Act No. 326/1999 Coll." in basis
    rights = html[html.index('id="rights"') :]
    assert f'href="{reverse("privacy:export")}"' in rights  # access: the portal's own export
    for right in ("Access.", "Rectification.", "Objection.", "Complaint."):
        assert f"<strong>{right}</strong>" in rights
    assert "ÚOOÚ" in rights


def test_the_privacy_notice_states_the_periods_the_retention_job_applies(client_for):
    # The notice says "ten years": it must change with the settings the job reads.
    assert settings.RETENTION_CLOSED_CASES_DAYS == 3650
    assert settings.ACCESS_LOG_RETENTION_DAYS == 3650

    html = page(client_for, "privacy_notice")

    retention = html[html.index('id="retention"') : html.index('id="rights"')]
    assert "Ten years after the proceedings closed" in retention
    assert "is kept while the permit is valid and is anonymised ten years after it expired" in (
        retention
    )
    assert "The record of who opened your data and of log-ins is kept for ten years." in retention


def test_a_signed_in_person_downloads_their_data_from_the_link(client_for):
    person = UserFactory(role=Role.APPLICANT)
    html = page(client_for, "privacy_notice", person)
    assert f'href="{reverse("privacy:export")}"' in html
    assert client_for(person).get(reverse("privacy:export")).status_code == 200
