"""The remedy against a decision: an appeal, or for a refused long-term visa a request for
re-assessment [003]. Who may open a case is decided by ``CaseMixin`` (``views.applicant``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from applications import remedies, selectors, services
from applications.case_documents import (
    document_upload_appeal_attachment,
)
from applications.constants import Remedy
from applications.forms import (
    AppealForm,
    error_links,
)
from applications.models import Appeal
from core.errors import ApplicationError

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

from applications.views.applicant import CaseMixin


class AppealView(CaseMixin, TemplateView):
    """Lodge the remedy the decision allows: an appeal, or for a refused long-term visa a
    request for re-assessment of the reasons [003]; a decision with none offers nothing."""

    template_name = "applications/appeal.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.form: AppealForm | None = None

    @property
    def remedy(self) -> str:
        decision = self.application.current_decision
        return decision.remedy if decision is not None else Remedy.APPEAL

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        decision = self.application.current_decision
        form = self.form or AppealForm(
            kind=self.remedy, initial={"version": self.application.version}
        )
        context.update(
            decision=decision,
            remedy=self.remedy,
            appeal=selectors.remedy_lodged(decision),
            appeal_due=(
                selectors.effective_appeal_due(decision, today=self.today) if decision else None
            ),
            form=form if self.flags.can_appeal else None,
            errors=error_links(form) if self.flags.can_appeal else [],
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.flags.can_appeal:
            messages.error(request, str(NOT_POSSIBLE_NOW[self.remedy]))
            return self.render_to_response(self.get_context_data())
        self.form = form = AppealForm(request.POST, request.FILES, kind=self.remedy)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data())
        try:
            appeal = services.application_appeal(
                application=self.application,
                actor=self.user,
                grounds=form.cleaned_data["grounds"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ApplicationError as error:
            messages.error(request, str(error))
            self.load(self.application.pk)
            return self.render_to_response(self.get_context_data())
        refused = self.attach(form.cleaned_data["attachments"])
        messages.success(request, _lodged_message(appeal))
        for problem in refused:
            messages.error(request, problem)
        return redirect(self.case_url())

    def attach(self, uploads: list[Any]) -> list[str]:
        """File the appeal's attachments; the ones refused, each with its reason."""
        refused = []
        for upload in uploads:
            try:
                document_upload_appeal_attachment(
                    application=self.application, upload=upload, actor=self.user
                )
            except ApplicationError as error:
                refused.append(f"{upload.name}: {error}")
        return refused


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
