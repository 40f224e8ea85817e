"""/api/v1/calculators/…: the public self-check calculators (``api.public``).

The permit catalogue and the advisor, public too, are routed in ``api.urls`` (``api.catalogue``).
"""

from django.urls import path

from api import public

urlpatterns = [
    path(
        "calculators/schengen/",
        public.SchengenCalculatorView.as_view(),
        name="calculator-schengen",
    ),
    path(
        "calculators/permanent-residence/",
        public.PermanentResidenceCalculatorView.as_view(),
        name="calculator-permanent-residence",
    ),
]
