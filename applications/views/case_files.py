"""The applicant's documents checklist: upload, removal, and supplying what an interruption
asked for. Who may open a case is decided by ``CaseMixin`` (``views.applicant``): another
person's case is a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from applications import selectors, services
from applications.case_documents import (
    document_remove,
    document_upload,
)
from applications.constants import Status
from applications.forms import (
    DocumentUploadForm,
    ErrorLink,
    error_links,
)
from core.errors import ApplicationError
from documents.inspection import UploadRefused

if TYPE_CHECKING:
    pass

from applications.views.applicant import CaseMixin

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
        if form.is_valid() and self.upload(item, form):
            messages.success(
                request, _("%(kind)s: the file is uploaded.") % {"kind": item.kind.name}
            )
            return redirect(f"{self.case_url('documents')}#{item.anchor}")
        # The page comes back as it was, with the refusal next to this item only.
        return self.render_to_response(
            self.get_context_data(checklist=checklist, forms={code: form})
        )

    def upload(self, item: selectors.ChecklistItem, form: DocumentUploadForm) -> bool:
        """File the upload for the checklist item; a refusal is put on the form, by the file."""
        try:
            document_upload(
                application=self.application,
                kind=item.kind,
                upload=form.cleaned_data["file"],
                actor=self.user,
            )
        except UploadRefused as refusal:
            form.add_error("file", refusal.message)
        except ApplicationError as error:
            form.add_error("file", str(error))
        else:
            return True
        return False


def _upload_form(item: selectors.ChecklistItem, *data: Any) -> DocumentUploadForm:
    """The upload form of one checklist item, bound to ``data`` (POST, FILES) when given."""
    return DocumentUploadForm(*data, prefix=item.kind.code, kind_name=item.kind.name)


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
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s is removed.") % {"name": document.original_name})
        return redirect(self.case_url("documents"))


class SupplyDocumentsView(CaseMixin, View):
    """The applicant has uploaded what the office asked for during an interruption."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.application_supply_requested_documents(
                application=self.application, actor=self.user
            )
        except ApplicationError as error:
            messages.error(request, str(error))
            to = "documents" if self.application.status == Status.INTERRUPTED else "detail"
            return redirect(self.case_url(to))
        messages.success(
            request,
            _("Thank you: the documents are with the office and the proceedings continue."),
        )
        return redirect(self.case_url())
