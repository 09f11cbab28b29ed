"""FilterSets of the partnerships lists (the API's query parameters)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from municipia.core.filters import FilterSet, search_translated
from municipia.core.search import search_filter
from municipia.organizations.selectors import organization_list
from municipia.partnerships.choices import AgreementKind, ClarificationStatus, CommitmentStatus, NewsStatus, Verdict
from municipia.partnerships.models import Agreement, Clarification, Commitment, NewsPost
from municipia.strategy.selectors import plan_choices


def _organization(field_name: str, label) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name, queryset=organization_list(), to_field_name="slug", label=label
    )


class AgreementFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    party = _organization("parties", _("Party"))
    kind = django_filters.ChoiceFilter(choices=AgreementKind.choices, label=_("Kind"))

    class Meta:
        model = Agreement
        fields = ["search", "party", "kind", "is_public"]

    def filter_search(self, queryset, name, value):
        return search_translated(queryset, value, "title", "scope")


class CommitmentFilter(FilterSet):
    agreement = django_filters.ModelChoiceFilter(
        queryset=Agreement.objects.all(), to_field_name="slug", label=_("Agreement")
    )
    party = _organization("party", _("Party"))
    status = django_filters.ChoiceFilter(choices=CommitmentStatus.choices, label=_("Status"))

    class Meta:
        model = Commitment
        fields = ["agreement", "party", "status"]


class ClarificationFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    publisher = _organization("publisher", _("Publisher"))
    verdict = django_filters.ChoiceFilter(choices=Verdict.choices, label=_("Verdict"))
    status = django_filters.ChoiceFilter(choices=ClarificationStatus.choices, label=_("Status"))

    class Meta:
        model = Clarification
        fields = ["search", "publisher", "verdict", "status"]

    def filter_search(self, queryset, name, value):
        return search_translated(queryset, value, "title", "claim", "facts")


class NewsPostFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    organization = _organization("organization", _("Organisation"))
    plan = django_filters.ModelChoiceFilter(
        field_name="plans", queryset=plan_choices(), to_field_name="slug", label=_("Plan")
    )
    status = django_filters.ChoiceFilter(choices=NewsStatus.choices, label=_("Status"))

    class Meta:
        model = NewsPost
        fields = ["search", "organization", "plan", "status"]

    def filter_search(self, queryset, name, value):
        return search_filter(queryset, value)
