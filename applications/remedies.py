"""Which remedy a decision allows (SPEC §2 ``appeal``, D4), and how each is worded.

A decision on a residence permit may be appealed within 15 days of its delivery [002]
(Administrative Procedure Code §§ 81-83, outside the seeds); the appeal is decided by the
Commission for Residence Matters of Foreign Nationals. A long-term visa is different: "Within 15
days of receiving this notification, you may request the Ministry of the Interior of the Czech
Republic to re-assess the reasons for refusing a long-term visa (over 90 days). The Ministry is
obliged to inform you of the outcome of the re-assessment within 60 days." [003], and the right of
appeal is what a residence permit has over a visa: "if your application is rejected, you may appeal
against the decision" [003]. The request for re-assessment is the remedy against a refusal only
(Act No. 326/1999 Coll. § 180e, outside the seeds): a granted visa, or visa proceedings stopped,
leave nothing to lodge, and such a decision takes legal effect when it is delivered.

Both remedies are an ``Appeal`` row with its ``kind`` and put the case in ``appealed`` (SPEC §2:
it stands for either); the words the person and the office read follow the kind.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from applications.audit import AuditAction
from applications.constants import AppealResult, Outcome, Remedy
from permits import deadlines
from permits.constants import Purpose

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from applications.models import AuditEntry
    from permits.models import PermitType

# The re-assessment is answered within 60 days of the request [003].
REASSESSMENT_ANSWER_DAYS = 60


def is_visa(permit_type: PermitType) -> bool:
    """Long-term visas (over 90 days) are granted or refused as visas, not as permits [004]."""
    return permit_type.purpose == Purpose.VISA


def remedy_for(permit_type: PermitType, outcome: Outcome | str) -> Remedy:
    """The remedy a decision of this type and outcome allows, fixed when it is issued."""
    if not is_visa(permit_type):
        return Remedy.APPEAL
    return Remedy.REASSESSMENT if outcome == Outcome.REJECTED else Remedy.NONE


# --- Dates ----------------------------------------------------------------------------------


def lodging_due(remedy: Remedy | str, delivered_on: date) -> date:
    """The last day to lodge the decision's remedy, fixed on its delivery: an appeal and a
    request for re-assessment alike ``D1(delivered_on, 15)`` (D4) [002][003].

    A decision with no remedy takes legal effect on the day it is delivered: its last day is
    that day itself. So every delivered decision has the date (the constraint
    ``decision_delivered_has_appeal_due``), nothing can be lodged on it
    (``guards.within_appeal_period``), and the daily job finalizes it from that day on
    (``guards.appeal_period_over``).
    """
    if remedy == Remedy.NONE:
        return delivered_on
    return deadlines.appeal_due(delivered_on)


def answer_due(kind: Remedy | str, lodged_on: date) -> date | None:
    """The day the Ministry must answer a request for re-assessment by: 60 days from the
    request [003]. It is a period for the office to decide in, counted like the decision
    deadline (D1, D2): one ending on a weekend or a holiday ends on the next working day. An
    appeal has no such date in this office's record: the Commission keeps its own."""
    if kind != Remedy.REASSESSMENT:
        return None
    return deadlines.period_end(lodged_on, REASSESSMENT_ANSWER_DAYS)


# --- Words ------------------------------------------------------------------------------------

# What the body that handles the remedy found. The Commission dismisses an appeal, changes the
# decision, or sets it aside and returns the case. A re-assessment confirms the reasons for the
# refusal, or finds they do not stand, and the visa application is then decided anew (Act No.
# 326/1999 Coll. § 180e, outside the seeds): nothing changes a refusal directly. The stored
# values stay those of ``AppealResult``; each kind words them.
RESULT_LABELS: dict[str, dict[str, StrPromise]] = {
    Remedy.APPEAL: {result.value: result.label for result in AppealResult},
    Remedy.REASSESSMENT: {
        AppealResult.DISMISSED: _("Reasons for the refusal confirmed"),
        AppealResult.RETURNED: _(
            "Reasons for the refusal no longer stand: returned for a new decision"
        ),
    },
}


def result_choices(kind: Remedy | str | None) -> list[tuple[str, StrPromise]]:
    """The results the handling body can come to on a remedy of this kind (an appeal's when
    the kind is not known)."""
    return list(RESULT_LABELS[kind or Remedy.APPEAL].items())


def result_allowed(kind: Remedy | str, result: AppealResult | str) -> bool:
    return result in RESULT_LABELS[kind]


def result_label(kind: Remedy | str, result: AppealResult | str) -> str:
    """The result in the words of its kind ("" while there is none)."""
    label = RESULT_LABELS[kind].get(result) or RESULT_LABELS[Remedy.APPEAL].get(result)
    return str(label) if label is not None else ""


# The two audit actions of a remedy, named for a re-assessment (``data["kind"]``).
_REASSESSMENT_AUDIT_LABELS: dict[str, StrPromise] = {
    AuditAction.APPEAL: _("Request for re-assessment lodged"),
    AuditAction.RESOLVE_APPEAL: _("Re-assessment answered"),
}


def audit_label(entry: AuditEntry) -> str:
    """An audit row's action as the timelines name it: a re-assessment is not an appeal."""
    if entry.data.get("kind") == Remedy.REASSESSMENT and entry.action in _REASSESSMENT_AUDIT_LABELS:
        return str(_REASSESSMENT_AUDIT_LABELS[entry.action])
    return entry.get_action_display()


NO_REMEDY = _(
    "This decision cannot be appealed and its re-assessment cannot be requested: it takes legal "
    "effect when it is delivered."
)
# Why nothing can be lodged now, when the decision allows a remedy.
LODGING_REFUSED: dict[str, StrPromise] = {
    Remedy.APPEAL: _("The period for an appeal has passed or the decision was not delivered yet."),
    Remedy.REASSESSMENT: _(
        "The period for a request for re-assessment has passed or the decision was not "
        "delivered yet."
    ),
    Remedy.NONE: NO_REMEDY,
}
# Why the decision is not final yet.
NOT_FINAL_YET: dict[str, StrPromise] = {
    Remedy.APPEAL: _("The appeal period has not passed yet."),
    Remedy.REASSESSMENT: _("The period for a request for re-assessment has not passed yet."),
    Remedy.NONE: _("The decision was not delivered yet: it takes legal effect on delivery."),
}
GROUNDS_MISSING: dict[str, StrPromise] = {
    Remedy.APPEAL: _("Give the grounds of your appeal."),
    Remedy.REASSESSMENT: _("Say why the reasons for the refusal do not stand."),
}
