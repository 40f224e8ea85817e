"""The remedy against a decision: an appeal, or for a refused long-term visa a request for
re-assessment [003]. Who may open a case is decided by ``CaseMixin`` (``views.applicant``).

Three steps, none needing JavaScript (GOV.UK "check your answers"): the form (grounds and
attachments), the check page (what will be lodged, "Change" or "Lodge"), and the receipt. What
is typed and attached waits in the session and the private storage until "Lodge"
(``applications.appeal_drafts`` explains why and how); lodging goes through
``services.application_appeal`` with the case's version the check page was shown with, then each
attachment through ``document_upload_appeal_attachment``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from applications import appeal_drafts, remedies, selectors, services
from applications.appeal_drafts import AppealDraft
from applications.case_documents import document_upload_appeal_attachment
from applications.constants import Remedy
from applications.forms import error_links
from applications.forms_appeal import AppealDraftForm, LodgeForm
from applications.letters import pdf_name
from applications.models import Appeal
from core.errors import ApplicationError, ConcurrentChange
from documents.constants import Role
from documents.pdf import render_pdf

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

from applications.views.applicant import CaseMixin


class RemedyMixin(CaseMixin):
    """The case's current decision and the remedy it allows, for the three pages."""

    @property
    def remedy(self) -> str:
        decision = self.application.current_decision
        return decision.remedy if decision is not None else Remedy.APPEAL

    def remedy_context(self) -> dict[str, Any]:
        decision = self.application.current_decision
        return {
            "decision": decision,
            "remedy": self.remedy,
            "appeal": selectors.remedy_lodged(decision),
            "appeal_due": (
                selectors.effective_appeal_due(decision, today=self.today) if decision else None
            ),
        }

    def draft(self) -> AppealDraft | None:
        return appeal_drafts.draft_load(self.request.session, self.application)


