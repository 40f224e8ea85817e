"""/api/v1/: the schema, its documentation and the resources (docs/api.md)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import catalogue, decisions, person, remedies, views, webhooks
from api.problems import not_found

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("problems/<str:code>/", views.ProblemTypeView.as_view(), name="problem-type"),
    path("permit-types/", catalogue.PermitTypeListView.as_view(), name="permit-types"),
    path(
        "permit-types/<slug:code>/",
        catalogue.PermitTypeDetailView.as_view(),
        name="permit-type",
    ),
    path("applications/<int:pk>/timeline/", decisions.TimelineView.as_view(), name="case-timeline"),
    path(
        "applications/<int:pk>/decisions/",
        decisions.DecisionListView.as_view(),
        name="decisions",
    ),
    path(
        "applications/<int:pk>/decisions/<int:decision_id>/",
        decisions.DecisionDetailView.as_view(),
        name="decision",
    ),
    path(
        "applications/<int:pk>/decisions/<int:decision_id>/pdf",
        decisions.DecisionPdfView.as_view(),
        name="decision-pdf",
    ),
    path("applications/<int:pk>/withdraw/", decisions.WithdrawView.as_view(), name="case-withdraw"),
    path(
        "applications/<int:pk>/interruptions/supply/",
        remedies.SupplyView.as_view(),
        name="case-supply",
    ),
    path("applications/<int:pk>/appeals/", remedies.AppealView.as_view(), name="case-appeal"),
    path("webhooks/", webhooks.SubscriptionListView.as_view(), name="webhooks"),
    path("webhooks/<int:pk>/", webhooks.SubscriptionDetailView.as_view(), name="webhook"),
    path(
        "webhooks/<int:pk>/deliveries/",
        webhooks.DeliveryListView.as_view(),
        name="webhook-deliveries",
    ),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_id>/redeliver/",
        webhooks.RedeliverView.as_view(),
        name="webhook-redeliver",
    ),
    path("notifications/", person.NotificationListView.as_view(), name="notifications"),
    path("export/", person.ExportView.as_view(), name="export"),
    path("advisor/", catalogue.AdvisorView.as_view(), name="advisor"),
    path("", include("api.public_urls")),
    path("", include("api.case_urls")),
    path("", include("api.proceeding_urls")),
    path("", include("api.account_urls")),
    # Last: whatever else is asked for under /api/v1/ is a 404 as problem details.
    re_path(r"^", not_found, name="not-found"),
]
