"""More time to supply the documents of an interruption (Administrative Procedure Code § 39(2),
outside the seeds; SPEC §2 ``interrupt``).

While the proceedings are interrupted (přerušení řízení) pending documents, the applicant, or
someone acting for them, may ask before the deadline passes for a later one, giving a reason.
The caseworker the case is assigned to, or a supervisor, grants a new deadline or refuses with
reasons. The answer may come after the old deadline passed, since the request was made in time;
until it comes the proceedings are not stopped (``guards.interruption_deadline_passed``).

The decision clock stays halted either way: the interruption stays open, and a granted deadline
becomes its ``deadline`` (the reminders follow it: they are keyed by the date they remind of).
The history stays in the request's row (``DeadlineExtension``) and the audit rows, with the old
and the new date. The answer is a resolution (usnesení) signed by the answering official and
filed in the case as a letter, in Czech and in the applicant's language; it is not linked to the
interruption (``Document.interruption`` finds the one resolution interrupting the proceedings).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications import case_watch, guards
from applications.audit import AuditAction, audit_record
from applications.case_documents import document_store_generated
from applications.constants import ExtensionResult, Status
from applications.letters import RESOLUTION_TEMPLATE, party_context, pdf_name, second_language_of
from applications.models import Application, DeadlineExtension, Interruption
from applications.services import STOP_LEGAL_BASIS, check_signatory, lock_case, touch_case
from core import clock, outbox
from core.errors import ApplicationError, NotPermitted, TransitionRefused
from documents.constants import Role
from documents.models import Document
from documents.pdf import render_pdf
from permits import deadlines

if TYPE_CHECKING:
    from accounts.models import User

# The provision the resolution rests on, as the resolution quotes it.
EXTENSION_LEGAL_BASIS = "§ 39 odst. 2 zákona č. 500/2004 Sb., správní řád"

# The side effects, delivered from the outbox (registered in ``apps.py``).
RESOLUTION_TOPIC = "documents.extension_resolution"
REQUESTED_TOPIC = "notifications.extension_requested"
ANSWERED_TOPIC = "notifications.extension_answered"


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# --- Reading ---------------------------------------------------------------------------------


def request_refusal(
    application: Application, interruption: Interruption | None, *, today: date
) -> str | None:
    """Why more time cannot be asked for on the case now, or None when it can: only while the
    office waits for documents, on or before the deadline, and one request at a time."""
    if application.status != Status.INTERRUPTED or interruption is None:
        return _("The office is not waiting for documents on this case.")
    if today > interruption.deadline:
        return _(
            "The deadline for the documents passed on %(day)s: more time can be asked for only "
            "before it passes."
        ) % {"day": _day(interruption.deadline)}
    if interruption.open_extension is not None:
        return _("You have already asked for more time: the office will answer that request first.")
    return None


@dataclass(frozen=True)
class MoreTime:
    """The requests for more time on a case's open interruption, as the pages show them."""

    interruption: Interruption | None
    # Every request on the interruption, the oldest first.
    requests: list[DeadlineExtension]
    open_request: DeadlineExtension | None
    # Why the applicant cannot ask now; None when they can.
    refusal: str | None

    @property
    def can_ask(self) -> bool:
        return self.refusal is None


def more_time_for(application: Application, *, today: date) -> MoreTime:
    """The requests for more time on the case's open interruption, and whether another may be
    made (``request_refusal``)."""
    interruption = application.open_interruption
    requests = list(interruption.extensions.select_related("document")) if interruption else []
    open_request = next((request for request in requests if not request.result), None)
    return MoreTime(
        interruption=interruption,
        requests=requests,
        open_request=open_request,
        refusal=request_refusal(application, interruption, today=today),
    )


# --- The request -----------------------------------------------------------------------------


