"""What the caseworker a case is assigned to must notice: someone else's work on their case, and
documents or changes that arrived and wait to be checked (SPEC §2).

"Other caseworkers may read a case and add internal notes, but act on it only once it is
assigned to them; supervisors act on every case. The assigned caseworker is told of a
colleague's note and of anything a supervisor did on their case." ``tell_assignee`` records
that notice in the outbox, in the action's transaction; ``applications.notices`` delivers it.

Documents arrived: ``Application.arrived_at`` marks a case on which something came in after
filing that the office has not checked yet: documents the applicant (or the support centre for
them) supplied or uploaded, or a change they reported. It keeps the first arrival (the queue
"Documents arrived" lists the oldest first, from its partial index) and is cleared once nothing
is left to check: no evidence waits for verification (while the file is open to verification)
and no reported change waits for acknowledgement. Each function here is called by a service
with the case row locked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from applications.guards import DOCUMENTS_FROZEN_STATUSES
from applications.models import Application, AuditEntry, ChangeReport
from core import clock, outbox
from documents.constants import Role, Verification
from documents.models import Document

if TYPE_CHECKING:
    from accounts.models import User

# The notices, delivered from the outbox (registered in ``apps.py``).
CASE_ACTIVITY_TOPIC = "notifications.case_activity"
DOCUMENTS_ARRIVED_TOPIC = "notifications.documents_arrived"


# --- Someone else acted on the case ---------------------------------------------------------


def _works_in_the_office(user: User) -> bool:
    # The applicant, or the support centre acting for them, is not "someone else on the case":
    # what they send is an arrival (``mark_arrived``), not a colleague's action.
    return (
        user.is_superuser
        or user.has_perm("applications.process_application")
        or user.has_perm("applications.assign_application")
    )


def tell_assignee(
    application: Application,
    *,
    actor: User | None,
    entry: AuditEntry,
    assignee_id: int | None = None,
) -> None:
    """Tell the caseworker the case is assigned to (``assignee_id``: the one it was assigned to
    before the action, when the action took it from them) that someone else in the office acted
    on it: a colleague's note, a supervisor's action. Nobody is told of their own action, nor
    of what the system or the applicant did."""
    assignee_id = application.assigned_to_id if assignee_id is None else assignee_id
    if actor is None or assignee_id is None or actor.pk == assignee_id:
        return
    if not _works_in_the_office(actor):
        return
    outbox.enqueue(
        topic=CASE_ACTIVITY_TOPIC,
        payload={"audit_entry_id": entry.pk, "assignee_id": assignee_id},
        key=f"case_activity:{entry.pk}:{assignee_id}",
    )


# --- Documents arrived ----------------------------------------------------------------------


def _evidence_to_verify() -> Exists:
    return Exists(
        Document.objects.filter(
            application=OuterRef("pk"),
            role=Role.EVIDENCE,
            is_current=True,
            verification=Verification.PENDING,
        )
    )


def _changes_to_acknowledge() -> Exists:
    return Exists(
        ChangeReport.objects.filter(application=OuterRef("pk"), acknowledged_at__isnull=True)
    )


def left_to_check() -> Q:
    """Something on the case waits for the office: evidence to verify, while the file is open
    to verification (after a decision it is not: ``guards.documents_frozen``), or a reported
    change to acknowledge."""
    return (_evidence_to_verify() & ~Q(status__in=DOCUMENTS_FROZEN_STATUSES)) | Q(
        _changes_to_acknowledge()
    )


def mark_arrived(
    application: Application,
    *,
    actor: User | None,
    notify: bool = True,
    only_if_left_to_check: bool = False,
) -> bool:
    """Something came in on the case: mark it (``arrived_at``) unless it is marked already (the
    first arrival is kept), and tell the caseworker it is assigned to once per arrival, not per
    file (``notify``; a reported change has its own notice). ``only_if_left_to_check``: mark it
    only when something waits to be checked (documents supplied that were verified already make
    no arrival). Returns whether this call marked it."""
    arrived_at = clock.now()
    unmarked = Application.objects.filter(pk=application.pk, arrived_at__isnull=True)
    if only_if_left_to_check:
        unmarked = unmarked.filter(left_to_check())
    if not unmarked.update(arrived_at=arrived_at):
        return False
    application.arrived_at = arrived_at
    if notify:
        outbox.enqueue(
            topic=DOCUMENTS_ARRIVED_TOPIC,
            payload={
                "application_id": application.pk,
                "arrived_at": arrived_at.isoformat(),
                "actor_id": actor.pk if actor is not None else None,
            },
            key=f"documents_arrived:{application.pk}:{arrived_at.isoformat()}",
        )
    return True


def clear_if_checked(application: Application) -> bool:
    """Unmark the case once nothing is left to check (``left_to_check``): one conditional
    update. Returns whether this call unmarked it."""
    checked = (
        Application.objects.filter(pk=application.pk, arrived_at__isnull=False)
        .exclude(left_to_check())
        .update(arrived_at=None)
    )
    if checked:
        application.arrived_at = None
    return bool(checked)


def clear_arrived(application: Application) -> None:
    """Unmark the case whatever is left: the proceedings ended (a decision, a stop, a
    withdrawal). A change reported later marks it again."""
    Application.objects.filter(pk=application.pk, arrived_at__isnull=False).update(arrived_at=None)
    application.arrived_at = None
