"""The caseworker workspace: queues, the case page and its actions, the supervisor dashboard.

Staff only: every view needs ``applications.process_application`` (a logged-in user without it
gets 403, an anonymous visitor the login page); assignment and the dashboard need
``applications.assign_application``. Actions are POST-only and go through the services with the
version of the case the page showed (``expected_version``): a concurrent change is reported with
the services' message and the page is shown again with what the caseworker typed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin

from accounts.http import signed_in_user
from applications import case_console, representation, services
from applications import caseworker_forms as cf
from applications.case_actions import case_action_form_kwargs, case_action_run
from applications.case_documents import DocumentChoice, document_verify, documents_verify_many
from applications.constants import Outcome, Status
from applications.dashboard import DashboardStats, dashboard_charts, kept_counts, stats_of
from applications.forms_representation import RefusePowerForm
from applications.models import Application, ChangeReport, PowerOfAttorney
from applications.queues import (
    ASSIGN,
    TABS,
    QueueFilters,
    Tab,
    case_for_caseworker,
    caseworker_case,
    caseworkers,
    cell,
    columns_for,
    queue_for,
    queue_page,
)
from applications.validation import person_flags
from core import clock
from core.errors import ApplicationError, ConcurrentChange
from documents.constants import Role as DocumentRole
from documents.constants import Verification
from documents.models import Document
from privacy.constants import Action
from privacy.services import filters_detail, record_access

PROCESS = "applications.process_application"


class StaffRequiredMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Anonymous visitors are sent to log in; logged-in users without the permission get 403."""

    permission_required = PROCESS


CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value: Any) -> str:
    """One cell of a CSV export, as text a spreadsheet shows and never runs: every CSV export
    writes its cells through this function."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A cell starting with = + - @, or with a tab or carriage return a spreadsheet skips before
    # one, is a formula to it (OWASP CSV injection): a leading apostrophe makes it text.
    return f"'{text}" if text.startswith(CSV_FORMULA_STARTS) else text


# --- Queues --------------------------------------------------------------------------------


class _QueueMixin(StaffRequiredMixin):
    def queue_setup(self, request: HttpRequest, tab: str) -> tuple[Any, QueueFilters, list[Any]]:
        if tab not in TABS:
            raise Http404
        assignees = list(caseworkers())
        form = cf.QueueFilterForm(request.GET or None, assignees=assignees)
        filters = (
            QueueFilters.from_cleaned(form.cleaned_data) if form.is_valid() else QueueFilters()
        )
        return form, filters, assignees


class QueueView(_QueueMixin, View):
    """One tab of the queues: counts of every tab, filters, a page of 50 cases."""

    http_method_names = ["get", "head"]
    default_tab = Tab.NEW

    def get(self, request: HttpRequest, tab: str | None = None) -> HttpResponse:
        tab = tab or self.default_tab
        form, filters, assignees = self.queue_setup(request, tab)
        queue = queue_page(
            signed_in_user(request),
            tab,
            filters,
            today=clock.today(),
            page_number=request.GET.get("page"),
        )
        query = request.GET.copy()
        query.pop("page", None)
        can_assign = request.user.has_perm(ASSIGN)
        context = {
            **vars(queue),
            "form": form,
            "selects": form.select_options(),
            "filters_active": bool(request.GET.dict().keys() - {"page"}),
            "querystring": query.urlencode(),
            "can_assign": can_assign,
            "bulk_form": cf.BulkAssignForm() if can_assign else None,
            "assignees": assignees,
        }
        return render(request, "caseworker/queue.html", context)


class Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


class QueueExportView(_QueueMixin, View):
    """The current list (same tab, same filters) as CSV, streamed: only the columns shown."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, tab: str) -> StreamingHttpResponse:
        _form, filters, _assignees = self.queue_setup(request, tab)
        columns = columns_for(tab)
        today = clock.today()
        cases = queue_for(signed_in_user(request), tab, filters, today=today)
        record_access(request, Action.EXPORT, object_id=tab, detail=filters_detail(filters))
        writer = csv.writer(Echo())

        def lines() -> Iterator[str]:
            yield "\ufeff"  # a BOM, so spreadsheets read the UTF-8 names right
            yield writer.writerow([str(column.label) for column in columns])
            for application in cases.iterator(chunk_size=2000):
                yield writer.writerow(
                    [csv_value(cell(application, column.key, today=today)) for column in columns]
                )

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        filename = f"queue-{tab}-{clock.today().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class BulkAssignView(StaffRequiredMixin, View):
    """A supervisor assigns the cases ticked in a queue; each goes through the service."""

    permission_required = ASSIGN
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        back = _safe_next(request, reverse("caseworker:queue"))
        form = cf.BulkAssignForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
            return HttpResponseRedirect(back)
        assignee = form.cleaned_data["assignee"]
        report = services.applications_assign_many(
            application_ids=form.cleaned_data["cases"],
            actor=signed_in_user(request),
            assignee=assignee,
        )
        _report_assignment(request, report, assignee, ticked=len(form.cleaned_data["cases"]))
        return HttpResponseRedirect(back)


