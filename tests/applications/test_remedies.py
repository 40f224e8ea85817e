"""The remedy a decision allows, by type and outcome (SPEC §2 ``appeal``, D4): a permit's decision
is appealed [002]; a refused long-term visa allows only a request to re-assess the reasons, within
the same 15 days, answered within 60 days [003]; a granted visa allows none and takes legal effect
on delivery."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils.formats import date_format

from applications import guards, remedies, services
from applications.audit import AuditAction
from applications.constants import AppealResult, Channel, Outcome, Remedy, Status
from applications.models import Application, Decision
from applications.notices import notify_application_event
from applications.sweeps import run_daily_system_steps, sweep_reminders
from core.errors import ApplicationError, TransitionRefused
from notifications.constants import Channel as NoticeChannel
from notifications.constants import Kind
from notifications.models import Notification
from permits import deadlines
from permits.models import PermitType
from tests.applications.factories import ApplicationFactory
from tests.notifications.factories import forget_notices

pytestmark = pytest.mark.django_db

PRAGUE = ZoneInfo("Europe/Prague")
# A Tuesday. Sixty days later is Saturday 2026-08-08: a request for re-assessment lodged that day
# is answered by Monday 2026-08-10 (D1). A decision delivered that day may be challenged until
# Wednesday 2026-06-24 (D4).
LODGED = date(2026, 6, 9)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PRAGUE)


def visa_case(user=None, **traits) -> Application:
    """A long-term visa case filed at an embassy [003], for ``user``'s applicant record."""
    extra = {"applicant": user.applicants.get()} if user is not None else {}
    return ApplicationFactory(
        permit_type=PermitType.objects.get(code="long_term_visa"),
        channel=Channel.EMBASSY,
        **extra,
        **traits,
    )


def permit_case(user, **traits) -> Application:
    return ApplicationFactory(applicant=user.applicants.get(), **traits)


def url(name: str, application: Application) -> str:
    return reverse(f"applications:{name}", args=[application.pk])


def english(user) -> None:
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])


# --- Which remedy ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "outcome", "remedy"),
    [
        ("employee_card", Outcome.REJECTED, Remedy.APPEAL),
        ("employee_card", Outcome.GRANTED, Remedy.APPEAL),
        ("long_term_visa", Outcome.REJECTED, Remedy.REASSESSMENT),
        ("long_term_visa", Outcome.GRANTED, Remedy.NONE),
    ],
)
def test_a_decision_fixes_the_remedy_its_type_and_outcome_allow(code, outcome, remedy):
    with time_machine.travel(at(LODGED), tick=False):
        application = ApplicationFactory(
            permit_type=PermitType.objects.get(code=code),
            channel=Channel.EMBASSY if code == "long_term_visa" else Channel.ONLINE,
            state=Status.DECIDED,
            outcome=outcome,
        )
    assert application.decisions.get().remedy == remedy


def test_the_remedy_deadlines():
    delivered = date(2026, 12, 9)
    # Both remedies run 15 days from delivery (D4), Christmas shifting the end [002][003].
    assert remedies.lodging_due(Remedy.APPEAL, delivered) == date(2026, 12, 28)
    assert remedies.lodging_due(Remedy.REASSESSMENT, delivered) == date(2026, 12, 28)
    # No remedy: in legal effect on the day of delivery.
    assert remedies.lodging_due(Remedy.NONE, delivered) == delivered
    # The re-assessment is answered within 60 days, shifted off a weekend like a decision period.
    assert remedies.answer_due(Remedy.REASSESSMENT, LODGED) == date(2026, 8, 10)
    assert remedies.answer_due(Remedy.APPEAL, LODGED) is None


# --- A refused long-term visa: a request for re-assessment ------------------------------------


