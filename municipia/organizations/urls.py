"""URLs of the organisation pages."""

from django.urls import path

from municipia.core.entity_views import entity_paths
from municipia.organizations import views
from municipia.organizations.entities import ORGANIZATION

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list_view, name="organization-list"),
    path("search.json", views.organization_search, name="organization-search"),
    path("<slug:slug>/", views.organization_detail, name="organization-detail"),
    # The editors' profile form (organization-update).
    *entity_paths(ORGANIZATION, item="<slug:slug>/", views=("update",)),
]
