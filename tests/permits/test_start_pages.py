"""Where people start (issue 16): the home page, and a permit type's "before you start" page with
its documents, fee, decision deadline and who may apply, leading into the application."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.html import escape

from accounts.constants import Role
from permits.models import PermitType
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def before_you_start(code: str) -> str:
    return reverse("permits:before_you_start", args=[code])


def start_link(code: str) -> str:
    return f'href="{reverse("applications:start")}?type={code}"'


def home_actions(html: str) -> str:
    """The home page's list of ways on (the panels under the introduction)."""
    start = html.index('id="home-actions"')
    return html[start : html.index("</ul>", start)]


def meta_description(html: str) -> str:
    found = re.search(r'<meta name="description" content="([^"]*)">', html)
    assert found is not None
    return found.group(1)


# --- "Before you start" ---------------------------------------------------------------------------


def test_every_type_in_the_catalogue_has_a_page_with_its_fee_and_deadline(client_for):
    browser = client_for(None)
    permit_types = list(PermitType.objects.filter(is_active=True))
    assert len(permit_types) > 20

    for permit_type in permit_types:
        response = browser.get(before_you_start(permit_type.code))

        assert response.status_code == 200, permit_type.code
        html = response.content.decode()
        assert escape(permit_type.name_en) in html
        if not permit_type.handled_by_office:
            assert "Where to go instead" in html
            assert escape(permit_type.competent_authority_en) in html
            assert 'id="checklist"' not in html
            assert reverse("applications:start") not in html
            continue
        fee = html[html.index('id="fee"') : html.index('id="deadline"')]
        if permit_type.fee_czk:
            assert f"CZK {intcomma(permit_type.fee_czk)}" in fee
        else:
            assert "No fixed fee is listed here; the office will tell you." in fee
        deadline = html[html.index('id="deadline"') :]
        if permit_type.can_file_in_country or not permit_type.can_file_at_embassy:
            assert (
                f"{permit_type.decision_period_days} days when you apply in the Czech Republic"
                in deadline
            )
        if permit_type.can_file_at_embassy:
            assert (
                f"{permit_type.decision_period_days_abroad} days when you apply at an embassy"
                in deadline
            )


def test_the_page_lists_the_documents_who_may_apply_and_the_start_button(client_for):
    html = client_for(None).get(before_you_start("blue_card")).content.decode()

    permit_type = PermitType.objects.get(code="blue_card")
    assert "Before you start" in html
    assert escape(permit_type.guidance_en) in html  # who it is for
    assert "60 days when you apply in the Czech Republic" in html
    assert "180 days when you apply at an embassy" in html
    checklist = html[html.index('id="checklist"') :]
    for requirement in permit_type.requirements.select_related("document_kind"):
        assert escape(requirement.document_kind.name_en) in checklist
    assert "Only if the applicant is a minor" in checklist
    # The primary button leads into the application with the type chosen.
    assert re.search(
        r'<a class="gov-button" data-type="solid" data-color="primary" '
        + re.escape(start_link("blue_card"))
        + r' id="start-application">Start an application</a>',
        html,
    )


def test_the_fee_and_its_note_are_shown(client_for):
    html = client_for(None).get(before_you_start("card_replacement")).content.decode()
    assert "CZK 2,500" in html  # [001]
    assert escape(PermitType.objects.get(code="card_replacement").fee_note_en) in html


def test_family_reunification_takes_270_days(client_for):
    html = client_for(None).get(before_you_start("ltr_family")).content.decode()
    assert "270 days when you apply in the Czech Republic" in html  # [003]


def test_an_embassy_only_visa_has_no_online_start(client_for):
    html = client_for(None).get(before_you_start("long_term_visa")).content.decode()

    assert 'id="embassy-only"' in html
    assert "is applied for at a Czech embassy, not online." in html
    assert "180 days when you apply at an embassy" in html
    assert "when you apply in the Czech Republic" not in html
    assert reverse("applications:start") not in html


def test_an_anonymous_visitor_is_told_to_log_in_and_the_start_link_leads_there(client_for):
    browser = client_for(None)
    html = browser.get(before_you_start("employee_card")).content.decode()
    assert f'href="{reverse("accounts:signup")}"' in html

    response = browser.get(f"{reverse('applications:start')}?type=employee_card")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert (
        quote(f"{reverse('applications:start')}?type=employee_card", safe="/")
        in (response["Location"])
    )