def test_a_refused_visa_offers_a_request_for_re_assessment_and_no_appeal(applicant, client_for):
    with time_machine.travel(at(LODGED), tick=False):
        application = visa_case(applicant, rejected=True)
        client = client_for(applicant)

        decision_page = client.get(url("decision", application)).content.decode()
        case_page = client.get(url("detail", application)).content.decode()
        appeal_page = client.get(url("appeal", application)).content.decode()
        dashboard = client.get(reverse("applications:dashboard")).content.decode()

    due = date_format(date(2026, 6, 24))
    assert "Delivery and re-assessment" in decision_page
    assert "Request a re-assessment of the reasons for refusal" in decision_page
    assert f"re-assess its reasons until {due}" in decision_page
    assert "Appeal against the decision" not in decision_page
    assert f"Request a re-assessment of the reasons for refusal (until {due})" in case_page
    assert "Appeal against the decision" not in case_page
    assert "<h1>Request for re-assessment of the reasons for refusal</h1>" in appeal_page
    assert "Why do the reasons for refusing the visa not stand?" in appeal_page
    assert "on the next page you check your request and lodge it" in appeal_page
    assert "Lodge the appeal" not in appeal_page
    assert f"You may request a re-assessment of the reasons for refusal until {due}" in dashboard


def test_lodging_a_request_for_re_assessment(
    applicant, client_for, django_capture_on_commit_callbacks
):
    english(applicant)
    with time_machine.travel(at(LODGED), tick=False):
        application = visa_case(applicant, rejected=True)
        client = client_for(applicant)
        client.get(url("decision", application))
        application.refresh_from_db()
        forget_notices()
        client.post(
            url("appeal", application),
            {"grounds": "My bank statement shows enough funds.", "version": application.version},
        )
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url("appeal_check", application), {"version": application.version})
        case_page = client.get(url("detail", application)).content.decode()
        dashboard = client.get(reverse("applications:dashboard")).content.decode()

    application.refresh_from_db()
    assert application.status == Status.APPEALED
    appeal = application.appeals.get()
    assert appeal.kind == Remedy.REASSESSMENT
    assert appeal.lodged_on == LODGED
    assert appeal.answer_due == date(2026, 8, 10)
    entry = application.audit_entries.get(action=AuditAction.APPEAL)
    assert entry.data["kind"] == Remedy.REASSESSMENT
    answer = date_format(date(2026, 8, 10))
    assert f"The Ministry of the Interior will inform you of the outcome by {answer}" in case_page
    assert "Request for re-assessment lodged" in case_page  # the timeline
    assert "Appeal lodged" not in case_page
    assert f"re-assesses the reasons for refusal and answers by {answer}" in dashboard
    [message] = mail.outbox
    assert message.subject == "Request for re-assessment received"
    assert "re-assess the reasons for refusing the visa" in message.body
    assert "appellate body" not in message.body


def test_the_grounds_of_a_request_are_asked_for_in_its_words(applicant, client_for):
    with time_machine.travel(at(LODGED), tick=False):
        application = visa_case(applicant, rejected=True)
        response = client_for(applicant).post(url("appeal", application), {"grounds": ""})
        with pytest.raises(ApplicationError, match="the reasons for the refusal do not stand"):
            services.application_appeal(application=application, actor=applicant, grounds="  ")

    assert "Say why the reasons for the refusal do not stand." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DECIDED


def test_after_its_period_the_request_is_refused_in_its_words(applicant, client_for):
    with time_machine.travel(at(LODGED), tick=False):
        application = visa_case(applicant, rejected=True)
        client_for(applicant).get(url("decision", application))
    with time_machine.travel(at(date(2026, 6, 25)), tick=False):
        client = client_for(applicant)
        page = client.get(url("appeal", application)).content.decode()
        response = client.post(url("appeal", application), {"grounds": "Late."})
        with pytest.raises(TransitionRefused, match="request for re-assessment has passed"):
            services.application_appeal(application=application, actor=applicant, grounds="x")

    assert "The period for a request for re-assessment ended on" in page
    assert "A request for re-assessment is not possible on this case now." in (
        response.content.decode()
    )
    application.refresh_from_db()
    assert application.status == Status.DECIDED