def _report_assignment(
    request: HttpRequest, report: services.BulkAssignment, assignee: Any, *, ticked: int
) -> None:
    """Tell the supervisor what the bulk assignment did: the cases assigned, each one refused
    with its reason, and how many of the ticked cases were gone."""
    if report.assigned:
        count = len(report.assigned)
        messages.success(
            request,
            ngettext(
                "%(count)s case assigned to %(name)s.",
                "%(count)s cases assigned to %(name)s.",
                count,
            )
            % {"count": count, "name": assignee.get_full_name() or assignee.email},
        )
    for application, reason in report.refused:
        messages.error(
            request,
            _("%(reference)s was not assigned: %(reason)s")
            % {"reference": application.reference_number, "reason": reason},
        )
    missing = ticked - len(report.assigned) - len(report.refused)
    if missing > 0:
        messages.error(
            request,
            ngettext(
                "%(count)s of the ticked cases no longer exists.",
                "%(count)s of the ticked cases no longer exist.",
                missing,
            )
            % {"count": missing},
        )


# --- The case page -------------------------------------------------------------------------

# The action forms of the case page: key -> form class.
ACTION_FORMS: dict[str, type[forms.Form]] = {
    "claim": cf.CaseActionForm,
    "release": cf.CaseActionForm,
    "assign": cf.AssignForm,
    "interrupt": cf.InterruptForm,
    "resume": cf.ResumeForm,
    "decide": cf.DecideForm,
    "stop": cf.StopForm,
    "appeal_result": cf.AppealResultForm,
    "record_receipt": cf.RecordReceiptForm,
}


def _action_forms(
    actions: dict[str, bool],
    application: Application,
    bound: dict[str, forms.Form],
    *,
    proposed: dict[str, dict[str, Any]] | None = None,
) -> dict[str, forms.Form]:
    """The form of every action the caseworker may take now, each carrying the version of the
    case the page shows and what the page ``proposed`` for it (initial values); a form that was
    submitted and failed comes back as it was typed."""
    proposed = proposed or {}
    return {
        key: bound[key]
        if key in bound
        else form_class(
            initial={"expected_version": application.version, **proposed.get(key, {})},
            prefix=key,
            **_form_kwargs(key, application),
        )
        for key, form_class in ACTION_FORMS.items()
        if key in bound or actions[key]
    }


def _form_kwargs(action: str, application: Application) -> dict[str, Any]:
    """What an action's form needs of the case: ``case_action_form_kwargs``, and for an
    interruption the permit type, whose document kinds the form lists first."""
    kwargs = case_action_form_kwargs(action, application)
    if action == "interrupt":
        kwargs["permit_type"] = application.permit_type
    return kwargs


