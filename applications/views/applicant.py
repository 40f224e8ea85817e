"""The applicant's pages: dashboard, a draft's task list and sections, filing, the case page,
the interruption, the decision, the appeal and withdrawal (GOV.UK patterns: one thing per page,
"check your answers", a confirmation page with the reference number).

Who may open a case here is decided by ``selectors.application_for_applicant``: the account that
holds the applicant record and the support-centre worker who created it. Everyone else,
caseworkers included (they have their own pages), gets a 404 for a case; pages without a case
(the dashboard, "start") show a logged-in person only their own records. Support-centre staff
reuse the draft pages for the people they file for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from accounts.http import signed_in_user
from accounts.models import User
from applications import checks, selectors, services
from applications.constants import REPORT_PERIOD_DAYS, ChangeKind, Channel, Status
from applications.forms import (
    RADIO_CHOICES_MAX,
    AnswersForm,
    ChangeReportForm,
    DeclarationForm,
    StartApplicationForm,
    VersionForm,
    error_links,
    permit_types_for_online_filing,
)
from applications.models import CHANGE_FIELDS, Applicant, Application
from core import clock
from core.errors import ApplicationError, ConcurrentChange, FilingBlocked
from permits import rules
from permits.forms import RESIDENCE_KIND_CHOICES
from permits.models import PermitType
from permits.questions import Question, QuestionKind, asked_keys, read_answers

if TYPE_CHECKING:
    pass

# --- Shared machinery ------------------------------------------------------------------------


class CaseMixin(LoginRequiredMixin):
    """Loads the case for the applicant's side (404 for anyone else) and what it allows."""

    request: HttpRequest
    # The view this is mixed into has them.
    http_method_names: Sequence[str]
    user: User
    application: Application
    flags: selectors.CaseFlags

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.user = signed_in_user(request)
        self.today = clock.today()
        self.load(kwargs["pk"])
        if request.method and request.method.lower() in self.http_method_names:
            response = self.check_state(request)
            if response is not None:
                return response
        return super().dispatch(request, *args, **kwargs)

    def check_state(self, request: HttpRequest) -> HttpResponse | None:
        """A page the case's state does not allow leads elsewhere; None lets it show."""
        return None

    def load(self, pk: int) -> None:
        self.application = selectors.application_for_applicant(user=self.user, pk=pk)
        self.flags = selectors.case_flags(self.application, user=self.user, today=self.today)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(
            application=self.application,
            flags=self.flags,
            today=self.today,
            is_owner=self.application.applicant.account_id == self.user.pk,
        )
        return context

    def case_url(self, name: str = "detail") -> str:
        return reverse(f"applications:{name}", args=[self.application.pk])

    def refuse(self, message: str, *, to: str = "detail") -> HttpResponseRedirect:
        messages.error(self.request, message)
        return redirect(self.case_url(to))


class DraftMixin(CaseMixin):
    """Pages that change a draft: once it is filed they lead to the case page."""

    def check_state(self, request: HttpRequest) -> HttpResponse | None:
        if self.application.status != Status.DRAFT:
            messages.info(
                request, _("This application has been filed: it can no longer be changed.")
            )
            return redirect(self.case_url())
        return None


# --- Dashboard and start ---------------------------------------------------------------------


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "applications/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = signed_in_user(self.request)
        context["rows"] = selectors.dashboard_rows(user=user, today=clock.today())
        context["has_applicant_record"] = selectors.applicants_for_account(user=user).exists()
        context["is_support_staff"] = user.has_perm("applications.file_on_behalf")
        return context


