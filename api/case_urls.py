"""A person's applications: the list, a case, a draft's questions, answers, documents, the
declarations and filing (``api.cases``)."""

from django.urls import path

from api import cases

urlpatterns = [
    path("applications/", cases.CaseListView.as_view(), name="case-list"),
    path("applications/<int:pk>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path(
        "applications/<int:pk>/questions/",
        cases.CaseQuestionsView.as_view(),
        name="case-questions",
    ),
    path("applications/<int:pk>/answers/", cases.CaseAnswersView.as_view(), name="case-answers"),
    path(
        "applications/<int:pk>/documents/",
        cases.CaseDocumentsView.as_view(),
        name="case-documents",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_id>/",
        cases.CaseDocumentView.as_view(),
        name="case-document",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_id>/file",
        cases.CaseDocumentFileView.as_view(),
        name="case-document-file",
    ),
    path(
        "applications/<int:pk>/declarations/",
        cases.CaseDeclarationsView.as_view(),
        name="case-declarations",
    ),
    path("applications/<int:pk>/file/", cases.CaseFileView.as_view(), name="case-file"),
]
