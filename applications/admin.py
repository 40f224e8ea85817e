"""The back office: the records of proceedings, read-only; what staff may do to a case, as buttons.

The records (applications, applicants, interruptions, decisions, appeals, notes, the audit trail)
are shown through ``privacy.admin.ReadOnlyAdmin``: nobody adds, edits or deletes them here, so
nothing changes a case around its services, their guards and its audit trail (SPEC §1, §2).

What the office may do to a case is a button on its page (``ServiceActionsAdmin``). Each opens a
confirmation page that says what will happen and asks for the reason and whatever the action
needs; confirming calls the same service as the caseworker's workspace, with the version of the
case the page showed, so a concurrent change is reported instead of overwritten. A refusal is
shown as the service words it and changes nothing; a success leaves one row in the case's audit
trail, carrying the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed, has_transition_perm

from accounts.http import signed_in_user
from applications import caseworker_forms as cf
from applications import guards
from applications.cards import (
    permit_record_biometrics,
    permit_record_card_ready,
    permit_record_entry,
    permit_record_pickup,
    permit_schedule_biometrics,
)
from applications.case_actions import case_action_form_kwargs, case_action_run
from applications.constants import Status
from applications.models import (
    Appeal,
    Applicant,
    Application,
    AuditEntry,
    CaseNote,
    ChangeReport,
    Decision,
    Interruption,
    travel_document_indexes,
)
from core.errors import ApplicationError, ConcurrentChange
from permits.models import Permit
from privacy.admin import (
    ApplicantAccessAudited,
    CaseAccessAudited,
    ReadOnlyAdmin,
    ReadOnlyInline,
)

if TYPE_CHECKING:
    from accounts.models import User

# --- Actions that go through a service -----------------------------------------------------


@dataclass(frozen=True)
class ServiceAction:
    """One thing staff may do to a record from its back-office page, by calling one service.

    ``run(obj, user, cleaned_data)`` calls the service and returns what it returns;
    ``done(obj, cleaned_data, result)`` says what happened, in words, for the success message;
    ``offered(obj, user)`` says whether the page offers the button now (the service still
    decides); ``seen(obj)`` is what the form carries of the record as shown (its version).
    ``permission``, for a service that checks no permission of its own, is the Django
    permission one needs to use the action at all.
    """

    name: str
    label: Promise
    explanation: Promise
    form_class: type[forms.Form]
    run: Callable[[Any, User, dict[str, Any]], Any]
    done: Callable[[Any, dict[str, Any], Any], str]
    offered: Callable[[Any, User], bool]
    seen: Callable[[Any], dict[str, Any]] = field(default=lambda obj: {})
    # What the form needs of the record besides ``seen`` (e.g. the validity a grant may have).
    form_kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda obj: {})
    permission: str | None = None

    def allowed(self, user: User) -> bool:
        return self.permission is None or user.has_perm(self.permission)


class ReasonForm(forms.Form):
    """Every action from the back office says why: the reason goes into the audit row."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why this is done from the back office, and on what basis (for example the "
            "applicant's signed letter and its date). Recorded with your name in the case's "
            "audit trail."
        ),
        error_messages={"required": _("Give the reason for this action.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Last, after what the action itself needs.
        self.fields["reason"] = self.fields.pop("reason")


class ServiceActionsAdmin(ReadOnlyAdmin):
    """A read-only record whose page offers ``service_actions`` as buttons.

    ``<object_id>/action/<action>/``: a GET shows the confirmation page and changes nothing; a
    POST validates the form and runs the service. The service's refusal (``ApplicationError``)
    is shown as an error message on the confirmation page, with what was typed kept.
    """

    service_actions: Sequence[ServiceAction] = ()
    service_actions_title: Promise = _("Actions")
    change_form_template = "admin/service_actions/change_form.html"
    service_action_template = "admin/service_actions/confirm.html"

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}_service_action"
        own = [
            path(
                "<path:object_id>/action/<slug:action>/",
                self.admin_site.admin_view(self.service_action_view),
                name=name,
            )
        ]
        # Before the admin's own: its last pattern takes any path under an object's id.
        return own + super().get_urls()

    def service_action_url(self, obj: Model, action: ServiceAction) -> str:
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_service_action"
        return reverse(name, args=[obj.pk, action.name], current_app=self.admin_site.name)

    def service_action_summary(self, obj: Any) -> list[tuple[Any, Any]]:
        """What the confirmation page shows of the record, so that one acts on the right one."""
        return []

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if obj is not None:
            user = signed_in_user(request)
            context["service_actions_title"] = self.service_actions_title
            context["service_actions"] = [
                (action, self.service_action_url(obj, action))
                for action in self.service_actions
                if action.allowed(user) and action.offered(obj, user)
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def service_action_view(
        self, request: HttpRequest, object_id: str, action: str
    ) -> HttpResponse:
        chosen = next((a for a in self.service_actions if a.name == action), None)
        if chosen is None:
            raise Http404
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
        user = signed_in_user(request)
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not (self.has_view_permission(request, obj) and chosen.allowed(user)):
            raise PermissionDenied
        back = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )
        status = 200
        if request.method != "POST":
            if not chosen.offered(obj, user):
                messages.warning(
                    request,
                    gettext("“%(action)s” is not possible now.") % {"action": chosen.label},
                )
                return HttpResponseRedirect(back)
            form = chosen.form_class(initial=chosen.seen(obj), **chosen.form_kwargs(obj))
        else:
            form = chosen.form_class(request.POST, **chosen.form_kwargs(obj))
            if not form.is_valid():
                messages.error(request, self._invalid_message(form))
            else:
                try:
                    result = chosen.run(obj, user, form.cleaned_data)
                except ConcurrentChange as error:
                    # What was typed is kept, against the record as it is now: after reading
                    # its present state one may confirm again.
                    messages.error(request, str(error))
                    obj = self.get_object(request, unquote(object_id))
                    data = request.POST.copy()
                    for key, value in chosen.seen(obj).items():
                        data[key] = str(value)
                    form = chosen.form_class(data, **chosen.form_kwargs(obj))
                    form.is_valid()
                    status = 409
                except ApplicationError as error:
                    messages.error(request, str(error))
                else:
                    messages.success(request, chosen.done(obj, form.cleaned_data, result))
                    return HttpResponseRedirect(back)
        context = {
            **self.admin_site.each_context(request),
            "title": chosen.label,
            "subtitle": str(obj),
            "opts": self.opts,
            "original": obj,
            "action": chosen,
            "form": form,
            "summary": self.service_action_summary(obj),
            "back": back,
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.service_action_template, context, status=status)

    @staticmethod
    def _invalid_message(form: forms.Form) -> str:
        if "reason" in form.errors:
            return gettext("Nothing was done: give the reason for this action.")
        return gettext("Nothing was done: correct the fields marked below.")


# --- The case's actions ----------------------------------------------------------------------

ASSIGN = "applications.assign_application"


def _transition_offered(name: str) -> Callable[[Application, User], bool]:
    """Offered when the state machine allows the transition to this person now (its source
    state, permission and conditions); the service checks again under the row lock."""

    def offered(application: Application, user: User) -> bool:
        method = getattr(application, name)
        return can_proceed(method, check_conditions=False) and has_transition_perm(method, user)

    return offered


def _version(application: Application) -> dict[str, Any]:
    return {"expected_version": application.version}


def _day(value: date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _person(user: User) -> str:
    return user.get_full_name() or user.email


def _case_action(
    action: str,
    *,
    label: Promise,
    explanation: Promise,
    form_class: type[forms.Form],
    done: Callable[[Application, dict[str, Any], Any], str],
    offered: Callable[[Application, User], bool],
    name: str = "",
) -> ServiceAction:
    """One of the case page's actions (``case_actions``) as a button: on the version of the case
    the confirmation page showed, with the reason as the audit row's note. ``name`` is the
    button's address when it is not the action's."""

    def run(application: Application, user: User, data: dict[str, Any]) -> Any:
        return case_action_run(
            action=action,
            application=application,
            actor=user,
            data={**data, "note": data["reason"]},
        )

    return ServiceAction(
        name=name or action,
        label=label,
        explanation=explanation,
        form_class=form_class,
        run=run,
        done=done,
        offered=offered,
        seen=_version,
        form_kwargs=lambda application: case_action_form_kwargs(action, application),
    )


def _case_done(message: Promise) -> Callable[[Application, dict[str, Any], Any], str]:
    """A success message that names the case by its reference number."""
    return lambda application, data, result: (
        str(message) % {"reference": application.reference_number}
    )


class WithdrawForm(cf.CaseActionForm, ReasonForm):
    pass


class InterruptForm(cf.InterruptForm):
    """The interruption's own reason is the action's reason: it is written into the letter and
    the audit row, and the applicant reads it in both."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        reason.label = _("Reason for the interruption")
        reason.help_text = _(
            "The applicant reads this in the letter and in the case's history. Recorded with "
            "your name in the case's audit trail."
        )
        reason.error_messages["required"] = _("Give the reason for this action.")


class ResumeForm(cf.CaseActionForm, ReasonForm):
    pass


class DecideForm(cf.DecideForm, ReasonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The confirmation page is the confirmation.
        del self.fields["confirm"]


class StopForm(cf.StopForm, ReasonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["confirm"]


class FinalizeForm(cf.CaseActionForm, ReasonForm):
    pass


class AppealResultForm(cf.AppealResultForm, ReasonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The reason is the note recorded with the result.
        del self.fields["note"]
        self.fields["reason"].help_text = _(
            "Recorded as the note on the result and, with your name, in the case's audit trail."
        )


class AssignForm(cf.AssignForm, ReasonForm):
    pass


class ReleaseForm(cf.CaseActionForm, ReasonForm):
    pass


def _resolved(application: Application, data: dict[str, Any], appeal: Appeal) -> str:
    values = {
        "reference": application.reference_number,
        "result": appeal.result_label.lower(),
    }
    status = Application.objects.values_list("status", flat=True).get(pk=application.pk)
    if status == Status.FILED:
        return (
            gettext(
                "The appellate body's result on %(reference)s is recorded (%(result)s): new "
                "proceedings begin."
            )
            % values
        )
    return (
        gettext(
            "The appellate body's result on %(reference)s is recorded (%(result)s): the case "
            "is closed."
        )
        % values
    )


CASE_ACTIONS: list[ServiceAction] = [
    _case_action(
        "withdraw",
        label=_("Withdraw on the applicant's behalf"),
        explanation=_(
            "The application is withdrawn as if the applicant had done it in the portal: the "
            "proceedings stop for good and an open interruption ends. Do this only at the "
            "applicant's own request, and say in the reason how they asked."
        ),
        form_class=WithdrawForm,
        done=_case_done(
            _(
                "The application %(reference)s is withdrawn on the applicant's behalf; the "
                "proceedings have stopped."
            )
        ),
        offered=_transition_offered("withdraw"),
    ),
    _case_action(
        "interrupt",
        label=_("Interrupt the proceedings"),
        explanation=_(
            "The proceedings are interrupted and the decision clock stops. The applicant is "
            "sent a letter asking for the documents below by the deadline, with the reason."
        ),
        form_class=InterruptForm,
        done=lambda application, data, interruption: (
            gettext(
                "The proceedings on %(reference)s are interrupted until %(deadline)s; the letter "
                "asking the applicant for the documents is being prepared."
            )
            % {
                "reference": application.reference_number,
                "deadline": _day(interruption.deadline),
            }
        ),
        offered=_transition_offered("interrupt"),
    ),
    _case_action(
        "resume",
        label=_("Resume the proceedings"),
        explanation=_(
            "The open interruption ends today and the decision clock runs again, for at least "
            "15 more days. The applicant is told."
        ),
        form_class=ResumeForm,
        done=lambda application, data, resumed: (
            gettext("The proceedings on %(reference)s are resumed; the decision is due on %(due)s.")
            % {"reference": application.reference_number, "due": _day(resumed.decision_due)}
        ),
        offered=_transition_offered("resume"),
    ),
    _case_action(
        "decide",
        label=_("Issue the decision"),
        explanation=_(
            "A decision is issued in the office's name and cannot be undone. A grant creates "
            "the residence permit with the validity below; a rejection must give its reasons. "
            "The decision's PDF is rendered and delivered to the applicant."
        ),
        form_class=DecideForm,
        done=lambda application, data, decision: (
            gettext(
                "The decision on %(reference)s is issued (%(outcome)s); its PDF is being rendered."
            )
            % {
                "reference": application.reference_number,
                "outcome": decision.get_outcome_display().lower(),
            }
        ),
        offered=_transition_offered("decide"),
    ),
    _case_action(
        "stop",
        label=_("Stop the proceedings"),
        explanation=_(
            "The proceedings end with a decision to stop them, because the requested documents "
            "were not supplied by the interruption's deadline. The decision is issued to the "
            "applicant and cannot be undone."
        ),
        form_class=StopForm,
        done=_case_done(
            _("The proceedings on %(reference)s are stopped; the decision is being rendered.")
        ),
        offered=_transition_offered("stop"),
    ),
    _case_action(
        "finalize",
        label=_("Mark the decision as final"),
        explanation=_(
            "The period for an appeal has passed without one: the decision takes legal effect "
            "and the case is closed. A nightly job does this by itself; do it here only when it "
            "cannot wait."
        ),
        form_class=FinalizeForm,
        done=_case_done(_("The decision on %(reference)s is in legal effect; the case is closed.")),
        offered=_transition_offered("finalize"),
    ),
    _case_action(
        "appeal_result",
        name="resolve-appeal",
        label=_("Record the appellate body's result"),
        explanation=_(
            "Record what the appellate body decided. Dismissed or changed: the case is closed. "
            "Returned: new proceedings begin and the decision period runs again from today."
        ),
        form_class=AppealResultForm,
        done=_resolved,
        offered=_transition_offered("resolve_appeal"),
    ),
    _case_action(
        "assign",
        label=_("Assign to a caseworker"),
        explanation=_(
            "The case is assigned to the caseworker you choose, who is told. Whoever had it "
            "before no longer does."
        ),
        form_class=AssignForm,
        done=lambda application, data, result: (
            gettext("%(reference)s is assigned to %(caseworker)s, who is told.")
            % {"reference": application.reference_number, "caseworker": _person(data["assignee"])}
        ),
        offered=lambda application, user: (
            guards.in_proceedings(application) and user.has_perm(ASSIGN)
        ),
    ),
    _case_action(
        "release",
        label=_("Release from its caseworker"),
        explanation=_(
            "The case is no longer assigned to anyone: it goes back to the queue of new cases "
            "for a caseworker to take."
        ),
        form_class=ReleaseForm,
        done=_case_done(
            _("%(reference)s is no longer assigned; it is back in the queue of new cases.")
        ),
        offered=lambda application, user: (
            guards.in_proceedings(application)
            and application.assigned_to_id is not None
            and guards.may_release(application, user)
        ),
    ),
]


# --- Inlines -------------------------------------------------------------------------------


class AuditEntryInline(ReadOnlyInline):
    model = AuditEntry
    fields = readonly_fields = ("created_at", "actor", "action", "from_status", "to_status", "note")
    ordering = ["created_at", "pk"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("actor")


class InterruptionInline(ReadOnlyInline):
    model = Interruption
    fields = readonly_fields = ("started_on", "deadline", "ended_on", "end_reason", "reason")


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = readonly_fields = (
        "decided_on",
        "outcome",
        "made_available_on",
        "delivered_on",
        "appeal_due",
        "document",
    )


# --- Model admins --------------------------------------------------------------------------


@admin.register(Application)
class ApplicationAdmin(CaseAccessAudited, ServiceActionsAdmin):
    service_actions = CASE_ACTIONS
    service_actions_title = _("Case actions")
    list_display = [
        "reference_number",
        "applicant",
        "permit_type",
        "status",
        "outcome",
        "channel",
        "decision_due",
        "assigned_to",
        "filed_on",
    ]
    list_select_related = ["applicant", "permit_type", "assigned_to"]
    list_filter = ["status", "outcome", "channel", "permit_type", "assigned_to"]
    # The travel document number is encrypted: found by its blind index (get_search_results).
    search_fields = ["reference_number", "applicant__surname"]
    date_hierarchy = "filed_on"
    ordering = ["decision_due", "-filed_at"]
    inlines = [InterruptionInline, DecisionInline, AuditEntryInline]
    # Read-only like every field; named so that the fields Django never puts in a form (the
    # timestamps) are shown too.
    readonly_fields = [
        "reference_number",
        "applicant",
        "permit_type",
        "channel",
        "delivery",
        "status",
        "outcome",
        "assigned_to",
        "created_by",
        "answers",
        "declarations_confirmed_at",
        "filed_at",
        "filed_on",
        "clock_started_on",
        "period_days",
        "decision_due",
        "decided_on",
        "closed_on",
        "withdrawn_on",
        "version",
        "created_at",
        "updated_at",
    ]
    exclude = ["reference_year", "reference_sequence"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Application], search_term: str
    ) -> tuple[QuerySet[Application], bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        indexes = travel_document_indexes(search_term)
        if indexes:
            found |= queryset.filter(applicant__travel_document_index__in=indexes)
        return found, may_have_duplicates

    def service_action_summary(self, obj: Application) -> list[tuple[Any, Any]]:
        # The case, not the person: the confirmation page is not one more view of their data.
        assignee = obj.assigned_to
        return [
            (_("Reference number"), obj.reference_number or "—"),
            (_("Permit type"), obj.permit_type),
            (_("State"), obj.get_status_display()),
            (_("Assigned caseworker"), _person(assignee) if assignee else _("nobody")),
            (_("Decision due"), _day(obj.decision_due)),
        ]


@admin.register(Applicant)
class ApplicantAdmin(ApplicantAccessAudited, ReadOnlyAdmin):
    """Read-only, whether or not the person has filed: filing freezes their data onto the case
    and a later change is a reported change in the file, never a rewrite (SPEC §2); before
    filing, the person edits their own profile and the support centre its records, through
    their services. An edit here would be neither, and would leave no audit row."""

    list_display = ["surname", "given_names", "born", "nationality", "account", "relation"]
    list_select_related = ["account"]
    list_filter = ["nationality", "relation", "preferred_language"]
    # The travel document number is encrypted: found by its blind index (get_search_results).
    search_fields = ["surname", "given_names", "email"]

    @admin.display(description=_("date of birth"))
    def born(self, obj: Applicant) -> date:
        # Not sortable: the column holds ciphertext.
        return obj.date_of_birth

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Applicant], search_term: str
    ) -> tuple[QuerySet[Applicant], bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        indexes = travel_document_indexes(search_term)
        if indexes:
            found |= queryset.filter(travel_document_index__in=indexes)
        return found, may_have_duplicates


@admin.register(Interruption)
class InterruptionAdmin(ReadOnlyAdmin):
    list_display = ["application", "started_on", "deadline", "ended_on", "end_reason"]
    list_select_related = ["application"]
    list_filter = ["end_reason"]
    search_fields = ["application__reference_number"]
    date_hierarchy = "started_on"


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = [
        "application",
        "outcome",
        "decided_on",
        "made_available_on",
        "delivered_on",
        "appeal_due",
    ]
    list_select_related = ["application"]
    list_filter = ["outcome"]
    search_fields = ["application__reference_number"]
    date_hierarchy = "decided_on"


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["application", "lodged_on", "result", "result_recorded_at"]
    list_select_related = ["application"]
    list_filter = ["result"]
    search_fields = ["application__reference_number"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "application", "actor", "action", "from_status", "to_status"]
    list_select_related = ["application", "actor"]
    list_filter = ["action", "to_status"]
    search_fields = ["application__reference_number", "actor__email"]
    date_hierarchy = "created_at"


@admin.register(CaseNote)
class CaseNoteAdmin(ReadOnlyAdmin):
    """Internal notes are append-only: written on the case page, read here."""

    list_display = ["created_at", "application", "author", "text"]
    list_select_related = ["application", "author"]
    search_fields = ["application__reference_number", "author__email"]
    date_hierarchy = "created_at"


@admin.register(ChangeReport)
class ChangeReportAdmin(ReadOnlyAdmin):
    """Changes of data reported after filing: submissions in the file, made and acknowledged
    through the services (the applicant's and the caseworker's pages), read here."""

    list_display = ["reported_at", "application", "kind", "acknowledged_at"]
    list_select_related = ["application"]
    list_filter = ["kind"]
    search_fields = ["application__reference_number"]
    date_hierarchy = "reported_at"
    # The reported values are personal data, encrypted: shown on the case pages, not listed.
    exclude = ["data"]


# --- Issued permits: read-only, with the holder's steps recorded through the services ------


def _date_field(label: Any, help_text: Any) -> forms.DateField:
    return forms.DateField(
        label=label, help_text=help_text, widget=forms.DateInput(attrs={"type": "date"})
    )


class EntryForm(ReasonForm):
    entered_on = _date_field(
        _("Day of entry"),
        _("The day the holder entered the Czech Republic, as their travel document shows."),
    )


class AppointmentForm(ReasonForm):
    appointment_on = _date_field(_("Day of the appointment"), "")


class BiometricsForm(ReasonForm):
    taken_on = _date_field(_("Day biometric data were taken"), "")


class CardReadyForm(ReasonForm):
    ready_on = _date_field(_("Day the card was ready for collection"), "")


class PickupForm(ReasonForm):
    picked_up_on = _date_field(_("Day the card was collected"), "")


# These steps were edits of the permit before, and need the permission to change one; the
# services also let only the case's caseworker or a supervisor (or a superuser) record them.
RECORD_ON_PERMIT = "permits.change_permit"


def _permit_done(
    message: Promise, *, day: str, due: str = ""
) -> Callable[[Permit, dict[str, Any], Permit], str]:
    """A success message naming the card, the ``day`` the step was recorded on and, if the next
    step has one, its ``due`` date."""

    def done(permit: Permit, data: dict[str, Any], recorded: Permit) -> str:
        values = {"number": permit.number, "day": _day(getattr(recorded, day))}
        if due:
            values["due"] = _day(getattr(recorded, due))
        return str(message) % values

    return done


PERMIT_ACTIONS: list[ServiceAction] = [
    ServiceAction(
        name="entry",
        label=_("Record the day of entry"),
        explanation=_(
            "For a holder who applied abroad: the day they entered the Czech Republic. "
            "Biometric data are then due within 30 days, and the holder is reminded."
        ),
        form_class=EntryForm,
        permission=RECORD_ON_PERMIT,
        run=lambda permit, user, data: permit_record_entry(
            permit=permit, entered_on=data["entered_on"], actor=user, note=data["reason"]
        ),
        done=_permit_done(
            _(
                "The day of entry of card %(number)s is recorded (%(day)s); biometric data are due "
                "by %(due)s."
            ),
            day="entered_on",
            due="biometrics_due",
        ),
        offered=lambda permit, user: permit.biometrics_on is None,
    ),
    ServiceAction(
        name="appointment",
        label=_("Book the appointment for biometric data"),
        explanation=_(
            "The day the holder gives biometric data at the office; booking again moves it. The "
            "holder is reminded the day before."
        ),
        form_class=AppointmentForm,
        permission=RECORD_ON_PERMIT,
        run=lambda permit, user, data: permit_schedule_biometrics(
            permit=permit, on=data["appointment_on"], actor=user, note=data["reason"]
        ),
        done=_permit_done(
            _("The appointment for card %(number)s is booked for %(day)s."),
            day="biometrics_appointment_on",
        ),
        offered=lambda permit, user: permit.biometrics_on is None,
    ),
    ServiceAction(
        name="biometrics",
        label=_("Record the day biometric data were taken"),
        explanation=_(
            "The card is then to be collected within 60 days; the holder is reminded of the "
            "deadline."
        ),
        form_class=BiometricsForm,
        permission=RECORD_ON_PERMIT,
        run=lambda permit, user, data: permit_record_biometrics(
            permit=permit, on=data["taken_on"], actor=user, note=data["reason"]
        ),
        done=_permit_done(
            _(
                "Biometric data for card %(number)s are recorded as taken on %(day)s; the card is "
                "to be collected by %(due)s."
            ),
            day="biometrics_on",
            due="pickup_due",
        ),
        offered=lambda permit, user: permit.picked_up_on is None,
    ),
    ServiceAction(
        name="card_ready",
        label=_("Record that the card is ready"),
        explanation=_("The holder is told the card is ready and by when to collect it."),
        form_class=CardReadyForm,
        permission=RECORD_ON_PERMIT,
        run=lambda permit, user, data: permit_record_card_ready(
            permit=permit, on=data["ready_on"], actor=user, note=data["reason"]
        ),
        done=_permit_done(
            _("Card %(number)s is recorded as ready on %(day)s; it is to be collected by %(due)s."),
            day="card_ready_on",
            due="pickup_due",
        ),
        offered=lambda permit, user: (
            permit.biometrics_on is not None
            and permit.card_ready_on is None
            and permit.picked_up_on is None
        ),
    ),
    ServiceAction(
        name="pickup",
        label=_("Record that the card was collected"),
        explanation=_("The holder collected the card: the reminders to collect it stop."),
        form_class=PickupForm,
        permission=RECORD_ON_PERMIT,
        run=lambda permit, user, data: permit_record_pickup(
            permit=permit, on=data["picked_up_on"], actor=user, note=data["reason"]
        ),
        done=_permit_done(
            _("Card %(number)s is recorded as collected on %(day)s."), day="picked_up_on"
        ),
        offered=lambda permit, user: (
            permit.biometrics_on is not None and permit.picked_up_on is None
        ),
    ),
]


@admin.register(Permit)
class PermitAdmin(ServiceActionsAdmin):
    """Issued by a grant (``application_decide``) and read-only here: its validity is the
    decision's. The holder's later steps are recorded by the buttons, through the services."""

    service_actions = PERMIT_ACTIONS
    list_display = ["number", "holder", "permit_type", "valid_from", "valid_to", "pickup_due"]
    list_select_related = ["holder", "permit_type"]
    list_filter = ["permit_type"]
    search_fields = ["number", "application__reference_number", "holder__surname"]
    date_hierarchy = "valid_from"
    readonly_fields = ["biometrics_due", "pickup_due"]

    def service_action_summary(self, obj: Permit) -> list[tuple[Any, Any]]:
        return [
            (_("Card number"), obj.number),
            (_("Permit type"), obj.permit_type),
            (_("Valid from"), _day(obj.valid_from)),
            (_("Valid to"), _day(obj.valid_to)),
            (_("Day of entry"), _day(obj.entered_on)),
            (_("Biometrics appointment"), _day(obj.biometrics_appointment_on)),
            (_("Biometric data taken"), _day(obj.biometrics_on)),
            (_("Card ready"), _day(obj.card_ready_on)),
            (_("Card collected"), _day(obj.picked_up_on)),
        ]