def _document_rows(
    documents: list[tuple[Document, str | None]],
    *,
    may_verify: bool,
    documents_form: cf.DocumentsVerifyForm | None,
    bound_document: tuple[int, forms.Form] | None,
) -> list[dict[str, Any]]:
    """Each document with its preview; a document waiting for verification has its fields in
    the documents form; current evidence verified before has a form of its own, to change the
    verification (the one submitted, when it failed)."""
    in_form = set(documents_form.document_ids) if documents_form is not None else set()
    rows = []
    for document, preview in documents:
        verify_form = None
        is_pending = document.pk in in_form
        if bound_document and bound_document[0] == document.pk:
            # The single document's form that was submitted and failed, with its errors.
            verify_form = bound_document[1]
        elif (
            may_verify
            and not is_pending
            and document.role == DocumentRole.EVIDENCE
            and document.is_current
        ):
            verify_form = cf.VerifyDocumentForm(prefix=f"doc{document.pk}")
        rows.append(
            {
                "document": document,
                "preview": preview,
                "verify_form": verify_form,
                "pending": is_pending,
                "decision_field": documents_form.decision_field(document.pk)
                if documents_form is not None and is_pending
                else None,
                "reason_field": documents_form.reason_field(document.pk)
                if documents_form is not None and is_pending
                else None,
            }
        )
    return rows


def _origin(request: HttpRequest) -> str | None:
    """The queue tab the caseworker came from (``?from=<tab>``), kept through the actions."""
    return case_console.queue_tab(request.GET.get("from"))


def _default_open(forms_shown: dict[str, forms.Form], documents: Any) -> str | None:
    """The action the page opens when none was submitted: the next step's."""
    if "claim" in forms_shown:
        return "claim"
    if documents is not None and not documents.pending:
        if "decide" in forms_shown and documents.all_required_verified:
            return "decide"
        if "interrupt" in forms_shown and documents.to_ask_for:
            return "interrupt"
    for key in ("appeal_result", "record_receipt"):
        if key in forms_shown:
            return key
    return None