# --- A refused permit: an appeal, as before ---------------------------------------------------


def test_a_refused_permit_is_appealed(applicant, client_for):
    with time_machine.travel(at(LODGED), tick=False):
        application = permit_case(applicant, rejected=True)
        client = client_for(applicant)
        decision_page = client.get(url("decision", application)).content.decode()
        client.post(
            url("appeal", application),
            {"grounds": "The contract was attached.", "version": application.version},
        )
        response = client.post(url("appeal_check", application), {"version": application.version})

    assert "Appeal against the decision" in decision_page
    assert "re-assess" not in decision_page
    assert response.status_code == 302
    appeal = application.appeals.get()
    assert appeal.kind == Remedy.APPEAL
    assert appeal.answer_due is None
    entry = application.audit_entries.get(action=AuditAction.APPEAL)
    assert entry.data["kind"] == Remedy.APPEAL


# --- A granted visa: no remedy ------------------------------------------------------------------


def test_a_granted_visa_offers_no_remedy_and_refuses_one(applicant, client_for):
    with time_machine.travel(at(LODGED), tick=False):
        application = visa_case(applicant, decided=True)
        client = client_for(applicant)
        decision_page = client.get(url("decision", application)).content.decode()
        application.refresh_from_db()
        version = application.version
        case = client.get(url("detail", application))
        dashboard = client.get(reverse("applications:dashboard")).content.decode()
        response = client.post(
            url("appeal", application), {"grounds": "Why not?", "version": version}
        )
        with pytest.raises(TransitionRefused, match="cannot be appealed"):
            services.application_appeal(application=application, actor=applicant, grounds="x")

    decision = application.decisions.get()
    # Delivered today, and in legal effect today: the constraint's date is the delivery day.
    assert decision.delivered_on == decision.appeal_due == LODGED
    assert "This decision cannot be appealed: it takes legal effect when it is delivered." in (
        decision_page
    )
    assert url("appeal", application) not in decision_page
    assert not case.context["flags"].can_appeal
    assert url("appeal", application) not in case.content.decode()
    assert "It takes legal effect on delivery: it cannot be appealed" in dashboard
    assert response.status_code == 200
    assert "This decision cannot be appealed and its re-assessment cannot be requested" in (
        response.content.decode()
    )
    assert "<textarea" not in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DECIDED
    assert application.version == version
    assert not application.appeals.exists()


def test_a_granted_visa_takes_legal_effect_on_delivery(applicant):
    with time_machine.travel(at(LODGED), tick=False):
        application = visa_case(applicant, decided=True)
        decision = application.decisions.get()
        # The daily job before delivery leaves it decided.
        assert run_daily_system_steps(today=LODGED)["finalized"] == 0
        services.decision_open(decision=decision, actor=applicant)
        assert guards.appeal_period_over(Application.objects.get(pk=application.pk))
    with time_machine.travel(at(LODGED + timedelta(days=1), hour=1), tick=False):
        steps = run_daily_system_steps(today=LODGED + timedelta(days=1))

    assert steps["finalized"] == 1
    application.refresh_from_db()
    assert application.status == Status.CLOSED
    assert application.audit_entries.filter(action=AuditAction.FINALIZE).exists()


def test_an_unopened_granted_visa_is_delivered_and_final_the_same_night(applicant):
    with time_machine.travel(at(LODGED), tick=False):
        application = visa_case(applicant, decided=True)
    tenth_day = LODGED + timedelta(days=deadlines.DELIVERY_FICTION_DAYS)
    with time_machine.travel(at(tenth_day, hour=1), tick=False):
        steps = run_daily_system_steps(today=tenth_day)

    assert (steps["delivered"], steps["finalized"]) == (1, 1)
    application.refresh_from_db()
    assert application.status == Status.CLOSED
    assert application.closed_on == tenth_day
    assert application.decisions.get().appeal_due == tenth_day


