"""Notices about cases (SPEC §6, §7): what the applicant or the caseworker is told when a case
changes state, when a deadline draws near, and each morning about overdue cases.

Each notice finds what happened (the interruption, the decision, the permit), builds the
message's context and its event, and hands them to the notification centre
(``notifications.delivery.notify``), which renders, records and sends each message once. The
changes of state arrive from the outbox (topics registered in ``apps.py``), the reminders and
digests from the tasks the sweeps queue (``sweeps.py``, ``tasks.py``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from accounts.models import User
from applications import remedies, representation
from applications.audit import AuditAction
from applications.constants import AppealResult, InterruptionEnd, Remedy, Status
from applications.models import (
    Application,
    AuditEntry,
    ChangeReport,
    DeadlineExtension,
    Decision,
    Interruption,
)
from core import clock
from notifications.constants import APPLICATION_EVENTS, OVERDUE_DIGEST_MAX_LISTED, Kind
from notifications.delivery import Recipient, language_of, notify, user_recipient
from notifications.models import Notification
from permits import deadlines
from permits.models import Permit

logger = logging.getLogger(__name__)


def _applicant_recipients(application: Application) -> list[Recipient]:
    """The applicant's account (a parent's account for a child), or, for a person the support
    centre registered without an account, their e-mail address if they gave one."""
    applicant = application.applicant
    if applicant.account is not None:
        return [user_recipient(applicant.account)]
    if applicant.email:
        return [
            Recipient(
                user=None,
                email=applicant.email,
                language=language_of(applicant.preferred_language),
                key=f"p{applicant.pk}",
            )
        ]
    return []


# --- Changes of state ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Event:
    occurrence: str
    context: dict[str, Any]
    due_on: date | None = None


def _event_filed(application: Application) -> _Event:
    # A case is filed from a draft once; filed again only when an appeal returned it for new
    # proceedings (SPEC §2 resolve_appeal), and then each return is its own notice.
    returned_by = (
        application.appeals.filter(result=AppealResult.RETURNED)
        .order_by("-result_recorded_at", "-pk")
        .first()
    )
    return _Event(
        occurrence=f"a{returned_by.pk}" if returned_by else "first",
        # The remedy that returned it (an appeal, a re-assessment) words the notice.
        context={"returned": returned_by is not None, "appeal": returned_by},
        due_on=application.decision_due,
    )


def _event_interrupted(application: Application) -> _Event | None:
    interruption = (
        application.interruptions.prefetch_related("requested_kinds")
        .order_by("-started_on", "-pk")
        .first()
    )
    if interruption is None:
        return None
    return _Event(
        occurrence=f"i{interruption.pk}",
        context={
            "interruption": interruption,
            "documents": list(interruption.requested_kinds.all()),
        },
        due_on=interruption.deadline,
    )


def _event_resumed(application: Application) -> _Event | None:
    interruption = (
        application.interruptions.filter(end_reason=InterruptionEnd.RESUMED)
        .order_by("-ended_on", "-pk")
        .first()
    )
    if interruption is None:
        return None
    return _Event(
        occurrence=f"i{interruption.pk}",
        context={"interruption": interruption},
        due_on=application.decision_due,
    )


def _decision_dates(decision: Decision) -> dict[str, Any]:
    """The delivery dates a letter about a decision can promise, and the last day for its
    remedy (D3, D4); a decision with no remedy has no such day."""
    has_remedy = decision.remedy != Remedy.NONE
    if decision.delivered_on is not None:
        return {
            "delivered_on": decision.delivered_on,
            "appeal_due": decision.appeal_due if has_remedy else None,
        }
    if decision.made_available_on is None:
        return {}
    latest_delivery = deadlines.delivery_date(decision.made_available_on, None)
    return {
        "latest_delivery": latest_delivery,
        "latest_appeal_due": (
            remedies.lodging_due(decision.remedy, latest_delivery) if has_remedy else None
        ),
    }


def _event_decided(application: Application) -> _Event | None:
    decision = application.decisions.order_by("-decided_at", "-pk").first()
    if decision is None:
        return None
    dates = _decision_dates(decision)
    return _Event(
        occurrence=f"d{decision.pk}",
        context={
            "decision": decision,
            "appeal_days": deadlines.APPEAL_PERIOD_DAYS,
            "delivery_days": deadlines.DELIVERY_FICTION_DAYS,
            "pickup_days": deadlines.CARD_PICKUP_DAYS,
            **dates,
        },
        due_on=dates.get("appeal_due") or dates.get("latest_appeal_due"),
    )


def _event_appeal_received(application: Application) -> _Event | None:
    appeal = application.appeals.order_by("-lodged_at", "-pk").first()
    if appeal is None:
        return None
    # A re-assessment is answered by a day the applicant is told of [003].
    return _Event(occurrence=f"a{appeal.pk}", context={"appeal": appeal}, due_on=appeal.answer_due)


def _event_closed(application: Application) -> _Event | None:
    if application.closed_on is None:
        return None
    appeal = application.appeals.exclude(result="").order_by("-result_recorded_at").first()
    return _Event(occurrence=f"{application.closed_on}", context={"appeal": appeal})


def _event_permit_ready(application: Application) -> _Event | None:
    """The card is ready for collection (``cards.permit_record_card_ready``): once per card."""
    permit = Permit.objects.filter(application=application).first()
    if permit is None:
        return None
    return _Event(
        occurrence=f"p{permit.pk}:{permit.card_ready_on}",
        context={"permit": permit, "pickup_days": deadlines.CARD_PICKUP_DAYS},
        due_on=permit.pickup_due,
    )


_EVENTS = {
    Kind.FILED: _event_filed,
    Kind.INTERRUPTED: _event_interrupted,
    Kind.RESUMED: _event_resumed,
    Kind.DECIDED: _event_decided,
    Kind.APPEAL_RECEIVED: _event_appeal_received,
    Kind.CLOSED: _event_closed,
    Kind.PERMIT_READY: _event_permit_ready,
}


def _notify_about(
    application: Application,
    *,
    kind: Kind,
    recipients: list[Recipient],
    occurrence: str,
    context: dict[str, Any] | None = None,
    due_on: date | None = None,
) -> list[Notification]:
    """A notice about one case: known by the case (``about``) and what happened to it
    (``occurrence``), linked to it, with the case in its context."""
    return notify(
        kind=kind,
        recipients=recipients,
        about=str(application.pk),
        occurrence=occurrence,
        context={"application": application, **(context or {})},
        application=application,
        due_on=due_on,
    )


def _application_for_notice(application_id: int) -> Application | None:
    return (
        Application.objects.select_related("applicant__account", "permit_type", "assigned_to")
        .filter(pk=application_id)
        .first()
    )


def notify_application_event(*, application_id: int, event: str) -> list[Notification]:
    """Tell the applicant what happened on their application, in the portal and by e-mail.

    ``event`` is a change of state: ``filed``, ``interrupted``, ``resumed``, ``decided`` (the
    decision was made available in the portal), ``appeal_received``, ``closed`` or
    ``permit_ready``. Called after the change committed; calling it again for the same change
    notifies nobody again. Returns the notifications it made.
    """
    if event not in APPLICATION_EVENTS:
        raise ValueError(f"Unknown application event {event!r}.")
    kind = Kind(event)
    application = _application_for_notice(application_id)
    if application is None:
        return []
    found = _EVENTS[kind](application)
    if found is None:
        logger.warning("No %s to notify on application %s.", kind, application_id)
        return []
    return _notify_about(
        application,
        kind=kind,
        recipients=_case_recipients(application),
        occurrence=found.occurrence,
        context=found.context,
        due_on=found.due_on,
    )


def _case_recipients(application: Application) -> list[Recipient]:
    """The person, and while a power of attorney covers the case its holders (the named
    representative, each current member of the organisation): the office's letters go to the
    representative, and the person is told too (SPEC §1, D3)."""
    recipients = _applicant_recipients(application)
    holders = representation.holders_of(representation.representation_of(application))
    known = {recipient.key for recipient in recipients}
    return recipients + [
        user_recipient(holder) for holder in holders if f"u{holder.pk}" not in known
    ]


def notify_assignment(*, application_id: int, assignee_id: int) -> list[Notification]:
    """Tell a caseworker a supervisor assigned them a case.

    Nothing is sent when the case went to someone else meanwhile.
    """
    application = _application_for_notice(application_id)
    assignee = application.assigned_to if application is not None else None
    if application is None or assignee is None or assignee.pk != assignee_id:
        return []
    return _notify_about(
        application,
        kind=Kind.ASSIGNED,
        recipients=[user_recipient(assignee)],
        occurrence=f"v{application.version}",
        due_on=application.decision_due,
    )


def notify_change_reported(*, report_id: int) -> list[Notification]:
    """Tell the caseworker the case is assigned to that the person reported a change of their
    data [003]: the office decides on what was filed, and must see what changed since.

    Nobody is told when the case has no caseworker: whoever claims it sees the report, not yet
    acknowledged, on the case page.
    """
    report = (
        ChangeReport.objects.select_related("application__assigned_to", "application__permit_type")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return []
    application = report.application
    assignee = application.assigned_to
    if assignee is None:
        return []
    return _notify_about(
        application,
        kind=Kind.CHANGE_REPORTED,
        recipients=[user_recipient(assignee)],
        occurrence=f"r{report.pk}",
        context={"report": report},
    )


def _extension_for_notice(extension_id: int) -> DeadlineExtension | None:
    return (
        DeadlineExtension.objects.select_related(
            "interruption__application__applicant__account",
            "interruption__application__assigned_to",
            "interruption__application__permit_type",
        )
        .filter(pk=extension_id)
        .first()
    )


def notify_extension_requested(*, extension_id: int) -> list[Notification]:
    """Tell the caseworker the case is assigned to that the applicant asked for more time to
    supply the documents (Administrative Procedure Code § 39(2), outside the seeds): until the
    answer the proceedings are not stopped.

    Nobody is told when the case has no caseworker: whoever takes it sees the request on the
    case page.
    """
    extension = _extension_for_notice(extension_id)
    if extension is None:
        return []
    application = extension.interruption.application
    assignee = application.assigned_to
    if assignee is None:
        return []
    return _notify_about(
        application,
        kind=Kind.EXTENSION_REQUESTED,
        recipients=[user_recipient(assignee)],
        occurrence=f"x{extension.pk}",
        context={"extension": extension, "interruption": extension.interruption},
        due_on=extension.deadline_before,
    )


def notify_extension_answered(*, extension_id: int) -> list[Notification]:
    """Tell the applicant the office's answer to their request for more time: the new
    deadline, or the refusal with its reasons and the deadline that stays."""
    extension = _extension_for_notice(extension_id)
    if extension is None or not extension.result:
        return []
    application = extension.interruption.application
    deadline = extension.new_deadline or extension.deadline_before
    return _notify_about(
        application,
        kind=Kind.EXTENSION_ANSWERED,
        recipients=_case_recipients(application),
        occurrence=f"x{extension.pk}",
        context={
            "extension": extension,
            "interruption": extension.interruption,
            "deadline": deadline,
        },
        due_on=deadline,
    )


# --- Reminders ------------------------------------------------------------------------------------


def _remind_document_deadline(object_id: int, due_on: date) -> tuple[Any, dict] | None:
    interruption = (
        Interruption.objects.select_related(
            "application__applicant__account", "application__permit_type"
        )
        .prefetch_related("requested_kinds")
        .filter(pk=object_id, ended_on__isnull=True, deadline=due_on)
        .first()
    )
    if interruption is None:
        return None
    return interruption.application, {
        "interruption": interruption,
        "documents": list(interruption.requested_kinds.all()),
    }


def _remind_appeal_deadline(object_id: int, due_on: date) -> tuple[Any, dict] | None:
    decision = (
        Decision.objects.select_related(
            "application__applicant__account", "application__permit_type"
        )
        .filter(
            pk=object_id,
            appeal_due=due_on,
            delivered_on__isnull=False,
            appeal__isnull=True,
            application__status=Status.DECIDED,
        )
        .exclude(remedy=Remedy.NONE)
        .first()
    )
    if decision is None:
        return None
    return decision.application, {"decision": decision}


def _permit_step_due(object_id: int, **still_due: Any) -> tuple[Any, dict] | None:
    """The permit whose holder still has the step ahead (``still_due``: the filter that says
    so), with its case."""
    permit = (
        Permit.objects.select_related("application__applicant__account", "application__permit_type")
        .filter(pk=object_id, **still_due)
        .first()
    )
    if permit is None:
        return None
    return permit.application, {"permit": permit}


def _remind_pickup(object_id: int, due_on: date) -> tuple[Any, dict] | None:
    """The card is to be collected within 60 days of giving biometric data [002][003], ready
    or not yet: a card not yet ready is reminded of with the deadline, not as waiting."""
    found = _permit_step_due(object_id, pickup_due=due_on, picked_up_on__isnull=True)
    if found is None:
        return None
    application, context = found
    return application, {**context, "card_pending": context["permit"].card_ready_on is None}


def _remind_biometrics(object_id: int, due_on: date) -> tuple[Any, dict] | None:
    """The booked appointment (``due_on`` is its day), or, with none booked, the 30-day
    deadline after entry [003]; nothing once the data were taken."""
    found = _permit_step_due(object_id, biometrics_on__isnull=True)
    if found is None:
        return None
    application, context = found
    permit = context["permit"]
    if permit.biometrics_appointment_on is not None:
        if permit.biometrics_appointment_on != due_on:
            return None  # re-booked: the new day has its own reminder
        return application, {**context, "appointment": True}
    if permit.biometrics_due != due_on:
        return None
    return application, context


def _remind_decision_due(object_id: int, due_on: date) -> tuple[Any, dict] | None:
    application = (
        Application.objects.select_related("assigned_to", "permit_type")
        .filter(pk=object_id, status=Status.FILED, decision_due=due_on, assigned_to__isnull=False)
        .first()
    )
    if application is None:
        return None
    return application, {}


def _remind_interruption_overdue(object_id: int, due_on: date) -> tuple[Any, dict] | None:
    interruption = (
        Interruption.objects.select_related("application__assigned_to", "application__permit_type")
        .filter(
            pk=object_id,
            ended_on__isnull=True,
            deadline=due_on,
            deadline__lt=clock.today(),
            application__assigned_to__isnull=False,
        )
        .first()
    )
    if interruption is None:
        return None
    return interruption.application, {"interruption": interruption}


_REMINDERS = {
    Kind.DOCUMENT_DEADLINE_REMINDER: _remind_document_deadline,
    Kind.APPEAL_DEADLINE_REMINDER: _remind_appeal_deadline,
    Kind.PICKUP_REMINDER: _remind_pickup,
    Kind.BIOMETRICS_REMINDER: _remind_biometrics,
    Kind.DECISION_DUE_REMINDER: _remind_decision_due,
    Kind.INTERRUPTION_OVERDUE: _remind_interruption_overdue,
}
# Reminders for the office rather than the applicant.
_FOR_CASEWORKER = frozenset({Kind.DECISION_DUE_REMINDER, Kind.INTERRUPTION_OVERDUE})


def reminder_occurrence(*, due_on: date, days_before: int) -> str:
    """What tells one reminder (or one day's digest) from the others of its kind."""
    return f"{due_on.isoformat()}:{days_before}"


def notify_reminder(
    *, kind: Kind | str, object_id: int, due_on: date, days_before: int
) -> list[Notification]:
    """Remind whoever must act that a deadline is ``days_before`` days away (0: it passed).

    ``object_id`` is the interruption (documents), decision (its remedy: an appeal or a request
    for re-assessment), permit (card pickup) or application (decision due) the sweep found. The
    reminder is dropped when the deadline is no longer there to meet: the documents came, a
    remedy was lodged, the case was decided.
    """
    kind = Kind(kind)
    found = _REMINDERS[kind](object_id, due_on)
    if found is None:
        return []
    application, context = found
    if kind in _FOR_CASEWORKER:
        recipients = [user_recipient(application.assigned_to)]
    else:
        # The person, and their representatives: the deadline is theirs to meet too.
        recipients = _case_recipients(application)
    return _notify_about(
        application,
        kind=kind,
        recipients=recipients,
        occurrence=reminder_occurrence(due_on=due_on, days_before=days_before),
        context={"due_on": due_on, "days_before": days_before, **context},
        due_on=due_on,
    )


def notify_overdue_digest(*, caseworker_id: int, day: date) -> list[Notification]:
    """One e-mail a day listing a caseworker's cases past their decision deadline."""
    caseworker = User.objects.filter(pk=caseworker_id, is_active=True).first()
    if caseworker is None:
        return []
    overdue = Application.objects.overdue(today=day).filter(assigned_to=caseworker)
    total = overdue.count()
    if total == 0:
        return []
    listed = list(
        overdue.select_related("permit_type").order_by("decision_due", "pk")[
            :OVERDUE_DIGEST_MAX_LISTED
        ]
    )
    return notify(
        kind=Kind.OVERDUE_DIGEST,
        recipients=[user_recipient(caseworker)],
        about=f"u{caseworker.pk}",
        occurrence=reminder_occurrence(due_on=day, days_before=0),
        context={
            "cases": listed,
            "total": total,
            "not_listed": total - len(listed),
            "day": day,
        },
    )


# --- The assigned caseworker: others' work on their case, documents arrived (SPEC §2) -------------
# Recorded by ``applications.case_watch`` in the action's transaction, delivered from the outbox.


def notify_case_activity(*, audit_entry_id: int, assignee_id: int) -> list[Notification]:
    """Tell the caseworker a case is assigned to (or was, until the action took it from them)
    that someone else in the office acted on it: a colleague's internal note, or what a
    supervisor did (SPEC §2). One notice per action, in the caseworker's language; what a note
    says stays on the case page, the notice says only that one was added."""
    entry = (
        AuditEntry.objects.select_related("actor", "application__permit_type")
        .filter(pk=audit_entry_id)
        .first()
    )
    assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
    if entry is None or assignee is None or entry.actor_id in (None, assignee.pk):
        return []
    actor = entry.actor
    assert actor is not None  # checked above
    return _notify_about(
        entry.application,
        kind=Kind.CASE_ACTIVITY,
        recipients=[user_recipient(assignee)],
        occurrence=f"e{entry.pk}",
        context={
            "entry": entry,
            "actor_name": actor.get_full_name() or actor.email,
            "is_note": entry.action == AuditAction.NOTE_ADDED,
            "still_assigned": entry.application.assigned_to_id == assignee.pk,
        },
    )


def notify_documents_arrived(
    *, application_id: int, arrived_at: str, actor_id: int | None = None
) -> list[Notification]:
    """Tell the caseworker a case is assigned to that documents arrived on it after filing
    (``case_watch.mark_arrived``): once per arrival, however many files came. Nobody is told
    when the case has no caseworker (it waits in the "documents arrived" queue), when the
    caseworker added the documents themselves, or when everything was checked meanwhile."""
    application = _application_for_notice(application_id)
    if application is None or application.arrived_at is None:
        return []
    assignee = application.assigned_to
    if assignee is None or assignee.pk == actor_id:
        return []
    return _notify_about(
        application,
        kind=Kind.DOCUMENTS_ARRIVED,
        recipients=[user_recipient(assignee)],
        occurrence=f"t{arrived_at}",
        context={"arrived_at": datetime.fromisoformat(arrived_at)},
        due_on=application.decision_due,
    )
