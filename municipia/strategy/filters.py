"""FilterSets shared by the HTML lists and the API lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from municipia.alignment.filters import AlignedToFilter
from municipia.core.filters import search_translated
from municipia.organizations.models import Department, Organization
from municipia.strategy.choices import ActionStatus, PlanStatus
from municipia.strategy.models import Action, Axis, Challenge, Milestone, Objective, Plan


class PlanFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    owner = django_filters.ModelChoiceFilter(
        field_name="owner", queryset=Organization.objects.all(), to_field_name="slug", label=_("Owner")
    )
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("Status"), empty_label=_("All statuses"))

    class Meta:
        model = Plan
        fields = ["owner", "status", "is_published"]

    def filter_search(self, queryset, name, value):
        return search_translated(queryset, value, "title", "summary")


class ActionFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    plan = django_filters.ModelChoiceFilter(
        field_name="plan", queryset=Plan.objects.all(), to_field_name="slug", label=_("Plan")
    )
    axis = django_filters.ModelChoiceFilter(field_name="objective__axis", queryset=Axis.objects.all(), label=_("Axis"))
    objective = django_filters.ModelChoiceFilter(queryset=Objective.objects.all(), label=_("Objective"))
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, label=_("Status"), empty_label=_("All statuses"))
    owner = django_filters.ModelChoiceFilter(
        field_name="owner_department", queryset=Department.objects.all(), label=_("Owner department")
    )
    council = django_filters.ModelChoiceFilter(
        field_name="participants",
        queryset=Organization.objects.all(),
        to_field_name="slug",
        label=_("Participating council"),
    )
    aligned_to = AlignedToFilter()

    class Meta:
        model = Action
        fields = ["search", "plan", "axis", "objective", "status", "owner", "council", "aligned_to"]

    def filter_search(self, queryset, name, value):
        return search_translated(queryset, value, "title", "description", exact=("code",))


class AxisFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    plan = django_filters.ModelChoiceFilter(queryset=Plan.objects.all(), to_field_name="slug", label=_("Plan"))

    class Meta:
        model = Axis
        fields = ["plan"]

    def filter_search(self, queryset, name, value):
        return search_translated(queryset, value, "title", "description", exact=("code",))


class ChallengeFilter(AxisFilter):
    plan = django_filters.ModelChoiceFilter(
        field_name="axis__plan", queryset=Plan.objects.all(), to_field_name="slug", label=_("Plan")
    )

    class Meta:
        model = Challenge
        fields = ["plan", "axis"]


class ObjectiveFilter(ChallengeFilter):
    class Meta:
        model = Objective
        fields = ["plan", "axis"]


class MilestoneFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    plan = django_filters.ModelChoiceFilter(
        field_name="action__plan", queryset=Plan.objects.all(), to_field_name="slug", label=_("Plan")
    )

    class Meta:
        model = Milestone
        fields = ["plan", "action"]

    def filter_search(self, queryset, name, value):
        return search_translated(queryset, value, "title")
