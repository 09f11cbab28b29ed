"""Proposals, evaluation, funding and scenarios, each declared once (see municipia.core.entities).

Reading rules:
- criteria, funding sources and allocations follow their plan (public once it is published);
- a proposal is seen by the plan's writers, its proposer and proposing council, the editors of
  the network's member councils, the people who sit today in the coordination group of its axis
  (or in a coordination group of the whole plan), its evaluators, and by everyone once accepted
  in a published plan;
- evaluations are seen by the plan's writers and by the evaluator;
- budget lines of actions and their execution follow the plan; a proposal's lines follow the
  proposal's writers; scenarios are the plan writers' working papers.
"""

from django.db.models import Model, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipia.core.entities import Entity, register
from municipia.core.visibility import NOTHING, Among, Custom, Is, Rule, User
from municipia.governance.entities import member_body_ids
from municipia.governance.selectors import coordination_groups
from municipia.organizations.permissions import editable_organization_ids
from municipia.portfolio.choices import ProposalStatus
from municipia.portfolio.models import (
    BudgetLine,
    CriteriaSet,
    Criterion,
    EvaluatorAssignment,
    ExecutionEntry,
    FundingSource,
    Proposal,
    Scenario,
    Score,
    SourceAllocation,
)

SERVICES = "municipia.portfolio.services"
FORMS = "municipia.portfolio.forms"


def own_user_id(user) -> frozenset[int]:
    return frozenset({user.pk}) if user.is_authenticated else frozenset()


def _writers(path: str):
    return Among(f"{path}__owner_id", editable_organization_ids)


def _of_plan(path: str):
    return Is(f"{path}__is_published") | _writers(path)


def _groups_sat_in(user: User):
    """The coordination groups in which the user sits today (seats read once per user, see governance)."""
    return coordination_groups(member_body_ids(user))


def _group_q(user: User) -> Q:
    if not member_body_ids(user):
        return NOTHING
    groups = _groups_sat_in(user)
    return Q(axis_id__in=groups.filter(axis__isnull=False).values("axis_id")) | Q(
        plan_id__in=groups.filter(axis__isnull=True).values("plan_id")
    )


def _group_test(user: User, obj: Model) -> bool:
    if not member_body_ids(user):
        return False
    mine = Q(axis_id=obj.axis_id) | Q(axis__isnull=True, plan_id=obj.plan_id)  # type: ignore[attr-defined]
    return _groups_sat_in(user).filter(mine).exists()


#: A proposal is seen by the coordination group of its axis.
IN_AXIS_GROUP: Rule = Custom(q=_group_q, test=_group_test)


def _plan_page(obj, path: str) -> str:
    plan = obj
    for hop in path.split("__"):
        plan = getattr(plan, hop)
    return reverse("portfolio:plan-portfolio", kwargs={"slug": plan.slug})


PROPOSAL = register(
    Entity(
        model=Proposal,
        visibility=_writers("plan")
        | Among("proposing_council_id", editable_organization_ids)
        | Among("proposed_by_id", own_user_id)
        | Among("plan__owner__memberships__member_id", editable_organization_ids, many=True)
        | Among("assignments__evaluator_id", own_user_id, many=True)
        | IN_AXIS_GROUP
        | (Is("plan__is_published") & Is("status", ProposalStatus.ACCEPTED)),
        parent="plan",
        fields=("axis", "proposing_council", "title", "description", "expected_results"),
        translated=("title", "description", "expected_results"),
        links=("councils", "depends_on", "excludes", "tags"),
        create=f"{SERVICES}.proposal_create",
        update=f"{SERVICES}.proposal_update",
        delete=f"{SERVICES}.proposal_delete",
        select_related=("plan__owner", "axis", "proposing_council", "action"),
        titles=(_("New proposal"), _("Edit proposal")),
        messages=(_("Proposal created."), _("Proposal saved."), _("Proposal deleted.")),
        form=f"{FORMS}.ProposalForm",
        after_delete=lambda proposal: _plan_page(proposal, "plan"),
        export_fields=("axis", "proposing_council", "title", "status"),
    )
)

CRITERIA_SET = register(
    Entity(
        model=CriteriaSet,
        visibility=_of_plan("plan"),
        parent="plan",
        fields=("title", "weighting", "scale_min", "scale_max"),
        translated=("title",),
        create=f"{SERVICES}.criteria_set_create",
        update=f"{SERVICES}.criteria_set_update",
        delete=f"{SERVICES}.criteria_set_delete",
        object_arg="criteria_set",
        select_related=("plan__owner",),
        titles=(_("New criteria set"), _("Edit criteria set")),
        form=f"{FORMS}.CriteriaSetForm",
        after_delete=lambda criteria_set: _plan_page(criteria_set, "plan"),
    )
)

CRITERION = register(
    Entity(
        model=Criterion,
        visibility=_of_plan("criteria_set__plan"),
        parent="criteria_set",
        fields=("code", "title", "description", "weight", "position"),
        translated=("title", "description"),
        create=f"{SERVICES}.criterion_create",
        update=f"{SERVICES}.criterion_update",
        delete=f"{SERVICES}.criterion_delete",
        select_related=("criteria_set__plan__owner",),
        titles=(_("New criterion"), _("Edit criterion")),
        form=f"{FORMS}.CriterionForm",
    )
)

