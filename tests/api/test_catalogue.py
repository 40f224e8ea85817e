"""The permit catalogue through the API: public, the pages' facts, in the caller's language."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from permits import selectors
from permits.models import PermitType
from permits.views import checklist_of

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def test_the_catalogue_lists_every_published_type_without_a_token(api_client):
    response = api_client.get("/api/v1/permit-types/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    codes = [t["code"] for t in response.json()]
    assert codes == list(PermitType.objects.filter(is_active=True).values_list("code", flat=True))
    assert len(codes) >= 20


def test_an_unpublished_type_is_not_listed_and_is_a_404(api_client):
    hidden = PermitType.objects.filter(is_active=True).first()
    hidden.is_active = False
    hidden.save(update_fields=["is_active"])
    listed = [t["code"] for t in api_client.get("/api/v1/permit-types/").json()]
    assert hidden.code not in listed
    response = api_client.get(f"/api/v1/permit-types/{hidden.code}/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("language", ["en", "cs", "uk"])
def test_a_type_says_what_its_page_says_in_the_callers_language(api_client, language):
    code = "employee_card"
    body = api_client.get(f"/api/v1/permit-types/{code}/", HTTP_ACCEPT_LANGUAGE=language).json()
    with translation.override(language):
        permit_type = selectors.permit_type_detail(code)
        checklist = checklist_of(permit_type)
        assert body["name"] == permit_type.name
        assert [i["name"] for i in body["checklist"]] == [str(i.name) for i in checklist]
        assert [i["condition"] for i in body["checklist"]] == [str(i.condition) for i in checklist]
    assert body["decision_period_days"] == permit_type.decision_period_days
    assert body["fee_czk"] == permit_type.fee_czk
    assert body["can_apply_online"] is True


def test_names_differ_by_language(api_client):
    names = {
        language: api_client.get(
            "/api/v1/permit-types/employee_card/", HTTP_ACCEPT_LANGUAGE=language
        ).json()["name"]
        for language in ("en", "cs", "uk")
    }
    assert len(set(names.values())) == 3, names
    assert names["cs"] == "Zaměstnanecká karta"


def test_a_type_of_another_authority_says_where_to_go_and_has_no_checklist(api_client):
    other = PermitType.objects.filter(is_active=True, handled_by_office=False).first()
    assert other is not None
    body = api_client.get(f"/api/v1/permit-types/{other.code}/").json()
    assert body["handled_by_office"] is False
    assert body["checklist"] == []
    assert body["competent_authority"]


def test_the_list_costs_the_same_queries_however_many_types(api_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get("/api/v1/permit-types/").status_code == 200
        return len(queries)

    before = count()
    PermitType.objects.filter(is_active=False).update(is_active=True)
    template = PermitType.objects.get(code="employee_card")
    for n in range(5):
        template.pk = None
        template.code = f"copy_{n}"
        template.save()
    assert count() == before == 2


ADVISOR = "/api/v1/advisor/"
WORK = {
    "purpose": "work",
    "length": "over_a_year",
    "status": "outside",
    "nationality": "third_country",
}


def test_the_advisor_suggests_what_its_page_suggests(api_client):
    from permits.advisor import Answers, suggest

    response = api_client.post(ADVISOR, WORK, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.json()
    expected = [
        s.code
        for s in suggest(
            Answers(**{**WORK, "years_in_czech_republic": None, "holds_eu_blue_card": False})
        )
        if s.is_permit_type
    ]
    assert [s["code"] for s in response.json() if s["code"]] == expected
    assert response.json()[0]["reasons"]


def test_the_advisor_refuses_an_unknown_answer_in_the_callers_language(api_client):
    response = api_client.post(
        ADVISOR, {**WORK, "purpose": "holiday"}, format="json", HTTP_ACCEPT_LANGUAGE="cs"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    [error] = response.json()["errors"]
    assert error["pointer"] == "#/purpose"
    assert error["detail"] == '"holiday" není platnou možností.'


def test_the_advisor_refuses_a_body_that_is_not_an_object(api_client):
    # Found by schemathesis: a JSON array answered 500.
    response = api_client.post(ADVISOR, [None, None], format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
