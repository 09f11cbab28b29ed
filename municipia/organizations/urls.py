"""URLs of the organisation pages."""

from django.urls import path

from municipia.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list_view, name="organization-list"),
    path("<slug:slug>/", views.organization_detail, name="organization-detail"),
    path("<slug:slug>/edit/", views.OrganizationUpdateView.as_view(), name="organization-update"),
]
