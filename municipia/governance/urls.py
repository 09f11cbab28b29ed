"""Governance pages, under the language prefix."""

from django.urls import path  # noqa: F401

from municipia.governance import views  # noqa: F401

app_name = "governance"

urlpatterns: list = []
