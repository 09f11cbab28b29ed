"""Governance URLs (feeds need no language prefix: calendar applications subscribe to one address)."""

from django.urls import path

from municipia.governance import views

app_name = "governance"

urlpatterns = [
    path("bodies/<int:pk>/calendar.ics", views.body_calendar, name="body-calendar"),
]
