"""A person's applications through the API: the list, a case, a draft's questions and answers,
its documents, the declarations and filing (issue 19). The proceedings after filing (status,
timeline, decisions, appeals, withdrawal) are ``api.proceedings``.

Each view does what the applicant's page of the same use case does (``applications.views``):
the case comes from ``access.case_for`` (another person's case is a 404), the reads from the
selectors the pages use, every change from the services. A change to a case sends the version
the client last saw in ``If-Match`` (``api.etags``); the answer carries the new one in ``ETag``.
Every read of personal data is written to the access log (``access.log_read``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from api import scopes
from api.access import case_for, log_read
from api.authentication import token_scopes
from api.case_serializers import (
    AnswersSerializer,
    CaseCreateSerializer,
    CaseRead,
    CaseSerializer,
    CaseSummary,
    CaseSummarySerializer,
    DeclarationsSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    QuestionSerializer,
    question_data,
)
from api.etags import expected_version, with_etag
from api.idempotency import HEADER as IDEMPOTENCY_HEADER
from api.idempotency import idempotent
from api.pagination import NewestFirst
from applications import checks, selectors, services
from applications.case_documents import document_remove, document_upload_pages
from applications.constants import Channel, Status
from applications.models import Application
from applications.query import represented
from core import clock
from core.errors import ApplicationError, TransitionRefused
from documents.constants import ALLOWED_CONTENT_TYPES, Role
from documents.models import Document
from permits.questions import asked_keys, validate_answers

TAGS = ["applications"]
READ = [scopes.CASES_READ]
WRITE = [scopes.CASES_WRITE]

# --- How the schema tells of headers and errors ---------------------------------------------

_PROBLEM = {"$ref": "#/components/schemas/Problem"}
_PROBLEM_WORDS = {
    400: "The request has errors; `errors` points at each (`#/answers/<key>`, `#/file`...).",
    403: "The token lacks the scope, or the person may not do this on the case.",
    404: "No such application or document for this caller.",
    409: "Not possible in the application's present state.",
    412: "If-Match is not the application's present version: nothing was changed.",
    422: "Refused: `detail` says why (for filing, `errors` lists what is missing).",
    428: "If-Match is missing.",
}


def _problems(*codes: int) -> dict[Any, OpenApiResponse]:
    return {
        (code, "application/problem+json"): OpenApiResponse(
            response=_PROBLEM, description=_PROBLEM_WORDS[code]
        )
        for code in codes
    }


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The application\'s version as its ETag gave it, e.g. "3".',
)
IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "Any 1 to 255 printable characters; the same key again answers what the first request "
        "answered and creates nothing."
    ),
)


def _etag_header(*codes: int) -> OpenApiParameter:
    return OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=list(codes),
        description="The application's version; send it back in If-Match with a change.",
    )


def _location_header(code: int) -> OpenApiParameter:
    return OpenApiParameter(
        "Location",
        OpenApiTypes.URI,
        OpenApiParameter.HEADER,
        response=[code],
        description="The address of what was created.",
    )


# --- Reading a case ------------------------------------------------------------------------


def case_read(request: Request, application: Application) -> CaseRead:
    """The case with what its pages show of it (``application`` from ``case_for``)."""
    user = request.user
    today = clock.today()
    flags = selectors.case_flags(application, user=user, today=today)
    # What the filing service would refuse now (the declarations included); a draft only.
    problems = checks.filing_problems(application) if flags.can_edit else []
    return CaseRead(
        application=application,
        next_step=selectors.next_step(application, today=today),
        flags=flags,
        can_file=flags.can_edit and not problems,
        filing_problems=[str(problem) for problem in problems],
        documents=selectors.case_documents(application),
        checklist=selectors.document_checklist(application) if flags.can_upload else [],
        interruption=application.open_interruption,
    )


def case_response(request: Request, pk: int, *, code: int = status.HTTP_200_OK) -> Response:
    """The case as it is now, read again after a change, with its ETag."""
    application = case_for(request, pk)
    return with_etag(
        Response(CaseSerializer(case_read(request, application)).data, code), application
    )


@contextlib.contextmanager
def at_version(application: Application, version: int) -> Iterator[None]:
    """Run a draft's services under the case's row lock, taken at the version the caller sent.

    The draft services (answers, declarations, deleting) take no version: the pages' forms for
    them carry none. Locking the row here first, with that version, refuses a stale change
    (``ConcurrentChange``, 412) and keeps anyone else from changing the case until the services
    have run, in the same transaction.
    """
    with transaction.atomic():
        services.lock_case(application, expected_version=version)
        yield


class CaseAPIView(APIView):
    required_scopes: dict[str, list[str]] = {
        "GET": READ,
        "POST": WRITE,
        "PATCH": WRITE,
        "PUT": WRITE,
        "DELETE": WRITE,
    }

    @property
    def user(self) -> User:
        return self.request.user


# --- The list and a new draft --------------------------------------------------------------


class CaseListView(GenericAPIView):
    """The caller's applications (their own and their children's), the newest first; and a
    new draft."""

    required_scopes = CaseAPIView.required_scopes
    pagination_class = NewestFirst
    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[Application]:
        # The dashboard's cases (``selectors.dashboard_rows``: the person's own and their
        # children's), with what each one's next step reads.
        user = self.request.user
        queryset = (
            selectors.applications_for_applicant_pages(user=user)
            .filter(Q(applicant__account=user) | represented(user))
            .select_related("applicant", "permit_type")
            .prefetch_related("interruptions", "decisions__appeal")
        )
        params = self.request.query_params
        # The case indexes: status (application_queue_idx), type (application_type_idx).
        if wanted := params.get("status"):
            if wanted not in Status.values:
                raise exceptions.ValidationError({"status": [_("There is no such status.")]})
            queryset = queryset.filter(status=wanted)
        if code := params.get("permit_type"):
            queryset = queryset.filter(permit_type__code=code)
        return queryset

    @extend_schema(
        operation_id="applications_list",
        summary="The caller's applications",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values),
            OpenApiParameter("permit_type", OpenApiTypes.STR, description="A permit type's code."),
        ],
        # Keyed like the problems, so that drf-spectacular sees the list (and its cursor).
        responses={
            (200, "application/json"): CaseSummarySerializer(many=True),
            **_problems(400, 403),
        },
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        today = clock.today()
        rows = [CaseSummary(case, selectors.next_step(case, today=today)) for case in page or []]
        log_read(request, object_type="applications", what="applications", count=len(rows))
        return self.get_paginated_response(CaseSummarySerializer(rows, many=True).data)

    @extend_schema(
        operation_id="applications_create",
        summary="Start a draft application",
        request=CaseCreateSerializer,
        examples=[
            OpenApiExample(
                "An Employee Card for the caller",
                value={"permit_type": "employee_card"},
                request_only=True,
            )
        ],
        parameters=[IDEMPOTENCY_KEY, _etag_header(201), _location_header(201)],
        responses={
            201: CaseSerializer,
            **_problems(400, 403, 409, 422),
        },
        tags=TAGS,
    )
    @idempotent
    def post(self, request: Request) -> Response:
        user: User = request.user
        body = CaseCreateSerializer(
            data=request.data, applicants=selectors.applicants_for_account(user=user)
        )
        body.is_valid(raise_exception=True)
        # As the person's start page does (``StartView``): online, delivered as the service
        # decides for the person; the delivery is chosen again with the declarations.
        application = services.application_create(
            applicant=body.validated_data["applicant"],
            permit_type=body.validated_data["permit_type"],
            actor=user,
            channel=Channel.ONLINE,
        )
        response = case_response(request, application.pk, code=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(
            reverse("api:case-detail", args=[application.pk])
        )
        return response


# --- One case ------------------------------------------------------------------------------


class CaseDetailView(CaseAPIView):
    """One application: its answers, documents, deadline and what it allows now."""

    @extend_schema(
        operation_id="applications_retrieve",
        summary="An application",
        parameters=[_etag_header(200)],
        responses={200: CaseSerializer, **_problems(403, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        application = case_for(request, pk)
        data = CaseSerializer(case_read(request, application)).data
        log_read(request, target=application, what="application")
        return with_etag(Response(data), application)

    @extend_schema(
        operation_id="applications_destroy",
        summary="Delete a draft",
        parameters=[IF_MATCH],
        responses={204: None, **_problems(403, 404, 409, 412, 428)},
        tags=TAGS,
    )
    def delete(self, request: Request, pk: int) -> Response:
        application = case_for(request, pk)
        version = expected_version(request)
        with at_version(application, version):
            services.application_delete_draft(application=application, actor=self.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CaseQuestionsView(CaseAPIView):
    """The questions the permit type asks of this application, to build a form from."""

    @extend_schema(
        operation_id="applications_questions_list",
        summary="The application's questions",
        responses={200: QuestionSerializer(many=True), **_problems(403, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        application = case_for(request, pk)
        questions = selectors.questions_for_application(application, today=clock.today())
        asked = asked_keys(application.permit_type.code, application.answers or {})
        data = [question_data(q, asked=q.key in asked) for q in questions]
        log_read(request, target=application, what="questions")
        return Response(QuestionSerializer(data, many=True).data)


def _unanswered(value: Any) -> bool:
    """An empty answer: a draft may keep a question unanswered until it is filed (as the
    service reads answers, ``services.application_save_answers``)."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | tuple | dict) and not value)


