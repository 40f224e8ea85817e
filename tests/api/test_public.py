"""The public API (no token): the catalogue and the advisor against their pages, and the two
self-check calculators (``api.public``) against their pages' forms and functions.

Worked examples of the calculators are the ones counted by hand in
tests/permits/test_views_calculators.py.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from permits.calculators import ResidenceKind, ResidencePeriod, Stay
from permits.models import PermitType
from permits.views import residence_answer, schengen_answer

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
SCHENGEN = "/api/v1/calculators/schengen/"
PR = "/api/v1/calculators/permanent-residence/"
ADVISOR = "/api/v1/advisor/"
WORK = {
    "purpose": "work",
    "length": "over_a_year",
    "status": "outside",
    "nationality": "third_country",
}
WORKED_SCHENGEN = {
    "stays": [{"entry": "2025-01-01", "exit": "2025-02-14"}],
    "check_date": "2025-03-01",
    "planned_entry": "2025-04-01",
    "planned_exit": "2025-05-31",
}
WORKED_PR = {
    "periods": [
        {"kind": "study", "start": "2018-09-01", "end": "2022-08-31"},
        {"kind": "long_term_residence", "start": "2022-09-01", "end": "2025-08-31"},
    ]
}


def texts(pattern: str, page: str) -> list[str]:
    """The text of every match of ``pattern``'s group in ``page``, unescaped and trimmed."""
    return [html.unescape(m).strip() for m in re.findall(pattern, page, flags=re.S)]


def page(url: str, language: str, **query: str) -> str:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(url, query)
    assert response.status_code == 200
    return response.content.decode()


# --- Anyone may ask -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/permit-types/", None),
        ("get", "/api/v1/permit-types/employee_card/", None),
        ("post", ADVISOR, WORK),
        ("post", SCHENGEN, WORKED_SCHENGEN),
        ("post", PR, WORKED_PR),
    ],
)
def test_every_public_endpoint_answers_without_a_token_in_the_callers_language(
    api_client, method, url, body
):
    response = getattr(api_client, method)(url, body, format="json", HTTP_ACCEPT_LANGUAGE="cs")
    assert response.status_code == 200, response.content
    assert response["Content-Language"] == "cs"
    # Caches must keep one answer per language.
    assert "Accept-Language" in response["Vary"]
    # A token is not looked at: a revoked or made-up one does not turn the answer into a 401.
    api_client.credentials(HTTP_AUTHORIZATION="Bearer rpat_not-a-token")
    assert getattr(api_client, method)(url, body, format="json").status_code == 200