def extension_request(
    *,
    actor: User,
    reason: str,
    interruption: Interruption | None = None,
    application: Application | None = None,
    requested_until: date | None = None,
    expected_version: int | None = None,
) -> DeadlineExtension:
    """The applicant, or someone acting for them, asks for more time to supply the documents of
    the open interruption (of ``application``, or ``interruption`` itself), on or before its
    deadline, giving the reason and, if they wish, the day they ask for. The caseworker the case
    is assigned to is told; until the answer the proceedings are not stopped."""
    if application is None:
        if interruption is None:
            raise TypeError("Give either the interruption or the application.")
        application = interruption.application
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Say why you need more time."))
    with transaction.atomic():
        locked = lock_case(application, expected_version=expected_version)
        if not guards.may_act_as_applicant(locked, actor):
            raise NotPermitted()
        now, today = clock.now_and_today()
        current = locked.open_interruption
        if interruption is not None and current is not None and current.pk != interruption.pk:
            current = None  # the interruption asked about has ended
        refusal = request_refusal(locked, current, today=today)
        if refusal is not None:
            raise TransitionRefused(refusal)
        assert current is not None  # request_refusal refuses a case without one
        if requested_until is not None and requested_until <= current.deadline:
            raise ApplicationError(
                _("Ask for a day after the present deadline, %(day)s.")
                % {"day": _day(current.deadline)}
            )
        extension = DeadlineExtension.objects.create(
            interruption=current,
            reason=reason,
            requested_until=requested_until,
            deadline_before=current.deadline,
            requested_by=actor,
            requested_at=now,
            requested_on=today,
        )
        # The case changed under the caseworkers' eyes: a stop shown before the request is
        # refused as stale.
        touch_case(locked)
        audit_record(
            locked,
            actor=actor,
            action=AuditAction.EXTENSION_REQUESTED,
            from_status=locked.status,
            to_status=locked.status,
            note=reason,
            data={
                "extension": extension.pk,
                "deadline": current.deadline.isoformat(),
                "requested_until": requested_until.isoformat() if requested_until else None,
            },
        )
        outbox.enqueue(
            topic=REQUESTED_TOPIC,
            payload={"extension_id": extension.pk},
            key=f"extension_requested:{extension.pk}",
        )
    return extension


# --- The answer ------------------------------------------------------------------------------


def _lock_for_answer(
    extension: DeadlineExtension, *, actor: User, expected_version: int | None
) -> tuple[Application, DeadlineExtension, Interruption]:
    """Lock the case, then the request, for the answer: only the caseworker the case is
    assigned to or a supervisor answers, with the name and function the resolution is signed
    with, once, while the proceedings are interrupted."""
    locked = lock_case(extension.interruption.application, expected_version=expected_version)
    # SPEC §2: a caseworker who may read the case but not act on it is told to claim it first.
    guards.check_may_act_on_case(locked, actor)
    check_signatory(actor)
    request = DeadlineExtension.objects.select_for_update().get(pk=extension.pk)
    interruption = Interruption.objects.get(pk=request.interruption_id)
    if interruption.application_id != locked.pk:  # pragma: no cover - read through the case
        raise NotPermitted()
    if request.result:
        raise TransitionRefused(
            _("This request was already answered on %(day)s.")
            % {"day": _day(request.answered_on or request.requested_on)}
        )
    if locked.status != Status.INTERRUPTED or interruption.ended_on is not None:
        raise TransitionRefused(
            _("The proceedings are no longer interrupted: there is no deadline to extend.")
        )
    return locked, request, interruption


def _record_answer(
    locked: Application,
    request: DeadlineExtension,
    *,
    actor: User,
    result: ExtensionResult,
    reason: str,
    deadline_before: date,
    new_deadline: date | None,
) -> None:
    """Write the answer onto the request with the official's signature, its audit row, and its
    side effects: the resolution filed in the case and the applicant told (and the caseworker
    the case is assigned to, when a supervisor answered: ``case_watch.tell_assignee``)."""
    now, today = clock.now_and_today()
    request.result = result
    request.new_deadline = new_deadline
    request.answer_reason = reason
    request.answered_by = actor
    request.answered_at = now
    request.answered_on = today
    request.signed_name = actor.get_full_name()
    request.signed_function = actor.job_title
    request.save(
        update_fields=[
            "result",
            "new_deadline",
            "answer_reason",
            "answered_by",
            "answered_at",
            "answered_on",
            "signed_name",
            "signed_function",
        ]
    )
    touch_case(locked)
    granted = result == ExtensionResult.GRANTED
    entry = audit_record(
        locked,
        actor=actor,
        action=AuditAction.EXTENSION_GRANTED if granted else AuditAction.EXTENSION_REFUSED,
        from_status=locked.status,
        to_status=locked.status,
        note=reason,
        data={
            "extension": request.pk,
            "deadline_before": deadline_before.isoformat(),
            "new_deadline": new_deadline.isoformat() if new_deadline else None,
        },
    )
    outbox.enqueue(
        topic=RESOLUTION_TOPIC,
        payload={"extension_id": request.pk},
        key=f"extension_resolution:{request.pk}",
    )
    outbox.enqueue(
        topic=ANSWERED_TOPIC,
        payload={"extension_id": request.pk},
        key=f"extension_answered:{request.pk}",
    )
    case_watch.tell_assignee(locked, actor=actor, entry=entry)


