"""The profile's pages for API access: personal access tokens and the applications a person
allowed to act for them."""

urlpatterns: list = []
