"""URLs of the organizations pages."""

from django.urls import path

app_name = "organizations"
urlpatterns: list = []