def case_page(
    request: HttpRequest,
    pk: int,
    *,
    bound: dict[str, forms.Form] | None = None,
    bound_document: tuple[int, forms.Form] | None = None,
    bound_documents: cf.DocumentsVerifyForm | None = None,
    bound_note: forms.Form | None = None,
    error: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render the case page, with a submitted form kept as it was typed when it failed."""
    try:
        application = case_for_caseworker(pk)
    except Application.DoesNotExist as missing:
        raise Http404 from missing
    record_access(request, Action.CASE_VIEWED, target=application)
    user = signed_in_user(request)
    today = clock.today()
    case = caseworker_case(application, user=user, today=today)
    bound = bound or {}
    documents = None
    proposed: dict[str, dict[str, Any]] = {}
    if application.status in (Status.FILED, Status.INTERRUPTED):
        documents = case_console.document_state(case, case_console.required_kinds(case))
        proposed["interrupt"] = {"document_kinds": documents.to_ask_for}
        if documents.all_required_verified and not documents.pending:
            proposed["decide"] = {"outcome": Outcome.GRANTED}
    action_forms = _action_forms(case.actions, application, bound, proposed=proposed)
    may_verify = case.actions["verify_documents"]
    pending = case_console.pending_documents(case) if may_verify else []
    documents_form = None
    if pending or bound_documents is not None:
        documents_form = bound_documents or cf.DocumentsVerifyForm(
            initial={"expected_version": application.version},
            document_ids=[
                document.pk
                for document in pending
                if not bound_document or document.pk != bound_document[0]
            ],
        )
    if documents_form is not None and not documents_form.document_ids:
        documents_form = None  # every document was verified meanwhile
    if documents_form is not None:
        documents_form.name_documents({d.pk: d.file_reference for d, _preview in case.documents})
    origin = _origin(request)
    next_case = None
    if origin:
        next_pk = case_console.next_case_pk(user, origin, current=application.pk, today=today)
        next_case = f"{_case_url(next_pk)}?from={origin}" if next_pk else ""
    context = {
        **vars(case),
        "forms": action_forms,
        "open_form": next(iter(bound), None) or _default_open(action_forms, documents),
        "error": error,
        "is_conflict": isinstance(error, ConcurrentChange),
        "documents": _document_rows(
            case.documents,
            may_verify=may_verify,
            documents_form=documents_form,
            bound_document=bound_document,
        ),
        "documents_form": documents_form,
        "next_step": case_console.next_step(case, documents),
        "origin": origin,
        "origin_label": TABS[origin] if origin else None,
        "from_query": f"?from={origin}" if origin else "",
        # None: no queue to follow; "": the queue has no other case.
        "next_case": next_case,
        "note_form": bound_note or cf.NoteForm(),
        "person_flags": person_flags(case.applicant, application=application, today=today),
        # Who represents the person, on what authority (SPEC §1): with the signed document,
        # and the check of an upload waiting for it.
        "powers": representation.powers_on_case(application),
        "may_verify_power": user.has_perm("applications.verify_power"),
        "refuse_power_form": RefusePowerForm(),
    }
    return render(request, "caseworker/case.html", context, status=status)


class CaseView(StaffRequiredMixin, View):
    """The case page; a POST is its documents form: every document waiting for verification
    accepted, rejected or left for later at once (``documents_verify_many``)."""

    http_method_names = ["get", "head", "post"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return case_page(request, pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = _load_case(pk)
        form = cf.DocumentsVerifyForm(request.POST)
        if not form.is_valid():
            return case_page(request, pk, bound_documents=form)
        choices = [
            DocumentChoice(document_id=document_id, accepted=accepted, reason=reason)
            for document_id, accepted, reason in form.choices()
        ]
        try:
            verified = documents_verify_many(
                application=application,
                actor=signed_in_user(request),
                choices=choices,
                expected_version=form.cleaned_data["expected_version"],
            )
        except ConcurrentChange as error:
            # Keep what was typed, against the case and its documents as they are now: the
            # documents verified meanwhile leave the form, and a second submit can succeed.
            kept = _documents_form_now(request, pk)
            return case_page(request, pk, bound_documents=kept, error=error, status=409)
        except ApplicationError as error:
            return case_page(request, pk, bound_documents=form, error=error)
        accepted = sum(1 for choice in choices if choice.accepted)
        rejected = len(verified) - accepted
        if accepted:
            messages.success(
                request,
                ngettext("%(count)s document accepted.", "%(count)s documents accepted.", accepted)
                % {"count": accepted},
            )
        if rejected:
            messages.success(
                request,
                ngettext("%(count)s document rejected.", "%(count)s documents rejected.", rejected)
                % {"count": rejected},
            )
        return HttpResponseRedirect(_case_url(pk, "documents", origin=_origin(request)))


def _documents_form_now(request: HttpRequest, pk: int) -> cf.DocumentsVerifyForm:
    """The documents form as posted, at the case's present version and limited to the
    documents still waiting for verification."""
    current = Application.objects.values_list("version", flat=True).get(pk=pk)
    still_pending = Document.objects.filter(
        application_id=pk,
        role=DocumentRole.EVIDENCE,
        is_current=True,
        verification=Verification.PENDING,
        pk__in=cf.DocumentsVerifyForm(request.POST).document_ids,
    ).values_list("pk", flat=True)
    data = request.POST.copy()
    data["documents-expected_version"] = str(current)
    data.setlist("documents-shown", [str(document_id) for document_id in still_pending])
    kept = cf.DocumentsVerifyForm(data)
    kept.is_valid()
    return kept


def _case_url(pk: int, anchor: str = "", *, origin: str | None = None) -> str:
    url = reverse("caseworker:case", args=[pk])
    if origin:
        url = f"{url}?from={origin}"
    return f"{url}#{anchor}" if anchor else url


def _load_case(pk: int) -> Application:
    return get_object_or_404(
        Application.objects.select_related("applicant", "permit_type").exclude(status=Status.DRAFT),
        pk=pk,
    )


class CaseActionView(StaffRequiredMixin, View):
    """A POST that runs one action on a case (``case_actions``) and comes back to the case
    page."""

    http_method_names = ["post"]
    action: str = ""
    success_message: Any = ""
    anchor = "actions"

    def bind(self, request: HttpRequest, application: Application) -> Any:
        """The action's form bound to what was posted (no files: see RecordReceiptView)."""
        return ACTION_FORMS[self.action](
            request.POST, prefix=self.action, **_form_kwargs(self.action, application)
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = _load_case(pk)
        form = self.bind(request, application)
        if not form.is_valid():
            return case_page(request, pk, bound={self.action: form})
        try:
            case_action_run(
                action=self.action,
                application=application,
                actor=signed_in_user(request),
                data=form.cleaned_data,
            )
        except ConcurrentChange as error:
            # Keep what was typed, but against the case as it is now: after reading the
            # present state the caseworker can submit again.
            data = request.POST.copy()
            current = Application.objects.values_list("version", flat=True).get(pk=pk)
            data[f"{self.action}-expected_version"] = str(current)
            kept = ACTION_FORMS[self.action](
                data, prefix=self.action, **_form_kwargs(self.action, application)
            )
            kept.is_valid()
            return case_page(request, pk, bound={self.action: kept}, error=error, status=409)
        except ApplicationError as error:
            return case_page(request, pk, bound={self.action: form}, error=error)
        messages.success(request, self.success_message)
        return HttpResponseRedirect(_case_url(pk, self.anchor, origin=_origin(request)))


class ClaimView(CaseActionView):
    action = "claim"
    success_message = gettext_lazy("You have the case now.")


class ReleaseView(CaseActionView):
    action = "release"
    success_message = gettext_lazy("The case is back in the queue of new cases.")


class AssignView(CaseActionView):
    permission_required = ASSIGN
    action = "assign"
    success_message = gettext_lazy("The case is assigned.")


class InterruptView(CaseActionView):
    action = "interrupt"
    success_message = gettext_lazy(
        "The proceedings are interrupted. The letter to the applicant is being prepared."
    )


class ResumeView(CaseActionView):
    action = "resume"
    success_message = gettext_lazy("The proceedings are resumed; the decision clock runs again.")


class DecideView(CaseActionView):
    action = "decide"
    anchor = "decisions"
    success_message = gettext_lazy("The decision is issued. Its PDF is being rendered.")


class StopView(CaseActionView):
    action = "stop"
    anchor = "decisions"
    success_message = gettext_lazy("The proceedings are stopped. The decision is being rendered.")


class AppealResultView(CaseActionView):
    """The result of the remedy lodged: the Commission's on an appeal, the Ministry's answer
    to a request for re-assessment."""

    action = "appeal_result"
    anchor = "decisions"
    success_message = gettext_lazy("The result is recorded.")


class RecordReceiptView(CaseActionView):
    """The day a decision sent by post or handed over in person was received, with its proof."""

    action = "record_receipt"
    anchor = "decisions"
    success_message = gettext_lazy(
        "The delivery is recorded. The period for the decision's remedy, if it allows one, "
        "runs from the day of receipt."
    )

    def bind(self, request: HttpRequest, application: Application) -> Any:
        # The one action that takes a file (the proof): its page has an upload's body limit,
        # UPLOAD_URLS in config/middleware.py.
        return ACTION_FORMS[self.action](request.POST, request.FILES, prefix=self.action)


class NoteAddView(StaffRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = _load_case(pk)
        form = cf.NoteForm(request.POST)
        if not form.is_valid():
            return case_page(request, pk, bound_note=form)
        try:
            services.case_note_add(
                application=application,
                author=signed_in_user(request),
                text=form.cleaned_data["text"],
            )
        except ApplicationError as error:
            return case_page(request, pk, bound_note=form, error=error)
        messages.success(request, _("The note is added."))
        return HttpResponseRedirect(_case_url(pk, "notes", origin=_origin(request)))


class ChangeAcknowledgeView(StaffRequiredMixin, View):
    """The office takes note of a change the person reported after filing [003]: the data as
    filed stays, the report is marked acknowledged, and the audit trail says who did it."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = get_object_or_404(
            ChangeReport.objects.select_related("application").exclude(
                application__status=Status.DRAFT
            ),
            pk=pk,
        )
        case = report.application_id
        try:
            services.change_report_acknowledge(report=report, actor=signed_in_user(request))
        except ApplicationError as error:
            return case_page(request, case, error=error)
        messages.success(
            request,
            _("The reported change %(number)s is acknowledged.")
            % {"number": report.file_reference},
        )
        return HttpResponseRedirect(
            _case_url(case, f"change-{report.sub_number}", origin=_origin(request))
        )


# --- Documents -----------------------------------------------------------------------------


def _load_document(pk: int) -> Document:
    return get_object_or_404(
        Document.objects.select_related("application").exclude(application__status=Status.DRAFT),
        pk=pk,
    )


class DocumentVerifyView(StaffRequiredMixin, View):
    """Accept a document, or reject it with a reason the applicant will see."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = _load_document(pk)
        case = document.application_id
        form = cf.VerifyDocumentForm(request.POST, prefix=f"doc{document.pk}")
        if not form.is_valid():
            return case_page(request, case, bound_document=(document.pk, form))
        accepted = form.cleaned_data["decision"] == "accept"
        try:
            document_verify(
                document=document,
                actor=signed_in_user(request),
                accepted=accepted,
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            return case_page(request, case, bound_document=(document.pk, form), error=error)
        messages.success(
            request,
            _("Document %(number)s accepted.") % {"number": document.sub_number}
            if accepted
            else _("Document %(number)s rejected.") % {"number": document.sub_number},
        )
        return HttpResponseRedirect(
            _case_url(case, f"document-{document.pk}", origin=_origin(request))
        )


@method_decorator(xframe_options_sameorigin, name="dispatch")
class DocumentInlineView(StaffRequiredMixin, View):
    """A document streamed for viewing in the page (the case page frames it).

    The browser must not guess the type (nosniff), keep a copy (no-store) or run anything in
    it: a PDF opens in a sandbox (no scripts, no forms, its own origin).
    """

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        document = _load_document(pk)
        record_access(request, Action.DOCUMENT_VIEWED, target=document)
        response = FileResponse(
            document.file.open("rb"),
            content_type=document.content_type,
            as_attachment=False,
            filename=document.original_name,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store"
        response["Content-Security-Policy"] = "sandbox"
        return response


# --- The supervisor's dashboard ------------------------------------------------------------


class DashboardView(StaffRequiredMixin, View):
    permission_required = ASSIGN
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest) -> HttpResponse:
        counted = kept_counts(clock.today())
        # The figures, tables and charts are rendered once per count and language and kept
        # (the template's cache tag, keyed by the count's token): shaping them is built only
        # when the page is rendered afresh.
        stats = SimpleLazyObject(lambda: stats_of(counted))
        context = {
            "counted": counted,
            "stats": stats,
            "charts": SimpleLazyObject(lambda: dashboard_charts(cast(DashboardStats, stats))),
            "kept_seconds": settings.DASHBOARD_FIGURES_MAX_AGE * 10,
        }
        return render(request, "caseworker/dashboard.html", context)


class PowerCheckView(StaffRequiredMixin, View):
    """A caseworker verifies, or refuses with a reason, a signed power of attorney uploaded for
    the case (``representation.power_verify`` / ``power_refuse``); back to the case."""

    http_method_names = ["post"]
    permission_required = "applications.verify_power"
    verdict = "verify"

    def post(self, request: HttpRequest, pk: int, power: int) -> HttpResponse:
        application = _load_case(pk)
        found = get_object_or_404(PowerOfAttorney, pk=power, application=application)
        user = signed_in_user(request)
        try:
            if self.verdict == "verify":
                representation.power_verify(power=found, actor=user)
                messages.success(request, _("The power of attorney is verified: it counts now."))
            else:
                form = RefusePowerForm(request.POST)
                if not form.is_valid():
                    messages.error(
                        request, _("Give the reason for refusing the power of attorney.")
                    )
                    return HttpResponseRedirect(_case_url(pk, "representation"))
                representation.power_refuse(
                    power=found, actor=user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("The power of attorney is refused."))
        except ApplicationError as error:
            messages.error(request, error.message)
        return HttpResponseRedirect(_case_url(pk, "representation"))
