"""A change of state notifies the applicant once, in the portal and by e-mail, in their language,
saying what happened, what to do and by when (SPEC §6, §7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from accounts.constants import Role
from applications import services as application_services
from applications.constants import Relation
from applications.models import Applicant
from applications.notices import notify_application_event, notify_assignment
from notifications.constants import Channel, Kind
from notifications.models import Notification, NotificationPreference
from notifications.services import notification_preferences_set
from permits import deadlines
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicantFactory, ApplicationFactory
from tests.notifications.factories import (
    forget_notices,
    interrupted_with_deadline,
    subject_of,
    today,
)

pytestmark = pytest.mark.django_db


def test_interruption_notice_names_documents_and_deadline_in_the_applicants_language(
    django_capture_on_commit_callbacks,
):
    interruption = interrupted_with_deadline(today() + timedelta(days=30), language="uk")
    application = interruption.application

    forget_notices()
    with django_capture_on_commit_callbacks(execute=True):
        made = notify_application_event(application_id=application.pk, event="interrupted")

    assert {n.channel for n in made} == {Channel.IN_APP, Channel.EMAIL}
    in_app = next(n for n in made if n.channel == Channel.IN_APP)
    assert in_app.recipient == application.applicant.account
    assert in_app.language == "uk"
    assert in_app.due_on == interruption.deadline
    [message] = mail.outbox
    assert message.to == [application.applicant.account.email]
    # The subject says what kind of message it is; which case, and by when, is in the text.
    assert message.subject == subject_of(Kind.INTERRUPTED, "uk")
    assert application.reference_number not in message.subject
    assert application.reference_number in message.body
    # The requested document, by its Ukrainian name, and the deadline.
    kind = interruption.requested_kinds.get()
    assert kind.name_uk in message.body
    assert "Missing proof of accommodation." in message.body
    assert "не пізніше" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert kind.name_uk in html
    assert application.reference_number in in_app.body
    # The portal copy has no greeting or e-mail footer.
    assert "Доброго дня" not in in_app.body
    assert "Доброго дня" in message.body


def test_the_same_event_twice_notifies_once(django_capture_on_commit_callbacks):
    interruption = interrupted_with_deadline(today() + timedelta(days=30))
    application_id = interruption.application_id

    forget_notices()
    with django_capture_on_commit_callbacks(execute=True):
        first = notify_application_event(application_id=application_id, event="interrupted")
        second = notify_application_event(application_id=application_id, event="interrupted")

    assert len(first) == 2
    assert second == []
    assert Notification.objects.filter(kind=Kind.INTERRUPTED).count() == 2
    assert len(mail.outbox) == 1


def test_a_second_interruption_is_a_new_notice(caseworker):
    from permits.models import DocumentKind

    interruption = interrupted_with_deadline(deadlines.document_deadline(today()))
    application = interruption.application
    forget_notices()
    notify_application_event(application_id=application.pk, event="interrupted")
    application_services.application_resume(application=application, actor=application.assigned_to)
    application.refresh_from_db()
    application_services.application_interrupt(
        application=application,
        actor=application.assigned_to,
        reason="A photograph too.",
        document_kinds=DocumentKind.objects.exclude(code="accommodation")[:1],
    )

    notify_application_event(application_id=application.pk, event="interrupted")

    # Each notice is keyed by its own interruption and gives that interruption's deadline.
    notices = Notification.objects.filter(kind=Kind.INTERRUPTED, channel=Channel.EMAIL)
    first, second = application.interruptions.order_by("pk")
    assert [(n.event_key, n.due_on) for n in notices.order_by("pk")] == [
        (f"interrupted:{application.pk}:i{first.pk}", first.deadline),
        (f"interrupted:{application.pk}:i{second.pk}", second.deadline),
    ]
    # Both asked for the documents today with the default period (D5), so by the same day.
    assert first.deadline == second.deadline == deadlines.document_deadline(today())


def test_filed_notice_says_by_when_the_office_decides(django_capture_on_commit_callbacks):
    application = ApplicationFactory(filed=True)
    user = application.applicant.account
    user.preferred_language = "en"
    user.save()

    forget_notices()
    with django_capture_on_commit_callbacks(execute=True):
        notify_application_event(application_id=application.pk, event="filed")

    [message] = mail.outbox
    assert message.subject == "Application filed"
    assert application.reference_number in message.body
    assert "The office must decide by" in message.body
    assert "You do not need to do anything now." in message.body


def test_decided_notice_gives_the_latest_appeal_deadline_until_delivery(
    django_capture_on_commit_callbacks,
):
    application = ApplicationFactory(rejected=True)
    user = application.applicant.account
    user.preferred_language = "en"
    user.save()
    decision = application.decisions.get()
    latest_delivery = deadlines.delivery_date(decision.made_available_on, None)

    forget_notices()
    with django_capture_on_commit_callbacks(execute=True):
        made = notify_application_event(application_id=application.pk, event="decided")

    [message] = mail.outbox
    assert message.subject == "Decision issued"
    assert application.reference_number in message.body
    assert "Rejected" in message.body
    assert "appeal within 15 days of delivery" in message.body
    assert made[0].due_on == deadlines.appeal_due(latest_delivery)


def test_decided_notice_after_delivery_gives_the_appeal_deadline(
    django_capture_on_commit_callbacks,
):
    application = ApplicationFactory(rejected=True)
    user = application.applicant.account
    user.preferred_language = "en"
    user.save()
    decision = application_services.decision_open(decision=application.decisions.get(), actor=user)

    forget_notices()
    with django_capture_on_commit_callbacks(execute=True):
        made = notify_application_event(application_id=application.pk, event="decided")

    assert made[0].due_on == decision.appeal_due
    assert "you can appeal by" in mail.outbox[0].body


def test_a_person_without_an_account_gets_the_email_only(django_capture_on_commit_callbacks):
    interruption = interrupted_with_deadline(today() + timedelta(days=30))
    # A person the support centre registered: no account, an address on the record.
    Applicant.objects.filter(pk=interruption.application.applicant_id).update(
        account=None, email="no.account@example.com", preferred_language="vi"
    )

    forget_notices()
    with django_capture_on_commit_callbacks(execute=True):
        made = notify_application_event(
            application_id=interruption.application_id, event="interrupted"
        )

    [notification] = made
    assert notification.channel == Channel.EMAIL
    assert notification.recipient is None
    assert notification.language == "vi"
    [message] = mail.outbox
    assert message.to == ["no.account@example.com"]
    assert message.subject == subject_of(Kind.INTERRUPTED, "vi")
    # No account: no profile to change the language in.
    assert "hồ sơ cá nhân" not in message.body


def test_a_person_without_an_account_or_address_is_not_notified():
    interruption = interrupted_with_deadline(today() + timedelta(days=30))
    Applicant.objects.filter(pk=interruption.application.applicant_id).update(
        account=None, email=""
    )

    assert (
        notify_application_event(application_id=interruption.application_id, event="interrupted")
        == []
    )


def test_a_parents_account_is_told_about_their_childs_application(
    django_capture_on_commit_callbacks,
):
    parent = ApplicantFactory()
    child = ApplicantFactory(account=parent.account, relation=Relation.CHILD)
    application = ApplicationFactory(filed=True, applicant=child, created_by=parent.account)

    forget_notices()
    made = notify_application_event(application_id=application.pk, event="filed")

    assert {n.recipient for n in made} == {parent.account}


def test_email_switched_off_for_a_kind_leaves_the_portal_notice(
    django_capture_on_commit_callbacks,
):
    application = ApplicationFactory(filed=True)
    notification_preferences_set(user=application.applicant.account, email_disabled=["filed"])

    forget_notices()
    with django_capture_on_commit_callbacks(execute=True):
        made = notify_application_event(application_id=application.pk, event="filed")

    assert [n.channel for n in made] == [Channel.IN_APP]
    assert mail.outbox == []


def test_legally_important_emails_cannot_be_switched_off(django_capture_on_commit_callbacks):
    interruption = interrupted_with_deadline(today() + timedelta(days=30))
    user = interruption.application.applicant.account

    disabled = notification_preferences_set(user=user, email_disabled=["interrupted", "decided"])
    forget_notices()
    with django_capture_on_commit_callbacks(execute=True):
        notify_application_event(application_id=interruption.application_id, event="interrupted")

    assert disabled == set()
    assert not NotificationPreference.objects.filter(user=user).exists()
    assert len(mail.outbox) == 1


def test_database_refuses_a_preference_that_silences_a_decision():
    from django.db import IntegrityError

    user = UserFactory()
    with pytest.raises(IntegrityError):
        NotificationPreference.objects.create(user=user, kind=Kind.DECIDED, email_enabled=False)


def test_unknown_event_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown application event"):
        notify_application_event(application_id=1, event="reminder")


def test_appeal_received_notice(django_capture_on_commit_callbacks):
    application = ApplicationFactory(appealed=True)

    forget_notices()
    with django_capture_on_commit_callbacks(execute=True):
        made = notify_application_event(application_id=application.pk, event="appeal_received")

    assert {n.kind for n in made} == {Kind.APPEAL_RECEIVED}
    [message] = mail.outbox
    language = application.applicant.account.preferred_language
    assert message.subject == subject_of(Kind.APPEAL_RECEIVED, language)
    assert application.reference_number in message.body


def test_assignment_tells_the_caseworker_in_their_language(
    django_capture_on_commit_callbacks, supervisor
):
    caseworker = UserFactory(role=Role.CASEWORKER, preferred_language="en")
    application = ApplicationFactory(filed=True)
    application_services.application_assign(
        application=application, actor=supervisor, assignee=caseworker
    )

    forget_notices()
    with django_capture_on_commit_callbacks(execute=True):
        made = notify_assignment(application_id=application.pk, assignee_id=caseworker.pk)
        again = notify_assignment(application_id=application.pk, assignee_id=caseworker.pk)

    assert {n.recipient for n in made} == {caseworker}
    assert again == []
    [message] = mail.outbox
    assert message.subject == "Case assigned to you"
    assert application.reference_number in message.body


def test_assignment_to_someone_else_meanwhile_is_not_notified(supervisor, caseworker):
    other = UserFactory(role=Role.CASEWORKER)
    application = ApplicationFactory(filed=True)
    application_services.application_assign(
        application=application, actor=supervisor, assignee=other
    )

    assert notify_assignment(application_id=application.pk, assignee_id=caseworker.pk) == []


def test_permit_ready_names_the_card_and_the_pickup_deadline(django_capture_on_commit_callbacks):
    application = ApplicationFactory(decided=True)
    permit = application.permit
    permit.set_biometrics(today() + timedelta(days=5))
    permit.save()
    user = application.applicant.account
    user.preferred_language = "ru"
    user.save()

    forget_notices()
    with django_capture_on_commit_callbacks(execute=True):
        made = notify_application_event(application_id=application.pk, event="permit_ready")

    assert made[0].due_on == permit.pickup_due
    [message] = mail.outbox
    assert message.subject == subject_of(Kind.PERMIT_READY, "ru")
    assert permit.number not in message.subject
    assert permit.number in message.body
    assert "не позднее" in message.body
