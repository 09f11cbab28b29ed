"""FilterSets shared by the HTML lists and the API lists of indicators and observations."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipia.core.filters import FilterSet
from municipia.core.search import search_filter
from municipia.indicators.choices import Direction, Frequency, IndicatorStatus
from municipia.indicators.models import Baseline, Indicator, Observation, Target
from municipia.indicators.selectors import indicator_ids_with_status
from municipia.organizations.selectors import organization_list
from municipia.strategy.selectors import action_choices, objective_choices, plan_choices


class IndicatorFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    plan = django_filters.ModelChoiceFilter(
        field_name="actions__plan",
        queryset=plan_choices(),
        to_field_name="slug",
        method="filter_plan",
        label=_("Plan"),
        help_text=_("Slug of a plan: indicators of its objectives or actions."),
    )
    objective = django_filters.ModelChoiceFilter(
        field_name="objectives", queryset=objective_choices(), label=_("Objective")
    )
    action = django_filters.ModelChoiceFilter(field_name="actions", queryset=action_choices(), label=_("Action"))
    framework_code = django_filters.CharFilter(
        method="filter_framework_code",
        label=_("Framework code"),
        help_text=_("A code or its start: 11.6 finds 11.6 and 11.6.2."),
    )
    owner = django_filters.ModelChoiceFilter(
        field_name="owner_organization",
        queryset=organization_list(),
        to_field_name="slug",
        label=_("Owner organisation"),
    )
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("Direction"))
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices, label=_("Frequency"))
    status = django_filters.ChoiceFilter(
        choices=IndicatorStatus.choices,
        method="filter_status",
        label=_("Status"),
        empty_label=_("All statuses"),
        help_text=_("Indicators with at least one organisation in this status."),
    )

    class Meta:
        model = Indicator
        fields = ["search", "plan", "objective", "action", "framework_code", "owner", "direction", "frequency"]

    def filter_search(self, queryset, name, value):
        return search_filter(queryset, value)

    def filter_plan(self, queryset, name, value):
        if value is None:
            return queryset
        linked = Q(objectives__axis__plan=value) | Q(actions__plan=value)
        return queryset.filter(pk__in=Indicator.objects.filter(linked).values("pk"))

    def filter_framework_code(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(framework_code__iexact=value) | Q(framework_code__istartswith=f"{value}."))

    def filter_status(self, queryset, name, value):
        if not value:
            return queryset
        # The status is computed from observations and targets, not stored: compute it for the
        # indicators the other filters kept, in a fixed number of queries.
        return queryset.filter(pk__in=indicator_ids_with_status(queryset, value))


class TargetFilter(FilterSet):
    organization = django_filters.ModelChoiceFilter(
        queryset=organization_list(), to_field_name="slug", label=_("Organisation")
    )

    class Meta:
        model = Target
        fields = ["indicator", "organization", "year"]


class BaselineFilter(FilterSet):
    organization = django_filters.ModelChoiceFilter(
        queryset=organization_list(), to_field_name="slug", label=_("Organisation")
    )

    class Meta:
        model = Baseline
        fields = ["indicator", "organization"]


class ObservationFilter(FilterSet):
    organization = django_filters.ModelChoiceFilter(
        queryset=organization_list(), to_field_name="slug", label=_("Organisation")
    )
    date = django_filters.DateFromToRangeFilter(label=_("Date"))

    class Meta:
        model = Observation
        fields = ["indicator", "organization", "date"]
