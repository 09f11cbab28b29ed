"""FilterSets shared by the HTML lists and the API lists of the portfolio."""

import django_filters
from django.utils.translation import gettext_lazy as _

from municipia.core.filters import FilterSet, search_translated
from municipia.portfolio.choices import ProposalStatus
from municipia.portfolio.models import (
    BudgetLine,
    Criterion,
    EvaluatorAssignment,
    ExecutionEntry,
    Proposal,
    Score,
    SourceAllocation,
)
from municipia.strategy.selectors import plan_choices


def _plan_filter(field_name: str = "plan") -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name, queryset=plan_choices(), to_field_name="slug", label=_("Plan")
    )


class PlanChildFilter(FilterSet):
    plan = _plan_filter()

    @classmethod
    def for_model(cls, model):
        meta = type("Meta", (), {"model": model, "fields": ["plan"]})
        return type(f"{model.__name__}Filter", (cls,), {"Meta": meta})


class ProposalFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    plan = _plan_filter()
    status = django_filters.ChoiceFilter(
        choices=ProposalStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )

    class Meta:
        model = Proposal
        fields = ["plan", "axis", "status", "proposing_council"]

    def filter_search(self, queryset, name, value):
        return search_translated(queryset, value, "title", "description")


class CriterionFilter(FilterSet):
    plan = _plan_filter("criteria_set__plan")

    class Meta:
        model = Criterion
        fields = ["plan", "criteria_set"]


class AssignmentFilter(FilterSet):
    plan = _plan_filter("proposal__plan")

    class Meta:
        model = EvaluatorAssignment
        fields = ["plan", "proposal", "evaluator"]


class ScoreFilter(FilterSet):
    plan = _plan_filter("assignment__proposal__plan")

    class Meta:
        model = Score
        fields = ["plan", "assignment"]


class AllocationFilter(FilterSet):
    plan = _plan_filter("source__plan")

    class Meta:
        model = SourceAllocation
        fields = ["plan", "source", "year"]


class BudgetLineFilter(FilterSet):
    plan = _plan_filter()

    class Meta:
        model = BudgetLine
        fields = ["plan", "action", "proposal", "source", "year", "cost_category"]


class ExecutionEntryFilter(FilterSet):
    plan = _plan_filter("budget_line__plan")

    class Meta:
        model = ExecutionEntry
        fields = ["plan", "budget_line", "kind"]
