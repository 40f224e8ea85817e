"""The applicant's pages under /applications/ and the support centre under /support/."""

from django.urls import include, path

from applications.views import appeals, applicant, case_files, extensions, support

applicant_patterns = [
    path("", applicant.DashboardView.as_view(), name="dashboard"),
    path("new/", applicant.StartView.as_view(), name="start"),
    path("<int:pk>/", applicant.DetailView.as_view(), name="detail"),
    path("<int:pk>/status.json", applicant.StatusView.as_view(), name="status"),
    path("<int:pk>/questions/", applicant.QuestionsView.as_view(), name="questions"),
    path("<int:pk>/documents/", case_files.DocumentsView.as_view(), name="documents"),
    path(
        "<int:pk>/documents/<int:document_pk>/remove/",
        case_files.DocumentRemoveView.as_view(),
        name="document_remove",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/move/",
        case_files.DocumentPageMoveView.as_view(),
        name="document_move",
    ),
    path("<int:pk>/supply/", case_files.SupplyDocumentsView.as_view(), name="supply"),
    path("<int:pk>/more-time/", extensions.ExtensionRequestView.as_view(), name="extension"),
    path("<int:pk>/check/", applicant.CheckView.as_view(), name="check"),
    path("<int:pk>/file/", applicant.FileView.as_view(), name="file"),
    path("<int:pk>/filed/", applicant.FiledView.as_view(), name="filed"),
    path("<int:pk>/delete/", applicant.DeleteDraftView.as_view(), name="delete"),
    path("<int:pk>/decision/", applicant.DecisionView.as_view(), name="decision"),
    path("<int:pk>/appeal/", appeals.AppealView.as_view(), name="appeal"),
    path("<int:pk>/appeal/check/", appeals.AppealCheckView.as_view(), name="appeal_check"),
    path("<int:pk>/appeal/receipt/", appeals.AppealReceiptView.as_view(), name="appeal_receipt"),
    path(
        "<int:pk>/appeal/receipt.pdf",
        appeals.AppealReceiptPdfView.as_view(),
        name="appeal_receipt_pdf",
    ),
    path("<int:pk>/withdraw/", applicant.WithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/report-change/", applicant.ReportChangeView.as_view(), name="report_change"),
]

support_patterns = [
    path("", support.SupportHomeView.as_view(), name="home"),
    path("applicants/new/", support.SupportApplicantCreateView.as_view(), name="applicant_create"),
    path("applicants/<int:pk>/", support.SupportApplicantView.as_view(), name="applicant"),
    path("applications/<int:pk>/receipt/", support.ReceiptView.as_view(), name="receipt"),
]

# Included at the site root by config/urls.py: two namespaces, "applications" and "support".
urlpatterns = [
    path("applications/", include((applicant_patterns, "applications"))),
    path("support/", include((support_patterns, "support"))),
]
