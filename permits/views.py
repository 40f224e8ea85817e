"""Public guidance pages (no login): the permit catalogue, a permit type's page, the advisor and
the self-check calculators.

Nothing here writes: the calculators answer from the dates entered and store nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.forms import BaseFormSet
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from accounts.forms import error_links
from core import clock
from permits import advisor, selectors
from permits.calculators import (
    SCHENGEN_WINDOW_DAYS,
    ResidenceKind,
    ResidencePeriod,
    Stay,
    TripCheck,
    check_trip,
    continuity_breaks,
    counted_days,
    current_run_start,
    days_remaining,
    days_used,
    first_violation,
    five_year_condition_met_on,
    five_years_in_days,
    latest_exit,
)
from permits.constants import RequirementCondition
from permits.forms import (
    AdvisorForm,
    ResidencePeriodFormSet,
    SchengenForm,
    StayFormSet,
    formset_error_links,
)
from permits.models import PermitType

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# --- Catalogue and permit type pages -------------------------------------------------------------

# The checklist says when a document is needed, in words an applicant understands.
CONDITION_IN_WORDS: dict[str, StrPromise] = {
    RequirementCondition.ALWAYS: _("Always"),
    RequirementCondition.MINOR: _("Only if the applicant is a minor"),
    RequirementCondition.BUSINESS: _("Only if the purpose of stay is business"),
    RequirementCondition.ABROAD: _("Only if you apply at an embassy"),
    RequirementCondition.RULE: _("Usually; in some cases it is not needed"),
    RequirementCondition.ON_REQUEST: _("Only if the office asks for it"),
}

# When a rule waives a document, the checklist says which rule (see the "rule" requirements in
# permits/catalogue.py and their sources).
RULE_IN_WORDS: dict[tuple[str, str], StrPromise] = {
    # "It is not necessary to submit such a document, if the designated number of the available
    # vacancy is stated directly in your application" [001]
    ("employee_card", "vacancy_number"): _(
        "Not needed if you write the vacancy number in the application."
    ),
    # "s/he had been working on the basis of a Blue Card in the previous 2 years, s/he does not
    # have to submit evidence of a university-level qualification" [001]
    ("blue_card", "university_qualification"): _(
        "Not needed if you have worked on a Blue Card of another EU member state for the past "
        "2 years."
    ),
    # "If your visa is granted ... You must then provide proof of travel health insurance." [003]
    ("*", "travel_health_insurance"): _("Needed once the visa is granted, before it is issued."),
    ("permanent_residence_waiver", "family_relationship"): _(
        "Needed when you apply as a family member."
    ),
    ("permanent_residence_waiver", "czech_a2"): _("The office decides whether it is needed."),
}


# Documents every applicant brings, with what a rule spares some of them.
ALWAYS_WITH_NOTE: dict[tuple[str, str], StrPromise] = {
    # "If the applicant is a Blue Card holder in another EU Member State, s/he does not need to
    # submit a document equivalent to an Extract from the Criminal Record ... (i.e. from the
    # country that issued the Blue Card)" [001]: the other states' extracts stay required.
    ("blue_card", "criminal_record"): _(
        "If you hold a Blue Card of another EU member state, the extract from the state that "
        "issued it is not needed; the extracts from the other states are."
    ),
}


@dataclass(frozen=True)
class ChecklistItem:
    name: str
    description: str
    condition: str | StrPromise
    always: bool


def checklist_of(permit_type: PermitType) -> list[ChecklistItem]:
    items = []
    for requirement in permit_type.requirements.all():
        kind = requirement.document_kind
        condition = CONDITION_IN_WORDS.get(requirement.condition, requirement.condition)
        if requirement.condition == RequirementCondition.RULE:
            condition = RULE_IN_WORDS.get(
                (permit_type.code, kind.code), RULE_IN_WORDS.get(("*", kind.code), condition)
            )
        elif (permit_type.code, kind.code) in ALWAYS_WITH_NOTE:
            condition = format_lazy(
                "{} {}", condition, ALWAYS_WITH_NOTE[(permit_type.code, kind.code)]
            )
        items.append(
            ChecklistItem(
                name=kind.name,
                description=kind.description,
                condition=condition,
                always=requirement.condition == RequirementCondition.ALWAYS,
            )
        )
    return items


class CatalogueView(TemplateView):
    template_name = "permits/catalogue.html"
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(groups=selectors.permit_type_list_grouped(), **kwargs)


def can_apply_online(permit_type: PermitType) -> bool:
    """Whether the portal takes this type's application: the office decides on it and it is
    filed from within the Czech Republic (the types ``applications:start`` offers) online."""
    return (
        permit_type.handled_by_office
        and permit_type.can_file_in_country
        and permit_type.can_file_online
    )


class PermitTypeDetailView(TemplateView):
    """A permit type's page: who it is for, the facts, the checklist of documents."""

    template_name = "permits/detail.html"
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        try:
            permit_type = selectors.permit_type_detail(self.kwargs["code"])
        except PermitType.DoesNotExist:
            raise Http404 from None
        # An embassy-only type (the visas) has no period "in the Czech Republic" to show.
        show_period_here = permit_type.can_file_in_country or not permit_type.can_file_at_embassy
        return super().get_context_data(
            permit_type=permit_type,
            checklist=checklist_of(permit_type) if permit_type.handled_by_office else [],
            show_period_here=show_period_here,
            can_apply_online=can_apply_online(permit_type),
            **kwargs,
        )


