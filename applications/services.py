"""Every change to an application, one function per business action (SPEC §2).

Each action runs in one transaction: lock the case row, check that the caller saw the case as it
is now (``expected_version``), run the ``@transition``, save, write the audit row, and record
its side effects (PDFs, letters, notices) in the outbox in the same transaction: nothing is sent
for a change that rolled back, and nothing is lost when Redis or a worker is down after it
committed (``core/outbox.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Field
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_fsm import FSMMeta, TransitionNotAllowed, can_proceed

from accounts.constants import Language
from applications import case_watch, checks, guards, remedies, representation, validation
from applications.audit import AuditAction, SystemNote, audit_record
from applications.case_documents import case_document_store, inspect_upload, next_sub_number
from applications.constants import (
    ADDRESS_MAX_LENGTH,
    CHANGE_REPORT_MAX_ATTACHMENTS,
    AppealResult,
    ChangeKind,
    Channel,
    Delivery,
    InterruptionEnd,
    Outcome,
    Remedy,
    Status,
)
from applications.models import (
    CHANGE_FIELDS,
    CHANGE_REPORTED_ACTIONS,
    Appeal,
    Applicant,
    Application,
    AuditEntry,
    CaseNote,
    ChangeReport,
    Decision,
    DecisionPhrase,
    Interruption,
    InterruptionPhrase,
    Party,
    ReferenceCounter,
    portal_delivery,
)
from core import clock, outbox
from core.errors import (
    ApplicationError,
    ConcurrentChange,
    FilingBlocked,
    NotPermitted,
    TransitionRefused,
)
from documents.constants import Role as DocumentRole
from documents.models import case_reference
from permits import deadlines
from permits.models import DocumentKind, Permit, PermitType, PhrasePurpose, PhraseVersion
from permits.phrases import check_phrases, compose_czech
from permits.questions import questions_for, validate_answers

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User

# --- Shared machinery ----------------------------------------------------------------------


def lock_case(application: Application, *, expected_version: int | None) -> Application:
    """Lock the case row for this transaction and check the caller saw its present state."""
    locked = (
        Application.objects.select_for_update()
        .select_related("permit_type", "applicant")
        .get(pk=application.pk)
    )
    # A form carries the version it was shown with; code paths without one at least saw a state.
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentChange()
    if expected_version is None and locked.status != application.status:
        raise ConcurrentChange()
    return locked


def _audit_note(*parts: str) -> str:
    """One audit note from several texts (a decision's reasoning, then why staff acted)."""
    return "\n\n".join(part.strip() for part in parts if part.strip())


def touch_case(application: Application, *fields: str) -> None:
    application.version += 1
    application.save(update_fields=[*fields, "version", "updated_at"])


# A stop for documents not supplied rests on the procedural ground, not on the type's provision:
# the Administrative Procedure Code § 66(1)(c) (outside the seeds) stops proceedings begun on
# application when the applicant did not remove a defect of the application by the deadline
# set in the interruption [002].
STOP_LEGAL_BASIS = "§ 66 odst. 1 písm. c) zákona č. 500/2004 Sb., správní řád"

_STATE_FIELDS = (
    "status",
    "outcome",
    "reference_number",
    "reference_year",
    "reference_sequence",
    "filed_at",
    "filed_on",
    "clock_started_on",
    "period_days",
    "decision_due",
    "decided_on",
    "closed_on",
    "withdrawn_on",
)


def _transition(
    locked: Application,
    *,
    actor: User | None,
    name: AuditAction,
    note: str | SystemNote = "",
    data: dict[str, Any] | None = None,
    refusal: str | None = None,
    **kwargs: Any,
) -> AuditEntry:
    """Run one ``@transition`` on a locked case, save it and write its audit row.

    ``actor=None`` is the system (a periodic job, or the applicant's upload resuming the case),
    which the permission check does not apply to.
    """
    method = getattr(locked, name)  # the bound @transition method (django-fsm types it Any)
    fsm_meta: FSMMeta = method._django_fsm
    if not can_proceed(method, check_conditions=False):
        raise TransitionRefused(
            _("This action is not possible while the case is %(status)s.")
            % {"status": locked.get_status_display().lower()}
        )
    # django-fsm's has_transition_perm() also evaluates the conditions; ask for the permission
    # alone so that a refusal says "not permitted" or gives the condition's reason, not both.
    if actor is not None and not fsm_meta.has_transition_perm(locked, locked.status, actor):
        raise _permission_refusal(name, actor)
    if not can_proceed(method):
        raise TransitionRefused(refusal)
    from_status = locked.status
    try:
        method(**kwargs)
    except TransitionNotAllowed as error:  # pragma: no cover - checked just above
        raise TransitionRefused(refusal) from error
    touch_case(locked, *_STATE_FIELDS)
    return audit_record(
        locked,
        actor=actor,
        action=name,
        from_status=from_status,
        to_status=locked.status,
        note=note,
        data=data,
    )


def _permission_refusal(name: AuditAction, actor: User) -> NotPermitted:
    """Why ``actor`` may not run the transition ``name``. A caseworker who may read the case
    but not act on it is told to claim it first (SPEC §2, ``guards.act_refusal``); a decision
    keeps its own words on the case page ("Only the caseworker the case is assigned to can
    decide it")."""
    if name in (AuditAction.INTERRUPT, AuditAction.RESUME, AuditAction.RESOLVE_APPEAL):
        return guards.act_refusal(actor)
    if name == AuditAction.STOP:
        return guards.act_refusal(actor, assignee_only=True)
    return NotPermitted()


def _audit_unchanged(
    locked: Application,
    *,
    actor: User,
    action: AuditAction,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """The audit row of an action that leaves the case in the state it is in."""
    return audit_record(
        locked,
        actor=actor,
        action=action,
        from_status=locked.status,
        to_status=locked.status,
        note=note,
        data=data,
    )


def _notify(application: Application, event: str) -> None:
    """Tell the applicant: recorded in the change's transaction (the outbox), delivered after
    the commit; a failing notification never undoes the action and is tried again."""
    outbox.enqueue(
        topic="notifications.application_event",
        payload={"application_id": application.pk, "event": event},
    )


def _next_reference(*, short_code: str, year: int) -> tuple[int, int, str]:
    """The next number of the year's sequence, in the Ministry's style: OAM-4217/DP-2026.

    The counter row is locked, so two filings at once get two different numbers; the first
    filing of a year creates the row (a concurrent creator is ignored, then both lock it).
    """
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last_value = F("last_value") + 1
    counter.save(update_fields=["last_value"])
    counter.refresh_from_db(fields=["last_value"])
    reference = case_reference(sequence=counter.last_value, short_code=short_code, year=year)
    return year, counter.last_value, reference


def _interruption_intervals(application: Application) -> list[tuple[date, date | None]]:
    return list(application.interruptions.values_list("started_on", "ended_on"))


def _end_open_interruption(
    application: Application, *, on: date, reason: InterruptionEnd
) -> Interruption | None:
    interruption = application.interruptions.filter(ended_on__isnull=True).first()
    if interruption is not None:
        interruption.ended_on = on
        interruption.end_reason = reason
        interruption.save(update_fields=["ended_on", "end_reason"])
    return interruption


# --- Drafts --------------------------------------------------------------------------------


def _lock_draft(application: Application, *, actor: User, refusal: str) -> Application:
    """Lock a draft for a change by the person filing it (or the support worker filing for
    them); once filed, the change is refused with ``refusal``."""
    locked = lock_case(application, expected_version=None)
    if locked.status != Status.DRAFT:
        raise TransitionRefused(refusal)
    if not guards.may_file(locked, actor):
        raise NotPermitted()
    return locked


def _paper_delivery_for(applicant: Applicant) -> Delivery:
    # Post needs an address in the Czech Republic; without one the decision waits at the office.
    return Delivery.POST if applicant.address else Delivery.IN_PERSON


def _check_delivery(applicant: Applicant, delivery: Delivery | str) -> Delivery:
    if delivery not in Delivery.values:
        raise ApplicationError(_("Choose how the decision is to be delivered."))
    if delivery == Delivery.PORTAL and applicant.account_id is None:
        raise ApplicationError(
            _("A person without a portal account receives the decision by post or in person.")
        )
    if delivery == Delivery.POST and not applicant.address:
        raise ApplicationError(
            _("A decision can be sent by post only to an address in the Czech Republic.")
        )
    return Delivery(delivery)


def application_create(
    *,
    applicant: Applicant,
    permit_type: PermitType,
    actor: User,
    channel: Channel = Channel.ONLINE,
    delivery: Delivery | str | None = None,
) -> Application:
    """Start a draft application. Drafts have no proceedings yet, so no audit row.

    The decision is delivered in the portal unless the person asked for paper; a person without
    an account (a support-centre filing) is delivered to by post, or in person when there is no
    address on record (D3).
    """
    if not representation.may_start(applicant, permit_type, actor):
        raise NotPermitted()
    if not permit_type.handled_by_office or not permit_type.is_active:
        raise ApplicationError(
            _("Applications for %(type)s are not handled by this office.") % {"type": permit_type}
        )
    if channel == Channel.EMBASSY and not permit_type.can_file_at_embassy:
        raise ApplicationError(_("This permit type cannot be applied for at an embassy."))
    if channel != Channel.EMBASSY and not permit_type.can_file_in_country:
        raise ApplicationError(_("This permit type can be applied for only at an embassy."))
    if delivery is None:
        delivery = Delivery.PORTAL if applicant.account_id else _paper_delivery_for(applicant)
    return Application.objects.create(
        applicant=applicant,
        permit_type=permit_type,
        channel=channel,
        delivery=_check_delivery(applicant, delivery),
        created_by=actor,
    )


def application_choose_delivery(
    *, application: Application, actor: User, delivery: Delivery | str
) -> Application:
    """The person (or the support worker filing for them) chooses, before filing, how the
    decision is delivered: in the portal, by post or in person (D3). Filing fixes the choice,
    like the rest of what was filed."""
    with transaction.atomic():
        locked = _lock_draft(
            application,
            actor=actor,
            refusal=_("How the decision is delivered is chosen before the application is filed."),
        )
        locked.delivery = _check_delivery(locked.applicant, delivery)
        touch_case(locked, "delivery")
    return locked


def application_delete_draft(*, application: Application, actor: User) -> None:
    """An applicant may delete a draft; once filed, the record stays."""
    with transaction.atomic():
        locked = _lock_draft(application, actor=actor, refusal=_("Only a draft can be deleted."))
        for document in locked.documents.all():
            document.file.delete(save=False)
        locked.delete()


def application_confirm_declarations(*, application: Application, actor: User) -> Application:
    with transaction.atomic():
        locked = _lock_draft(
            application, actor=actor, refusal=_("The declarations are confirmed before filing.")
        )
        locked.declarations_confirmed_at = clock.now()
        touch_case(locked, "declarations_confirmed_at")
    return locked


def _is_unanswered(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    return isinstance(raw, list | tuple | dict) and not raw


def application_save_answers(
    *, application: Application, actor: User, answers: Mapping[str, Any]
) -> Application:
    """Store the answers to the permit type's questions on a draft.

    The answers are cleaned by ``permits.questions.validate_answers``, the same code the rules
    engine reads them with. A draft may leave questions unanswered (the applicant saves and comes
    back later; the rules engine blocks filing while a required answer is missing), but an answer
    that cannot be read is refused with the problems per question. Answers stored under other
    keys are kept.
    """
    code = application.permit_type.code
    cleaned, errors = validate_answers(code, answers)
    invalid = {
        key: messages for key, messages in errors.items() if not _is_unanswered(answers.get(key))
    }
    if invalid:
        raise ApplicationError(
            _("Some answers need correcting."),
            problems=[message for messages in invalid.values() for message in messages],
        )
    own_keys = {question.key for question in questions_for(code)}
    with transaction.atomic():
        locked = _lock_draft(
            application,
            actor=actor,
            refusal=_("Answers can be changed only before the application is filed."),
        )
        kept = {key: value for key, value in (locked.answers or {}).items() if key not in own_keys}
        locked.answers = {**kept, **cleaned}
        touch_case(locked, "answers")
    return locked


# --- Transitions ---------------------------------------------------------------------------


def application_file(
    *, application: Application, actor: User, expected_version: int | None = None
) -> Application:
    """File the application: the proceedings begin and the decision clock starts (D2)."""
    with transaction.atomic():
        locked = lock_case(application, expected_version=expected_version)
        if locked.status == Status.DRAFT:
            problems = checks.filing_problems(locked)
            if problems:
                raise FilingBlocked(problems=problems)
        now, today = clock.now_and_today()
        reference = _next_reference(short_code=locked.permit_type.short_code, year=today.year)
        # What was filed is kept as filed (SPEC §2): the person's data as it stands now is
        # frozen onto the case; a later change is a reported change (change_report_submit).
        # Written before the state changes: a filed case without it is refused by the database.
        locked.filed_party = Party.of(locked.applicant).stored()
        locked.save(update_fields=["filed_party"])
        _transition(locked, actor=actor, name=AuditAction.FILE, filed_at=now, reference=reference)
        _notify(locked, "filed")
    return locked


@dataclass(frozen=True)
class OfficeWords:
    """What the office writes to the applicant (``permits.phrases``): catalogue phrases, in
    order, then its own words in Czech and, optionally, the caseworker's translation of them.
    ``record`` is the complete Czech text of record."""

    versions: list[PhraseVersion]
    free_text: str
    translation: str
    translation_language: str
    record: str


def office_words(
    *,
    purpose: PhrasePurpose,
    phrases: Sequence[PhraseVersion] = (),
    free_text: str = "",
    translation: str = "",
    translation_language: str = "",
) -> OfficeWords:
    """Check and compose the office's words: phrases of ``purpose``, active and current; a
    translation only of words written, in one of the applicant's languages."""
    versions = check_phrases(list(phrases), purpose=purpose)
    free_text = free_text.strip()
    translation = translation.strip()
    if translation:
        if not free_text:
            raise ApplicationError(_("A translation needs the Czech text it translates."))
        if translation_language not in Language.values or translation_language == Language.CS:
            raise ApplicationError(_("Say which language the translation is in."))
    else:
        translation_language = ""
    return OfficeWords(
        versions=versions,
        free_text=free_text,
        translation=translation,
        translation_language=translation_language,
        record=compose_czech(versions, free_text),
    )


def _cite_phrases(words: OfficeWords) -> list[str]:
    """The phrases as the audit row names them: code and version."""
    return [f"{v.phrase.code} v{v.number}" for v in words.versions]


def application_interrupt(
    *,
    application: Application,
    actor: User,
    reason: str = "",
    document_kinds: Iterable[DocumentKind],
    phrases: Sequence[PhraseVersion] = (),
    reason_translation: str = "",
    reason_translation_language: str = "",
    deadline_days: int = deadlines.DEFAULT_DOCUMENT_DEADLINE_DAYS,
    expected_version: int | None = None,
) -> Interruption:
    """Interrupt the proceedings pending documents; the decision clock stops [002] (D5).

    The reason is composed of ``phrases`` from the catalogue and the caseworker's own words in
    Czech (``reason``), with their translation if given; ``Interruption.reason`` keeps the
    complete Czech text."""
    check_signatory(actor)
    kinds = list(document_kinds)
    words = office_words(
        purpose=PhrasePurpose.INTERRUPTION,
        phrases=phrases,
        free_text=reason,
        translation=reason_translation,
        translation_language=reason_translation_language,
    )
    reason = words.record
    if not reason.strip():
        raise ApplicationError(_("Give the reason for the interruption."))
    if not kinds:
        raise ApplicationError(_("Choose the documents the applicant must supply."))
    if deadline_days < 1:
        raise ApplicationError(_("The applicant must be given at least one day."))
    with transaction.atomic():
        locked = lock_case(application, expected_version=expected_version)
        today = clock.today()
        deadline = deadlines.document_deadline(today, deadline_days)
        entry = _transition(
            locked,
            actor=actor,
            name=AuditAction.INTERRUPT,
            note=reason,
            data={
                "documents": [k.code for k in kinds],
                "deadline": deadline.isoformat(),
                **({"phrases": _cite_phrases(words)} if words.versions else {}),
            },
        )
        case_watch.tell_assignee(locked, actor=actor, entry=entry)
        interruption = Interruption.objects.create(
            application=locked,
            reason=reason,
            reason_free_text=words.free_text,
            reason_translation=words.translation,
            reason_translation_language=words.translation_language,
            started_on=today,
            deadline=deadline,
            created_by=actor,
            signed_name=actor.get_full_name(),
            signed_function=actor.job_title,
        )
        interruption.requested_kinds.set(kinds)
        InterruptionPhrase.objects.bulk_create(
            InterruptionPhrase(interruption=interruption, phrase_version=version, position=number)
            for number, version in enumerate(words.versions, start=1)
        )
        _notify(locked, "interrupted")
    application.refresh_from_db()
    return interruption


def application_resume(
    *,
    application: Application,
    actor: User | None,
    expected_version: int | None = None,
    note: str = "",
) -> Application:
    """Resume interrupted proceedings; the clock runs again, at least 15 more days (D2).

    ``note``: why, when staff act outside the caseworker's page (the back office); it is
    written into the audit row."""
    with transaction.atomic():
        locked = lock_case(application, expected_version=expected_version)
        entry = _resume(locked, actor=actor, note=note)
        case_watch.tell_assignee(locked, actor=actor, entry=entry)
    return locked


def _resume(locked: Application, *, actor: User | None, note: str | SystemNote) -> AuditEntry:
    """End the open interruption today and run the clock again (D2); the applicant is told.
    ``actor=None``: the system resumes (the applicant supplied what was asked for)."""
    if locked.status == Status.INTERRUPTED:
        _end_open_interruption(locked, on=clock.today(), reason=InterruptionEnd.RESUMED)
    entry = _transition(
        locked,
        actor=actor,
        name=AuditAction.RESUME,
        note=note,
        interruptions=_interruption_intervals(locked),
    )
    _notify(locked, "resumed")
    return entry


def application_supply_requested_documents(*, application: Application, actor: User) -> Application:
    """The applicant says they have uploaded what the office asked for.

    When every requested kind has a document uploaded during the interruption, the system
    resumes the proceedings (SPEC §2); otherwise the applicant is told what is still missing.
    The documents wait for the caseworker's check: the case is in the "documents arrived"
    queue until they are verified (``case_watch.mark_arrived``; the upload of the first of them
    usually marked it already, and told the caseworker).
    """
    with transaction.atomic():
        locked = lock_case(application, expected_version=None)
        if not guards.may_act_as_applicant(locked, actor):
            raise NotPermitted()
        interruption = locked.open_interruption
        if locked.status != Status.INTERRUPTED or interruption is None:
            raise TransitionRefused(_("The office is not waiting for documents on this case."))
        supplied = set(
            locked.documents.usable()
            .filter(interruption=interruption)
            .values_list("kind_id", flat=True)
        )
        missing = [k.name for k in interruption.requested_kinds.all() if k.pk not in supplied]
        if missing:
            raise ApplicationError(
                _("Some requested documents are still missing."), problems=missing
            )
        _audit_unchanged(locked, actor=actor, action=AuditAction.DOCUMENTS_SUPPLIED)
        case_watch.mark_arrived(locked, actor=actor, only_if_left_to_check=True)
        _resume(
            locked,
            actor=None,
            note=SystemNote("resumed_documents_supplied"),
        )
    return locked


def application_decide(
    *,
    application: Application,
    actor: User,
    outcome: Outcome | str,
    reasoning: str = "",
    phrases: Sequence[PhraseVersion] = (),
    reasoning_translation: str = "",
    reasoning_translation_language: str = "",
    valid_from: date | None = None,
    valid_to: date | None = None,
    expected_version: int | None = None,
    note: str = "",
) -> Decision:
    """Decide the application: grant (with a validity the type allows) or reject with reasons.

    The reasoning is composed as for ``application_interrupt``: ``phrases`` from the catalogue
    (of a rejection's reasoning; of the next steps for a grant), then ``reasoning``, the
    caseworker's own words in Czech, with their translation if given.

    ``note``: why, when staff act outside the caseworker's page (the back office); the audit
    row carries it after the reasoning, the decision itself does not."""
    if outcome not in (Outcome.GRANTED, Outcome.REJECTED):
        raise ApplicationError(_("A decision grants or rejects the application."))
    check_signatory(actor)
    words = office_words(
        purpose=(
            PhrasePurpose.REJECTION
            if outcome == Outcome.REJECTED
            else PhrasePurpose.GRANT_NEXT_STEPS
        ),
        phrases=phrases,
        free_text=reasoning,
        translation=reasoning_translation,
        translation_language=reasoning_translation_language,
    )
    reasoning = words.record
    with transaction.atomic():
        locked = lock_case(application, expected_version=expected_version)
        unverified = (
            [kind.name for kind in checks.unverified_document_kinds(locked)]
            if outcome == Outcome.GRANTED and locked.status == Status.FILED
            else []
        )
        now, today = clock.now_and_today()
        if locked.status == Status.FILED:
            guards.check_decision(
                locked,
                outcome=outcome,
                reasoning=reasoning,
                valid_from=valid_from,
                valid_to=valid_to,
                unverified_documents=unverified,
            )
        entry = _transition(
            locked,
            actor=actor,
            name=AuditAction.DECIDE,
            note=_audit_note(reasoning, note),
            data={
                "outcome": str(outcome),
                **({"phrases": _cite_phrases(words)} if words.versions else {}),
            },
            refusal=_("A case must be assigned to a caseworker before it is decided."),
            outcome=Outcome(outcome),
            decided_on=today,
        )
        # The proceedings are over: nothing waits in the "documents arrived" queue.
        case_watch.clear_arrived(locked)
        case_watch.tell_assignee(locked, actor=actor, entry=entry)
        granted = outcome == Outcome.GRANTED
        decision = _decision_create(
            locked,
            actor=actor,
            outcome=outcome,
            words=words,
            valid_from=valid_from if granted else None,
            valid_to=valid_to if granted else None,
            decided_at=now,
            decided_on=today,
        )
        if granted:
            # guards.check_decision refused a grant without its validity.
            assert valid_from is not None
            Permit.objects.update_or_create(
                application=locked,
                defaults={
                    "number": locked.card_number,
                    "permit_type": locked.permit_type,
                    "holder": locked.applicant,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                },
            )
        _queue_decision_document(decision)
    return decision


def application_stop(
    *,
    application: Application,
    actor: User,
    reasoning: str = "",
    phrases: Sequence[PhraseVersion] = (),
    reasoning_translation: str = "",
    reasoning_translation_language: str = "",
    expected_version: int | None = None,
    note: str = "",
) -> Decision:
    """Stop the proceedings: the documents' deadline passed without them [002].

    The reasoning is composed as for ``application_decide``, of phrases for a stop; with
    neither phrases nor words, the standard text (the stop form proposes the catalogue's
    standard paragraph, ``permits.phrases.STOP_PHRASE``, which the applicant reads in their
    language).

    ``note``: as for ``application_decide``, in the audit row only."""
    check_signatory(actor)
    words = office_words(
        purpose=PhrasePurpose.STOP,
        phrases=phrases,
        free_text=reasoning,
        translation=reasoning_translation,
        translation_language=reasoning_translation_language,
    )
    if not words.record:
        words = office_words(purpose=PhrasePurpose.STOP, free_text=_stop_reasoning_of_record())
    reasoning = words.record
    with transaction.atomic():
        locked = lock_case(application, expected_version=expected_version)
        now, today = clock.now_and_today()
        entry = _transition(
            locked,
            actor=actor,
            name=AuditAction.STOP,
            note=_audit_note(reasoning, note),
            data={"phrases": _cite_phrases(words)} if words.versions else None,
            refusal=_stop_refusal(locked),
            decided_on=today,
        )
        case_watch.clear_arrived(locked)
        case_watch.tell_assignee(locked, actor=actor, entry=entry)
        _end_open_interruption(locked, on=today, reason=InterruptionEnd.STOPPED)
        decision = _decision_create(
            locked,
            actor=actor,
            outcome=Outcome.STOPPED,
            words=words,
            decided_at=now,
            decided_on=today,
        )
        _queue_decision_document(decision)
    return decision


def _stop_reasoning_of_record() -> str:
    """The stop's standard reasoning, in Czech whoever stops: the decision is written in the
    language of the proceedings (SPEC §7), its translation is the PDF's second part."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "The requested documents were not supplied by the deadline set in the interruption."
        )


def _stop_refusal(locked: Application) -> str:
    """Why the proceedings cannot be stopped now: a request for more time, made before the
    deadline passed, awaits its answer (Administrative Procedure Code § 39(2), outside the
    seeds; ``guards.interruption_deadline_passed``), or the deadline has not passed."""
    interruption = locked.open_interruption
    if interruption is not None and interruption.open_extension is not None:
        return _(
            "The applicant asked for more time before the deadline passed: answer the request "
            "before stopping the proceedings."
        )
    return _("Proceedings can be stopped only after the documents' deadline has passed.")


def check_signatory(actor: User) -> None:
    """A decision or a resolution is signed with the name, surname and function of the official
    who issues it (Administrative Procedure Code § 69(1), outside the seeds): an official whose
    staff record lacks them issues nothing until an administrator completes the record."""
    if not (actor.first_name.strip() and actor.last_name.strip() and actor.job_title.strip()):
        raise ApplicationError(
            _(
                "Your staff record lacks your name, surname or function, which decisions and "
                "resolutions are signed with. Ask an administrator to complete it."
            )
        )


def _decision_create(
    locked: Application,
    *,
    actor: User,
    outcome: Outcome | str,
    words: OfficeWords,
    decided_at: datetime,
    decided_on: date,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> Decision:
    """The decision as issued: on the permit type's legal basis (a stop on the procedural one),
    in the language of the person as filed, with the remedy its type and outcome allow and the
    deciding official's signature."""
    decision = Decision.objects.create(
        application=locked,
        outcome=outcome,
        reasoning=words.record,
        reasoning_free_text=words.free_text,
        reasoning_translation=words.translation,
        reasoning_translation_language=words.translation_language,
        legal_basis=(
            STOP_LEGAL_BASIS if outcome == Outcome.STOPPED else locked.permit_type.legal_basis
        ),
        remedy=remedies.remedy_for(locked.permit_type, outcome),
        signed_name=actor.get_full_name(),
        signed_function=actor.job_title,
        valid_from=valid_from,
        valid_to=valid_to,
        language=locked.party.preferred_language,
        decided_by=actor,
        decided_at=decided_at,
        decided_on=decided_on,
    )
    DecisionPhrase.objects.bulk_create(
        DecisionPhrase(decision=decision, phrase_version=version, position=number)
        for number, version in enumerate(words.versions, start=1)
    )
    return decision


def _queue_decision_document(decision: Decision) -> None:
    """The decision's PDF is part of the decision: recorded with it, rendered by a worker."""
    outbox.enqueue(
        topic="documents.decision_pdf",
        payload={"decision_id": decision.pk},
        key=f"decision_pdf:{decision.pk}",
    )


def decision_make_available(*, decision: Decision, on: date | None = None) -> Decision:
    """The decision's document is ready: it is made available in the portal (D3 starts)."""
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.made_available_on is None:
            locked.made_available_on = on or clock.today()
            locked.save(update_fields=["made_available_on"])
            audit_record(
                locked.application,
                actor=None,
                action=AuditAction.DECISION_AVAILABLE,
                data={"decision": locked.pk, "on": locked.made_available_on.isoformat()},
            )
            # The applicant is told once there is a decision to read (D3 starts now). A decision
            # on paper is told of once its receipt is recorded (``decision_record_receipt``):
            # until then it is in the post, and the portal's rules do not apply to it.
            if locked.application.delivers_in_portal:
                _notify(locked.application, "decided")
    return locked


def decision_open(*, decision: Decision, actor: User) -> Decision:
    """The applicant opens the decision: the first opening is its delivery (D3), and the
    15-day period for its remedy runs from it (D4) [002][003]; a decision with no remedy takes
    legal effect with it."""
    with transaction.atomic():
        locked = (
            Decision.objects.select_for_update()
            .select_related("application__applicant")
            .get(pk=decision.pk)
        )
        if locked.made_available_on is None:
            raise ApplicationError(_("The decision is still being prepared."))
        if locked.opened_on is not None or not guards.may_act_as_applicant(
            locked.application, actor
        ):
            return locked
        if not representation.delivers_to(locked.application, actor):
            return locked
        today = clock.today()
        locked.opened_on = today
        if locked.delivered_on is None:
            locked.delivered_on = deadlines.delivery_date(locked.made_available_on, today)
            locked.appeal_due = remedies.lodging_due(locked.remedy, locked.delivered_on)
        locked.save(update_fields=["opened_on", "delivered_on", "appeal_due"])
        audit_record(
            locked.application,
            actor=actor,
            action=AuditAction.DECISION_DELIVERED,
            data={"decision": locked.pk, "delivered_on": locked.delivered_on.isoformat()},
        )
    return locked


def decisions_deliver_unopened(*, today: date) -> int:
    """Delivery fiction: a decision not opened within 10 days is delivered on the 10th (D3).

    Only in the portal: a decision for a person without an account, or one who asked for paper,
    is delivered on the day of receipt (``decision_record_receipt``), however long that takes.
    """
    cutoff = today - timedelta(days=deadlines.DELIVERY_FICTION_DAYS)
    delivered = 0
    candidates = Decision.objects.filter(
        portal_delivery("application__"), delivered_on__isnull=True, made_available_on__lte=cutoff
    ).values_list("pk", flat=True)
    for decision_id in list(candidates):
        with transaction.atomic():
            decision = Decision.objects.select_for_update().get(pk=decision_id)
            if decision.delivered_on is not None or decision.made_available_on is None:
                continue
            decision.delivered_on = deadlines.delivery_date(decision.made_available_on, None)
            decision.appeal_due = remedies.lodging_due(decision.remedy, decision.delivered_on)
            decision.save(update_fields=["delivered_on", "appeal_due"])
            audit_record(
                decision.application,
                actor=None,
                action=AuditAction.DECISION_DELIVERED,
                note=SystemNote("delivered_unopened"),
                data={"decision": decision.pk, "delivered_on": decision.delivered_on.isoformat()},
            )
            delivered += 1
    return delivered


def decision_record_receipt(
    *,
    decision: Decision,
    actor: User,
    received_on: date,
    proof: UploadedFile | None,
    expected_version: int | None = None,
) -> Decision:
    """A decision delivered by post or in person reached the person: the caseworker records the
    day of receipt with its proof, the signed delivery receipt (doručenka) or the record of
    handing it over, scanned into the file. That day is the delivery day (D3, not shifted), and
    the 15-day period for the decision's remedy runs from it: ``appeal_due = D1(received_on,
    15)`` (D4) [002][003]; a decision with no remedy takes legal effect on it
    (``remedies.lodging_due``).

    Only the caseworker the case is assigned to, or a supervisor, records it.
    """
    today = clock.today()
    if proof is None:
        raise ApplicationError(
            _("Attach the scan of the delivery receipt or of the signed record of handing over.")
        )
    if received_on > today:
        raise ApplicationError(_("The day of receipt cannot be in the future."))
    proof_file = inspect_upload(proof, default_name="delivery-receipt")
    with transaction.atomic():
        locked = lock_case(decision.application, expected_version=expected_version)
        if not guards.may_decide_or_supervise(locked, actor):
            raise NotPermitted()
        locked_decision = Decision.objects.select_for_update().get(
            pk=decision.pk, application=locked
        )
        if locked.delivers_in_portal:
            raise TransitionRefused(
                _(
                    "This decision is delivered in the portal: on the day it is first opened, or "
                    "on the 10th day. Its receipt is not recorded by hand."
                )
            )
        if locked_decision.delivered_on is not None:
            raise TransitionRefused(
                _("This decision was already delivered on %(day)s.")
                % {"day": date_format(locked_decision.delivered_on, "SHORT_DATE_FORMAT")}
            )
        if locked.status != Status.DECIDED or locked_decision.made_available_on is None:
            raise TransitionRefused(
                _("The decision is still being prepared: record its receipt once it was sent.")
            )
        if received_on < locked_decision.decided_on:
            raise ApplicationError(
                _("The day of receipt cannot be before the decision was issued (%(day)s).")
                % {"day": date_format(locked_decision.decided_on, "SHORT_DATE_FORMAT")}
            )
        document = case_document_store(
            application=locked, file=proof_file, role=DocumentRole.DELIVERY_RECEIPT, actor=actor
        )
        locked_decision.delivered_on = received_on
        locked_decision.appeal_due = remedies.lodging_due(locked_decision.remedy, received_on)
        locked_decision.delivery_proof = document
        locked_decision.save(update_fields=["delivered_on", "appeal_due", "delivery_proof"])
        # The case changed under the caseworkers' eyes (its remedy's clock runs now): a form shown
        # before this cannot record the receipt a second time.
        touch_case(locked)
        entry = audit_record(
            locked,
            actor=actor,
            action=AuditAction.DECISION_DELIVERED,
            note=SystemNote(
                "delivered_on_paper",
                {
                    "method": locked.delivery,
                    "day": received_on.isoformat(),
                    "proof": document.file_reference,
                },
            ),
            data={
                "decision": locked_decision.pk,
                "delivered_on": received_on.isoformat(),
                "appeal_due": locked_decision.appeal_due.isoformat(),
                "method": locked.delivery,
                "proof": document.pk,
            },
        )
        case_watch.tell_assignee(locked, actor=actor, entry=entry)
        # Now the person is told of the decision, with the day it was delivered and the last
        # day for its remedy (an e-mail, where they gave an address).
        _notify(locked, "decided")
    return locked_decision


def application_appeal(
    *,
    application: Application,
    actor: User,
    grounds: str,
    expected_version: int | None = None,
) -> Appeal:
    """Lodge the remedy the decision allows, at the latest on its last day (D4): an appeal
    against a permit's decision [002], or a request to re-assess the reasons for refusing a
    long-term visa, which the Ministry answers within 60 days [003]. A decision with no remedy
    (a granted visa, visa proceedings stopped) takes none (``remedies``)."""
    with transaction.atomic():
        locked = lock_case(application, expected_version=expected_version)
        decision = locked.current_decision
        kind = decision.remedy if decision is not None else Remedy.APPEAL
        if kind == Remedy.NONE:
            # Refused before reading it as a delivery: there is nothing to lodge.
            raise TransitionRefused(str(remedies.NO_REMEDY))
        if not grounds.strip():
            raise ApplicationError(str(remedies.GROUNDS_MISSING[kind]))
        if decision is not None and decision.delivered_on is None and decision.made_available_on:
            # Whoever lodges a remedy has read the decision: that is its delivery (D3).
            decision_open(decision=decision, actor=actor)
            locked = lock_case(locked, expected_version=None)
            decision = locked.current_decision
        now, today = clock.now_and_today()
        _transition(
            locked,
            actor=actor,
            name=AuditAction.APPEAL,
            note=grounds,
            data={"kind": str(kind)},
            refusal=str(remedies.LODGING_REFUSED[kind]),
        )
        # The transition's condition (guards.within_appeal_period) needs a current decision.
        assert decision is not None
        appeal = Appeal.objects.create(
            application=locked,
            decision=decision,
            kind=kind,
            grounds=grounds,
            lodged_by=actor,
            lodged_at=now,
            lodged_on=today,
            answer_due=remedies.answer_due(kind, today),
        )
        _notify(locked, "appeal_received")
    return appeal


def application_finalize(
    *,
    application: Application,
    actor: User | None = None,
    expected_version: int | None = None,
    note: str = "",
) -> Application:
    """The decision takes legal effect: the period for its remedy (an appeal, a request for
    re-assessment) passed with nothing lodged, or, when it allows none, it was delivered
    (``guards.appeal_period_over``).

    The periodic job runs it; ``expected_version`` and ``note`` (written into the audit row)
    are for a person doing it from the back office."""
    with transaction.atomic():
        locked = lock_case(application, expected_version=expected_version)
        today = clock.today()
        decision = locked.current_decision
        _transition(
            locked,
            actor=actor,
            name=AuditAction.FINALIZE,
            note=note,
            refusal=str(remedies.NOT_FINAL_YET[decision.remedy if decision else Remedy.APPEAL]),
            closed_on=today,
        )
        _notify(locked, "closed")
    return locked


def application_resolve_appeal(
    *,
    application: Application,
    actor: User,
    result: AppealResult | str,
    note: str = "",
    expected_version: int | None = None,
) -> Appeal:
    """Record the result of the remedy lodged: the Commission's decision on an appeal, or the
    Ministry's answer to a request for re-assessment [003]. The case closes, or returns for a
    new decision. A re-assessment confirms the reasons for the refusal or finds they no longer
    stand; it never changes the decision itself (``remedies.RESULT_LABELS``)."""
    if result not in AppealResult.values:
        raise ApplicationError(_("Choose the appellate body's result."))
    with transaction.atomic():
        locked = lock_case(application, expected_version=expected_version)
        now, today = clock.now_and_today()
        # In ``appealed`` exactly one remedy waits for its result; in any other state the
        # transition below refuses.
        pending = locked.appeals.select_for_update().filter(result="").order_by("-lodged_at")
        appeal = pending.first()
        kind = appeal.kind if appeal is not None else Remedy.APPEAL
        if not remedies.result_allowed(kind, result):
            raise ApplicationError(
                _(
                    "A re-assessment confirms the reasons for the refusal or finds they no "
                    "longer stand: it does not change the decision."
                )
            )
        entry = _transition(
            locked,
            actor=actor,
            name=AuditAction.RESOLVE_APPEAL,
            note=note,
            data={"result": str(result), "kind": str(kind)},
            result=AppealResult(result),
            on=today,
        )
        assert appeal is not None  # ``appealed`` has its remedy (invariants)
        appeal.result = result
        appeal.result_note = note
        appeal.result_recorded_at = now
        appeal.recorded_by = actor
        appeal.save(update_fields=["result", "result_note", "result_recorded_at", "recorded_by"])
        if appeal.result == AppealResult.RETURNED:
            _set_aside_permit(locked, actor=actor)
        case_watch.tell_assignee(locked, actor=actor, entry=entry)
        # Closed, or filed again when the case was returned for a new decision.
        _notify(locked, locked.status)
    return appeal


def _set_aside_permit(application: Application, *, actor: User) -> None:
    """A grant the appellate body set aside (returned for new proceedings) issues no card: the
    permit made with it goes, and the new proceedings' decision makes one again if it grants.
    The decision itself stays in the file, as decided."""
    permit = Permit.objects.select_for_update().filter(application=application).first()
    if permit is None:
        return
    audit_record(
        application,
        actor=actor,
        action=AuditAction.PERMIT_SET_ASIDE,
        data={"permit": permit.pk, "number": permit.number},
    )
    permit.delete()


def application_withdraw(
    *,
    application: Application,
    actor: User,
    expected_version: int | None = None,
    note: str = "",
) -> Application:
    """The applicant withdraws the application; the proceedings stop.

    ``note``: how the applicant asked, when staff withdraw on their behalf (the back office);
    it is written into the audit row."""
    with transaction.atomic():
        locked = lock_case(application, expected_version=expected_version)
        today = clock.today()
        entry = _transition(locked, actor=actor, name=AuditAction.WITHDRAW, note=note, on=today)
        _end_open_interruption(locked, on=today, reason=InterruptionEnd.WITHDRAWN)
        case_watch.clear_arrived(locked)
        # Staff who withdrew for the applicant (the back office) tell the assignee.
        case_watch.tell_assignee(locked, actor=actor, entry=entry)
    return locked


# --- Changes reported after filing ---------------------------------------------------------


def _clean_reported_value(name: str, value: Any, *, today: date) -> Any:
    """One reported value as stored (text, an ISO date, a country code), or ApplicationError."""
    # The reported fields (CHANGE_FIELDS) are the person's own columns, none a relation.
    field = cast("Field[Any, Any]", Applicant._meta.get_field(name))
    if name == "date_of_birth":
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                raise ApplicationError(_("Enter the date of birth as a date.")) from None
        if not isinstance(value, date):
            raise ApplicationError(_("Enter the date of birth as a date."))
        if value > today:
            raise ApplicationError(_("The date of birth cannot be in the future."))
        _checked_person_value(name, value, today=today)
        return value.isoformat()
    text = str(getattr(value, "code", value) if value is not None else "").strip()
    if not text:
        raise ApplicationError(_("Enter the new %(field)s.") % {"field": field.verbose_name})
    # The same rules as the forms (``validation``): names, numbers, lengths, no markup.
    text = str(_checked_person_value(name, text, today=today))
    if name == "nationality":
        text = text.upper()
        if text not in dict(field.choices or ()):
            raise ApplicationError(_("Choose the nationality from the list."))
        return text
    # The address is free text without a column limit: bounded here as in the form.
    limit = field.max_length or ADDRESS_MAX_LENGTH
    if len(text) > limit:
        raise ApplicationError(
            _("The %(field)s can have at most %(count)s characters.")
            % {"field": field.verbose_name, "count": limit}
        )
    return text


def _checked_person_value(name: str, value: Any, *, today: date) -> Any:
    """``value`` as the person-data rules store it, or ApplicationError with their message."""
    try:
        return validation.clean_person_value(name, value, today=today)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages)) from None


def _reported_data(
    kind: str, data: Mapping[str, Any], *, known: Mapping[str, Any], today: date
) -> dict[str, Any]:
    """The reported values of ``kind`` as stored; refuses what the office cannot take."""
    fields = CHANGE_FIELDS[kind]
    unknown = set(data) - set(fields)
    if unknown:
        raise ApplicationError(_("Report one kind of change at a time."))
    cleaned = {name: _clean_reported_value(name, data.get(name), today=today) for name in fields}
    if cleaned == {name: known.get(name) for name in fields}:
        raise ApplicationError(
            _("This is the data the office already has: there is no change to report.")
        )
    return cleaned


def _known_data(application: Application, kind: str) -> dict[str, Any]:
    """What the office knows of this kind of data: the latest reported change of the kind, or
    what was filed."""
    latest = application.change_reports.filter(kind=kind).order_by("-sub_number").first()
    if latest is not None:
        return dict(latest.data)
    return application.party.stored()


def change_report_submit(
    *,
    application: Application,
    actor: User,
    kind: ChangeKind | str,
    data: Mapping[str, Any],
    attachments: Iterable[UploadedFile] = (),
) -> ChangeReport:
    """The person reports a change of their data to the office after filing [003]: "Any
    changes to your data must be reported to the office within three days. The general deadline
    for reporting a change of address is longer - it is 30 days."

    A submission in the file, numbered in one sequence with the documents, with its documents
    (a new passport) filed after it; the data as filed stays as it was (SPEC §2). Allowed while
    the proceedings or the remedies run, and afterwards while the case's permit is valid. The
    caseworker the case is assigned to is told (``notify_change_reported``); until they
    acknowledge it the case is in the "documents arrived" queue (``case_watch.mark_arrived``).
    """
    if kind not in ChangeKind.values:
        raise ApplicationError(_("Choose what changed: your personal data or your address."))
    uploads = list(attachments)
    if len(uploads) > CHANGE_REPORT_MAX_ATTACHMENTS:
        raise ApplicationError(
            _("Attach at most %(count)s files; put several pages into one PDF.")
            % {"count": CHANGE_REPORT_MAX_ATTACHMENTS}
        )
    inspected = [inspect_upload(upload, default_name="document") for upload in uploads]
    with transaction.atomic():
        locked = lock_case(application, expected_version=None)
        if not guards.may_act_as_applicant(locked, actor):
            raise NotPermitted()
        now, today = clock.now_and_today()
        if not locked.accepts_change_reports(on=today):
            raise TransitionRefused(
                _(
                    "Changes are reported on an application in proceedings, or on the one that "
                    "granted your valid permit. This case takes no more reports."
                )
            )
        cleaned = _reported_data(kind, data, known=_known_data(locked, kind), today=today)
        report = ChangeReport.objects.create(
            application=locked,
            sub_number=next_sub_number(application=locked),
            kind=kind,
            data=cleaned,
            reported_at=now,
            reported_by=actor,
        )
        documents = [
            case_document_store(
                application=locked, file=file, role=DocumentRole.EVIDENCE, actor=actor
            )
            for file in inspected
        ]
        report.attachments.set(documents)
        # The change-reported notice tells the assignee: the arrival makes no second one.
        case_watch.mark_arrived(locked, actor=actor, notify=False)
        # The case changed under the caseworkers' eyes: a decision form shown before the report
        # is refused as stale, so the report is read before the case is decided.
        touch_case(locked)
        _audit_unchanged(
            locked,
            actor=actor,
            action=CHANGE_REPORTED_ACTIONS[ChangeKind(kind)],
            # The number in the file only: the audit trail carries no personal data in clear.
            note=report.file_reference,
            data={
                "report": report.pk,
                "kind": str(kind),
                "sub_number": report.sub_number,
                "attachments": [document.sub_number for document in documents],
            },
        )
        outbox.enqueue(
            topic="notifications.change_reported",
            payload={"report_id": report.pk},
            key=f"change_reported:{report.pk}",
        )
    return report


def change_report_acknowledge(*, report: ChangeReport, actor: User) -> ChangeReport:
    """The caseworker the case is assigned to (or a supervisor, ``guards.may_act_on_case``)
    confirms the office has taken note of a reported change. The data as filed stays as it was
    (SPEC §2). When nothing is left to check, the case leaves the "documents arrived" queue."""
    application = report.application
    with transaction.atomic():
        locked = lock_case(application, expected_version=None)
        guards.check_may_act_on_case(locked, actor)
        locked_report = ChangeReport.objects.select_for_update().get(
            pk=report.pk, application=locked
        )
        if locked_report.acknowledged_at is not None:
            raise TransitionRefused(
                _("This change was already acknowledged on %(day)s.")
                % {
                    "day": date_format(
                        timezone.localtime(locked_report.acknowledged_at), "SHORT_DATE_FORMAT"
                    )
                }
            )
        locked_report.acknowledged_at = timezone.now()
        locked_report.acknowledged_by = actor
        locked_report.save(update_fields=["acknowledged_at", "acknowledged_by"])
        touch_case(locked)
        entry = _audit_unchanged(
            locked,
            actor=actor,
            action=AuditAction.CHANGE_ACKNOWLEDGED,
            note=locked_report.file_reference,
            data={"report": locked_report.pk, "sub_number": locked_report.sub_number},
        )
        case_watch.tell_assignee(locked, actor=actor, entry=entry)
        case_watch.clear_if_checked(locked)
    return locked_report


# --- Assignment ----------------------------------------------------------------------------


def _set_assignee(
    application: Application,
    *,
    actor: User,
    assignee: User | None,
    action: AuditAction,
    expected_version: int | None,
    allowed: Callable[[Application], None],
    note: str = "",
) -> Application:
    """Change who has the case. ``allowed`` checks the change against the locked row, not
    against the caller's copy: a copy read before a colleague claimed the case must not take
    it from them. The caseworker it is taken from is told, unless they gave it up themselves."""
    with transaction.atomic():
        locked = lock_case(application, expected_version=expected_version)
        if not guards.in_proceedings(locked):
            raise TransitionRefused(_("Only a case in proceedings can be assigned."))
        allowed(locked)
        previous = locked.assigned_to_id
        locked.assigned_to = assignee
        touch_case(locked, "assigned_to")
        entry = _audit_unchanged(
            locked,
            actor=actor,
            action=action,
            note=note,
            data={"from": previous, "to": assignee.pk if assignee else None},
        )
        if previous is not None and previous != locked.assigned_to_id:
            case_watch.tell_assignee(locked, actor=actor, entry=entry, assignee_id=previous)
    return locked


def application_claim(
    *, application: Application, actor: User, expected_version: int | None = None
) -> Application:
    """A caseworker takes an unassigned case."""
    if not actor.has_perm("applications.process_application"):
        raise NotPermitted()

    def unassigned(case: Application) -> None:
        if case.assigned_to_id not in (None, actor.pk):
            raise ConcurrentChange(_("Another caseworker has this case."))

    # Checked on the caller's copy first, to say why rather than only that the case changed,
    # and again on the locked row, which decides.
    unassigned(application)
    return _set_assignee(
        application,
        actor=actor,
        assignee=actor,
        action=AuditAction.CLAIM,
        expected_version=expected_version,
        allowed=unassigned,
    )


def application_release(
    *,
    application: Application,
    actor: User,
    expected_version: int | None = None,
    note: str = "",
) -> Application:
    """The assigned caseworker gives the case back to the queue. ``note``: why, when staff
    release it from the back office; written into the audit row."""

    def held_by_actor_or_supervised(locked: Application) -> None:
        if not guards.may_release(locked, actor):
            raise NotPermitted()

    return _set_assignee(
        application,
        actor=actor,
        assignee=None,
        action=AuditAction.RELEASE,
        expected_version=expected_version,
        allowed=held_by_actor_or_supervised,
        note=note,
    )


def application_assign(
    *,
    application: Application,
    actor: User,
    assignee: User,
    expected_version: int | None = None,
    note: str = "",
) -> Application:
    """A supervisor assigns or reassigns a case to a caseworker. ``note``: why, when staff
    assign it from the back office; written into the audit row."""
    if not actor.has_perm("applications.assign_application"):
        raise NotPermitted()
    if not assignee.has_perm("applications.process_application"):
        raise ApplicationError(_("Cases can be assigned only to caseworkers."))
    with transaction.atomic():
        assigned = _set_assignee(
            application,
            actor=actor,
            assignee=assignee,
            action=AuditAction.ASSIGN,
            expected_version=expected_version,
            # A supervisor may reassign a case whoever holds it.
            allowed=lambda locked: None,
            note=note,
        )
        outbox.enqueue(
            topic="notifications.assignment",
            payload={"application_id": assigned.pk, "assignee_id": assignee.pk},
        )
    return assigned


# --- Caseworker workspace ------------------------------------------------------------------


def case_note_add(*, application: Application, author: User, text: str) -> CaseNote:
    """Add an internal note to a case: staff see it, the applicant never does. Every caseworker
    may add one, assigned or not (SPEC §2); the caseworker the case is assigned to is told of a
    colleague's note. Notes are append-only; the audit row records that a note was written, not
    what it says, because the audit timeline may be shown outside the office."""
    if not author.has_perm("applications.process_application"):
        raise NotPermitted()
    text = text.strip()
    if not text:
        raise ApplicationError(_("Write the note first."))
    with transaction.atomic():
        note = CaseNote.objects.create(application=application, author=author, text=text)
        entry = audit_record(
            application, actor=author, action=AuditAction.NOTE_ADDED, data={"note": note.pk}
        )
        case_watch.tell_assignee(application, actor=author, entry=entry)
    return note


def application_interrupt_with_letter(
    *,
    application: Application,
    actor: User,
    reason: str = "",
    document_kinds: Iterable[DocumentKind],
    phrases: Sequence[PhraseVersion] = (),
    reason_translation: str = "",
    reason_translation_language: str = "",
    deadline_days: int = deadlines.DEFAULT_DOCUMENT_DEADLINE_DAYS,
    expected_version: int | None = None,
) -> Interruption:
    """Interrupt the proceedings (``application_interrupt``) and invite the applicant, by a
    letter in the file, to supply the documents by the deadline (D5) [002]. The letter is
    rendered in the background; it is recorded in the interruption's transaction (the outbox),
    so an interruption never stays without its letter."""
    with transaction.atomic():
        interruption = application_interrupt(
            application=application,
            actor=actor,
            reason=reason,
            document_kinds=document_kinds,
            phrases=phrases,
            reason_translation=reason_translation,
            reason_translation_language=reason_translation_language,
            deadline_days=deadline_days,
            expected_version=expected_version,
        )
        outbox.enqueue(
            topic="documents.interruption_letter",
            payload={"interruption_id": interruption.pk},
            key=f"interruption_letter:{interruption.pk}",
        )
    return interruption


@dataclass
class BulkAssignment:
    """What a bulk assignment did: the cases assigned and, per case refused, the reason."""

    assigned: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)


def applications_assign_many(
    *, application_ids: Iterable[int], actor: User, assignee: User
) -> BulkAssignment:
    """A supervisor assigns several cases at once. Each case goes through
    ``application_assign`` in its own transaction, so one refusal does not undo the others."""
    if not actor.has_perm("applications.assign_application"):
        raise NotPermitted()
    report = BulkAssignment()
    cases = Application.objects.filter(pk__in=list(application_ids)).order_by("pk")
    for application in cases:
        try:
            application_assign(application=application, actor=actor, assignee=assignee)
        except ApplicationError as error:
            report.refused.append((application, str(error)))
        else:
            report.assigned.append(application)
    return report
