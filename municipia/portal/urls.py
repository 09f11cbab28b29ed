"""URLs of the portal pages."""

from django.urls import path

from municipia.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("open-data/", views.open_data, name="open-data"),
    path("my-work/", views.my_work, name="my-work"),
    path("search/", views.search, name="search"),
]
