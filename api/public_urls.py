"""Filled in by its module's views."""

urlpatterns: list = []