def test_a_permit_decision_stays_open_on_its_delivery_day(applicant):
    with time_machine.travel(at(LODGED), tick=False):
        application = permit_case(applicant, decided=True)
        services.decision_open(decision=application.decisions.get(), actor=applicant)
        assert run_daily_system_steps(today=LODGED)["finalized"] == 0
        assert not guards.appeal_period_over(Application.objects.get(pk=application.pk))


# --- The re-assessment's result ------------------------------------------------------------------


def refused_visa_with_request(caseworker) -> Application:
    with time_machine.travel(at(LODGED), tick=False):
        application = visa_case(rejected=True, caseworker=caseworker)
        user = application.applicant.account
        services.decision_open(decision=application.decisions.get(), actor=user)
        services.application_appeal(
            application=application, actor=user, grounds="The funds are sufficient."
        )
    application.refresh_from_db()
    return application


def test_the_caseworker_sees_the_request_and_its_answer_due(caseworker, client_for):
    application = refused_visa_with_request(caseworker)
    with time_machine.travel(at(LODGED + timedelta(days=1)), tick=False):
        client = client_for(caseworker)
        case_page = client.get(reverse("caseworker:case", args=[application.pk])).content.decode()
        queue = client.get(reverse("caseworker:queue_tab", args=["appeals"])).content.decode()

    answer = date_format(date(2026, 8, 10), "SHORT_DATE_FORMAT")
    assert 'id="answer-due"' in case_page
    assert f"Re-assessment: the Ministry must answer by {answer}" in case_page
    assert "Record the re-assessment's result" in case_page
    assert "Reasons for the refusal confirmed" in case_page
    assert "Reasons for the refusal no longer stand: returned for a new decision" in case_page
    assert "Decision changed by the appellate body" not in case_page
    assert "Request for re-assessment lodged" in case_page  # the timeline
    assert "Request for re-assessment of the reasons for refusal" in queue
    assert answer in queue


def test_a_re_assessment_cannot_change_the_decision(caseworker, client_for):
    application = refused_visa_with_request(caseworker)
    with time_machine.travel(at(LODGED + timedelta(days=5)), tick=False):
        response = client_for(caseworker).post(
            reverse("caseworker:appeal_result", args=[application.pk]),
            {
                "appeal_result-expected_version": application.version,
                "appeal_result-result": AppealResult.CHANGED,
            },
        )
        with pytest.raises(ApplicationError, match="does not change the decision"):
            services.application_resolve_appeal(
                application=application, actor=caseworker, result=AppealResult.CHANGED
            )

    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == Status.APPEALED
    assert application.appeals.get().result == ""


