"""What an application still lacks before it can be filed or granted (SPEC §2 guards), and the
facts of the case the rules engine judges (``facts_for``).

The documents required are the catalogue's requirements whose condition holds, adjusted by the
rules engine (``permits.rules``): a "rule"-conditioned requirement is required unless a rule
waives it, and a rule may add a document the catalogue does not ask for (or asks for only on
request). Conditions "always", "minor", "business" and "abroad" are the admin's word and no rule
lifts them. A blocking error of a rule blocks filing; warnings and information do not.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from applications.constants import Relation
from core import clock
from documents.constants import Verification
from permits import rules
from permits.constants import RequirementCondition
from permits.models import DocumentKind

if TYPE_CHECKING:
    from applications.models import Application


def facts_for(application: Application, *, on: date | None = None) -> rules.Facts:
    """The facts the rules judge ``application`` by. Reads only: one query, for the documents.

    The proceedings began on the filing day; a draft is judged as if filed today (Prague
    calendar), which is the day it would be filed. ``on`` overrides both, e.g. to ask what the
    rules said under an earlier wording.
    """
    applicant = application.applicant
    born = application.party.date_of_birth
    if born is None:
        # Every record has one and filing keeps it: only damaged filed data lacks it.
        raise ValueError("The rules need the person's date of birth, which is not known.")
    uploaded: frozenset[str] = frozenset()
    if application.pk is not None:  # an unsaved application has no documents to ask about
        documents = application.documents.usable().filter(kind__isnull=False)
        uploaded = frozenset(documents.values_list("kind__code", flat=True))
    return rules.Facts(
        permit_type_code=application.permit_type.code,
        proceedings_began_on=on or application.filed_on or clock.today(),
        # As filed once filed (SPEC §2): the office judges what was filed.
        applicant_birth_date=born,
        filed_abroad=application.is_abroad,
        answers=dict(application.answers or {}),
        uploaded_kinds=uploaded,
        # A parent's account keeps the child's record and acts for the child [002].
        represented_on_record=applicant.relation == Relation.CHILD
        and applicant.account_id is not None,
    )


def _condition_holds(condition: str, facts: rules.Facts) -> bool:
    return {
        RequirementCondition.ALWAYS: True,
        RequirementCondition.MINOR: facts.is_minor,
        RequirementCondition.BUSINESS: facts.business_purpose,
        RequirementCondition.ABROAD: facts.filed_abroad,
        # Until a rule waives it, a rule-dependent document is required.
        RequirementCondition.RULE: True,
        RequirementCondition.ON_REQUEST: False,
    }[RequirementCondition(condition)]


def _required_kinds(
    application: Application, facts: rules.Facts, findings: list[rules.Finding]
) -> list[DocumentKind]:
    # A rule that asks for a document wins over one that lifts it: asking is the safe side.
    added = rules.extra_required_kinds(findings)
    waived = rules.waived_kinds(findings) - added
    requirements = list(application.permit_type.requirements.select_related("document_kind"))
    required = [
        r.document_kind
        for r in requirements
        if r.document_kind.code in added
        or (
            _condition_holds(r.condition, facts)
            and not (r.condition == RequirementCondition.RULE and r.document_kind.code in waived)
        )
    ]
    not_in_catalogue = added - {r.document_kind.code for r in requirements}
    if not_in_catalogue:
        required += list(DocumentKind.objects.filter(code__in=not_in_catalogue))
    return required


def _assess(application: Application) -> tuple[list[rules.Finding], list[DocumentKind]]:
    """The rules' findings and the documents required, from one reading of the facts."""
    facts = facts_for(application)
    findings = rules.evaluate(facts)
    return findings, _required_kinds(application, facts, findings)


def findings(application: Application) -> list[rules.Finding]:
    """What the rules say about the application now: errors, warnings and information."""
    return _assess(application)[0]


def required_document_kinds(application: Application) -> list[DocumentKind]:
    """The document kinds this application must carry: the catalogue's conditions and the
    rules' additions and waivers."""
    return _assess(application)[1]


def _missing(application: Application, required: list[DocumentKind]) -> list[DocumentKind]:
    present = set(application.documents.usable().values_list("kind_id", flat=True))
    return [kind for kind in required if kind.pk not in present]


def missing_document_kinds(application: Application) -> list[DocumentKind]:
    return _missing(application, required_document_kinds(application))


def unverified_document_kinds(application: Application) -> list[DocumentKind]:
    accepted = set(
        application.documents.current_evidence()
        .filter(verification=Verification.ACCEPTED)
        .values_list("kind_id", flat=True)
    )
    return [kind for kind in required_document_kinds(application) if kind.pk not in accepted]


def filing_problems(application: Application) -> list[str]:
    """Readable reasons the application cannot be filed; empty when it can."""
    found, required = _assess(application)
    problems = [
        _("Missing document: %(kind)s.") % {"kind": kind.name}
        for kind in _missing(application, required)
    ]
    problems += [str(finding.message) for finding in rules.blocking_errors(found)]
    if application.declarations_confirmed_at is None:
        problems.append(_("The declarations have not been confirmed."))
    if not application.permit_type.handled_by_office or not application.permit_type.is_active:
        problems.append(_("This permit type cannot be applied for here."))
    return problems
