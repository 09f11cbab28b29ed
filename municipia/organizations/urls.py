"""URLs of the organisation pages."""

from django.urls import path

from municipia.core.entity_views import entity_paths
from municipia.organizations import views
from municipia.organizations.entities import ORGANIZATION, PERSON

app_name = "organizations"
urlpatterns = [
    # People's profiles (before the organisations' slugs, which "people" would otherwise be).
    path("people/search.json", views.person_search, name="person-search"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    *entity_paths(PERSON, item="people/<int:pk>/", views=("update", "delete")),
    path("", views.organization_list_view, name="organization-list"),
    path("search.json", views.organization_search, name="organization-search"),
    path("<slug:slug>/", views.organization_detail, name="organization-detail"),
    # The editors' profile form (organization-update).
    *entity_paths(ORGANIZATION, item="<slug:slug>/", views=("update",)),
]