class AppealView(RemedyMixin, TemplateView):
    """Step 1: the grounds and the attachments of the remedy the decision allows: an appeal,
    or for a refused long-term visa a request for re-assessment of the reasons [003]; a
    decision with none offers nothing. Sending it leads to the check page; nothing is lodged."""

    template_name = "applications/appeal.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.form: AppealDraftForm | None = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.remedy_context())
        form = self.form
        if form is None:
            draft = self.draft()
            form = AppealDraftForm(
                kind=self.remedy,
                kept=draft.files if draft else [],
                initial={
                    "version": self.application.version,
                    "grounds": draft.grounds if draft else "",
                },
            )
        context.update(
            form=form if self.flags.can_appeal else None,
            errors=error_links(form) if self.flags.can_appeal else [],
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.flags.can_appeal:
            messages.error(request, str(NOT_POSSIBLE_NOW[self.remedy]))
            return self.render_to_response(self.get_context_data())
        draft = self.draft()
        self.form = form = AppealDraftForm(
            request.POST, request.FILES, kind=self.remedy, kept=draft.files if draft else []
        )
        if not form.is_valid():
            return self.render_to_response(self.get_context_data())
        appeal_drafts.draft_save(
            request.session,
            self.application,
            grounds=form.cleaned_data["grounds"],
            keep=form.kept_files(),
            uploads=form.cleaned_data["attachments"],
        )
        return redirect(self.case_url("appeal_check"))


class AppealCheckView(RemedyMixin, TemplateView):
    """Step 2: what will be lodged (the grounds as typed, the attachments' names, the decision
    it is against, the last day for it), "Change" back to the form, or "Lodge": the remedy is
    lodged with the case's version this page was shown with, then its attachments are filed."""

    template_name = "applications/appeal_check.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.form: LodgeForm | None = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.flags.can_appeal:
            # Too late, or lodged meanwhile: the draft is of no use any more.
            appeal_drafts.draft_drop(request.session, self.application)
            return redirect(self.case_url("appeal"))
        if self.draft() is None:
            return redirect(self.case_url("appeal"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.remedy_context())
        # After a refusal the page is shown again with the case as it is now.
        context.update(
            draft=self.draft(),
            form=LodgeForm(initial={"version": self.application.version}),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        draft = self.draft()
        if draft is None:
            messages.error(request, _("There is nothing to lodge: fill in the form first."))
            return redirect(self.case_url("appeal"))
        if not self.flags.can_appeal:
            appeal_drafts.draft_drop(request.session, self.application)
            messages.error(request, str(NOT_POSSIBLE_NOW[self.remedy]))
            return redirect(self.case_url("appeal"))
        form = LodgeForm(request.POST)
        version = form.cleaned_data.get("version") if form.is_valid() else None
        if version is None:
            # A lodging always says which state of the case it saw.
            messages.error(request, ConcurrentChange().for_applicant())
            return self.render_to_response(self.get_context_data())
        try:
            appeal = services.application_appeal(
                application=self.application,
                actor=self.user,
                grounds=draft.grounds,
                expected_version=version,
            )
        except ApplicationError as error:
            messages.error(request, error.for_applicant())
            self.load(self.application.pk)
            return self.render_to_response(self.get_context_data())
        # Out of the session before its files are filed: a second "Lodge" finds nothing.
        appeal_drafts.draft_forget(request.session, self.application)
        refused = self.attach(draft)
        messages.success(request, _lodged_message(appeal))
        for problem in refused:
            messages.error(request, problem)
        return redirect(self.case_url("appeal_receipt"))

    def attach(self, draft: AppealDraft) -> list[str]:
        """File the appeal's attachments, each once; the ones refused, each with its reason.
        The kept copies are deleted either way."""
        refused = []
        try:
            for file in draft.files:
                try:
                    document_upload_appeal_attachment(
                        application=self.application,
                        upload=appeal_drafts.pending_upload(file),
                        actor=self.user,
                    )
                except (ApplicationError, FileNotFoundError) as error:
                    refused.append(f"{file.name}: {error}")
        finally:
            appeal_drafts.files_delete(draft.files)
        return refused


class AppealReceiptView(RemedyMixin, TemplateView):
    """Step 3: the receipt of the remedy lodged against the current decision, to print: the
    case's reference number, what was lodged and when (Prague time), and what happens next and
    by when. A case with nothing lodged has no receipt (404)."""

    template_name = "applications/appeal_receipt.html"
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.remedy_context())
        appeal: Appeal | None = context["appeal"]
        if appeal is None:
            raise Http404
        # The attachments filed with it: the case's appeal documents since it was lodged (they
        # are filed only while it is pending, ``document_upload_appeal_attachment``).
        context["attachments"] = list(
            self.application.documents.filter(
                role=Role.APPEAL, uploaded_at__gte=appeal.lodged_at
            ).order_by("sub_number")
        )
        return context


class AppealReceiptPdfView(AppealReceiptView):
    """The receipt as a PDF to keep, in the language of the page, rendered on request
    (``documents.pdf``); it is not filed in the case's record."""

    template_name = "applications/appeal_receipt_pdf.html"

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        content = render_pdf(self.template_name, context)
        response = HttpResponse(content, content_type="application/pdf")
        name = pdf_name("appeal-receipt", self.application)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response


# Why the remedy's page takes nothing now, by the decision's remedy.
NOT_POSSIBLE_NOW: dict[str, StrPromise] = {
    Remedy.APPEAL: gettext_lazy("An appeal is not possible on this case now."),
    Remedy.REASSESSMENT: gettext_lazy(
        "A request for re-assessment is not possible on this case now."
    ),
    Remedy.NONE: remedies.NO_REMEDY,
}


def _lodged_message(appeal: Appeal) -> str:
    if appeal.kind == Remedy.REASSESSMENT and appeal.answer_due is not None:
        return _(
            "Your request for re-assessment is lodged. The Ministry of the Interior will inform "
            "you of the outcome by %(day)s."
        ) % {"day": date_format(appeal.answer_due)}
    return _("Your appeal is lodged. The appellate body will decide on it.")
