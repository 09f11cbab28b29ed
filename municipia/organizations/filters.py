"""FilterSets shared by the HTML lists and the API lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from municipia.core.search import search_filter
from municipia.organizations.choices import Country, OrganizationKind
from municipia.organizations.models import Organization


class OrganizationFilter(django_filters.FilterSet):
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