def extension_grant(
    *,
    extension: DeadlineExtension,
    actor: User,
    new_deadline: date,
    reason: str = "",
    expected_version: int | None = None,
) -> DeadlineExtension:
    """Grant more time: the interruption's deadline becomes ``new_deadline``, later than the
    present one and not in the past. A day that is not a working day moves to the next working
    day, as the end of any period does (D1). The clock stays halted; the resolution is filed and
    the applicant told. ``expected_version``: the version of the case the caseworker's page
    showed, so an answer to a case changed meanwhile is refused (as every case action)."""
    with transaction.atomic():
        locked, request, interruption = _lock_for_answer(
            extension, actor=actor, expected_version=expected_version
        )
        deadline = deadlines.next_working_day(new_deadline)
        before = interruption.deadline
        if deadline <= before:
            raise ApplicationError(
                _("The new deadline must be later than the present one, %(day)s.")
                % {"day": _day(before)}
            )
        if deadline < clock.today():
            raise ApplicationError(_("The new deadline cannot be in the past."))
        interruption.deadline = deadline
        interruption.save(update_fields=["deadline"])
        _record_answer(
            locked,
            request,
            actor=actor,
            result=ExtensionResult.GRANTED,
            reason=reason.strip(),
            deadline_before=before,
            new_deadline=deadline,
        )
    return request


def extension_refuse(
    *,
    extension: DeadlineExtension,
    actor: User,
    reason: str,
    expected_version: int | None = None,
) -> DeadlineExtension:
    """Refuse more time, giving the reasons: the deadline stays as it is. The resolution is
    filed and the applicant told. ``expected_version`` as for ``extension_grant``."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Give the reasons for refusing the request."))
    with transaction.atomic():
        locked, request, interruption = _lock_for_answer(
            extension, actor=actor, expected_version=expected_version
        )
        _record_answer(
            locked,
            request,
            actor=actor,
            result=ExtensionResult.REFUSED,
            reason=reason,
            deadline_before=interruption.deadline,
            new_deadline=None,
        )
    return request


# --- The resolution --------------------------------------------------------------------------


def extension_resolution_context(extension: DeadlineExtension) -> dict[str, Any]:
    """What the resolution answering a request for more time says: the party, the request and
    its reason, the answer with its reasons, the deadline that now applies and what follows if
    it passes, and the official who signs it."""
    interruption = extension.interruption
    application = interruption.application
    return {
        **party_context(application),
        "body_template": "documents/letters/_extension_body.html",
        "issued_on": extension.answered_on,
        "extension": extension,
        "interruption": interruption,
        "granted": extension.result == ExtensionResult.GRANTED,
        "deadline": extension.new_deadline or extension.deadline_before,
        "extension_legal_basis": EXTENSION_LEGAL_BASIS,
        "stop_legal_basis": STOP_LEGAL_BASIS,
        "signed_name": extension.signed_name,
        "signed_function": extension.signed_function,
        "second_language": second_language_of(application.party.preferred_language),
    }


def extension_resolution_file(*, extension_id: int) -> Document | None:
    """Render the resolution answering a request for more time and file it in the case (role
    LETTER); nothing for a request not answered yet.

    Safe to run twice, also at once: a resolution already filed is returned as it is, and the
    store re-checks under the case's row lock (taken first, as by every writer to the case)."""
    extension = (
        DeadlineExtension.objects.select_related(
            "document",
            "interruption__application__applicant",
            "interruption__application__permit_type",
        )
        .filter(pk=extension_id)
        .first()
    )
    if extension is None or not extension.result:
        return None
    if extension.document_id is not None:
        return extension.document
    application = extension.interruption.application
    # Czech is the language of record; the template adds the applicant's language itself.
    with translation.override("cs"):
        content = render_pdf(RESOLUTION_TEMPLATE, extension_resolution_context(extension))
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application.pk).first()
        locked = DeadlineExtension.objects.select_for_update().get(pk=extension_id)
        if locked.document_id is not None:
            return locked.document
        document = document_store_generated(
            application=application,
            content=content,
            name=pdf_name("extension", application, extension.pk),
            role=Role.LETTER,
        )
        locked.document = document
        locked.save(update_fields=["document"])
    return document
