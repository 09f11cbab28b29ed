"""FilterSets shared by the HTML lists and the API lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from municipia.core.filters import FilterSet, search_translated
from municipia.core.search import search_filter
from municipia.organizations.selectors import department_list, organization_list
from municipia.strategy.choices import ActionStatus, PlanStatus
from municipia.strategy.models import Action, ActionPartner, Axis, Challenge, Milestone, Objective, Plan


class PlanFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    owner = django_filters.ModelChoiceFilter(
        field_name="owner", queryset=organization_list(), to_field_name="slug", label=_("Owner")
    )
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("Status"), empty_label=_("All statuses"))

    class Meta:
        model = Plan
        fields = ["owner", "status", "is_published"]

    def filter_search(self, queryset, name, value):
        return search_filter(queryset, value)


class ActionFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    plan = django_filters.ModelChoiceFilter(
        field_name="plan", queryset=Plan.objects.all(), to_field_name="slug", label=_("Plan")
    )
    axis = django_filters.ModelChoiceFilter(field_name="objective__axis", queryset=Axis.objects.all(), label=_("Axis"))
    objective = django_filters.ModelChoiceFilter(queryset=Objective.objects.all(), label=_("Objective"))
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, label=_("Status"), empty_label=_("All statuses"))
    owner = django_filters.ModelChoiceFilter(
        field_name="owner_department", queryset=department_list(), label=_("Owner department")
    )
    council = django_filters.ModelChoiceFilter(
        field_name="participants",
        queryset=organization_list(),
        to_field_name="slug",
        label=_("Participating council"),
    )

    class Meta:
        model = Action
        # Filters of the apps above this one (alignment's `aligned_to`) follow, once registered.
        fields = ["search", "plan", "axis", "objective", "status", "owner", "council"]

    def filter_search(self, queryset, name, value):
        return search_filter(queryset, value)


def register_action_filter(name: str, action_filter: django_filters.Filter) -> None:
    """Adds a filter another app contributes to the action list, page and API alike.

    The apps above strategy (alignment's `aligned_to`, say) cannot be imported here; each
    registers its filters from its AppConfig.ready(), before any request is served. The filter
    comes after the list's own ones, in the order of registration.
    """
    if action_filter.field_name is None:
        action_filter.field_name = name
    ActionFilter.declared_filters[name] = action_filter
    ActionFilter.base_filters[name] = action_filter


class AxisFilter(FilterSet):
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


class MilestoneFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    plan = django_filters.ModelChoiceFilter(
        field_name="action__plan", queryset=Plan.objects.all(), to_field_name="slug", label=_("Plan")
    )

    class Meta:
        model = Milestone
        fields = ["plan", "action"]

    def filter_search(self, queryset, name, value):
        return search_translated(queryset, value, "title")


class ActionPartnerFilter(FilterSet):
    plan = django_filters.ModelChoiceFilter(
        field_name="action__plan", queryset=Plan.objects.all(), to_field_name="slug", label=_("Plan")
    )
    organization = django_filters.CharFilter(field_name="organization__slug", label=_("Organisation"))

    class Meta:
        model = ActionPartner
        fields = ["plan", "action", "organization", "role"]