def test_reasons_confirmed_close_the_case(
    caseworker, client_for, django_capture_on_commit_callbacks
):
    application = refused_visa_with_request(caseworker)
    english(application.applicant.account)
    forget_notices()
    with (
        time_machine.travel(at(LODGED + timedelta(days=20)), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(caseworker).post(
            reverse("caseworker:appeal_result", args=[application.pk]),
            {
                "appeal_result-expected_version": application.version,
                "appeal_result-result": AppealResult.DISMISSED,
                "appeal_result-note": "Commission's resolution of today.",
            },
        )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.CLOSED
    appeal = application.appeals.get()
    assert appeal.result_label == "Reasons for the refusal confirmed"
    entry = application.audit_entries.get(action=AuditAction.RESOLVE_APPEAL)
    assert entry.data == {"result": AppealResult.DISMISSED, "kind": Remedy.REASSESSMENT}
    [message] = mail.outbox
    assert (
        "The Ministry of the Interior has re-assessed the reasons for refusing your visa: "
        "Reasons for the refusal confirmed." in message.body
    )


def test_reasons_that_no_longer_stand_return_the_case_for_a_new_decision(
    caseworker, django_capture_on_commit_callbacks
):
    application = refused_visa_with_request(caseworker)
    english(application.applicant.account)
    forget_notices()
    with (
        time_machine.travel(at(LODGED + timedelta(days=20)), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.application_resolve_appeal(
            application=application, actor=caseworker, result=AppealResult.RETURNED
        )

    application.refresh_from_db()
    assert application.status == Status.FILED
    assert application.decision_due is not None
    [message] = mail.outbox
    assert message.subject == "Returned for a new decision"
    assert "they no longer stand, and the application will be decided anew" in message.body


# --- What the applicant is told ----------------------------------------------------------------


def test_the_decision_notice_follows_the_remedy(django_capture_on_commit_callbacks):
    with time_machine.travel(at(LODGED), tick=False):
        refused = visa_case(rejected=True)
        granted = visa_case(decided=True)
        for application in (refused, granted):
            english(application.applicant.account)
        forget_notices()
        with django_capture_on_commit_callbacks(execute=True):
            for application in (refused, granted):
                services.decision_open(
                    decision=application.decisions.get(), actor=application.applicant.account
                )
                Notification.objects.filter(application=application).delete()
                notify_application_event(application_id=application.pk, event="decided")

    by_case = {
        n.application_id: n
        for n in Notification.objects.filter(kind=Kind.DECIDED, channel=NoticeChannel.EMAIL)
    }
    refused_body, granted_body = by_case[refused.pk].body, by_case[granted.pk].body
    assert "ask the Ministry of the Interior to re-assess its reasons by" in refused_body
    assert "you can appeal" not in refused_body
    assert by_case[refused.pk].due_on == refused.decisions.get().appeal_due
    assert "This decision cannot be appealed: it took legal effect when it was delivered." in (
        granted_body
    )
    assert by_case[granted.pk].due_on is None


def test_reminders_follow_the_remedy(django_capture_on_commit_callbacks):
    with time_machine.travel(at(LODGED), tick=False):
        appeal = ApplicationFactory(rejected=True)
        reassessment = visa_case(rejected=True)
        none = visa_case(decided=True)
        for application in (appeal, reassessment, none):
            english(application.applicant.account)
            services.decision_open(
                decision=application.decisions.get(), actor=application.applicant.account
            )
        # Three days before each last day (a granted visa's "day" put there by hand: no
        # reminder goes for a decision that allows no remedy, whatever its date).
        Decision.objects.filter(application__in=[appeal, reassessment, none]).update(
            appeal_due=LODGED + timedelta(days=3)
        )
        forget_notices()
        with django_capture_on_commit_callbacks(execute=True):
            queued = sweep_reminders(today=LODGED)

    assert queued[Kind.APPEAL_DEADLINE_REMINDER] == 2
    sent = {
        n.application_id: n
        for n in Notification.objects.filter(
            kind=Kind.APPEAL_DEADLINE_REMINDER, channel=NoticeChannel.EMAIL
        )
    }
    assert set(sent) == {appeal.pk, reassessment.pk}
    assert sent[appeal.pk].subject == "Reminder: appeal deadline"
    assert "lodge the appeal by" in sent[appeal.pk].body
    assert sent[reassessment.pk].subject == "Reminder: deadline for a request for re-assessment"
    assert "re-assess the reasons for refusing the visa" in sent[reassessment.pk].body
    assert "appeal" not in sent[reassessment.pk].body.lower()


def test_the_back_office_offers_a_re_assessments_results_in_its_words(
    caseworker, superuser, client_for
):
    application = refused_visa_with_request(caseworker)
    with time_machine.travel(at(LODGED + timedelta(days=1)), tick=False):
        page = client_for(superuser).get(
            reverse(
                "admin:applications_application_service_action",
                args=[application.pk, "resolve-appeal"],
            )
        )
    choices = dict(page.context["form"].fields["result"].choices)
    assert set(choices) == {AppealResult.DISMISSED, AppealResult.RETURNED}
    assert choices[AppealResult.DISMISSED] == "Reasons for the refusal confirmed"
