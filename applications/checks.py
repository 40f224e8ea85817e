"""What an application still lacks before it can be filed or granted (SPEC §2 guards)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from documents.constants import Verification
from permits.constants import RequirementCondition

if TYPE_CHECKING:
    from applications.models import Application
    from permits.models import DocumentKind


def required_document_kinds(application: Application) -> list[DocumentKind]:
    """The document kinds this application must carry, from the catalogue's conditions."""
    from applications.guards import today

    applies = {
        RequirementCondition.ALWAYS: True,
        RequirementCondition.MINOR: application.applicant.is_minor_on(today()),
        RequirementCondition.BUSINESS: bool(application.answers.get("business_purpose")),
        RequirementCondition.ABROAD: application.is_abroad,
        # Until a rule waives it, a rule-dependent document is required.
        RequirementCondition.RULE: True,
        RequirementCondition.ON_REQUEST: False,
    }
    requirements = application.permit_type.requirements.select_related("document_kind")
    return [r.document_kind for r in requirements if applies[RequirementCondition(r.condition)]]


def missing_document_kinds(application: Application) -> list[DocumentKind]:
    present = set(application.documents.usable().values_list("kind_id", flat=True))
    return [kind for kind in required_document_kinds(application) if kind.pk not in present]


def unverified_document_kinds(application: Application) -> list[DocumentKind]:
    accepted = set(
        application.documents.current_evidence()
        .filter(verification=Verification.ACCEPTED)
        .values_list("kind_id", flat=True)
    )
    return [kind for kind in required_document_kinds(application) if kind.pk not in accepted]


def filing_problems(application: Application) -> list[str]:
    """Readable reasons the application cannot be filed; empty when it can."""
    problems = [
        _("Missing document: %(kind)s.") % {"kind": kind.name}
        for kind in missing_document_kinds(application)
    ]
    if application.declarations_confirmed_at is None:
        problems.append(_("The declarations have not been confirmed."))
    if not application.permit_type.handled_by_office or not application.permit_type.is_active:
        problems.append(_("This permit type cannot be applied for here."))
    return problems
