"""FilterSets shared by the HTML lists and the API lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipia.core.filters import FilterSet, search_translated
from municipia.core.i18n import translated_names
from municipia.core.search import search_filter
from municipia.organizations.choices import Country, OrganizationKind
from municipia.organizations.models import Department, Organization, Person, Role


class OrganizationFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices, label=_("Kind"))
    country = django_filters.ChoiceFilter(choices=Country.choices, label=_("Country"))
    region_code = django_filters.CharFilter(label=_("Region code"))
    network = django_filters.ModelChoiceFilter(
        field_name="networks",
        queryset=Organization.objects.filter(kind=OrganizationKind.NETWORK),
        to_field_name="slug",
        label=_("Member of network"),
    )
    min_population = django_filters.NumberFilter(
        field_name="population", lookup_expr="gte", label=_("Minimum population")
    )
    max_population = django_filters.NumberFilter(
        field_name="population", lookup_expr="lte", label=_("Maximum population")
    )

    class Meta:
        model = Organization
        fields = ["search", "kind", "country", "region_code", "network", "official_code"]

    def filter_search(self, queryset, name, value):
        return search_filter(queryset, value)


class PersonFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    organization = django_filters.CharFilter(field_name="organization__slug", label=_("Organisation"))

    class Meta:
        model = Person
        fields = ["search", "organization"]

    def filter_search(self, queryset, name, value):
        # The name and position; the e-mail only as an exact match (it is not shown to everyone).
        value = (value or "").strip()[:200]
        if not value:
            return queryset
        condition = Q(full_name__icontains=value) | Q(email__iexact=value)
        for column in translated_names("position"):
            condition |= Q(**{f"{column}__icontains": value})
        return queryset.filter(condition)


class DepartmentFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    organization = django_filters.CharFilter(field_name="organization__slug", label=_("Organisation"))

    class Meta:
        model = Department
        fields = ["search", "organization"]

    def filter_search(self, queryset, name, value):
        return search_translated(queryset, value, "name", exact=("slug",))


class RoleFilter(FilterSet):
    organization = django_filters.CharFilter(field_name="organization__slug", label=_("Organisation"))
    user = django_filters.CharFilter(field_name="user__username", label=_("User"))

    class Meta:
        model = Role
        fields = ["organization", "user", "kind"]
