"""The site's URLs plus a page that fails, for the error-page and error-report tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    travel_document_number = request.POST.get("travel_document_number", "")
    raise RuntimeError(
        f"Could not save {request.POST.get('email')} ({len(travel_document_number)})"
    )


urlpatterns = [*site_urlpatterns, path("boom/", boom)]