def test_the_start_link_opens_the_application_with_the_type_chosen(client_for):
    applicant = UserFactory(role=Role.APPLICANT)
    browser = client_for(applicant)
    html = browser.get(before_you_start("employee_card")).content.decode()
    assert start_link("employee_card") in html
    assert f'href="{reverse("accounts:signup")}"' not in html

    response = browser.get(f"{reverse('applications:start')}?type=employee_card")

    assert response.status_code == 200
    assert response.context["form"].initial["permit_type"].code == "employee_card"


def test_unknown_and_switched_off_types_are_404(client_for):
    browser = client_for(None)
    assert browser.get(before_you_start("no_such_permit")).status_code == 404
    PermitType.objects.filter(code="ict_card_eu").update(is_active=False)
    assert browser.get(before_you_start("ict_card_eu")).status_code == 404


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_answers_in_every_language(client_for, language):
    response = client_for(None, language=language).get(before_you_start("employee_card"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" ' in html
    permit_type = PermitType.objects.get(code="employee_card")
    assert escape(getattr(permit_type, f"name_{language}")) in html
    for requirement in permit_type.requirements.select_related("document_kind"):
        assert escape(getattr(requirement.document_kind, f"name_{language}")) in html


def test_the_page_runs_a_fixed_number_of_queries(client_for, django_assert_max_num_queries):
    browser = client_for(None)
    with django_assert_max_num_queries(2):
        browser.get(before_you_start("employee_card"))


def test_the_type_page_and_the_catalogue_lead_to_it(client_for):
    browser = client_for(None)

    detail = browser.get(reverse("permits:detail", args=["employee_card"])).content.decode()
    assert f'href="{before_you_start("employee_card")}"' in detail

    catalogue = browser.get(reverse("permits:catalogue")).content.decode()
    for permit_type in PermitType.objects.filter(is_active=True):
        linked = f'href="{before_you_start(permit_type.code)}"' in catalogue
        assert linked is permit_type.handled_by_office, permit_type.code

    outside = browser.get(reverse("permits:detail", args=["citizenship"])).content.decode()
    assert before_you_start("citizenship") not in outside


def test_the_page_has_its_own_meta_description(client_for):
    html = client_for(None).get(before_you_start("employee_card")).content.decode()
    assert meta_description(html).startswith("What to prepare before you apply for Employee Card")


# --- Home page ------------------------------------------------------------------------------------


def test_home_says_what_the_service_is_and_leads_a_visitor_on(client_for):
    html = client_for(None).get(reverse("home")).content.decode()

    assert "<h1>Residence permits in the Czech Republic</h1>" in html
    assert "For foreign nationals from outside the European Union" in html
    actions = home_actions(html)
    for url in (
        reverse("permits:advisor"),
        reverse("applications:start"),  # a plain link: the log-in comes on the way
        reverse("accounts:login"),
        reverse("accounts:signup"),
    ):
        assert f'href="{url}"' in actions
    assert f'href="{reverse("applications:dashboard")}"' not in actions
    assert f'href="{reverse("contact")}"' in html
    description = meta_description(html)
    assert description.startswith("The Ministry of the Interior's online service")
    login_page = client_for(None).get(reverse("accounts:login")).content.decode()
    assert meta_description(login_page) != description


def test_home_leads_an_applicant_to_their_applications(client_for):
    html = client_for(UserFactory(role=Role.APPLICANT)).get(reverse("home")).content.decode()

    actions = home_actions(html)
    assert f'href="{reverse("applications:dashboard")}"' in actions
    assert f'href="{reverse("applications:start")}"' in actions
    assert f'href="{reverse("permits:advisor")}"' in actions
    assert f'href="{reverse("accounts:signup")}"' not in actions


@pytest.mark.parametrize(
    ("role", "url_name", "not_url_name"),
    [
        (Role.SUPPORT, "support:home", "applications:dashboard"),
        (Role.CASEWORKER, "caseworker:queue", "applications:dashboard"),
    ],
)
def test_home_leads_staff_to_their_work(client_for, role, url_name, not_url_name):
    html = client_for(UserFactory(role=role)).get(reverse("home")).content.decode()

    actions = home_actions(html)
    assert f'href="{reverse(url_name)}"' in actions
    assert f'href="{reverse(not_url_name)}"' not in actions
