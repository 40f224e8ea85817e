"""Representation (namespace ``representation``): a person's powers of attorney under
/accounts/representatives/, and organisations under /organisations/."""

from django.urls import include, path

from applications.views import representation

app_name = "representation"

person_patterns = [
    path("", representation.PowersView.as_view(), name="powers"),
    path("upload/", representation.UploadPowerView.as_view(), name="power_upload"),
    path("<int:pk>/end/", representation.EndPowerView.as_view(), name="power_end"),
]

organisation_patterns = [
    path("", representation.OrganisationsView.as_view(), name="organisations"),
    path("<int:pk>/", representation.OrganisationView.as_view(), name="organisation"),
    path("<int:pk>/members/", representation.MemberAddView.as_view(), name="member_add"),
    path(
        "<int:pk>/members/<int:member>/leave/",
        representation.MemberLeaveView.as_view(),
        name="member_leave",
    ),
    path(
        "<int:pk>/cases.csv",
        representation.OrganisationCasesCsvView.as_view(),
        name="organisation_csv",
    ),
]

urlpatterns = [
    path("accounts/representatives/", include(person_patterns)),
    path("organisations/", include(organisation_patterns)),
]
