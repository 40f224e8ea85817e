"""Which remedy a decision allows (SPEC §2 ``appeal``, D4).

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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from applications.constants import Outcome, Remedy
from permits.constants import Purpose

if TYPE_CHECKING:
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
