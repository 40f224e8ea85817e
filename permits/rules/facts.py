"""The facts of an application, read from the database for the rules engine."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from applications.constants import Relation
from core import clock
from permits.rules.engine import Facts

if TYPE_CHECKING:
    from applications.models import Application


def facts_for(application: Application, *, on: date | None = None) -> Facts:
    """The facts the rules judge ``application`` by. Reads only: one query, for the documents.

    The proceedings began on the filing day; a draft is judged as if filed today (Prague
    calendar), which is the day it would be filed. ``on`` overrides both, e.g. to ask what the
    rules said under an earlier wording.
    """
    applicant = application.applicant
    uploaded: frozenset[str] = frozenset()
    if application.pk is not None:  # an unsaved application has no documents to ask about
        documents = application.documents.usable().filter(kind__isnull=False)
        uploaded = frozenset(documents.values_list("kind__code", flat=True))
    return Facts(
        permit_type_code=application.permit_type.code,
        proceedings_began_on=on or application.filed_on or clock.today(),
        # As filed once filed (SPEC §2): the office judges what was filed.
        applicant_birth_date=application.party.date_of_birth,
        filed_abroad=application.is_abroad,
        answers=dict(application.answers or {}),
        uploaded_kinds=uploaded,
        # A parent's account keeps the child's record and acts for the child [002].
        represented_on_record=applicant.relation == Relation.CHILD
        and applicant.account_id is not None,
    )
