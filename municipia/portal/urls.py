"""URLs of the portal pages."""

from django.urls import path

from municipia.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
]
