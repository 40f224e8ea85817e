"""Guards of the state machine: who may run a transition and when (SPEC §2).

Conditions take the application only and read facts; they never write. Checks that depend on a
transition's arguments (a grant's validity) are pure functions the transition method calls.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.checks import filing_problems
from applications.constants import Outcome, Remedy, Status
from applications.query import represented
from core import clock
from core.errors import NotPermitted, TransitionRefused
from permits import validity
from permits.models import PermitType

if TYPE_CHECKING:
    from accounts.models import User
    from applications.models import Application


# --- Permissions ---------------------------------------------------------------------------


def _is_owner(application: Application, user: User) -> bool:
    return user.is_authenticated and application.applicant.account_id == user.pk


def acts_for(application: Application, user: User) -> bool:
    """The person themselves, or a representative whose power of attorney covers the case
    today (SPEC §1: "within the power's scope, what the applicant can")."""
    if _is_owner(application, user):
        return True
    if not user.is_authenticated or application.pk is None:
        return False
    return type(application).objects.filter(represented(user), pk=application.pk).exists()


def may_file(application: Application, user: User) -> bool:
    return (
        acts_for(application, user)
        or user.has_perm("applications.file_on_behalf")
        or user.is_superuser
    )


def may_act_as_applicant(application: Application, user: User) -> bool:
    # Support-centre staff act for people who cannot do it alone [000].
    return may_file(application, user)


def may_process(application: Application, user: User) -> bool:
    return user.has_perm("applications.process_application")


def may_decide(application: Application, user: User) -> bool:
    """Only the caseworker the case is assigned to decides (an admin may act for them)."""
    return user.is_superuser or (
        user.has_perm("applications.process_application") and application.assigned_to_id == user.pk
    )


def may_act_on_case(application: Application, user: User) -> bool:
    """Who acts on a case (SPEC §2: "Other caseworkers may read a case and add internal notes,
    but act on it only once it is assigned to them; supervisors act on every case"): the
    caseworker it is assigned to, a supervisor, or an admin. Interrupting, resuming, verifying
    documents, answering a request for more time, acknowledging a reported change and recording
    a remedy's result all ask this; notes are open to every caseworker (``case_note_add``).
    Deciding and stopping are the assigned caseworker's alone (``may_decide``). docs/queues.md
    ("Who may act on a case") lists every action."""
    return (
        user.is_superuser
        or (
            user.has_perm("applications.process_application")
            and application.assigned_to_id == user.pk
        )
        or user.has_perm("applications.assign_application")
    )


def may_decide_or_supervise(application: Application, user: User) -> bool:
    """The caseworker who decides the case (``may_decide``) or a supervisor: who records what
    reaches the case after (a decision's receipt, a change the person reported). The same people
    as ``may_act_on_case``."""
    return may_act_on_case(application, user)


def may_stop(application: Application, user: User) -> bool:
    """Stopping the proceedings is a decision (outcome ``stopped``, SPEC §2 ``stop``: "the
    assigned caseworker"): like ``decide``, only the caseworker the case is assigned to stops
    it (or an admin for them). A supervisor who must stop a case assigns it to themselves
    first, so the decision carries the name of the official who is responsible for the case."""
    return may_decide(application, user)


# What a caseworker who may read the case but not act on it is told (SPEC §2).
NOT_ASSIGNED = gettext_lazy(
    "Only the caseworker assigned to this case or a supervisor can do this. Claim the case "
    "first or ask a supervisor."
)
ASSIGNEE_ONLY = gettext_lazy(
    "Only the caseworker assigned to this case can do this. Claim the case first or ask a "
    "supervisor to assign it to you."
)


def act_refusal(user: User, *, assignee_only: bool = False) -> NotPermitted:
    """The refusal of an action on a case ``user`` may not take: a caseworker is told to claim
    it first (``NOT_ASSIGNED``, or ``ASSIGNEE_ONLY`` for what only the assignee does); anyone
    else gets the general refusal."""
    if not user.has_perm("applications.process_application"):
        return NotPermitted()
    return NotPermitted(str(ASSIGNEE_ONLY if assignee_only else NOT_ASSIGNED))


def check_may_act_on_case(application: Application, user: User) -> None:
    """Refuse (``act_refusal``) a user who may not act on the case (``may_act_on_case``)."""
    if not may_act_on_case(application, user):
        raise act_refusal(user)


def in_proceedings(application: Application) -> bool:
    """Filed and not yet closed or withdrawn: only such a case has a caseworker."""
    return application.status not in (Status.DRAFT, Status.CLOSED, Status.WITHDRAWN)


def may_release(application: Application, user: User) -> bool:
    """The caseworker who has the case gives it back; a supervisor may take it from them."""
    return application.assigned_to_id == user.pk or user.has_perm("applications.assign_application")


def may_run_system_step(application: Application, user: User) -> bool:
    """Periodic jobs run these with no user; from the admin only a superuser may."""
    return user.is_superuser


# --- Conditions ----------------------------------------------------------------------------


def filing_ready(application: Application) -> bool:
    return not filing_problems(application)


def outcome_supported(application: Application) -> bool:
    """A decision needs a caseworker responsible for it."""
    return application.assigned_to_id is not None


def interruption_deadline_passed(application: Application) -> bool:
    """Proceedings may be stopped only once the documents' deadline has passed [002], and not
    while a request for more time made before it passed awaits its answer (Administrative
    Procedure Code § 39(2), outside the seeds)."""
    interruption = application.open_interruption
    return (
        interruption is not None
        and interruption.deadline < clock.today()
        and interruption.open_extension is None
    )


def within_appeal_period(application: Application) -> bool:
    """The decision allows a remedy (an appeal, or a request for re-assessment of a visa
    refusal), it was delivered, its last day has not passed and nothing was lodged yet (D4)."""
    decision = application.current_decision
    return (
        decision is not None
        and decision.remedy != Remedy.NONE
        and decision.appeal_due is not None
        and clock.today() <= decision.appeal_due
        and not hasattr_appeal(decision)
    )


def appeal_period_over(application: Application) -> bool:
    """The decision takes legal effect: its remedy's period passed with nothing lodged, or,
    for a decision with no remedy, it was delivered (``remedies.lodging_due``)."""
    decision = application.current_decision
    if decision is None or decision.appeal_due is None or hasattr_appeal(decision):
        return False
    if decision.remedy == Remedy.NONE:
        return decision.appeal_due <= clock.today()
    return decision.appeal_due < clock.today()


def hasattr_appeal(decision: object) -> bool:
    try:
        return decision.appeal is not None  # type: ignore[attr-defined]
    except ObjectDoesNotExist:  # the decision has no appeal (Appeal.DoesNotExist)
        return False


# --- The file after a decision --------------------------------------------------------------

# "After a decision, the file changes only through the remedies" (SPEC §2): once decided (and
# while appealed, and when closed) nobody verifies, rejects, removes or adds evidence. The
# remedies have their own paths: appeal attachments (``document_upload_appeal_attachment``), and
# an appeal returned for new proceedings puts the case back to ``filed``, where work resumes. A
# withdrawn application's proceedings are over too. Documents the office generates (decision,
# letters, receipts) are filed by the system and are not evidence: this rule does not cover them.
DOCUMENTS_FROZEN_STATUSES = frozenset(
    {Status.DECIDED, Status.APPEALED, Status.CLOSED, Status.WITHDRAWN}
)


def documents_frozen(status: str) -> bool:
    """Whether people may no longer verify, reject, remove or add evidence in the case's file."""
    return status in DOCUMENTS_FROZEN_STATUSES


def check_documents_open(status: str) -> None:
    """Refuse a change to the case's evidence once its file is frozen (``documents_frozen``).

    Called by the document services with the case row locked and its status read under the lock.
    """
    if status == Status.WITHDRAWN:
        raise TransitionRefused(
            _(
                "This application was withdrawn: its documents can no longer be verified, "
                "rejected, removed or added."
            )
        )
    if documents_frozen(status):
        raise TransitionRefused(
            _(
                "A decision has been issued in this case: its documents can no longer be "
                "verified, rejected, removed or added. After a decision the file changes only "
                "through an appeal."
            )
        )


# --- Checks on a transition's arguments ----------------------------------------------------


def decision_validity(application: Application, *, decided_on: date) -> validity.ValidityBounds:
    """The validity a grant in this case may have when decided on ``decided_on``: its type's
    limits as the catalogue holds them; an extension is capped by the permit it extends (a Blue
    Card's 3 years, "That applies also to extensions" [001])."""
    answers = application.answers or {}
    extended = validity.extended_type_code(application.permit_type.code, answers)
    extended_max = (
        PermitType.objects.filter(code=extended)
        .values_list("max_validity_months", flat=True)
        .first()
        if extended
        else None
    )
    return validity.validity_bounds(
        application.permit_type,
        decided_on=decided_on,
        answers=answers,
        extended_type_max=extended_max,
    )


def check_decision(
    application: Application,
    *,
    outcome: str,
    reasoning: str,
    valid_from: date | None,
    valid_to: date | None,
    unverified_documents: list[str],
    decided_on: date | None = None,
) -> None:
    """Refuse a decision the law does not allow; raise a readable TransitionRefused.

    A grant's validity keeps ``decision_validity`` as of ``decided_on`` (today by default): it
    starts on the decision day at the earliest and ends within the type's maximum."""
    if outcome not in (Outcome.GRANTED, Outcome.REJECTED):
        raise TransitionRefused(_("A decision grants or rejects the application."))
    if outcome == Outcome.REJECTED:
        if not reasoning.strip():
            raise TransitionRefused(_("A rejection must give its reasons."))
        return
    if unverified_documents:
        raise TransitionRefused(
            _("A permit can be granted only when every required document is verified."),
            problems=unverified_documents,
        )
    bounds = decision_validity(application, decided_on=decided_on or clock.today())
    problems = validity.validity_problems(bounds, valid_from=valid_from, valid_to=valid_to)
    if problems:
        first, *others = (str(problem) for problem in problems.values())
        raise TransitionRefused(first, problems=others)
