"""The caseworker workspace: who may open each page and run each action, and what they do.

Every page and action is tried by its allowed role, by an applicant and by support staff (403),
by an anonymous visitor (login) and with a wrong method (405).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.constants import Role
from applications import services
from applications.case_documents import document_upload
from applications.constants import AppealResult, Outcome, Status
from applications.models import Application, AuditEntry, CaseNote, Decision, Interruption
from core.errors import ConcurrentChange, NotPermitted
from documents.constants import Role as DocumentRole
from documents.constants import Verification
from documents.models import Document
from permits.models import DocumentKind, PermitType
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pinned_clock():
    """A Thursday morning in Prague: the deadlines and tabs here are read from today."""
    import time_machine

    with time_machine.travel(datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))):
        yield


PNG = (  # 1 x 1 pixel
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
    b"\x00\x00\x00\nIDATx\xdac\xf8\x0f\x00\x01\x01\x01\x00\x1c\xb0\x8c\x99\x00\x00\x00\x00IEND\xaeB`\x82"
)


def english(text) -> str:
    from django.utils import translation

    with translation.override("en"):
        return str(text)


@pytest.fixture
def filed():
    return ApplicationFactory(filed=True)


@pytest.fixture
def assigned(caseworker):
    application = ApplicationFactory(filed=True)
    services.application_claim(application=application, actor=caseworker)
    application.refresh_from_db()
    return application


def version_of(application: Application) -> int:
    return Application.objects.values_list("version", flat=True).get(pk=application.pk)


# --- Who may open what ---------------------------------------------------------------------

STAFF_PAGES = ["queue", "queue_tab", "queue_export", "case", "document_view"]
ACTIONS = [
    "claim",
    "release",
    "interrupt",
    "resume",
    "decide",
    "stop",
    "appeal_result",
    "note_add",
    "document_verify",
]
SUPERVISOR_ONLY_GET = ["dashboard"]
SUPERVISOR_ONLY_POST = ["assign", "bulk_assign"]


def url_for(name: str, application: Application) -> str:
    if name in ("queue", "dashboard", "bulk_assign"):
        return reverse(f"caseworker:{name}")
    if name in ("queue_tab", "queue_export"):
        return reverse(f"caseworker:{name}", args=["new"])
    if name in ("document_view", "document_verify"):
        return reverse(f"caseworker:{name}", args=[application.documents.first().pk])
    return reverse(f"caseworker:{name}", args=[application.pk])


ALL_GET = STAFF_PAGES + SUPERVISOR_ONLY_GET
ALL_POST = ACTIONS + SUPERVISOR_ONLY_POST


@pytest.mark.parametrize("name", ALL_GET + ALL_POST)
def test_anonymous_visitors_are_sent_to_log_in(name, filed, client_for):
    url = url_for(name, filed)
    client = client_for(None)
    response = client.post(url) if name in ALL_POST else client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


@pytest.mark.parametrize("role", ["applicant", "support"])
@pytest.mark.parametrize("name", ALL_GET + ALL_POST)
def test_applicants_and_support_staff_are_refused(name, role, filed, request, client_for):
    user = filed.applicant.account if role == "applicant" else request.getfixturevalue(role)
    url = url_for(name, filed)
    client = client_for(user)
    response = client.post(url) if name in ALL_POST else client.get(url)

    assert response.status_code == 403


@pytest.mark.parametrize("name", SUPERVISOR_ONLY_GET + SUPERVISOR_ONLY_POST)
def test_caseworkers_may_not_assign_or_see_the_dashboard(name, filed, caseworker, client_for):
    url = url_for(name, filed)
    client = client_for(caseworker)
    response = client.post(url) if name in ALL_POST else client.get(url)

    assert response.status_code == 403


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_caseworkers_open_the_staff_pages(name, filed, caseworker, client_for):
    assert client_for(caseworker).get(url_for(name, filed)).status_code == 200


@pytest.mark.parametrize("name", STAFF_PAGES + SUPERVISOR_ONLY_GET)
def test_supervisors_open_every_page(name, filed, supervisor, client_for):
    assert client_for(supervisor).get(url_for(name, filed)).status_code == 200


@pytest.mark.parametrize("name", ALL_POST)
def test_actions_refuse_get(name, filed, supervisor, client_for):
    assert client_for(supervisor).get(url_for(name, filed)).status_code == 405


# The case page's POST is its documents form (tests/applications/test_console.py).
@pytest.mark.parametrize("name", [name for name in ALL_GET if name != "case"])
def test_pages_refuse_post(name, filed, supervisor, client_for):
    assert client_for(supervisor).post(url_for(name, filed)).status_code == 405


def test_unknown_and_draft_cases_are_404(caseworker, client_for):
    draft = ApplicationFactory()
    client = client_for(caseworker)

    assert client.get(reverse("caseworker:case", args=[draft.pk])).status_code == 404
    assert client.get(reverse("caseworker:case", args=[draft.pk + 999])).status_code == 404
    claim = client.post(reverse("caseworker:claim", args=[draft.pk]), {"claim-expected_version": 0})
    assert claim.status_code == 404


# --- The case page -------------------------------------------------------------------------


def test_case_page_shows_the_file(assigned, caseworker, client_for):
    response = client_for(caseworker).get(reverse("caseworker:case", args=[assigned.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert assigned.reference_number in html
    assert assigned.applicant.surname in html
    assert assigned.applicant.travel_document_number in html
    assert "Decision clock" in html
    assert "days left" in html
    for document in assigned.documents.all():
        assert reverse("caseworker:document_view", args=[document.pk]) in html
        assert f'id="document-{document.pk}"' in html
    assert 'name="claim-expected_version"' not in html  # already claimed
    assert f'name="decide-expected_version" value="{assigned.version}"' in html
    # The timeline: filing and claiming
    assert "Application filed" in html and "Case claimed" in html


def test_case_page_shows_the_rules_findings(assigned, caseworker, client_for):
    response = client_for(caseworker).get(reverse("caseworker:case", args=[assigned.pk]))

    assert response.context["findings"] is not None
    assert "What the rules say" in response.content.decode()


def test_case_page_runs_a_bounded_number_of_queries(
    assigned, caseworker, django_assert_max_num_queries, client_for
):
    client = client_for(caseworker)
    for index in range(3):
        services.case_note_add(application=assigned, author=caseworker, text=f"Note {index}")
    with django_assert_max_num_queries(40):
        response = client.get(reverse("caseworker:case", args=[assigned.pk]))
    assert response.status_code == 200


def test_interrupted_case_shows_the_clock_paused(caseworker, client_for):
    application = ApplicationFactory(interrupted=True, caseworker=caseworker)

    html = client_for(caseworker).get(reverse("caseworker:case", args=[application.pk])).content
    html = html.decode()

    assert "paused" in html
    assert "Documents due by" in html


def test_only_the_assigned_caseworker_sees_the_decision_form(
    assigned, caseworker, other_caseworker, client_for
):
    url = reverse("caseworker:case", args=[assigned.pk])

    assert "decide" in client_for(caseworker).get(url).context["forms"]
    other = client_for(other_caseworker).get(url)
    assert "decide" not in other.context["forms"]
    assert "Only the caseworker the case is assigned to can decide it." in other.content.decode()


def test_case_page_says_rendering_until_the_decision_pdf_exists(caseworker, client_for):
    application = ApplicationFactory(decided=True, caseworker=caseworker)
    decision = application.decisions.get()
    url = reverse("caseworker:case", args=[application.pk])
    client = client_for(caseworker)

    assert decision.document_id is not None
    html = client.get(url).content.decode()
    assert "rendering…" not in html
    assert reverse("caseworker:document_view", args=[decision.document_id]) in html

    Decision.objects.filter(pk=decision.pk).update(document=None)
    assert "rendering…" in client.get(url).content.decode()


# --- Claim, release, assign ----------------------------------------------------------------


def test_caseworker_claims_and_releases_a_case(filed, caseworker, client_for):
    client = client_for(caseworker)

    response = client.post(
        reverse("caseworker:claim", args=[filed.pk]), {"claim-expected_version": filed.version}
    )
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.assigned_to == caseworker

    response = client.post(
        reverse("caseworker:release", args=[filed.pk]), {"release-expected_version": filed.version}
    )
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.assigned_to is None
    assert list(
        AuditEntry.objects.filter(application=filed, action__in=["claim", "release"]).values_list(
            "action", flat=True
        )
    ) == ["claim", "release"]


def test_claiming_a_case_someone_took_meanwhile_says_so(
    filed, caseworker, other_caseworker, client_for
):
    seen = filed.version
    services.application_claim(application=filed, actor=other_caseworker)

    response = client_for(caseworker).post(
        reverse("caseworker:claim", args=[filed.pk]), {"claim-expected_version": seen}
    )

    assert response.status_code == 409
    assert "Another caseworker has this case." in response.content.decode()
    filed.refresh_from_db()
    assert filed.assigned_to == other_caseworker


def test_supervisor_assigns_and_reassigns(
    filed, supervisor, caseworker, other_caseworker, client_for
):
    client = client_for(supervisor)
    url = reverse("caseworker:assign", args=[filed.pk])

    assert (
        client.post(
            url, {"assign-expected_version": filed.version, "assign-assignee": caseworker.pk}
        ).status_code
        == 302
    )
    filed.refresh_from_db()
    assert filed.assigned_to == caseworker

    assert (
        client.post(
            url, {"assign-expected_version": filed.version, "assign-assignee": other_caseworker.pk}
        ).status_code
        == 302
    )
    filed.refresh_from_db()
    assert filed.assigned_to == other_caseworker


def test_assign_offers_only_caseworkers(filed, supervisor, support, client_for):
    client = client_for(supervisor)
    form = client.get(reverse("caseworker:case", args=[filed.pk])).context["forms"]["assign"]
    assert support not in form.fields["assignee"].queryset

    response = client.post(
        reverse("caseworker:assign", args=[filed.pk]),
        {"assign-expected_version": filed.version, "assign-assignee": support.pk},
    )
    assert response.status_code == 200
    assert response.context["forms"]["assign"].errors
    filed.refresh_from_db()
    assert filed.assigned_to is None


def test_caseworkers_do_not_see_the_assign_form(filed, caseworker, client_for):
    forms = client_for(caseworker).get(reverse("caseworker:case", args=[filed.pk])).context["forms"]
    assert "assign" not in forms
    assert "claim" in forms


def test_supervisor_assigns_in_bulk_and_hears_what_failed(supervisor, caseworker, client_for):
    cases = [ApplicationFactory(filed=True) for _ in range(2)]
    withdrawn = ApplicationFactory(withdrawn=True)
    queue_url = reverse("caseworker:queue_tab", args=["new"])
    client = client_for(supervisor)

    response = client.post(
        reverse("caseworker:bulk_assign"),
        {
            "cases": [c.pk for c in cases] + [withdrawn.pk, 987654],
            "assignee": caseworker.pk,
            "next": queue_url,
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == queue_url
    assert set(Application.objects.filter(assigned_to=caseworker).values_list("pk", flat=True)) == {
        c.pk for c in cases
    }
    texts = [str(m) for m in response.context["messages"]]
    assert any("2 cases assigned" in text for text in texts)
    assert any(withdrawn.reference_number in text for text in texts)
    assert "1 of the ticked cases no longer exists." in texts


def test_bulk_assign_without_ticks_says_so(supervisor, caseworker, client_for):
    response = client_for(supervisor).post(
        reverse("caseworker:bulk_assign"), {"assignee": caseworker.pk}, follow=True
    )
    assert "Tick the cases." in [str(m) for m in response.context["messages"]]


def test_bulk_assign_does_not_redirect_off_site(supervisor, caseworker, filed, client_for):
    response = client_for(supervisor).post(
        reverse("caseworker:bulk_assign"),
        {"cases": [filed.pk], "assignee": caseworker.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("caseworker:queue")


def test_queue_shows_bulk_assignment_to_supervisors_only(filed, supervisor, caseworker, client_for):
    url = reverse("caseworker:queue_tab", args=["new"])

    assert 'id="bulk-assign"' in client_for(supervisor).get(url).content.decode()
    assert 'id="bulk-assign"' not in client_for(caseworker).get(url).content.decode()


# --- Interrupt, resume, stop ---------------------------------------------------------------


def test_interrupt_asks_for_documents_and_files_a_letter(
    assigned, caseworker, django_capture_on_commit_callbacks, client_for
):
    kinds = list(DocumentKind.objects.filter(code__in=["accommodation", "financial_means"]))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(caseworker).post(
            reverse("caseworker:interrupt", args=[assigned.pk]),
            {
                "interrupt-expected_version": assigned.version,
                "interrupt-document_kinds": [k.pk for k in kinds],
                "interrupt-reason": "The accommodation consent lacks a certified signature.",
                "interrupt-deadline_days": 30,
            },
        )

    assert response.status_code == 302
    assert callbacks  # the letter (and the applicant's notification) queued after commit
    assigned.refresh_from_db()
    assert assigned.status == Status.INTERRUPTED
    interruption = Interruption.objects.get(application=assigned, ended_on__isnull=True)
    assert set(interruption.requested_kinds.all()) == set(kinds)
    letter = Document.objects.get(application=assigned, role=DocumentRole.LETTER)
    assert letter.interruption == interruption
    assert letter.content_type == "application/pdf"


def test_interrupt_needs_documents_and_a_reason(assigned, caseworker, client_for):
    response = client_for(caseworker).post(
        reverse("caseworker:interrupt", args=[assigned.pk]),
        {"interrupt-expected_version": assigned.version, "interrupt-deadline_days": 30},
    )

    assert response.status_code == 200
    form = response.context["forms"]["interrupt"]
    assert set(form.errors) == {"document_kinds", "reason"}
    assert response.context["open_form"] == "interrupt"
    assert "Please correct the following:" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.status == Status.FILED


def test_interrupt_with_a_stale_version_keeps_what_was_typed(assigned, caseworker, client_for):
    seen = assigned.version
    services.case_note_add(application=assigned, author=caseworker, text="Not a state change.")
    services.application_release(application=assigned, actor=caseworker)  # someone else acted
    reason = "Please supply the certified consent of the owner."

    response = client_for(caseworker).post(
        reverse("caseworker:interrupt", args=[assigned.pk]),
        {
            "interrupt-expected_version": seen,
            "interrupt-document_kinds": [DocumentKind.objects.get(code="accommodation").pk],
            "interrupt-reason": reason,
            "interrupt-deadline_days": 21,
        },
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert english(ConcurrentChange.default_message) in html
    assert reason in html
    kept = response.context["forms"]["interrupt"]
    assert kept.data["interrupt-deadline_days"] == "21"
    # Submitting again is now against the present version.
    assert kept.data["interrupt-expected_version"] == str(version_of(assigned))
    assigned.refresh_from_db()
    assert assigned.status == Status.FILED


def test_resume_restarts_the_clock(caseworker, client_for):
    application = ApplicationFactory(interrupted=True, caseworker=caseworker)

    response = client_for(caseworker).post(
        reverse("caseworker:resume", args=[application.pk]),
        {"resume-expected_version": application.version},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.FILED
    assert application.decision_due is not None


def test_stop_after_the_documents_deadline(caseworker, client_for):
    application = ApplicationFactory(interrupted=True, caseworker=caseworker)
    today = timezone.localdate()
    Interruption.objects.filter(application=application).update(
        started_on=today - timedelta(days=40), deadline=today - timedelta(days=5)
    )
    client = client_for(caseworker)
    assert "stop" in client.get(reverse("caseworker:case", args=[application.pk])).context["forms"]

    response = client.post(
        reverse("caseworker:stop", args=[application.pk]),
        {"stop-expected_version": application.version, "stop-confirm": "on"},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.DECIDED
    assert application.outcome == Outcome.STOPPED


def test_stop_is_refused_before_the_deadline(caseworker, client_for):
    application = ApplicationFactory(interrupted=True, caseworker=caseworker)
    client = client_for(caseworker)
    assert (
        "stop" not in client.get(reverse("caseworker:case", args=[application.pk])).context["forms"]
    )

    response = client.post(
        reverse("caseworker:stop", args=[application.pk]),
        {"stop-expected_version": application.version, "stop-confirm": "on"},
    )

    assert response.status_code == 200
    assert escape("only after the documents' deadline has passed") in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.INTERRUPTED


# --- Decide --------------------------------------------------------------------------------


def verify_all(application: Application) -> None:
    Document.objects.filter(application=application).update(verification=Verification.ACCEPTED)


def decide_data(application: Application, **overrides) -> dict:
    today = timezone.localdate()
    data = {
        "decide-expected_version": version_of(application),
        "decide-outcome": "granted",
        "decide-valid_from": today.isoformat(),
        "decide-valid_to": (today + timedelta(days=364)).isoformat(),
        "decide-reasoning": "",
        "decide-confirm": "on",
    }
    data.update({f"decide-{key}": value for key, value in overrides.items()})
    return data


def test_assigned_caseworker_grants_and_a_permit_is_made(assigned, caseworker, client_for):
    verify_all(assigned)

    response = client_for(caseworker).post(
        reverse("caseworker:decide", args=[assigned.pk]), decide_data(assigned)
    )

    assert response.status_code == 302
    assigned.refresh_from_db()
    assert assigned.status == Status.DECIDED
    assert assigned.outcome == Outcome.GRANTED
    assert assigned.permit.valid_to == timezone.localdate() + timedelta(days=364)


def test_rejection_needs_reasons(assigned, caseworker, client_for):
    response = client_for(caseworker).post(
        reverse("caseworker:decide", args=[assigned.pk]),
        decide_data(assigned, outcome="rejected", valid_from="", valid_to=""),
    )

    assert response.status_code == 200
    assert "reasoning" in response.context["forms"]["decide"].errors
    assert not Decision.objects.filter(application=assigned).exists()


def test_decision_needs_the_confirmation(assigned, caseworker, client_for):
    data = decide_data(assigned, outcome="rejected", reasoning="Not met.")
    del data["decide-confirm"]

    response = client_for(caseworker).post(reverse("caseworker:decide", args=[assigned.pk]), data)

    assert response.status_code == 200
    assert "confirm" in response.context["forms"]["decide"].errors
    assert not Decision.objects.filter(application=assigned).exists()


def test_grant_longer_than_the_type_allows_is_refused(assigned, caseworker, client_for):
    verify_all(assigned)
    PermitType.objects.filter(pk=assigned.permit_type_id).update(max_validity_months=12)
    today = timezone.localdate()

    response = client_for(caseworker).post(
        reverse("caseworker:decide", args=[assigned.pk]),
        decide_data(assigned, valid_to=(today + timedelta(days=500)).isoformat()),
    )

    assert response.status_code == 200
    assert "at most 12 months" in response.content.decode()
    assert not Decision.objects.filter(application=assigned).exists()


def test_grant_needs_every_document_verified(assigned, caseworker, client_for):
    response = client_for(caseworker).post(
        reverse("caseworker:decide", args=[assigned.pk]), decide_data(assigned)
    )

    assert response.status_code == 200
    assert "every required document is verified" in response.content.decode()
    assert not Decision.objects.filter(application=assigned).exists()


def test_only_the_assigned_caseworker_decides(assigned, other_caseworker, client_for):
    response = client_for(other_caseworker).post(
        reverse("caseworker:decide", args=[assigned.pk]),
        decide_data(assigned, outcome="rejected", reasoning="Not met.", valid_from="", valid_to=""),
    )

    assert response.status_code == 200
    assert english(NotPermitted.default_message) in response.content.decode()
    assert not Decision.objects.filter(application=assigned).exists()


def test_double_submitted_decision_leaves_one_decision(assigned, caseworker, client_for):
    client = client_for(caseworker)
    data = decide_data(assigned, outcome="rejected", reasoning="Not met.", valid_from="")
    url = reverse("caseworker:decide", args=[assigned.pk])

    first = client.post(url, data)
    second = client.post(url, data)

    assert first.status_code == 302
    assert second.status_code == 409
    assert english(ConcurrentChange.default_message) in second.content.decode()
    assert Decision.objects.filter(application=assigned).count() == 1
    assert AuditEntry.objects.filter(application=assigned, action="decide").count() == 1


# --- Appeals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "status"),
    [
        (AppealResult.DISMISSED, Status.CLOSED),
        (AppealResult.CHANGED, Status.CLOSED),
        (AppealResult.RETURNED, Status.FILED),
    ],
)
def test_caseworker_records_the_appeal_result(caseworker, result, status, client_for):
    application = ApplicationFactory(appealed=True, caseworker=caseworker)

    response = client_for(caseworker).post(
        reverse("caseworker:appeal_result", args=[application.pk]),
        {
            "appeal_result-expected_version": application.version,
            "appeal_result-result": result,
            "appeal_result-note": "Commission decision of today.",
        },
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == status
    assert application.appeals.get().result == result


# --- Documents -----------------------------------------------------------------------------


def test_document_inline_view_is_safe_to_frame(filed, caseworker, client_for):
    document = filed.documents.filter(content_type="application/pdf").first()

    response = client_for(caseworker).get(reverse("caseworker:document_view", args=[document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_image_documents_are_previewed_with_img(filed, caseworker, client_for):
    image = document_upload(
        application=filed,
        kind=DocumentKind.objects.get(code="photograph"),
        upload=SimpleUploadedFile("photo.png", PNG, "image/png"),
        actor=filed.applicant.account,
    )
    client = client_for(caseworker)

    html = client.get(reverse("caseworker:case", args=[filed.pk])).content.decode()
    view = client.get(reverse("caseworker:document_view", args=[image.pk]))

    assert f'<img src="{reverse("caseworker:document_view", args=[image.pk])}"' in html
    assert view["Content-Type"] == "image/png"
    assert view["X-Content-Type-Options"] == "nosniff"


def test_caseworker_accepts_and_rejects_documents(assigned, caseworker, client_for):
    first, second = assigned.documents.all()[:2]
    client = client_for(caseworker)

    accepted = client.post(
        reverse("caseworker:document_verify", args=[first.pk]),
        {f"doc{first.pk}-decision": "accept"},
    )
    rejected = client.post(
        reverse("caseworker:document_verify", args=[second.pk]),
        {f"doc{second.pk}-decision": "reject", f"doc{second.pk}-reason": "Illegible scan."},
    )

    assert accepted.status_code == rejected.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.verification == Verification.ACCEPTED
    assert second.verification == Verification.REJECTED
    assert second.rejection_reason == "Illegible scan."
    assert first.verified_by == caseworker


def test_rejecting_a_document_needs_a_reason(assigned, caseworker, client_for):
    document = assigned.documents.first()

    response = client_for(caseworker).post(
        reverse("caseworker:document_verify", args=[document.pk]),
        {f"doc{document.pk}-decision": "reject"},
    )

    assert response.status_code == 200
    assert "Say why the document is rejected." in response.content.decode()
    document.refresh_from_db()
    assert document.verification == Verification.PENDING


# --- Internal notes ------------------------------------------------------------------------


def test_notes_are_added_and_shown_to_staff(filed, caseworker, other_caseworker, client_for):
    response = client_for(caseworker).post(
        reverse("caseworker:note_add", args=[filed.pk]),
        {"text": "Called the employer: contract confirmed."},
    )

    assert response.status_code == 302
    note = CaseNote.objects.get(application=filed)
    assert note.author == caseworker
    html = client_for(other_caseworker).get(reverse("caseworker:case", args=[filed.pk]))
    assert "Called the employer: contract confirmed." in html.content.decode()
    # The audit says a note was written, not what it says.
    entry = AuditEntry.objects.get(application=filed, action="note_added")
    assert "employer" not in entry.note and "employer" not in str(entry.data)


def test_notes_are_append_only(filed, caseworker):
    note = services.case_note_add(application=filed, author=caseworker, text="First.")
    note.text = "Changed."
    with pytest.raises(PermissionError):
        note.save()
    with pytest.raises(PermissionError):
        note.delete()


def test_empty_note_is_refused(filed, caseworker, client_for):
    response = client_for(caseworker).post(
        reverse("caseworker:note_add", args=[filed.pk]), {"text": "  "}
    )
    assert response.status_code == 200
    assert not CaseNote.objects.exists()


def test_case_note_add_refuses_non_staff(filed, support):
    with pytest.raises(NotPermitted):
        services.case_note_add(application=filed, author=support, text="Hello.")


def test_superuser_without_groups_may_open_the_workspace(filed, superuser, client_for):
    assert client_for(superuser).get(reverse("caseworker:case", args=[filed.pk])).status_code == 200


def test_caseworker_list_excludes_inactive_and_support(caseworker, support):
    from applications.queues import caseworkers

    inactive = UserFactory(role=Role.CASEWORKER, is_active=False)
    people = list(caseworkers())
    assert caseworker in people
    assert support not in people and inactive not in people