@pytest.mark.parametrize("url", [SCHENGEN, PR])
def test_the_calculators_only_take_a_post(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM
    assert response["Allow"] == "POST, OPTIONS"


# --- The catalogue says what its pages say --------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "cs"])
def test_the_list_names_the_types_the_catalogue_page_links_to(api_client, language):
    listed = api_client.get("/api/v1/permit-types/", HTTP_ACCEPT_LANGUAGE=language).json()
    linked = re.findall(
        r'class="permit-name permit-list__name" href="/permits/([\w-]+)/">(.*?)</a>',
        page(reverse("permits:catalogue"), language),
    )
    assert {t["code"]: t["name"] for t in listed} == {
        code: html.unescape(name) for code, name in linked
    }
    assert len(listed) >= 20


@pytest.mark.parametrize("language", ["en", "cs"])
@pytest.mark.parametrize("code", ["employee_card", "card_replacement"])
def test_a_type_says_what_its_page_shows(api_client, language, code):
    body = api_client.get(f"/api/v1/permit-types/{code}/", HTTP_ACCEPT_LANGUAGE=language).json()
    shown = page(reverse("permits:detail", args=[code]), language)

    assert texts(r'<h1 class="permit-name">(.*?)</h1>', shown) == [body["name"]]
    assert texts(r'<strong class="permit-checklist__name">(.*?)</strong>', shown) == [
        item["name"] for item in body["checklist"]
    ]
    conditions = texts(r"<p class=\"small\"><strong>[^<]*</strong>(.*?)</p>", shown)
    assert conditions == [item["condition"] for item in body["checklist"]]
    assert len(body["checklist"]) >= 2
    assert f"{body['decision_period_days']} " in shown
    if body["fee_note"]:
        assert html.escape(body["fee_note"]) in shown
    if language == "en":
        assert f"{body['decision_period_days']} days when you apply in the Czech Republic" in shown
        if body["fee_czk"]:
            assert f"CZK {body['fee_czk']:,}" in shown
        else:
            assert "No fixed fee is listed here" in shown
    elif code == "employee_card":
        assert body["name"] == "Zaměstnanecká karta"


def test_the_fee_and_its_note_are_in_the_callers_language(api_client):
    notes = {
        language: api_client.get(
            "/api/v1/permit-types/card_replacement/", HTTP_ACCEPT_LANGUAGE=language
        ).json()
        for language in ("en", "cs")
    }
    assert notes["en"]["fee_czk"] == notes["cs"]["fee_czk"] == 2500
    assert notes["en"]["fee_note"].startswith("Holders of asylum")
    assert notes["cs"]["fee_note"].startswith("Azylanti")


def test_a_name_in_ukrainian_is_the_pages(api_client):
    body = api_client.get("/api/v1/permit-types/employee_card/", HTTP_ACCEPT_LANGUAGE="uk").json()
    shown = page(reverse("permits:detail", args=["employee_card"]), "uk")
    assert texts(r'<h1 class="permit-name">(.*?)</h1>', shown) == [body["name"]]
    assert body["name"] == PermitType.objects.values_list("name_uk", flat=True).get(
        code="employee_card"
    )
    assert body["name"] not in {"Employee Card", "Zaměstnanecká karta"}


def test_an_unknown_type_is_a_404_problem(api_client):
    response = api_client.get("/api/v1/permit-types/no_such_permit/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"] == "/api/v1/problems/not-found/"


def test_the_list_costs_the_same_queries_for_few_or_many_types(api_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get("/api/v1/permit-types/").status_code == 200
        return len(captured)

    published = PermitType.objects.filter(is_active=True)
    all_of_them = queries()
    published.exclude(code="employee_card").update(is_active=False)
    just_one = queries()
    assert just_one == all_of_them == 2


# --- The advisor suggests what its page suggests --------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        WORK,
        {**WORK, "purpose": "study"},
        {
            "purpose": "work",
            "length": "over_a_year",
            "status": "long_term_residence",
            "nationality": "third_country",
            "years_in_czech_republic": 6,
        },
    ],
)
def test_the_advisor_suggests_the_cards_of_its_page(api_client, answers):
    suggested = api_client.post(ADVISOR, answers, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert suggested.status_code == 200, suggested.content
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("permits:advisor"), answers)
    cards = response.context["cards"]
    assert cards
    assert [(s["code"], s["title"]) for s in suggested.json()] == [
        (card.permit_type.code if card.permit_type else None, card.title) for card in cards
    ]
    assert [s["reasons"] for s in suggested.json()] == [
        [str(reason) for reason in card.suggestion.reasons] for card in cards
    ]