class StartDraftView(TemplateView):
    """A page that starts a draft from a ``StartApplicationForm`` (the person's own start page,
    the support centre's page of a person) and leads to the draft's task list."""

    channel: Channel
    started_message: Any = ""

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.form: StartApplicationForm | None = None

    def build_form(self) -> StartApplicationForm:
        raise NotImplementedError

    def applicant_of(self, form: StartApplicationForm) -> Applicant:
        """The person the draft is for."""
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.form = form = self.build_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data())
        try:
            application = services.application_create(
                applicant=self.applicant_of(form),
                permit_type=form.cleaned_data["permit_type"],
                actor=signed_in_user(request),
                channel=self.channel,
            )
        except ApplicationError as error:
            messages.error(request, error.for_applicant())
            return self.render_to_response(self.get_context_data())
        messages.success(request, self.started_message)
        return redirect("applications:detail", pk=application.pk)


class StartView(LoginRequiredMixin, StartDraftView):
    """Choose the permit type (``?type=<code>`` from the catalogue) and the person."""

    template_name = "applications/start.html"
    channel = Channel.ONLINE
    started_message = gettext_lazy("Your draft application is saved. Work through the sections.")

    def applicant_of(self, form: StartApplicationForm) -> Applicant:
        return form.cleaned_data["applicant"]

    def build_form(self) -> StartApplicationForm:
        applicants = selectors.applicants_for_account(user=signed_in_user(self.request))
        initial: dict[str, Any] = {}
        code = self.request.GET.get("type", "")
        permit_types = permit_types_for_online_filing()
        chosen = permit_types.filter(code=code).first() if code else None
        if chosen is not None:
            initial["permit_type"] = chosen
        if applicants.count() == 1:
            initial["applicant"] = applicants.first()
        data = self.request.POST if self.request.method == "POST" else None
        return StartApplicationForm(
            data, initial=initial, permit_types=permit_types, applicants=applicants
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = self.form or self.build_form()
        code = self.request.GET.get("type", "")
        embassy_only = (
            PermitType.objects.fileable().filter(code=code, can_file_in_country=False).first()
            if code
            else None
        )
        context.update(
            form=form,
            errors=error_links(form),
            has_applicant_record=selectors.applicants_for_account(
                user=signed_in_user(self.request)
            ).exists(),
            embassy_only=embassy_only,
        )
        return context


# --- Task list (a draft) or case page (filed) ------------------------------------------------


class DetailView(CaseMixin, TemplateView):
    """A draft's task list; once filed, the case page with its status, timeline and file."""

    http_method_names = ["get", "head", "options"]

    def get_template_names(self) -> list[str]:
        if self.application.status == Status.DRAFT:
            return ["applications/task_list.html"]
        return ["applications/case.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        application = self.application
        if application.status == Status.DRAFT:
            tasks = selectors.draft_tasks(application, user=self.user, today=self.today)
            blocking = rules.blocking_errors(rules.evaluate(checks.facts_for(application)))
            context["tasks"] = _with_blocking_answers(tasks, blocking)
            return context
        context.update(
            **vars(selectors.filed_case(application, today=self.today)),
            withdraw_form=VersionForm(initial={"version": application.version}),
            is_support_staff=self.user.has_perm("applications.file_on_behalf"),
        )
        return context


NEEDS_ATTENTION = "needs_attention"


@dataclass(frozen=True)
class AttentionTask(selectors.Task):
    """The questions task while the rules find that the answers block filing."""

    messages: tuple[str, ...] = ()

    @property
    def state_label(self) -> Any:
        return gettext_lazy("Needs attention")


def _with_blocking_answers(
    tasks: list[selectors.Task], blocking: list[rules.Finding]
) -> list[selectors.Task]:
    """While a rule blocks filing, the questions task needs attention (with the rules' words)
    and neither checking nor filing is offered; the filing service refuses as well. Questions
    not answered yet keep their state ("Not started", "In progress"): nothing is wrong yet."""
    if not blocking:
        return tasks
    changed: list[selectors.Task] = []
    for task in tasks:
        if task.key == "questions" and task.state == selectors.TaskState.COMPLETED:
            task = AttentionTask(
                task.key,
                task.title,
                NEEDS_ATTENTION,
                url=task.url,
                messages=tuple(str(finding.message) for finding in blocking),
            )
        elif task.key in ("check", "file"):
            task = replace(task, state=selectors.TaskState.CANNOT_START, url="")
        changed.append(task)
    return changed


class StatusView(CaseMixin, View):
    """The case's status for the page's polling script (static/js/case-status.js)."""

    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        application = self.application
        due = application.decision_due
        response = JsonResponse(
            {
                "status": application.status,
                "status_label": application.get_status_display(),
                "decision_due": due.isoformat() if due else None,
                "decision_due_display": date_format(due) if due else None,
                "version": application.version,
                "decision_ready": self.flags.decision_ready,
            }
        )
        response["Cache-Control"] = "no-store"
        return response


# --- Questions -------------------------------------------------------------------------------


class QuestionsView(DraftMixin, TemplateView):
    template_name = "applications/questions.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.form: AnswersForm | None = None

    def questions(self) -> list[Question]:
        return selectors.questions_for_application(self.application, today=self.today)

    def build_form(self, **kwargs: Any) -> AnswersForm:
        return AnswersForm(
            initial=dict(self.application.answers or {}),
            permit_type_code=self.application.permit_type.code,
            questions=self.questions(),
            **kwargs,
        )

    def returns_to_check(self) -> bool:
        """``?next=check`` (the "Change" links of the check page): after saving, back to this
        case's check page. No other value is accepted, so no address can be smuggled in."""
        return self.request.GET.get("next") == "check"

    def questions_url(self) -> str:
        url = self.case_url("questions")
        return f"{url}?next=check" if self.returns_to_check() else url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = self.form or self.build_form()
        context.update(
            form=form,
            errors=form.error_summary() if self.form else [],
            returns_to_check=self.returns_to_check(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        add_row_for = request.POST.get("add_row", "")
        later = "save_later" in request.POST
        self.form = form = self.build_form(
            data=request.POST, allow_unanswered=later or bool(add_row_for), add_row_for=add_row_for
        )
        if add_row_for:
            # One more empty row; nothing is saved yet and everything typed stays on the page.
            return self.render_to_response(self.get_context_data())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data())
        try:
            services.application_save_answers(
                application=self.application, actor=self.user, answers=form.answers
            )
        except ApplicationError as error:
            messages.error(request, error.for_applicant())
            return self.render_to_response(self.get_context_data())
        if later:
            messages.success(
                request, _("Your answers are saved. You can come back to them at any time.")
            )
            return redirect("applications:dashboard")
        ask_next = form.questions_to_ask_next()
        if ask_next:
            # Without JavaScript the page asks in steps: back with what the answers now ask.
            messages.info(
                request,
                _(
                    "Your answers are saved. They bring up more questions: answer them below, "
                    "then save again."
                ),
            )
            return redirect(f"{self.questions_url()}#{question_anchor(ask_next[0])}")
        messages.success(request, _("Your answers are saved."))
        if self.returns_to_check():
            return redirect(self.case_url("check"))
        return redirect(self.case_url())


# --- Check your answers, declaration, filing -------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    label: str
    value: Any
    change_url: str
    periods: list[dict[str, Any]] | None = None


def question_anchor(question: Question) -> str:
    """The id of the element of the questions page a link to ``question`` jumps to."""
    if question.kind == QuestionKind.PERIODS:
        return f"{question.key}-fieldset"
    if question.kind == QuestionKind.CHOICE and len(question.choices) <= RADIO_CHOICES_MAX:
        return f"id_{question.key}_0"  # radio buttons: the first one
    return f"id_{question.key}"


def _answer_rows(application: Application, questions: list[Question], base_url: str) -> list:
    """The answers to the questions asked, each with its "Change" link, which comes back to
    the check page after saving (``?next=check``). A question not asked has no row."""
    code, answers = application.permit_type.code, application.answers or {}
    values, _errors = read_answers(code, answers)
    asked = asked_keys(code, answers)
    kinds = dict(RESIDENCE_KIND_CHOICES)
    rows = []
    for question in questions:
        if question.key not in asked:
            continue
        value = values.get(question.key)
        url = f"{base_url}?next=check#{question_anchor(question)}"
        if question.kind == QuestionKind.PERIODS:
            periods = [
                {"kind": kinds.get(str(p.kind), p.kind), "start": p.start, "end": p.end}
                for p in value or []
            ]
            rows.append(AnswerRow(str(question.label), None, url, periods=periods))
            continue
        if question.kind == QuestionKind.BOOL:
            value = _("Yes") if value else _("No")
        elif question.kind == QuestionKind.CHOICE and value is not None:
            value = question.choice_label(value)
        rows.append(AnswerRow(str(question.label), value, url))
    return rows


class CheckView(DraftMixin, TemplateView):
    template_name = "applications/check.html"
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        application = self.application
        questions = selectors.questions_for_application(application, today=self.today)
        findings = checks.findings(application)
        context.update(
            applicant=application.applicant,
            missing_details=selectors.applicant_missing_details(application.applicant),
            answer_rows=_answer_rows(application, questions, self.case_url("questions")),
            checklist=selectors.document_checklist(application),
            problems=selectors.filing_problem_links(application),
            warnings=[f for f in findings if f.severity == rules.Severity.WARNING],
            information=[f for f in findings if f.severity == rules.Severity.INFO],
        )
        return context


class FileView(DraftMixin, TemplateView):
    """The declarations, then filing: the proceedings begin."""

    template_name = "applications/file.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.form: DeclarationForm | None = None
        self.blocked: list[str] = []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = self.form or DeclarationForm(initial={"delivery": self.application.delivery})
        problems = selectors.filing_problem_links(self.application)
        known = {problem.message for problem in problems}
        problems += [
            selectors.ProblemLink(message) for message in self.blocked if message not in known
        ]
        context.update(form=form, errors=error_links(form), problems=problems)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.form = form = DeclarationForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data())
        try:
            # How the decision reaches the person is part of what is filed (D3).
            services.application_choose_delivery(
                application=self.application,
                actor=self.user,
                delivery=form.cleaned_data["delivery"] or self.application.delivery,
            )
            services.application_confirm_declarations(application=self.application, actor=self.user)
            services.application_file(application=self.application, actor=self.user)
        except FilingBlocked as error:
            messages.error(request, error.message)
            self.blocked = error.problems
            self.load(self.application.pk)
            return self.render_to_response(self.get_context_data())
        except ApplicationError as error:
            messages.error(request, error.for_applicant())
            self.load(self.application.pk)
            return self.render_to_response(self.get_context_data())
        return redirect(self.case_url("filed"))


class FiledView(CaseMixin, TemplateView):
    """The confirmation page with the reference number."""

    template_name = "applications/filed.html"
    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.application.status == Status.DRAFT:
            return redirect(self.case_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["is_support_staff"] = self.user.has_perm("applications.file_on_behalf")
        return context


class DeleteDraftView(DraftMixin, TemplateView):
    template_name = "applications/delete.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.application_delete_draft(application=self.application, actor=self.user)
        except ApplicationError as error:
            return self.refuse(error.for_applicant())
        messages.success(request, _("The draft application is deleted."))
        return redirect("applications:dashboard")


# --- Decision, appeal, withdrawal ------------------------------------------------------------


class DecisionView(CaseMixin, TemplateView):
    """The current decision. The owner's first opening is its delivery (D3)."""

    template_name = "applications/decision.html"
    # No HEAD: a link checker or prefetcher must not deliver the decision (D3).
    http_method_names = ["get", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        decision = self.application.current_decision
        if decision is None:
            raise Http404("No decision yet.")
        if decision.made_available_on is not None and decision.delivered_on is None:
            # Opening it is its delivery (D3); the appeal period runs from it (D4).
            # The service records delivery for the applicant who owns the case only.
            services.decision_open(decision=decision, actor=self.user)
            self.load(self.application.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        decision = self.application.current_decision
        if decision is None:  # get() has already answered 404
            raise Http404("No decision yet.")
        context.update(
            decision=decision,
            appeal=selectors.remedy_lodged(decision),
            appeal_due=selectors.effective_appeal_due(decision, today=self.today),
            permit=getattr(self.application, "permit", None)
            if decision.outcome == "granted"
            else None,
        )
        return context


# --- A change of data reported after filing ---------------------------------------------------


class ReportChangeView(CaseMixin, TemplateView):
    """Report a change of personal data or a new address on a filed case [003].

    The office decides on what was filed (SPEC §2): a change since is a submission in the file,
    with its own number, beside the data as filed. First the person chooses what changed (each
    has its period: 3 days, 30 for an address), then gives the new values, filled in from their
    record, and the documents that show them.
    """

    template_name = "applications/report_change.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.form: ChangeReportForm | None = None

    def check_state(self, request: HttpRequest) -> HttpResponse | None:
        if not self.flags.can_report_change:
            return self.refuse(_("Changes cannot be reported on this application."))
        return None

    def chosen_kind(self) -> str | None:
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        kind = source.get("kind", "")
        return kind if kind in ChangeKind.values else None

    def build_form(self, kind: str) -> ChangeReportForm:
        if self.request.method == "POST":
            return ChangeReportForm(self.request.POST, self.request.FILES, kind=kind)
        # Filled in from the person's record: after changing it in the profile, they check it.
        applicant = self.application.applicant
        initial = {name: getattr(applicant, name) for name in CHANGE_FIELDS[kind]}
        return ChangeReportForm(kind=kind, initial=initial)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        kind = self.chosen_kind()
        form = self.form or (self.build_form(kind) if kind else None)
        context.update(
            kind=kind,
            kind_label=ChangeKind(kind).label if kind else "",
            # D6 [003]
            data_days=REPORT_PERIOD_DAYS[ChangeKind.PERSONAL_DATA],
            address_days=REPORT_PERIOD_DAYS[ChangeKind.ADDRESS],
            kinds=[
                {"label": label, "url": f"{self.case_url('report_change')}?kind={value}"}
                for value, label in ChangeKind.choices
            ],
            form=form,
            errors=error_links(form) if form is not None else [],
            filed=selectors.filed_values(self.application.party, CHANGE_FIELDS[kind])
            if kind
            else [],
            reports=selectors.reported_changes(self.application),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        kind = self.chosen_kind()
        if kind is None:
            return self.refuse(
                _("Choose what changed: your personal data or your address."), to="report_change"
            )
        self.form = form = self.build_form(kind)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data())
        try:
            report = services.change_report_submit(
                application=self.application,
                actor=self.user,
                kind=kind,
                data=form.reported,
                attachments=form.cleaned_data["attachments"],
            )
        except ConcurrentChange as error:
            # About the page, not what was typed: said once, as the page's message, as on every
            # applicant page (on the form the summary and the form's own list both said it).
            messages.error(request, error.for_applicant())
            self.load(self.application.pk)
            return self.render_to_response(self.get_context_data())
        except ApplicationError as error:
            form.add_error(None, str(error))
            self.load(self.application.pk)
            return self.render_to_response(self.get_context_data())
        messages.success(
            request,
            _(
                "The office has your report of the change: it is in your file as %(number)s. "
                "Your application is decided on the data you filed and this change together."
            )
            % {"number": report.file_reference},
        )
        return redirect(f"{self.case_url()}#changes")


class WithdrawView(CaseMixin, TemplateView):
    template_name = "applications/withdraw.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.flags.can_withdraw:
            return self.refuse(_("This application can no longer be withdrawn."))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = VersionForm(initial={"version": self.application.version})
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = VersionForm(request.POST)
        version = form.cleaned_data.get("version") if form.is_valid() else None
        try:
            services.application_withdraw(
                application=self.application, actor=self.user, expected_version=version
            )
        except ApplicationError as error:
            return self.refuse(error.for_applicant())
        messages.success(request, _("Your application is withdrawn. The proceedings have stopped."))
        return redirect(self.case_url())
