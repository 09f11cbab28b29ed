"""Calendar feed URLs, without a language prefix: calendar applications subscribe to one address."""

from django.urls import path

from municipia.governance import feeds

app_name = "calendars"

urlpatterns = [
    path("bodies/<int:pk>.ics", feeds.body_calendar, name="body"),
]
