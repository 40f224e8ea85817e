"""The caseworker workspace, mounted at /caseworker/."""

from django.urls import path

from applications.views import caseworker as views
from applications.views import extensions
from applications.views.cards import CardStepView
from applications.views.search import CaseSearchView

app_name = "caseworker"

urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("queue/assign/", views.BulkAssignView.as_view(), name="bulk_assign"),
    path("queue/<slug:tab>/", views.QueueView.as_view(), name="queue_tab"),
    path("queue/<slug:tab>/export.csv", views.QueueExportView.as_view(), name="queue_export"),
    path("cases/<int:pk>/", views.CaseView.as_view(), name="case"),
    path("cases/<int:pk>/claim/", views.ClaimView.as_view(), name="claim"),
    path("cases/<int:pk>/release/", views.ReleaseView.as_view(), name="release"),
    path("cases/<int:pk>/assign/", views.AssignView.as_view(), name="assign"),
    path("cases/<int:pk>/interrupt/", views.InterruptView.as_view(), name="interrupt"),
    path("cases/<int:pk>/resume/", views.ResumeView.as_view(), name="resume"),
    path("cases/<int:pk>/decide/", views.DecideView.as_view(), name="decide"),
    path("cases/<int:pk>/stop/", views.StopView.as_view(), name="stop"),
    path("cases/<int:pk>/more-time/", extensions.ExtensionAnswerView.as_view(), name="extension"),
    path("cases/<int:pk>/appeal-result/", views.AppealResultView.as_view(), name="appeal_result"),
    path("cases/<int:pk>/delivery/", views.RecordReceiptView.as_view(), name="record_receipt"),
    path("cases/<int:pk>/notes/", views.NoteAddView.as_view(), name="note_add"),
    path(
        "cases/<int:pk>/powers/<int:power>/verify/",
        views.PowerCheckView.as_view(verdict="verify"),
        name="power_verify",
    ),
    path(
        "cases/<int:pk>/powers/<int:power>/refuse/",
        views.PowerCheckView.as_view(verdict="refuse"),
        name="power_refuse",
    ),
    path("cases/<int:pk>/permit/<slug:step>/", CardStepView.as_view(), name="permit_step"),
    path(
        "changes/<int:pk>/acknowledge/",
        views.ChangeAcknowledgeView.as_view(),
        name="change_acknowledge",
    ),
    path("documents/<int:pk>/view/", views.DocumentInlineView.as_view(), name="document_view"),
    path("documents/<int:pk>/verify/", views.DocumentVerifyView.as_view(), name="document_verify"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("search/", CaseSearchView.as_view(), name="search"),
]
