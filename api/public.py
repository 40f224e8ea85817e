"""The self-check calculators, public: ``/api/v1/calculators/schengen/`` (the 90/180 rule) and
``/api/v1/calculators/permanent-residence/`` (five years' continuous residence).

The same checks and answers as the calculator pages: the answers are validated by the pages'
own forms (``permits.forms``: the range of dates, the last day not before the first, a planned
trip given whole, at least one period of residence) and computed by the pages' own functions
(``permits.views.schengen_answer`` and ``residence_answer``). No token is needed; requests
count against the caller's address. Nothing is stored, and the dates are in the body, never in
the URL (as the pages POST them).

The permit catalogue and the advisor are in ``api.catalogue``.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import clock
from permits.calculators import ResidenceKind, ResidencePeriod, Stay
from permits.forms import (
    MAX_ROWS,
    RESIDENCE_KIND_CHOICES,
    BaseRowFormSet,
    ResidencePeriodFormSet,
    SchengenForm,
    StayFormSet,
)
from permits.views import (
    ResidenceAnswer,
    SchengenAnswer,
    residence_answer,
    schengen_answer,
)

TAGS = ["calculators"]

_INVALID = OpenApiResponse(
    response={"$ref": "#/components/schemas/Problem"},
    description=(
        "The input has errors; `errors` points at each (`#/stays/1/exit`, `#/check_date`, "
        "`#/periods`...), in the language of Accept-Language."
    ),
)
PROBLEM_400 = {(400, "application/problem+json"): _INVALID}


class PublicView(APIView):
    """No token, no session: anyone may ask (the per-address limit still applies)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    # The rows are nested lists: JSON only.
    parser_classes = [JSONParser]


def _form_errors(form: forms.Form) -> dict[str, list[str]]:
    """A form's errors keyed as the request's fields (a whole-form error: the object itself)."""
    return {
        "non_field_errors" if name == NON_FIELD_ERRORS else name: [
            str(message) for message in messages
        ]
        for name, messages in form.errors.items()
    }


def _formset_errors(formset: forms.BaseFormSet) -> dict[Any, Any]:
    """A formset's errors keyed by row index (``#/stays/1/exit``); its own errors (at least one
    row...) belong to the list (``#/stays``)."""
    errors: dict[Any, Any] = {
        index: _form_errors(form) for index, form in enumerate(formset.forms) if form.errors
    }
    if formset.non_form_errors():
        errors["non_field_errors"] = [str(m) for m in formset.non_form_errors()]
    return errors