EVALUATOR_ASSIGNMENT = register(
    Entity(
        model=EvaluatorAssignment,
        visibility=_writers("proposal__plan") | Among("evaluator_id", own_user_id),
        parent="proposal",
        fields=("evaluator", "organization", "conflict_allowed"),
        create=f"{SERVICES}.assignment_create",
        update=f"{SERVICES}.assignment_update",
        delete=f"{SERVICES}.assignment_delete",
        object_arg="assignment",
        select_related=("proposal__plan__owner", "evaluator", "organization"),
        titles=(_("Assign an evaluator"), _("Edit evaluator assignment")),
        form=f"{FORMS}.AssignmentForm",
    )
)

SCORE = register(
    Entity(
        model=Score,
        visibility=_writers("assignment__proposal__plan") | Among("assignment__evaluator_id", own_user_id),
        parent="assignment",
        fields=("criterion", "value", "rationale"),
        create=f"{SERVICES}.score_create",
        update=f"{SERVICES}.score_update",
        delete=f"{SERVICES}.score_delete",
        select_related=("assignment__proposal__plan__owner", "criterion"),
        titles=(_("New score"), _("Edit score")),
        form=f"{FORMS}.ScoreForm",
    )
)

FUNDING_SOURCE = register(
    Entity(
        model=FundingSource,
        visibility=_of_plan("plan"),
        parent="plan",
        fields=(
            "code",
            "title",
            "kind",
            "programme",
            "call",
            "cofinancing_rate",
            "eligible_from",
            "eligible_to",
            "eligible_categories",
            "rounding",
            "refuse_over_allocation",
            "is_illustrative",
        ),
        translated=("title",),
        links=("framework_items",),
        create=f"{SERVICES}.funding_source_create",
        update=f"{SERVICES}.funding_source_update",
        delete=f"{SERVICES}.funding_source_delete",
        object_arg="source",
        select_related=("plan__owner",),
        titles=(_("New funding source"), _("Edit funding source")),
        messages=(_("Funding source created."), _("Funding source saved."), _("Funding source deleted.")),
        form=f"{FORMS}.FundingSourceForm",
        after_delete=lambda source: reverse("portfolio:fundingsource-list", kwargs={"slug": source.plan.slug}),
    )
)

SOURCE_ALLOCATION = register(
    Entity(
        model=SourceAllocation,
        visibility=_of_plan("source__plan"),
        parent="source",
        fields=("year", "amount"),
        create=f"{SERVICES}.allocation_create",
        update=f"{SERVICES}.allocation_update",
        delete=f"{SERVICES}.allocation_delete",
        object_arg="allocation",
        select_related=("source__plan__owner",),
        titles=(_("New allocation"), _("Edit allocation")),
        form=f"{FORMS}.AllocationForm",
    )
)

BUDGET_LINE = register(
    Entity(
        model=BudgetLine,
        visibility=_writers("plan")
        | Among("proposal__proposing_council_id", editable_organization_ids)
        | Among("proposal__proposed_by_id", own_user_id)
        | (Is("plan__is_published") & Is("proposal", None)),
        parent="plan",
        fields=("action", "proposal", "year", "source", "cost_category", "amount"),
        create=f"{SERVICES}.budget_line_create",
        update=f"{SERVICES}.budget_line_update",
        delete=f"{SERVICES}.budget_line_delete",
        object_arg="line",
        select_related=("plan__owner", "source", "action", "proposal"),
        titles=(_("New budget line"), _("Edit budget line")),
        form=f"{FORMS}.BudgetLineForm",
        export_fields=("action", "proposal", "year", "source", "cost_category", "amount", "eu_share", "own_share"),
    )
)

EXECUTION_ENTRY = register(
    Entity(
        model=ExecutionEntry,
        visibility=_writers("budget_line__plan")
        | (Is("budget_line__plan__is_published") & Is("budget_line__proposal", None)),
        parent="budget_line",
        fields=("kind", "date", "amount", "reference"),
        create=f"{SERVICES}.execution_create",
        update=f"{SERVICES}.execution_update",
        delete=f"{SERVICES}.execution_delete",
        object_arg="entry",
        select_related=("budget_line__plan__owner",),
        titles=(_("New execution entry"), _("Edit execution entry")),
        form=f"{FORMS}.ExecutionEntryForm",
    )
)

SCENARIO = register(
    Entity(
        model=Scenario,
        visibility=_writers("plan"),
        parent="plan",
        fields=("title", "parameters"),
        create=f"{SERVICES}.scenario_create",
        update=f"{SERVICES}.scenario_update",
        delete=f"{SERVICES}.scenario_delete",
        select_related=("plan__owner",),
        titles=(_("New scenario"), _("Edit scenario")),
        form=f"{FORMS}.ScenarioForm",
        after_delete=lambda scenario: reverse("portfolio:scenario-list", kwargs={"slug": scenario.plan.slug}),
    )
)
