"""Admin of the portfolio; every save and delete goes through the entities' services."""

from django.contrib import admin

from municipia.core.admin import EntityAdmin
from municipia.portfolio.entities import (
    BUDGET_LINE,
    CRITERIA_SET,
    CRITERION,
    EVALUATOR_ASSIGNMENT,
    EXECUTION_ENTRY,
    FUNDING_SOURCE,
    PROPOSAL,
    SCENARIO,
    SCORE,
    SOURCE_ALLOCATION,
)


def _plan_from_axis(self, obj, data):
    # A proposal's plan is its axis's (not a form field).
    axis = data.get("axis") or obj.axis
    return axis.plan


def _plan_from_line(self, obj, data):
    # A budget line's plan is its action's or proposal's (not a form field).
    owner = data.get("action") or data.get("proposal") or obj.action or obj.proposal
    return owner.plan


def _register(entity, *, list_display, list_select_related=(), **options):
    """One entity admin per entity, writing through the entity's services."""
    body = {
        "entity": entity,
        "list_display": list_display,
        "list_select_related": list_select_related,
        **options,
    }
    admin_class = type(f"{entity.model.__name__}Admin", (EntityAdmin,), body)
    admin.site.register(entity.model, admin_class)
    return admin_class


ProposalAdmin = _register(
    PROPOSAL,
    list_display=["title", "plan", "axis", "proposing_council", "status"],
    list_select_related=["plan", "axis", "proposing_council"],
    list_filter=["status"],
    readonly_fields=["plan", "status", "rejection_reason", "merged_into", "action", "proposed_by"],
    raw_id_fields=["axis", "proposing_council", "depends_on", "excludes", "councils", "tags"],
    search_fields=["title_en", "title_es", "title_ca", "title_bg"],
    parent_from=_plan_from_axis,
)
CriteriaSetAdmin = _register(
    CRITERIA_SET,
    list_display=["title", "plan", "weighting", "consistency_ratio"],
    list_select_related=["plan"],
    raw_id_fields=["plan"],
)
CriterionAdmin = _register(
    CRITERION, list_display=["code", "title", "criteria_set", "weight"], list_select_related=["criteria_set"]
)
AssignmentAdmin = _register(
    EVALUATOR_ASSIGNMENT,
    list_display=["proposal", "evaluator", "organization", "conflict_of_interest", "conflict_allowed"],
    list_select_related=["proposal", "evaluator", "organization"],
    raw_id_fields=["proposal", "evaluator", "organization"],
)
ScoreAdmin = _register(
    SCORE,
    list_display=["assignment", "criterion", "value"],
    list_select_related=["assignment__proposal", "assignment__evaluator", "criterion"],
    raw_id_fields=["assignment", "criterion"],
)
FundingSourceAdmin = _register(
    FUNDING_SOURCE,
    list_display=["code", "title", "plan", "kind", "cofinancing_rate", "eligible_from", "eligible_to"],
    list_select_related=["plan"],
    raw_id_fields=["plan", "framework_items"],
)
AllocationAdmin = _register(
    SOURCE_ALLOCATION,
    list_display=["source", "year", "amount"],
    list_select_related=["source"],
    raw_id_fields=["source"],
)
BudgetLineAdmin = _register(
    BUDGET_LINE,
    list_display=["plan", "action", "proposal", "year", "source", "cost_category", "amount", "eu_share", "own_share"],
    list_select_related=["plan", "action", "proposal", "source"],
    readonly_fields=["plan", "eu_share", "own_share"],
    raw_id_fields=["action", "proposal", "source"],
    parent_from=_plan_from_line,
)
ExecutionEntryAdmin = _register(
    EXECUTION_ENTRY,
    list_display=["budget_line", "kind", "date", "amount"],
    list_select_related=["budget_line__source"],
    raw_id_fields=["budget_line"],
)
ScenarioAdmin = _register(
    SCENARIO,
    list_display=["title", "plan", "created_at", "applied_at"],
    list_select_related=["plan"],
    readonly_fields=["result", "applied_at", "created_by"],
    raw_id_fields=["plan"],
)