class CaseAnswersView(CaseAPIView):
    """The answers to a draft's questions (the questions page, "save and come back later")."""

    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="applications_answers_partial_update",
        summary="Save answers to a draft's questions",
        request=AnswersSerializer,
        parameters=[IF_MATCH, _etag_header(200)],
        responses={200: CaseSerializer, **_problems(400, 403, 404, 409, 412, 422, 428)},
        tags=TAGS,
    )
    def patch(self, request: Request, pk: int) -> Response:
        application = case_for(request, pk)
        version = expected_version(request)
        body = AnswersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        sent: dict[str, Any] = body.validated_data["answers"]
        # The questions the page shows this application, and nothing else (``QuestionsView``).
        questions = selectors.questions_for_application(application, today=clock.today())
        keys = {question.key for question in questions}
        unknown = sorted(set(sent) - keys)
        if unknown:
            raise exceptions.ValidationError(
                {"answers": {key: [_("This application has no such question.")] for key in unknown}}
            )
        stored = {key: value for key, value in (application.answers or {}).items() if key in keys}
        answers = {key: value for key, value in {**stored, **sent}.items() if value is not None}
        # The code the service and the rules read answers with (``permits.questions``); each
        # problem points at its answer. An answer left empty may wait until filing.
        _cleaned, errors = validate_answers(application.permit_type.code, answers)
        invalid = {
            key: messages for key, messages in errors.items() if not _unanswered(answers.get(key))
        }
        if invalid:
            raise exceptions.ValidationError({"answers": invalid})
        with at_version(application, version):
            services.application_save_answers(
                application=application, actor=self.user, answers=answers
            )
        return case_response(request, pk)


