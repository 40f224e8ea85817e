"""Guards of the state machine: who may run a transition and when (SPEC §2).

Conditions take the application only and read facts; they never write. Checks that depend on a
transition's arguments (a grant's validity) are pure functions the transition method calls.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from applications.checks import filing_problems
from applications.constants import Outcome, Status
from core import clock
from core.errors import TransitionRefused

if TYPE_CHECKING:
    from accounts.models import User
    from applications.models import Application


# --- Permissions ---------------------------------------------------------------------------


def _is_owner(application: Application, user: User) -> bool:
    return user.is_authenticated and application.applicant.account_id == user.pk


def may_file(application: Application, user: User) -> bool:
    return (
        _is_owner(application, user)
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


def may_decide_or_supervise(application: Application, user: User) -> bool:
    """The caseworker who decides the case (``may_decide``) or a supervisor: who records what
    reaches the case after (a decision's receipt, a change the person reported)."""
    return may_decide(application, user) or user.has_perm("applications.assign_application")


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
    """Proceedings may be stopped only once the documents' deadline has passed [002]."""
    interruption = application.open_interruption
    return interruption is not None and interruption.deadline < clock.today()


def within_appeal_period(application: Application) -> bool:
    decision = application.current_decision
    return (
        decision is not None
        and decision.appeal_due is not None
        and clock.today() <= decision.appeal_due
        and not hasattr_appeal(decision)
    )


def appeal_period_over(application: Application) -> bool:
    decision = application.current_decision
    return (
        decision is not None
        and decision.appeal_due is not None
        and decision.appeal_due < clock.today()
        and not hasattr_appeal(decision)
    )


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


def check_decision(
    application: Application,
    *,
    outcome: str,
    reasoning: str,
    valid_from: date | None,
    valid_to: date | None,
    unverified_documents: list[str],
) -> None:
    """Refuse a decision the law does not allow; raise a readable TransitionRefused."""
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
    if valid_from is None or valid_to is None:
        raise TransitionRefused(_("A grant needs the permit's validity: from and to."))
    if valid_to < valid_from:
        raise TransitionRefused(_("The permit cannot end before it starts."))
    months = application.permit_type.max_validity_months
    if months is not None and valid_to > valid_from + relativedelta(months=months, days=-1):
        # e.g. a Blue Card is issued for at most 3 years [001]
        raise TransitionRefused(
            _("This permit type may be valid for at most %(months)s months.") % {"months": months}
        )
