"""The applicant's documents checklist: upload, removal, and supplying what an interruption
asked for. Who may open a case is decided by ``CaseMixin`` (``views.applicant``): another
person's case is a 404.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View

from applications import selectors, services
from applications.case_documents import (
    PagesUpload,
    document_page_move,
    document_remove,
    document_upload_pages,
)
from applications.constants import Status
from applications.forms import ErrorLink, error_links
from applications.forms_documents import DocumentPagesForm, PageMoveForm
from applications.views.applicant import CaseMixin
from core.errors import ApplicationError

# --- Documents -------------------------------------------------------------------------------


class DocumentsView(CaseMixin, TemplateView):
    """The documents checklist: one upload form per item (a draft, or an interruption)."""

    template_name = "applications/documents.html"

    def check_state(self, request: HttpRequest) -> HttpResponse | None:
        if not self.flags.can_upload:
            if request.method == "POST":
                return self.refuse(_("Documents can no longer be uploaded on this page."))
            return redirect(self.case_url())
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        checklist = kwargs.get("checklist") or selectors.document_checklist(self.application)
        forms = kwargs.get("forms") or {}
        items = [(item, forms.get(item.kind.code) or _upload_form(item)) for item in checklist]
        context.update(
            items=items,
            errors=_checklist_errors(items),
            interruption=self.application.open_interruption,
            max_upload_bytes=settings.DOCUMENT_MAX_UPLOAD_BYTES,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        checklist = selectors.document_checklist(self.application)
        code = request.POST.get("item", "")
        item = next((item for item in checklist if item.kind.code == code), None)
        if item is None:
            messages.error(request, _("Choose the document from the list and upload it again."))
            return redirect(self.case_url("documents"))
        form = _upload_form(item, request.POST, request.FILES)
        if form.is_valid():
            result = self.upload(item, form)
            if result is not None and result.stored:
                count = len(result.stored)
                messages.success(
                    request,
                    ngettext(
                        "%(kind)s: the file is uploaded.",
                        "%(kind)s: %(count)d files are uploaded.",
                        count,
                    )
                    % {"kind": item.kind.name, "count": count},
                )
            if result is not None and not result.refused:
                return redirect(f"{self.case_url('documents')}#{item.anchor}")
            # Some files were filed: the checklist shows them beside the refusals.
            checklist = selectors.document_checklist(self.application)
        # The page comes back as it was, with the refusal next to this item only.
        return self.render_to_response(
            self.get_context_data(checklist=checklist, forms={code: form})
        )

    def upload(self, item: selectors.ChecklistItem, form: DocumentPagesForm) -> PagesUpload | None:
        """File the uploads for the checklist item, one page each; each refused file is put on
        the form by its name, with the reason."""
        try:
            result = document_upload_pages(
                application=self.application,
                kind=item.kind,
                uploads=form.cleaned_data["file"],
                actor=self.user,
            )
        except ApplicationError as error:
            form.add_error("file", error.for_applicant())
            return None
        for refused in result.refused:
            form.add_error(
                "file",
                _("%(name)s: %(reason)s") % {"name": refused.name, "reason": refused.reason}
                if refused.name
                else refused.reason,
            )
        return result


def _upload_form(item: selectors.ChecklistItem, *data: Any) -> DocumentPagesForm:
    """The upload form of one checklist item, bound to ``data`` (POST, FILES) when given."""
    return DocumentPagesForm(*data, prefix=item.kind.code, kind_name=item.kind.name)


def _checklist_errors(items: list[tuple[selectors.ChecklistItem, Any]]) -> list[ErrorLink]:
    """The error summary of the page: each form's errors, named by its document kind."""
    return [
        ErrorLink(target=link.target, label=item.kind.name, message=link.message)
        for item, form in items
        for link in error_links(form)
    ]


class DocumentRemoveView(CaseMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        document = get_object_or_404(self.application.documents, pk=kwargs["document_pk"])
        try:
            document_remove(document=document, actor=self.user)
        except ApplicationError as error:
            messages.error(request, error.for_applicant())
        else:
            messages.success(request, _("%(name)s is removed.") % {"name": document.original_name})
        return redirect(self.case_url("documents"))


class DocumentPageMoveView(CaseMixin, View):
    """Move a page of a draft's document one place up or down (a form of its own per button, so
    it works without JavaScript)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        document = get_object_or_404(self.application.documents, pk=kwargs["document_pk"])
        form = PageMoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose whether the page moves up or down."))
            return redirect(self.case_url("documents"))
        try:
            document_page_move(
                document=document, actor=self.user, up=form.cleaned_data["direction"] == "up"
            )
        except ApplicationError as error:
            messages.error(request, error.for_applicant())
        else:
            messages.success(request, _("%(name)s is moved.") % {"name": document.original_name})
        return redirect(f"{self.case_url('documents')}#document-{document.pk}")


class SupplyDocumentsView(CaseMixin, View):
    """The applicant has uploaded what the office asked for during an interruption."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.application_supply_requested_documents(
                application=self.application, actor=self.user
            )
        except ApplicationError as error:
            messages.error(request, error.for_applicant())
            to = "documents" if self.application.status == Status.INTERRUPTED else "detail"
            return redirect(self.case_url(to))
        messages.success(
            request,
            _("Thank you: the documents are with the office and the proceedings continue."),
        )
        return redirect(self.case_url())