# --- Declarations and filing -----------------------------------------------------------------


class CaseDeclarationsView(CaseAPIView):
    """The declarations of the filing page, and how the decision is to be delivered."""

    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="applications_declarations_create",
        summary="Confirm the declarations of a draft",
        request=DeclarationsSerializer,
        parameters=[IF_MATCH, _etag_header(200)],
        responses={200: CaseSerializer, **_problems(400, 403, 404, 409, 412, 422, 428)},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        application = case_for(request, pk)
        version = expected_version(request)
        body = DeclarationsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with at_version(application, version):
            # As the filing page does (``FileView``): the delivery is part of what is filed (D3).
            services.application_choose_delivery(
                application=application,
                actor=self.user,
                delivery=body.validated_data.get("delivery") or application.delivery,
            )
            services.application_confirm_declarations(application=application, actor=self.user)
        return case_response(request, pk)


class CaseFileView(CaseAPIView):
    """File the draft: the proceedings begin, with a reference number and the decision's
    statutory deadline."""

    @extend_schema(
        operation_id="applications_file",
        summary="File a draft",
        request=None,
        parameters=[IF_MATCH, _etag_header(200)],
        responses={200: CaseSerializer, **_problems(403, 404, 409, 412, 422, 428)},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        application = case_for(request, pk)
        version = expected_version(request)
        if application.status != Status.DRAFT:
            raise TransitionRefused(_("This application has been filed already."))
        services.application_file(
            application=application, actor=self.user, expected_version=version
        )
        return case_response(request, pk)


# --- Documents ------------------------------------------------------------------------------


class CaseDocumentsView(CaseAPIView):
    """Upload one file for a document kind of the checklist: a draft's documents, or those an
    interruption asked for (the documents page, ``DocumentsView``).

    The file comes in the multipart body (``request.FILES``, through ``request.data``) and is
    checked as the page checks it (``documents.inspection``: its real type, size, scripts and
    embedded files, viruses): a refused file is a 400 pointing at ``#/file``, and nothing is
    stored.
    """

    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="applications_documents_create",
        summary="Upload a document",
        request={"multipart/form-data": DocumentUploadSerializer},
        parameters=[IF_MATCH, IDEMPOTENCY_KEY, _location_header(201)],
        responses={201: DocumentSerializer, **_problems(400, 403, 404, 409, 412, 422, 428)},
        tags=TAGS,
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        application = case_for(request, pk)
        # Adding a document leaves the version as it is; a client that saw an older one has
        # not seen the case's present state, and is told so.
        expected_version(request, application)
        flags = selectors.case_flags(application, user=self.user, today=clock.today())
        if not flags.can_upload:
            raise TransitionRefused(_("Documents can no longer be uploaded on this application."))
        body = DocumentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        checklist = selectors.document_checklist(application)
        item = next((i for i in checklist if i.kind.code == body.validated_data["kind"]), None)
        if item is None:
            raise exceptions.ValidationError(
                {"kind": [_("Choose a document kind from the application's checklist.")]}
            )
        result = document_upload_pages(
            application=application,
            kind=item.kind,
            uploads=[body.validated_data["file"]],
            actor=self.user,
        )
        if result.refused:
            raise exceptions.ValidationError({"file": [result.refused[0].reason]})
        document = result.stored[0]
        response = Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(
            reverse("api:case-document", args=[application.pk, document.pk])
        )
        return response


def _document(application: Application, document_id: int) -> Document:
    """A document of the caller's case, or 404."""
    return get_object_or_404(application.documents.select_related("kind"), pk=document_id)


class CaseDocumentView(CaseAPIView):
    """One document of the case's file; a draft's document may be removed."""

    @extend_schema(
        operation_id="applications_documents_retrieve",
        summary="A document of an application",
        responses={200: DocumentSerializer, **_problems(403, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int, document_id: int) -> Response:
        document = _document(case_for(request, pk), document_id)
        log_read(request, target=document, what="document")
        return Response(DocumentSerializer(document).data)

    @extend_schema(
        operation_id="applications_documents_destroy",
        summary="Remove a draft's document (a page of it)",
        parameters=[IF_MATCH],
        responses={204: None, **_problems(403, 404, 409, 412, 422, 428)},
        tags=TAGS,
    )
    def delete(self, request: Request, pk: int, document_id: int) -> Response:
        application = case_for(request, pk)
        version = expected_version(request)
        document = _document(application, document_id)
        with at_version(application, version):
            document_remove(document=document, actor=self.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CaseDocumentFileView(CaseAPIView):
    """The file of a document, as the page's download streams it (``DocumentDownloadView``)."""

    # No HEAD: a link checker or prefetcher must not deliver a decision (D3).
    http_method_names = ["get", "options"]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The file is what it is, whatever Accept says; errors are problem details.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="applications_documents_file",
        summary="Download a document's file",
        responses={
            **{
                (200, content_type): OpenApiResponse(OpenApiTypes.BINARY)
                for content_type in ALLOWED_CONTENT_TYPES
            },
            **_problems(403, 404),
        },
        tags=TAGS,
    )
    def get(self, request: Request, pk: int, document_id: int) -> FileResponse:
        document = _document(case_for(request, pk), document_id)
        if document.role == Role.DECISION:
            # A decision is read with the scope that says opening it may deliver it.
            if scopes.DECISIONS_READ not in token_scopes(request.auth):
                raise exceptions.PermissionDenied(
                    _("The access token does not allow this: it needs the scope %(scopes)s.")
                    % {"scopes": scopes.DECISIONS_READ}
                )
            decision = getattr(document, "decision", None)
            if decision is not None and decision.delivered_on is None:
                # Opening the decision's PDF is opening the decision: delivery (D3), recorded
                # by the service for the applicant who owns the case only.
                with contextlib.suppress(ApplicationError):
                    services.decision_open(decision=decision, actor=self.user)
        return document_file(request, document, what="document-file")


def document_file(request: Request, document: Document, *, what: str) -> FileResponse:
    """A document's file as a download, its reading in the access log; 404 when the file is
    no longer stored (a file removed from a draft keeps its row in the record, not its
    content)."""
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404("The file is no longer stored.") from missing
    log_read(request, target=document, what=what)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
