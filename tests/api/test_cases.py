"""A person's applications through the API: the list, a case, a draft's answers, declarations
and filing (``api.cases``); the documents are in test_case_documents.py."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import scopes
from api.models import IdempotencyRecord
from applications.checks import required_document_kinds
from applications.constants import Relation, Status
from applications.models import Application
from privacy.constants import Action
from privacy.models import AccessEvent
from tests.applications.factories import ApplicantFactory, ApplicationFactory, pdf_bytes

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
# A Tuesday in Prague, away from holidays and clock changes.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def api(api_as):
    """``api(user, scopes)``: a client with a fresh token, asking for English answers."""

    def make(user, scope_list=scopes.ALL):
        return api_as(user, scope_list, HTTP_ACCEPT_LANGUAGE="en")

    return make


def own_application(user, **kwargs) -> Application:
    return ApplicationFactory(applicant=user.applicants.get(), **kwargs)


def case_url(application: Application, tail: str = "") -> str:
    return f"/api/v1/applications/{application.pk}/{tail}"


def if_match(version: int) -> dict[str, str]:
    return {"HTTP_IF_MATCH": f'"{version}"'}


def api_reads() -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(action=Action.API_READ).order_by("pk"))


# --- The journey -----------------------------------------------------------------------------


def test_create_answer_upload_declare_and_file(api, applicant):
    client = api(applicant, [scopes.CASES_READ, scopes.CASES_WRITE])

    created = client.post(
        "/api/v1/applications/", {"permit_type": "employee_card"}, HTTP_IDEMPOTENCY_KEY="start-1"
    )
    assert created.status_code == 201, created.json()
    case = created.json()
    application = Application.objects.get()
    assert application.applicant.account == applicant
    assert created["Location"].endswith(f"/api/v1/applications/{application.pk}/")
    assert created["ETag"] == f'"{case["version"]}"'
    assert case["status"] == "draft"
    assert case["permit_type"] == "employee_card"
    assert case["reference_number"] is None
    assert case["flags"]["can_edit"] and not case["flags"]["can_file"]
    assert "The declarations have not been confirmed." in case["filing_problems"]
    kinds = [item["kind"] for item in case["checklist"]]
    assert kinds == [kind.code for kind in required_document_kinds(application)]

    questions = client.get(case_url(application, "questions/")).json()
    by_key = {q["key"]: q for q in questions}
    assert by_key["monthly_salary_czk"]["kind"] == "decimal"
    assert by_key["vacancy_number"]["pattern"]
    # Filed online: the question for applications filed abroad is not asked.
    assert "files_in_state_of_residence" not in by_key

    answered = client.patch(
        case_url(application, "answers/"),
        {
            "answers": {
                "monthly_salary_czk": "45 000",
                "weekly_hours": 40,
                "vacancy_number": "12345678",
            }
        },
        **if_match(case["version"]),
    )
    assert answered.status_code == 200, answered.json()
    case = answered.json()
    assert case["answers"]["monthly_salary_czk"] == "45000"
    assert case["answers"]["statutory_body_member"] is False
    assert answered["ETag"] == f'"{case["version"]}"'
    # The vacancy number typed in takes the place of its document [004].
    assert "vacancy_number" in kinds
    kinds = [item["kind"] for item in case["checklist"]]
    application.refresh_from_db()
    assert kinds == [kind.code for kind in required_document_kinds(application)]
    assert "vacancy_number" not in kinds

    for kind in kinds:
        uploaded = client.post(
            case_url(application, "documents/"),
            {
                "kind": kind,
                "file": SimpleUploadedFile(f"{kind}.pdf", pdf_bytes(kind), "application/pdf"),
            },
            format="multipart",
            **if_match(case["version"]),
        )
        assert uploaded.status_code == 201, uploaded.json()["errors"]

    declared = client.post(
        case_url(application, "declarations/"),
        {"truthful": True, "consent": True},
        **if_match(case["version"]),
    )
    assert declared.status_code == 200, declared.json()
    case = declared.json()
    assert case["declarations_confirmed_at"] is not None
    assert case["filing_problems"] == []
    assert case["flags"]["can_file"] is True

    filed = client.post(case_url(application, "file/"), **if_match(case["version"]))
    assert filed.status_code == 200, filed.json()
    case = filed.json()
    application.refresh_from_db()
    assert application.status == Status.FILED
    assert case["status"] == "filed"
    assert case["reference_number"] == application.reference_number
    assert case["decision_due"] == application.decision_due.isoformat()
    assert case["filed_on"] == "2026-03-10"
    assert filed["ETag"] == f'"{application.version}"'
    assert case["flags"]["can_edit"] is False
    assert len(case["documents"]) == len(kinds)


def test_a_draft_for_a_child_the_account_holder_represents(api, applicant):
    child = ApplicantFactory(account=applicant, relation=Relation.CHILD)
    client = api(applicant)
    # Two people to choose between: the request says which.
    refused = client.post("/api/v1/applications/", {"permit_type": "employee_card"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["pointer"] == "#/applicant"

    created = client.post(
        "/api/v1/applications/", {"permit_type": "employee_card", "applicant": child.pk}
    )
    assert created.status_code == 201
    assert created.json()["applicant"] == child.pk
    assert Application.objects.get().applicant == child


def test_a_draft_for_someone_else_or_of_an_unknown_type_is_refused(api, applicant, other_applicant):
    client = api(applicant)
    stranger = other_applicant.applicants.get()
    response = client.post(
        "/api/v1/applications/", {"permit_type": "employee_card", "applicant": stranger.pk}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "#/applicant"
    response = client.post("/api/v1/applications/", {"permit_type": "no_such_type"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "#/permit_type"
    assert not Application.objects.exists()


# --- The list --------------------------------------------------------------------------------


def test_the_list_holds_the_callers_and_their_childrens_cases_only(api, applicant, other_applicant):
    mine = own_application(applicant)
    child = ApplicantFactory(account=applicant, relation=Relation.CHILD)
    childs = ApplicationFactory(applicant=child)
    own_application(other_applicant)

    response = api(applicant, [scopes.CASES_READ]).get("/api/v1/applications/")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [childs.pk, mine.pk]
    assert rows[0]["next_step"] == {"code": "draft", "due": None, "needs_action": True}
    assert rows[0]["links"]["self"] == f"/api/v1/applications/{childs.pk}/"


def test_the_list_filters_by_status_and_type(api, applicant):
    draft = own_application(applicant)
    filed = own_application(applicant, filed=True)
    client = api(applicant)

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/applications/?{query}")
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert ids("status=filed") == [filed.pk]
    assert ids("status=draft") == [draft.pk]
    assert ids("permit_type=employee_card") == [filed.pk, draft.pk]
    assert ids("permit_type=blue_card") == []
    assert client.get("/api/v1/applications/?status=lost").status_code == 400


def test_the_list_pages_with_a_cursor(api, applicant):
    cases = [own_application(applicant) for _ in range(3)]
    client = api(applicant)
    first = client.get("/api/v1/applications/?page_size=2").json()
    assert [row["id"] for row in first["results"]] == [cases[2].pk, cases[1].pk]
    second = client.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == [cases[0].pk]
    assert second["next"] is None


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_2_and_20_cases(api, applicant):
    client = api(applicant)
    for _ in range(2):
        own_application(applicant)
    own_application(applicant, filed=True)
    client.get("/api/v1/applications/")  # the token's first use records when it was used
    few = _queries(client, "/api/v1/applications/")
    for _ in range(17):
        own_application(applicant)
    many = _queries(client, "/api/v1/applications/")
    assert few == many


def test_the_case_costs_the_same_queries_for_2_and_20_documents(api, applicant):
    from tests.applications.factories import add_required_documents

    application = own_application(applicant)
    client = api(applicant)
    add_required_documents(application)
    client.get(case_url(application))
    few = _queries(client, case_url(application))
    for _ in range(4):
        add_required_documents(application)
    assert application.documents.count() >= 20
    many = _queries(client, case_url(application))
    assert few == many


# --- One case --------------------------------------------------------------------------------


def test_the_case_shows_the_documents_flags_and_its_version(api, applicant):
    application = own_application(applicant, filed=True)
    response = api(applicant, [scopes.CASES_READ]).get(case_url(application))
    assert response.status_code == 200
    case = response.json()
    assert response["ETag"] == f'"{application.version}"'
    assert case["version"] == application.version
    assert case["reference_number"] == application.reference_number
    assert case["decision_due"] == application.decision_due.isoformat()
    assert case["flags"]["can_withdraw"] is True
    assert case["flags"]["can_upload"] is False
    assert case["checklist"] == []
    document = application.documents.order_by("sub_number").first()
    shown = case["documents"][0]
    assert shown["id"] == document.pk
    assert shown["kind"] == document.kind.code
    assert shown["name"] == document.original_name
    assert shown["verification"] == "pending"
    assert shown["size"] == document.size
    assert shown["content_type"] == "application/pdf"
    assert shown["links"]["file"] == (
        f"/api/v1/applications/{application.pk}/documents/{document.pk}/file"
    )
    assert "url" not in shown and "path" not in shown


@pytest.mark.parametrize(
    ("method", "tail", "data"),
    [
        ("get", "", None),
        ("get", "questions/", None),
        ("patch", "answers/", {"answers": {"weekly_hours": 20}}),
        ("post", "declarations/", {"truthful": True, "consent": True}),
        ("post", "file/", None),
        ("delete", "", None),
    ],
)
def test_another_persons_case_is_a_404(api, applicant, other_applicant, method, tail, data):
    theirs = own_application(other_applicant, ready=True)
    before = Application.objects.get(pk=theirs.pk)
    client = api(applicant)
    response = getattr(client, method)(case_url(theirs, tail), data, **if_match(theirs.version))
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    after = Application.objects.get(pk=theirs.pk)
    assert (after.version, after.status, after.answers) == (
        before.version,
        before.status,
        before.answers,
    )
    assert not api_reads()


@pytest.mark.parametrize(
    ("granted", "method", "tail", "data", "needed"),
    [
        ([scopes.CASES_WRITE], "get", "", None, scopes.CASES_READ),
        ([scopes.DECISIONS_READ], "get", "questions/", None, scopes.CASES_READ),
        ([scopes.CASES_READ], "patch", "answers/", {"answers": {}}, scopes.CASES_WRITE),
        ([scopes.CASES_READ], "post", "file/", None, scopes.CASES_WRITE),
        ([scopes.CASES_READ], "delete", "", None, scopes.CASES_WRITE),
    ],
)
def test_a_token_without_the_scope_gets_a_403_problem(
    api, applicant, granted, method, tail, data, needed
):
    application = own_application(applicant)
    client = api(applicant, granted)
    response = getattr(client, method)(
        case_url(application, tail), data, **if_match(application.version)
    )
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert needed in response.json()["detail"]
    assert Application.objects.filter(pk=application.pk, version=application.version).exists()


def test_a_read_only_token_cannot_start_a_draft(api, applicant):
    response = api(applicant, [scopes.CASES_READ]).post(
        "/api/v1/applications/", {"permit_type": "employee_card"}
    )
    assert response.status_code == 403
    assert not Application.objects.exists()


# --- Answers -------------------------------------------------------------------------------


def test_answers_merge_with_those_stored_and_null_removes_one(api, applicant):
    application = own_application(applicant)
    client = api(applicant)
    first = client.patch(
        case_url(application, "answers/"),
        {"answers": {"weekly_hours": "40", "vacancy_number": "12345678"}},
        **if_match(application.version),
    ).json()
    second = client.patch(
        case_url(application, "answers/"),
        {"answers": {"weekly_hours": None, "monthly_salary_czk": 50000}},
        **if_match(first["version"]),
    )
    assert second.status_code == 200
    answers = second.json()["answers"]
    assert "weekly_hours" not in answers
    assert answers["vacancy_number"] == "12345678"
    assert answers["monthly_salary_czk"] == "50000"


def test_invalid_answers_point_at_each_answer_and_nothing_is_saved(api, applicant):
    application = own_application(applicant)
    response = api(applicant).patch(
        case_url(application, "answers/"),
        {"answers": {"weekly_hours": "many", "vacancy_number": "12", "favourite_colour": "red"}},
        **if_match(application.version),
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    pointers = {error["pointer"] for error in response.json()["errors"]}
    assert pointers == {"#/answers/favourite_colour"}
    response = api(applicant).patch(
        case_url(application, "answers/"),
        {"answers": {"weekly_hours": "many", "vacancy_number": "12"}},
        **if_match(application.version),
    )
    errors = {error["pointer"]: error["detail"] for error in response.json()["errors"]}
    assert errors["#/answers/weekly_hours"] == "Enter a number."
    assert set(errors) == {"#/answers/weekly_hours", "#/answers/vacancy_number"}
    application.refresh_from_db()
    assert application.answers == {}


def test_a_change_without_if_match_is_a_428_and_a_stale_one_a_412(api, applicant):
    application = own_application(applicant)
    client = api(applicant)
    body = {"answers": {"weekly_hours": 40}}

    missing = client.patch(case_url(application, "answers/"), body)
    assert missing.status_code == 428
    assert missing["Content-Type"] == PROBLEM

    current = client.patch(case_url(application, "answers/"), body, **if_match(application.version))
    assert current.status_code == 200
    version = current.json()["version"]
    assert version > application.version

    stale = client.patch(
        case_url(application, "answers/"),
        {"answers": {"weekly_hours": 10}},
        **if_match(application.version),
    )
    assert stale.status_code == 412
    assert stale["Content-Type"] == PROBLEM
    application.refresh_from_db()
    assert application.version == version
    assert application.answers["weekly_hours"] == "40"

    for method, tail in [("post", "declarations/"), ("post", "file/"), ("delete", "")]:
        assert getattr(client, method)(case_url(application, tail)).status_code == 428
        response = getattr(client, method)(
            case_url(application, tail),
            {"truthful": True, "consent": True} if tail else None,
            **if_match(version - 1),
        )
        assert response.status_code == 412, (tail, response.json())
    application.refresh_from_db()
    assert (application.version, application.status) == (version, Status.DRAFT)
    assert application.declarations_confirmed_at is None


def test_answers_of_a_filed_case_cannot_change(api, applicant):
    application = own_application(applicant, filed=True)
    response = api(applicant).patch(
        case_url(application, "answers/"),
        {"answers": {"weekly_hours": 10}},
        **if_match(application.version),
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Answers can be changed only before the application is filed."
    )


# --- Declarations, filing, deleting ----------------------------------------------------------


def test_declarations_must_both_be_confirmed(api, applicant):
    application = own_application(applicant)
    response = api(applicant).post(
        case_url(application, "declarations/"),
        {"truthful": True, "consent": False},
        **if_match(application.version),
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "pointer": "#/consent",
            "detail": "Confirm that you agree to the processing of your data.",
        }
    ]
    application.refresh_from_db()
    assert application.declarations_confirmed_at is None


def test_the_declarations_may_ask_for_the_decision_by_post(api, applicant):
    application = own_application(applicant)
    response = api(applicant).post(
        case_url(application, "declarations/"),
        {"truthful": True, "consent": True, "delivery": "post"},
        **if_match(application.version),
    )
    assert response.status_code == 200
    assert response.json()["delivery"] == "post"
    application.refresh_from_db()
    assert application.delivery == "post"


def test_filing_blocked_is_a_422_listing_what_is_missing(api, applicant):
    application = own_application(applicant)
    response = api(applicant).post(case_url(application, "file/"), **if_match(application.version))
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"] == "/api/v1/problems/filing-blocked/"
    reasons = [error["detail"] for error in body["errors"]]
    assert "The declarations have not been confirmed." in reasons
    for kind in required_document_kinds(application):
        assert f"Missing document: {kind.name}." in reasons
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_filing_a_filed_case_again_is_a_409(api, applicant):
    application = own_application(applicant, filed=True)
    response = api(applicant).post(case_url(application, "file/"), **if_match(application.version))
    assert response.status_code == 409


def test_a_draft_is_deleted_and_a_filed_case_is_not(api, applicant):
    draft = own_application(applicant)
    filed = own_application(applicant, filed=True)
    client = api(applicant)
    assert client.delete(case_url(draft), **if_match(draft.version)).status_code == 204
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert client.get(case_url(draft)).status_code == 404
    response = client.delete(case_url(filed), **if_match(filed.version))
    assert response.status_code == 409
    assert Application.objects.filter(pk=filed.pk).exists()


# --- Idempotent creation ---------------------------------------------------------------------


def test_the_same_idempotency_key_twice_makes_one_draft_and_answers_the_same(api, applicant):
    client = api(applicant)
    body = {"permit_type": "employee_card"}
    first = client.post("/api/v1/applications/", body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/applications/", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Application.objects.count() == 1

    other = client.post(
        "/api/v1/applications/", {"permit_type": "blue_card"}, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422
    assert other.json()["type"] == "/api/v1/problems/idempotency-key-reused/"
    assert Application.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


# --- The access log --------------------------------------------------------------------------


def test_every_read_is_in_the_access_log(api, applicant):
    application = own_application(applicant)
    client = api(applicant, [scopes.CASES_READ])
    client.get("/api/v1/applications/")
    client.get(case_url(application))
    client.get(case_url(application, "questions/"))
    events = api_reads()
    assert [event.detail["what"] for event in events] == [
        "applications",
        "application",
        "questions",
    ]
    assert all(event.actor == applicant for event in events)
    assert all(event.detail["token"] == "personal" for event in events)
    assert events[0].detail["count"] == 1
    assert [event.application for event in events[1:]] == [application, application]