def _formset_data(prefix: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The body's rows as the page's formset would receive them."""
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": str(MAX_ROWS),
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


# --- Schengen 90/180 [003] ------------------------------------------------------------------------


class StaySerializer(serializers.Serializer):
    entry = serializers.DateField(help_text="Day of entry into the Schengen Area (1950-2100).")
    exit = serializers.DateField(help_text="Day of exit; both days count as days of presence.")


class SchengenCalculationSerializer(serializers.Serializer):
    stays = StaySerializer(
        many=True,
        max_length=MAX_ROWS,
        help_text=f"Stays in the Schengen Area, past or planned (at most {MAX_ROWS}).",
    )
    check_date = serializers.DateField(
        required=False,
        help_text=(
            "The day to count the 180 days up to. Without it: today in Prague, as the page "
            "proposes."
        ),
    )
    planned_entry = serializers.DateField(
        required=False, allow_null=True, help_text="A planned trip's day of entry (optional)."
    )
    planned_exit = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The planned trip's day of exit (needed with its day of entry).",
    )


class PlannedTripSerializer(serializers.Serializer):
    entry = serializers.DateField()
    exit = serializers.DateField()
    allowed = serializers.BooleanField(help_text="Whether the trip keeps to the 90/180 rule.")
    first_violation = serializers.DateField(
        allow_null=True, help_text="The first day over the limit with the trip; null if none."
    )
    latest_exit = serializers.DateField(
        allow_null=True,
        help_text=(
            "Entering on the trip's day of entry, the last day one may stay until; null when "
            "even that day would break the rule."
        ),
    )
    days_remaining_on_entry = serializers.IntegerField(
        help_text="Days left on the day of entry, counting the other stays only."
    )


class SchengenResultSerializer(serializers.Serializer):
    check_date = serializers.DateField()
    window_start = serializers.DateField(
        help_text="First day of the 180 days ending on the check date."
    )
    days_used = serializers.IntegerField(help_text="Days of presence in those 180 days.")
    days_remaining = serializers.IntegerField(help_text="Days left of the 90 (0 to 90).")
    stays_violation = serializers.DateField(
        allow_null=True,
        help_text="The first day on which the stays entered already break the rule; null if none.",
    )
    latest_stay = serializers.DateField(
        allow_null=True,
        help_text=(
            "Present from the check date on, the last day one may stay until; null when being "
            "present on the check date would break the rule."
        ),
    )
    planned_trip = PlannedTripSerializer(allow_null=True, help_text="Null without a trip.")


def _schengen_body(answer: SchengenAnswer) -> dict[str, Any]:
    trip = None
    if answer.planned and answer.trip:
        trip = {
            "entry": answer.planned.entry,
            "exit": answer.planned.exit,
            "allowed": answer.trip.allowed,
            "first_violation": answer.trip.first_violation,
            "latest_exit": answer.trip.latest_exit,
            "days_remaining_on_entry": answer.trip.days_remaining_on_entry,
        }
    return {
        "check_date": answer.check_date,
        "window_start": answer.window_start,
        "days_used": answer.days_used,
        "days_remaining": answer.days_remaining,
        "stays_violation": answer.stays_violation,
        "latest_stay": answer.latest_stay,
        "planned_trip": trip,
    }


class SchengenCalculatorView(PublicView):
    """The 90/180 rule [003]: days used and left on a day, and whether a planned trip fits."""

    @extend_schema(
        operation_id="calculators_schengen",
        summary="Schengen 90/180 calculator",
        description=(
            "The days used and left in the 180 days up to `check_date`, the last day one may "
            "stay until, and for a planned trip whether it keeps to the rule. The same checks "
            "and answers as the calculator page. A self-check: the Ministry of the Interior "
            "decides."
        ),
        request=SchengenCalculationSerializer,
        responses={200: SchengenResultSerializer, **PROBLEM_400},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        incoming = SchengenCalculationSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        given = incoming.validated_data
        form = SchengenForm(
            {
                "check_date": given.get("check_date") or clock.today(),
                "planned_entry": given.get("planned_entry") or "",
                "planned_exit": given.get("planned_exit") or "",
            }
        )
        formset = cast(
            BaseRowFormSet, StayFormSet(_formset_data("stays", given["stays"]), prefix="stays")
        )
        # Both validate, so that every error is told at once (as on the page).
        if not (formset.is_valid() & form.is_valid()):
            errors: dict[str, Any] = _form_errors(form)
            if stay_errors := _formset_errors(formset):
                errors["stays"] = stay_errors
            raise serializers.ValidationError(errors)
        stays = [
            Stay(entry=row.cleaned_data["entry"], exit=row.cleaned_data["exit"])
            for row in formset.filled_forms()
        ]
        cleaned = form.cleaned_data
        planned = None
        if cleaned.get("planned_entry"):
            planned = Stay(entry=cleaned["planned_entry"], exit=cleaned["planned_exit"])
        answer = schengen_answer(stays, cleaned["check_date"], planned)
        return Response(SchengenResultSerializer(_schengen_body(answer)).data)


# --- Permanent residence: five years' continuous residence [003] ---------------------------------


class ResidencePeriodSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[value for value, _label in RESIDENCE_KIND_CHOICES],
        help_text=(
            "The residence title: long-term visa or residence permit count in full, study "
            "half, a short-term visa nothing (and it breaks continuity)."
        ),
    )
    start = serializers.DateField(help_text="First day (1950-2100).")
    end = serializers.DateField(help_text="Last day; both days count.")


class ResidenceCalculationSerializer(serializers.Serializer):
    periods = ResidencePeriodSerializer(
        many=True,
        max_length=MAX_ROWS,
        help_text=f"Periods of residence (at least one, at most {MAX_ROWS}).",
    )


class ContinuityBreakSerializer(serializers.Serializer):
    first = serializers.DateField(help_text="First day of the gap.")
    last = serializers.DateField(help_text="Last day of the gap.")


class ResidenceResultSerializer(serializers.Serializer):
    counted_total = serializers.FloatField(
        help_text="All days that count, up to the last counted day (study days count half)."
    )
    last_counted_day = serializers.DateField(
        allow_null=True, help_text="The last day of a period that counts; null if none."
    )
    counted_in_current_run = serializers.FloatField(
        help_text="Days that count since the last break in residence."
    )
    met_on = serializers.DateField(
        allow_null=True,
        help_text="The day the 5 years of continuous residence are reached; null if not yet.",
    )
    days_missing = serializers.IntegerField(help_text="Days still missing (0 once met).")
    projected_on = serializers.DateField(
        allow_null=True,
        help_text=(
            "Going on without a break after the last counted day, the day the 5 years are "
            "reached; null once met or when nothing counts."
        ),
    )
    breaks = ContinuityBreakSerializer(many=True, help_text="The gaps that break continuity.")
    five_years_in_days = serializers.IntegerField(
        help_text="The days of the five calendar years of the last stretch (1826 or 1827)."
    )


def _residence_body(answer: ResidenceAnswer) -> dict[str, Any]:
    return {
        # Halves at most: exact as floats.
        "counted_total": float(answer.counted_total),
        "last_counted_day": answer.last_counted_day,
        "counted_in_current_run": float(answer.counted_in_current_run),
        "met_on": answer.met_on,
        "days_missing": answer.days_missing,
        "projected_on": answer.projected_on,
        "breaks": [{"first": first, "last": last} for first, last in answer.breaks],
        "five_years_in_days": answer.five_years_in_days,
    }


class PermanentResidenceCalculatorView(PublicView):
    """When the five years of continuous residence for permanent residence are reached [003]."""

    @extend_schema(
        operation_id="calculators_permanent_residence",
        summary="Permanent residence calculator",
        description=(
            "How the periods count toward the 5 years of continuous residence: only the last "
            "stretch without a break counts. The same checks and answers as the calculator "
            "page. A self-check: the Ministry of the Interior decides."
        ),
        request=ResidenceCalculationSerializer,
        responses={200: ResidenceResultSerializer, **PROBLEM_400},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        incoming = ResidenceCalculationSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        rows = incoming.validated_data["periods"]
        formset = cast(
            BaseRowFormSet,
            ResidencePeriodFormSet(_formset_data("periods", rows), prefix="periods"),
        )
        if not formset.is_valid():
            raise serializers.ValidationError({"periods": _formset_errors(formset)})
        periods = [
            ResidencePeriod(
                kind=ResidenceKind(row.cleaned_data["kind"]),
                start=row.cleaned_data["start"],
                end=row.cleaned_data["end"],
            )
            for row in formset.filled_forms()
        ]
        answer = residence_answer(periods)
        return Response(ResidenceResultSerializer(_residence_body(answer)).data)