def test_the_advisor_refuses_what_its_form_refuses_in_czech(api_client):
    response = api_client.post(
        ADVISOR,
        {**WORK, "years_in_czech_republic": 150, "length": ""},
        format="json",
        HTTP_ACCEPT_LANGUAGE="cs",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    pointers = {e["pointer"]: e["detail"] for e in response.json()["errors"]}
    assert set(pointers) == {"#/length", "#/years_in_czech_republic"}
    assert "99" in pointers["#/years_in_czech_republic"]
    assert response.json()["title"] == "Požadavek obsahuje chyby"


# --- Schengen 90/180 ------------------------------------------------------------------------------


def test_schengen_worked_example_answers_as_the_page(api_client):
    # 45 days in January-February 2025; a trip from 1 April breaks the rule on 16 May.
    response = api_client.post(SCHENGEN, WORKED_SCHENGEN, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "check_date": "2025-03-01",
        "window_start": "2024-09-03",
        "days_used": 45,
        "days_remaining": 45,
        "stays_violation": None,
        "latest_stay": "2025-04-14",
        "planned_trip": {
            "entry": "2025-04-01",
            "exit": "2025-05-31",
            "allowed": False,
            "first_violation": "2025-05-16",
            "latest_exit": "2025-05-15",
            "days_remaining_on_entry": 45,
        },
    }


@pytest.mark.parametrize(
    ("stays", "check_date", "planned"),
    [
        # 10 days in January, then a 20-day trip in March: within the rule.
        ([(date(2025, 1, 1), date(2025, 1, 10))], date(2025, 2, 1), (2025, 3, 1, 2025, 3, 20)),
        # 91 days from 1 January: the stays alone break the rule on 1 April.
        ([(date(2025, 1, 1), date(2025, 4, 1))], date(2025, 4, 1), None),
        # Overlapping stays count each day once; no stays at all leave 90 days.
        (
            [(date(2024, 12, 1), date(2024, 12, 31)), (date(2024, 12, 20), date(2025, 1, 5))],
            date(2025, 1, 5),
            None,
        ),
        ([], date(2025, 6, 1), None),
    ],
)
def test_schengen_answers_as_the_calculator(api_client, stays, check_date, planned):
    body = {
        "stays": [{"entry": a.isoformat(), "exit": b.isoformat()} for a, b in stays],
        "check_date": check_date.isoformat(),
    }
    trip = None
    if planned:
        trip = Stay(entry=date(*planned[:3]), exit=date(*planned[3:]))
        body |= {"planned_entry": trip.entry.isoformat(), "planned_exit": trip.exit.isoformat()}

    got = api_client.post(SCHENGEN, body, format="json").json()

    expected = schengen_answer([Stay(entry=a, exit=b) for a, b in stays], check_date, trip)
    assert got["days_used"] == expected.days_used
    assert got["days_remaining"] == expected.days_remaining
    assert got["stays_violation"] == (
        expected.stays_violation and expected.stays_violation.isoformat()
    )
    assert got["latest_stay"] == (expected.latest_stay and expected.latest_stay.isoformat())
    if expected.trip:
        assert got["planned_trip"]["allowed"] == expected.trip.allowed
    else:
        assert got["planned_trip"] is None


def test_schengen_counts_up_to_today_in_prague_without_a_check_date(api_client):
    # 23:30 UTC on 28 February 2025 is already 1 March in Prague: the worked example's day.
    with time_machine.travel(datetime(2025, 2, 28, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        response = api_client.post(SCHENGEN, {"stays": WORKED_SCHENGEN["stays"]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["check_date"] == "2025-03-01"
    assert (response.json()["days_used"], response.json()["latest_stay"]) == (45, "2025-04-14")


def test_schengen_refuses_what_the_page_refuses_with_pointers_in_czech(api_client):
    body = {
        "stays": [
            {"entry": "2025-01-01", "exit": "2025-01-10"},
            {"entry": "2025-03-10", "exit": "2025-03-01"},
            {"entry": "1900-01-01", "exit": "1900-01-02"},
        ],
        "check_date": "2025-04-01",
        "planned_entry": "2025-06-01",
    }

    response = api_client.post(SCHENGEN, body, format="json", HTTP_ACCEPT_LANGUAGE="cs")

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    errors = {(e["pointer"], e["detail"]) for e in response.json()["errors"]}
    assert errors == {
        ("#/stays/1/exit", "Den vycestování nemůže předcházet dni vstupu."),
        ("#/stays/2/entry", "Zadejte datum mezi lety 1950 a 2100."),
        ("#/stays/2/exit", "Zadejte datum mezi lety 1950 a 2100."),
        ("#/planned_exit", "Zadejte den vycestování při plánované cestě."),
    }


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"stays": [{"entry": "2025-02-30", "exit": "2025-03-02"}]}, "#/stays/0/entry"),
        ({"stays": [{"entry": "2025-03-01"}]}, "#/stays/0/exit"),
        ({}, "#/stays"),
        ({"stays": [{"entry": "2025-01-01", "exit": "2025-01-02"}] * 21}, "#/stays"),
        ({"stays": [], "check_date": "9999-12-31"}, "#/check_date"),
        ({"stays": [], "planned_exit": "2025-01-02"}, "#/planned_entry"),
        ([None], "#"),
    ],
)
def test_schengen_refuses_input_that_is_not_a_calculation(api_client, body, pointer):
    with time_machine.travel(date(2025, 3, 1), tick=False):
        response = api_client.post(SCHENGEN, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert [e["pointer"] for e in response.json()["errors"]] == [pointer]


def test_schengen_takes_json_only(api_client):
    response = api_client.post(
        SCHENGEN, "check_date=2025-03-01", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert response["Content-Type"] == PROBLEM


def test_the_calculators_store_nothing_and_read_nothing(api_client):
    with CaptureQueriesContext(connection) as captured:
        assert api_client.post(SCHENGEN, WORKED_SCHENGEN, format="json").status_code == 200
        assert api_client.post(PR, WORKED_PR, format="json").status_code == 200
    assert len(captured) == 0


# --- Permanent residence --------------------------------------------------------------------------


def test_permanent_residence_worked_example_answers_as_the_page(api_client):
    # Four years' study count half (730.5 days), residence from 1 September 2022 the rest.
    response = api_client.post(PR, WORKED_PR, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "counted_total": 1826.5,
        "last_counted_day": "2025-08-31",
        "counted_in_current_run": 1826.5,
        "met_on": "2025-08-31",
        "days_missing": 0,
        "projected_on": None,
        "breaks": [],
        "five_years_in_days": 1826,
    }


@pytest.mark.parametrize(
    "periods",
    [
        # A short-term visa in January 2021 breaks continuity: 731 days missing.
        [
            ("long_term_visa", date(2020, 1, 1), date(2020, 12, 31)),
            ("short_term", date(2021, 1, 1), date(2021, 1, 31)),
            ("long_term_residence", date(2021, 2, 1), date(2024, 1, 31)),
        ],
        # Six years before a break do not count.
        [
            ("long_term_residence", date(2010, 1, 1), date(2015, 12, 31)),
            ("long_term_residence", date(2023, 1, 1), date(2026, 12, 31)),
        ],
        # Five calendar years with two leap days.
        [("long_term_residence", date(2020, 1, 1), date(2025, 6, 30))],
        # Only short-term stays: nothing counts.
        [("short_term", date(2024, 1, 1), date(2024, 3, 1))],
    ],
)
def test_permanent_residence_answers_as_the_calculator(api_client, periods):
    body = {
        "periods": [
            {"kind": kind, "start": start.isoformat(), "end": end.isoformat()}
            for kind, start, end in periods
        ]
    }

    got = api_client.post(PR, body, format="json").json()

    expected = residence_answer(
        [ResidencePeriod(kind=ResidenceKind(k), start=s, end=e) for k, s, e in periods]
    )
    iso = lambda day: day and day.isoformat()  # noqa: E731
    assert got == {
        "counted_total": float(expected.counted_total),
        "last_counted_day": iso(expected.last_counted_day),
        "counted_in_current_run": float(expected.counted_in_current_run),
        "met_on": iso(expected.met_on),
        "days_missing": expected.days_missing,
        "projected_on": iso(expected.projected_on),
        "breaks": [{"first": a.isoformat(), "last": b.isoformat()} for a, b in expected.breaks],
        "five_years_in_days": expected.five_years_in_days,
    }


def test_permanent_residence_refuses_what_the_page_refuses_in_czech(api_client):
    body = {
        "periods": [
            {"kind": "study", "start": "2022-09-01", "end": "2018-09-01"},
            {"kind": "holiday", "start": "2023-01-01", "end": "2023-12-31"},
        ]
    }
    response = api_client.post(PR, body, format="json", HTTP_ACCEPT_LANGUAGE="cs")
    assert response.status_code == 400
    assert [e["pointer"] for e in response.json()["errors"]] == ["#/periods/1/kind"]

    del body["periods"][1]
    response = api_client.post(PR, body, format="json", HTTP_ACCEPT_LANGUAGE="cs")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"pointer": "#/periods/0/end", "detail": "Poslední den nemůže předcházet prvnímu dni."}
    ]


def test_permanent_residence_needs_a_period(api_client):
    response = api_client.post(PR, {"periods": []}, format="json", HTTP_ACCEPT_LANGUAGE="cs")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"pointer": "#/periods", "detail": "Zadejte alespoň jedno období pobytu."}
    ]
