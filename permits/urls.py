from django.urls import path

from core.page_cache import public_page
from permits import views

app_name = "permits"

urlpatterns = [
    path("", public_page(views.CatalogueView.as_view()), name="catalogue"),
    path("advisor/", views.AdvisorView.as_view(), name="advisor"),
    path("calculators/schengen/", views.SchengenCalculatorView.as_view(), name="schengen"),
    path(
        "calculators/permanent-residence/",
        views.PermanentResidenceCalculatorView.as_view(),
        name="pr_calculator",
    ),
    # Last: a type code must not shadow the pages above.
    path("<slug:code>/", public_page(views.PermitTypeDetailView.as_view()), name="detail"),
    path(
        "<slug:code>/before-you-start/",
        views.BeforeYouStartView.as_view(),
        name="before_you_start",
    ),
]