class BeforeYouStartView(PermitTypeDetailView):
    """What to have ready before applying for a type: its documents, fee, how long the decision
    takes and who may apply, then the way into the application (``applications:start`` with the
    type chosen). The same reads as the type's page: two queries whatever the checklist's size."""

    template_name = "permits/before_you_start.html"


# --- "Which permit fits me?" ----------------------------------------------------------------------


@dataclass(frozen=True)
class AdvisorCard:
    """A suggestion ready to show: a permit type of the catalogue, or a note."""

    suggestion: advisor.Suggestion
    permit_type: PermitType | None

    @property
    def title(self) -> str:
        return self.permit_type.name if self.permit_type else str(self.suggestion.title)

    @property
    def tool_label(self) -> str:
        tool = self.suggestion.tool
        return str(TOOL_LABELS.get(tool, "")) if tool else ""


TOOL_LABELS = {
    "permits:schengen": _("Open the 90/180-day calculator"),
    "permits:pr_calculator": _("Open the permanent residence calculator"),
}


class AdvisorView(TemplateView):
    template_name = "permits/advisor.html"
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        answered = any(name in self.request.GET for name in AdvisorForm.base_fields)
        form = AdvisorForm(self.request.GET if answered else None)
        cards: list[AdvisorCard] = []
        if answered and form.is_valid():
            suggestions = advisor.suggest(advisor.Answers(**form.cleaned_data))
            permit_types = selectors.permit_types_by_code(
                s.code for s in suggestions if s.is_permit_type
            )
            cards = [
                AdvisorCard(suggestion=s, permit_type=permit_types.get(s.code))
                for s in suggestions
                # A type switched off in the admin is not suggested.
                if not s.is_permit_type or s.code in permit_types
            ]
        return super().get_context_data(
            form=form,
            answered=answered and form.is_valid(),
            cards=cards,
            errors=error_links(form) if answered else [],
            **kwargs,
        )


# --- Calculators ---------------------------------------------------------------------------------


