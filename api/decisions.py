"""After filing: the timeline, the decisions (opening one delivers it) and withdrawal.

* ``GET …/timeline/`` — what the applicant's case page lists (``selectors.case_timeline``).
* ``GET …/decisions/`` — the decisions' metadata; listing them delivers nothing.
* ``GET …/decisions/{id}/`` and ``…/decisions/{id}/pdf`` — fetching a decision that was made
  available and not yet delivered **is its delivery**, exactly as opening it in the portal
  (SPEC D3; ``services.decision_open``, which records it for the person who owns the case only,
  and only where the portal is the way of delivery); the period for the remedy runs from that
  day (D4). The scope ``decisions:read`` says so to the person who consents.
* ``POST …/withdraw/`` — ``services.application_withdraw`` with the If-Match version.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api import scopes
from api.access import case_for, log_read
from api.cases import IF_MATCH, TAGS, CaseAPIView, _problems, document_file
from api.etags import expected_version, with_etag
from applications import selectors, services
from applications.constants import Outcome, Remedy
from applications.models import Application, Decision
from core import clock


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    label = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    remedy = serializers.ChoiceField(
        choices=Remedy.choices, help_text="What may be lodged against it."
    )
    decided_on = serializers.DateField()
    available = serializers.BooleanField(help_text="Made available to be read.")
    delivered_on = serializers.DateField(allow_null=True)
    remedy_due = serializers.DateField(
        allow_null=True,
        help_text=(
            "The last day to lodge the remedy: fixed on delivery; before it, what it would be "
            "if the decision were opened today."
        ),
    )
    remedy_lodged = serializers.BooleanField()
    permit_valid_from = serializers.DateField(allow_null=True)
    permit_valid_to = serializers.DateField(allow_null=True)
    pdf = serializers.CharField(allow_null=True, help_text="Where the PDF is (opening delivers).")


def _decision(application: Application, decision_id: int) -> Decision:
    return get_object_or_404(
        Decision.objects.select_related("appeal", "document"),
        pk=decision_id,
        application=application,
    )


def _represent(decision: Decision) -> dict[str, Any]:
    granted = decision.outcome == Outcome.GRANTED
    return {
        "id": decision.pk,
        "outcome": decision.outcome,
        "remedy": decision.remedy,
        "decided_on": decision.decided_on,
        "available": decision.made_available_on is not None,
        "delivered_on": decision.delivered_on,
        "remedy_due": selectors.effective_appeal_due(decision, today=clock.today()),
        "remedy_lodged": selectors.remedy_lodged(decision) is not None,
        "permit_valid_from": decision.valid_from if granted else None,
        "permit_valid_to": decision.valid_to if granted else None,
        "pdf": (
            reverse(
                "api:decision-pdf",
                kwargs={"pk": decision.application_id, "decision_id": decision.pk},
            )
            if decision.document_id and decision.made_available_on
            else None
        ),
    }


def _open(request: Request, decision: Decision) -> Decision:
    """Opening the decision: its delivery, when it is due (the service decides)."""
    if decision.made_available_on is None:
        raise Http404("The decision is still being prepared.")
    if decision.delivered_on is None:
        return services.decision_open(decision=decision, actor=request.user)
    return decision


class TimelineView(CaseAPIView):
    """What happened in the proceedings, as the applicant's case page lists it."""

    @extend_schema(
        operation_id="applications_timeline",
        responses={200: TimelineEntrySerializer(many=True), **_problems(403, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        application = case_for(request, pk)
        log_read(request, target=application, what="timeline")
        entries = [
            {"at": entry.when, "label": str(entry.label), "note": entry.note}
            for entry in selectors.case_timeline(application)
        ]
        return with_etag(Response(entries), application)


class DecisionListView(CaseAPIView):
    """The case's decisions, newest first. Listing them delivers none."""

    required_scopes = {"GET": [scopes.DECISIONS_READ]}

    @extend_schema(
        operation_id="applications_decisions_list",
        responses={200: DecisionSerializer(many=True), **_problems(403, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        application = case_for(request, pk)
        decisions = application.decisions.select_related("appeal", "document").order_by(
            "-decided_at", "-pk"
        )
        log_read(request, target=application, what="decisions")
        return Response([_represent(d) for d in decisions])


class DecisionDetailView(CaseAPIView):
    """One decision. Fetching one not yet delivered delivers it (D3)."""

    required_scopes = {"GET": [scopes.DECISIONS_READ]}
    # No HEAD: a prefetcher must not deliver a decision.
    http_method_names = ["get"]

    @extend_schema(
        operation_id="applications_decision_open",
        responses={200: DecisionSerializer, **_problems(403, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int, decision_id: int) -> Response:
        decision = _open(request, _decision(case_for(request, pk), decision_id))
        log_read(request, target=decision, what="decision")
        return Response(_represent(decision))


class DecisionPdfView(CaseAPIView):
    """The decision as issued (PDF). Fetching it delivers it, as the detail does."""

    required_scopes = {"GET": [scopes.DECISIONS_READ]}
    http_method_names = ["get"]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **_problems(403, 404),
        },
        tags=TAGS,
    )
    def get(self, request: Request, pk: int, decision_id: int) -> FileResponse:
        decision = _decision(case_for(request, pk), decision_id)
        if decision.document is None:
            raise Http404("The decision's PDF is not ready yet.")
        decision = _open(request, decision)
        document = decision.document
        if document is None:  # pragma: no cover - checked above; a decision keeps its PDF
            raise Http404("The decision's PDF is not ready yet.")
        return document_file(request, document, what="decision-pdf")


class WithdrawView(CaseAPIView):
    """Withdraw the application: the proceedings stop (``application_withdraw``)."""

    @extend_schema(
        request=None,
        parameters=[IF_MATCH],
        responses={200: OpenApiResponse(description="Withdrawn."), **_problems(403, 404, 409)},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        application = case_for(request, pk)
        version = expected_version(request)
        withdrawn = services.application_withdraw(
            application=application, actor=request.user, expected_version=version
        )
        return with_etag(
            Response(
                {"id": withdrawn.pk, "status": withdrawn.status, "version": withdrawn.version}
            ),
            withdrawn,
        )
