"""Factories for cases in any state. Each state is a Trait that builds the case through the
services, so a factory-made case is exactly what the product would have made."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.test import TestCase

from accounts.constants import Role
from applications import services
from applications.constants import Channel, Outcome, Status
from applications.models import Applicant, Application
from documents.constants import Verification
from documents.models import Document
from permits.models import PermitType
from tests.accounts.factories import UserFactory


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant

    account = factory.SubFactory(UserFactory, role=Role.APPLICANT)
    given_names = factory.Faker("first_name")
    surname = factory.Faker("last_name")
    date_of_birth = date(1990, 5, 17)
    nationality = "UA"
    # A Ukrainian passport number of the usual format: two letters and six digits.
    travel_document_number = factory.Sequence(lambda n: f"FP{n:06d}")
    address = "Vinohradská 12, Praha 2"
    preferred_language = "uk"


def pdf_bytes(label: str = "scan") -> bytes:
    from documents.sample_pdf import minimal_pdf

    return minimal_pdf(label)


def add_required_documents(application: Application, *, verified: bool = False) -> None:
    """Upload every required document, as the applicant would."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.case_documents import document_upload
    from applications.checks import required_document_kinds

    actor = application.applicant.account
    for kind in required_document_kinds(application):
        document = document_upload(
            application=application,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind.code}.pdf", pdf_bytes(kind.code), "application/pdf"),
            actor=actor,
        )
        if verified:
            Document.objects.filter(pk=document.pk).update(verification=Verification.ACCEPTED)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """``ApplicationFactory(filed=True)``, ``(interrupted=True)``, ``(decided=True)`` …

    ``state``, ``outcome`` and ``caseworker`` are not model fields: ``_create`` walks the new
    draft through the services to that state.
    """

    class Meta:
        model = Application

    applicant = factory.SubFactory(ApplicantFactory)
    permit_type = factory.LazyFunction(lambda: PermitType.objects.get(code="employee_card"))
    channel = Channel.ONLINE
    created_by = factory.SelfAttribute("applicant.account")
    state = Status.DRAFT
    outcome = Outcome.GRANTED
    caseworker = None

    class Params:
        ready = factory.Trait(state="ready")
        filed = factory.Trait(state=Status.FILED)
        interrupted = factory.Trait(state=Status.INTERRUPTED)
        decided = factory.Trait(state=Status.DECIDED)
        rejected = factory.Trait(state=Status.DECIDED, outcome=Outcome.REJECTED)
        appealed = factory.Trait(state=Status.APPEALED, outcome=Outcome.REJECTED)
        withdrawn = factory.Trait(state=Status.WITHDRAWN)

    @classmethod
    def _create(cls, model_class, *args, state, outcome, caseworker, **kwargs):
        application = super()._create(model_class, *args, **kwargs)
        if state == Status.DRAFT:
            return application
        return advance_to(application, state, outcome=outcome, caseworker=caseworker)


def advance_to(
    application: Application,
    target: Status | str,
    *,
    outcome: Outcome = Outcome.GRANTED,
    caseworker=None,
) -> Application:
    from django.utils import timezone

    from permits.models import DocumentKind

    applicant_user = application.applicant.account
    add_required_documents(
        application, verified=target in (Status.DECIDED, Status.APPEALED, Status.CLOSED)
    )
    application = services.application_confirm_declarations(
        application=application, actor=applicant_user
    )
    if target == "ready":
        return application
    application = services.application_file(application=application, actor=applicant_user)
    if target == Status.FILED:
        return application
    caseworker = caseworker or UserFactory(role=Role.CASEWORKER)
    application = services.application_claim(application=application, actor=caseworker)
    if target == Status.INTERRUPTED:
        services.application_interrupt(
            application=application,
            actor=caseworker,
            reason="Missing proof of accommodation.",
            document_kinds=DocumentKind.objects.filter(code="accommodation"),
        )
        application.refresh_from_db()
        return application
    if target == Status.WITHDRAWN:
        return services.application_withdraw(application=application, actor=applicant_user)
    today = timezone.localdate()
    # The decision's PDF is rendered after commit; run those callbacks inside the test.
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.application_decide(
            application=application,
            actor=caseworker,
            outcome=outcome,
            reasoning="" if outcome == Outcome.GRANTED else "The conditions are not met.",
            valid_from=today if outcome == Outcome.GRANTED else None,
            valid_to=today + timedelta(days=364) if outcome == Outcome.GRANTED else None,
        )
    application.refresh_from_db()
    if target == Status.DECIDED:
        return application
    decision = application.decisions.get()
    services.decision_open(decision=decision, actor=applicant_user)
    if target == Status.APPEALED:
        services.application_appeal(
            application=application, actor=applicant_user, grounds="I disagree."
        )
        application.refresh_from_db()
        return application
    raise NotImplementedError(f"advance_to({target}) needs time to pass; use time_machine.")