def _with_extra_row(data: QueryDict, prefix: str, max_rows: int) -> QueryDict:
    """The posted data with one more (empty) row in the formset ``prefix``."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, ""))
    except ValueError:
        return data
    data[key] = str(min(total + 1, max_rows))
    return data


class CalculatorView(View):
    """A calculator page: GET shows empty rows, POST answers (or adds a row) and keeps the input.

    POST keeps the dates out of URLs and server logs; nothing is stored.
    """

    template_name: str
    formset_class: type[BaseFormSet[Any]]
    formset_prefix: str
    related_types: tuple[str, ...] = ()

    def forms(self, data: QueryDict | None) -> dict[str, Any]:
        """The page's "formset" of rows and, optionally, a "form" of other fields."""
        raise NotImplementedError

    def answer(self, forms: dict[str, Any]) -> Any:
        raise NotImplementedError

    def render_page(self, request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
        # Links to the permit pages this calculator's answer leads on to.
        found = selectors.permit_types_by_code(self.related_types)
        context["related_types"] = [found[code] for code in self.related_types if code in found]
        return render(request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request, {**self.forms(None), "errors": [], "result": None})

    def post(self, request: HttpRequest) -> HttpResponse:
        adding_row = "add_row" in request.POST
        data: QueryDict = request.POST
        if adding_row:
            data = _with_extra_row(data, self.formset_prefix, self.formset_class.max_num)
        forms = self.forms(data)
        form, formset = forms.get("form"), forms["formset"]
        if adding_row:
            # The person asked for a row, not for an answer: show the input back unvalidated
            # (empty errors stop the forms from cleaning themselves when rendered).
            for each in [*([form] if form else []), *formset.forms]:
                each._errors = ErrorDict()
            return self.render_page(request, {**forms, "errors": [], "result": None})
        # Both validate, so that every error shows at once.
        valid = formset.is_valid() & (form.is_valid() if form else True)
        errors = [
            *formset_error_links(formset),
            *(error_links(form) if form else []),
        ]
        result = self.answer(forms) if valid else None
        return self.render_page(request, {**forms, "errors": errors, "result": result})


@dataclass(frozen=True)
class SchengenAnswer:
    check_date: date
    window_start: date
    days_used: int
    days_remaining: int
    # The first day on which the stays entered (without the planned trip) already break the rule.
    stays_violation: date | None
    # The last day someone present from the check date on may stay until (None: not even that day).
    latest_stay: date | None
    planned: Stay | None
    trip: TripCheck | None


def schengen_answer(stays: list[Stay], check_date: date, planned: Stay | None) -> SchengenAnswer:
    """What the 90/180 rule [003] says about the stays on ``check_date`` and for a planned trip."""
    return SchengenAnswer(
        check_date=check_date,
        window_start=check_date - timedelta(days=SCHENGEN_WINDOW_DAYS - 1),
        days_used=days_used(stays, check_date),
        days_remaining=days_remaining(stays, check_date),
        stays_violation=first_violation(stays),
        latest_stay=latest_exit(stays, check_date),
        planned=planned,
        trip=check_trip(stays, planned) if planned else None,
    )


class SchengenCalculatorView(CalculatorView):
    template_name = "permits/schengen.html"
    formset_class = StayFormSet
    formset_prefix = "stays"
    related_types = ("long_term_visa",)

    def forms(self, data: QueryDict | None) -> dict[str, Any]:
        initial = None if data is not None else {"check_date": clock.today()}
        return {
            "form": SchengenForm(data, initial=initial),
            "formset": StayFormSet(data, prefix=self.formset_prefix),
        }

    def answer(self, forms: dict[str, Any]) -> SchengenAnswer:
        stays = [
            Stay(entry=row.cleaned_data["entry"], exit=row.cleaned_data["exit"])
            for row in forms["formset"].filled_forms()
        ]
        cleaned = forms["form"].cleaned_data
        planned = None
        if cleaned.get("planned_entry"):
            planned = Stay(entry=cleaned["planned_entry"], exit=cleaned["planned_exit"])
        return schengen_answer(stays, cleaned["check_date"], planned)


@dataclass(frozen=True)
class ResidenceAnswer:
    counted_total: Fraction
    last_counted_day: date | None
    counted_in_current_run: Fraction
    met_on: date | None
    days_missing: int
    # If residence goes on without a break after the last counted day, the condition is met then.
    projected_on: date | None
    breaks: list[tuple[date, date]]
    # The five calendar years of the last stretch, in days (1826 or 1827).
    five_years_in_days: int


def residence_answer(periods: list[ResidencePeriod]) -> ResidenceAnswer:
    """How these periods count toward permanent residence's 5 years [003]: only the last
    stretch of continuous residence counts; one that ended before a break never does."""
    counted = [p for p in periods if p.kind != ResidenceKind.SHORT_TERM]
    last = max((p.end for p in counted), default=None)
    met_on = five_year_condition_met_on(periods)
    in_run = counted_days(periods, last, max_gap_days=0) if last else Fraction(0)
    # With nothing counted yet, five years would begin after the last day entered.
    start = current_run_start(periods) or max(p.end for p in periods) + timedelta(days=1)
    needed = five_years_in_days(start)
    missing = 0 if met_on else math.ceil(needed - in_run)
    return ResidenceAnswer(
        counted_total=counted_days(periods, last) if last else Fraction(0),
        last_counted_day=last,
        counted_in_current_run=in_run,
        met_on=met_on,
        days_missing=missing,
        projected_on=last + timedelta(days=missing) if last and not met_on else None,
        breaks=continuity_breaks(periods),
        five_years_in_days=needed,
    )


class PermanentResidenceCalculatorView(CalculatorView):
    template_name = "permits/pr_calculator.html"
    formset_class = ResidencePeriodFormSet
    formset_prefix = "periods"
    related_types = ("permanent_residence", "permanent_residence_waiver")

    def forms(self, data: QueryDict | None) -> dict[str, Any]:
        return {"formset": ResidencePeriodFormSet(data, prefix=self.formset_prefix)}

    def answer(self, forms: dict[str, Any]) -> ResidenceAnswer:
        periods = [
            ResidencePeriod(
                kind=ResidenceKind(row.cleaned_data["kind"]),
                start=row.cleaned_data["start"],
                end=row.cleaned_data["end"],
            )
            for row in forms["formset"].filled_forms()
        ]
        return residence_answer(periods)
