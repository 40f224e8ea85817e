"""More time to supply the documents of an interruption (Administrative Procedure Code § 39(2),
outside the seeds): the applicant's page to ask, the caseworker's page to answer.

Each side loads the case as its other pages do: the applicant's side through
``selectors.application_for_applicant`` (another person's case is a 404), staff through the
caseworker workspace (a draft is a 404). The services (``applications.extensions``) decide who
may ask or answer and when.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.http import signed_in_user
from applications import extensions, guards
from applications.caseworker_forms import ExtensionAnswerForm
from applications.constants import Status
from applications.forms import ExtensionRequestForm, error_links
from applications.models import Application
from applications.views.applicant import CaseMixin
from applications.views.caseworker import StaffRequiredMixin, _case_url, _load_case
from core import clock
from core.errors import ApplicationError, ConcurrentChange
from privacy.constants import Action
from privacy.services import record_access

# --- The applicant asks ----------------------------------------------------------------------


class ExtensionRequestView(CaseMixin, TemplateView):
    """Ask for more time to supply the documents the office asked for, before the deadline
    passes; the page also shows the requests made and the office's answers."""

    template_name = "applications/extension.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.form: ExtensionRequestForm | None = None

    def check_state(self, request: HttpRequest) -> HttpResponse | None:
        if self.application.status == Status.DRAFT:
            return redirect(self.case_url())
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        more_time = extensions.more_time_for(self.application, today=self.today)
        may_ask = more_time.can_ask and guards.may_act_as_applicant(self.application, self.user)
        form = self.form or ExtensionRequestForm(initial={"version": self.application.version})
        context.update(
            more_time=more_time,
            form=form if may_ask else None,
            errors=error_links(form) if may_ask else [],
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.form = form = ExtensionRequestForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data())
        try:
            extensions.extension_request(
                application=self.application,
                actor=self.user,
                reason=form.cleaned_data["reason"],
                requested_until=form.cleaned_data["requested_until"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ApplicationError as error:
            messages.error(request, error.for_applicant())
            self.load(self.application.pk)
            return self.render_to_response(self.get_context_data())
        messages.success(
            request,
            _(
                "Your request for more time is with the office, which will tell you its answer. "
                "Until then the present deadline applies."
            ),
        )
        return redirect(self.case_url("extension"))


# --- The caseworker answers ------------------------------------------------------------------


def _answer_page(
    request: HttpRequest,
    application: Application,
    *,
    form: ExtensionAnswerForm | None = None,
    error: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    """The request for more time awaiting an answer on the case, the earlier ones with their
    answers, and the form to answer for those who may (``guards.may_decide_or_supervise``)."""
    record_access(request, Action.CASE_VIEWED, target=application)
    more_time = extensions.more_time_for(application, today=clock.today())
    asked = more_time.open_request
    may_answer = asked is not None and guards.may_decide_or_supervise(
        application, signed_in_user(request)
    )
    if may_answer and form is None:
        form = ExtensionAnswerForm(
            initial={
                "expected_version": application.version,
                "new_deadline": asked.requested_until if asked else None,
            }
        )
    context = {
        "application": application,
        "applicant": application.party,
        "more_time": more_time,
        "today": clock.today(),
        "form": form if may_answer else None,
        "error": error,
        "is_conflict": isinstance(error, ConcurrentChange),
    }
    return render(request, "caseworker/extension.html", context, status=status)


class ExtensionAnswerView(StaffRequiredMixin, View):
    """Answer a request for more time: a new deadline, or a refusal with reasons. The answer
    is a resolution filed in the case; the applicant is told."""

    http_method_names = ["get", "head", "post"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _answer_page(request, _load_case(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = _load_case(pk)
        form = ExtensionAnswerForm(request.POST)
        if not form.is_valid():
            return _answer_page(request, application, form=form)
        asked = extensions.more_time_for(application, today=clock.today()).open_request
        if asked is None:
            messages.error(request, _("No request for more time awaits an answer on this case."))
            return HttpResponseRedirect(_case_url(pk))
        data = form.cleaned_data
        try:
            if data["answer"] == "grant":
                answered = extensions.extension_grant(
                    extension=asked,
                    actor=signed_in_user(request),
                    new_deadline=data["new_deadline"],
                    reason=data["reason"],
                    expected_version=data["expected_version"],
                )
            else:
                answered = extensions.extension_refuse(
                    extension=asked,
                    actor=signed_in_user(request),
                    reason=data["reason"],
                    expected_version=data["expected_version"],
                )
        except ConcurrentChange as error:
            # Keep what was typed, against the case as it is now (as on the case page).
            kept = request.POST.copy()
            kept["expected_version"] = str(
                Application.objects.values_list("version", flat=True).get(pk=pk)
            )
            form = ExtensionAnswerForm(kept)
            form.is_valid()
            return _answer_page(request, application, form=form, error=error, status=409)
        except ApplicationError as error:
            return _answer_page(request, application, form=form, error=error)
        if answered.new_deadline is not None:
            messages.success(
                request,
                _(
                    "More time is granted: the documents are due by %(day)s. The resolution is "
                    "being prepared."
                )
                % {"day": date_format(answered.new_deadline, "SHORT_DATE_FORMAT")},
            )
        else:
            messages.success(
                request, _("The request is refused. The resolution is being prepared.")
            )
        return HttpResponseRedirect(_case_url(pk, "extension"))
