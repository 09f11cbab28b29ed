"""Calendar feed URLs, without a language prefix: calendar applications subscribe to one address."""

from django.urls import path

from municipia.governance import feeds

app_name = "calendars"

urlpatterns = [
    path("public.ics", feeds.public_calendar, name="public"),
    path("bodies/<int:pk>.ics", feeds.body_calendar, name="body"),
    path("plans/<slug:slug>.ics", feeds.plan_calendar, name="plan"),
    path("people/<str:token>.ics", feeds.person_calendar, name="person"),
]
