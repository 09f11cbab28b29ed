"""Who may do what with proposals, evaluations, funding and scenarios: one set of rules for pages, admin and API.

- The plan owner's editors (a council's) or coordinators (a network's) — "the plan's writers" —
  manage criteria, evaluators, funding sources, budget lines, execution and scenarios, and
  decide on proposals.
- Editors of any member council of the network that owns the plan propose for any axis; the
  people who sit today in one of the plan's coordination groups propose for their group's axis
  (every axis for a group of the whole plan), even without a role in a council. A proposer
  changes their proposal while it is a draft (`proposable_axis_ids` says which axes).
- An evaluator scores the proposals they are assigned to while those are under evaluation.
- Site administrators may do everything. Who may *see* what is each entity's rule (entities.py).
"""

from __future__ import annotations

import rules
from django.db.models import Model

from municipia.governance.entities import member_body_ids
from municipia.governance.selectors import coordination_groups
from municipia.organizations.permissions import editable_organization_ids, is_site_admin
from municipia.organizations.selectors import network_member_ids
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
from municipia.strategy.models import Plan


def plan_of(obj: object) -> Plan | None:
    """The plan a portfolio object belongs to (callers select_related the chain to avoid queries)."""
    if isinstance(obj, Plan):
        return obj
    if isinstance(obj, Proposal | CriteriaSet | FundingSource | BudgetLine | Scenario):
        return obj.plan
    if isinstance(obj, Criterion):
        return obj.criteria_set.plan
    if isinstance(obj, EvaluatorAssignment):
        return obj.proposal.plan
    if isinstance(obj, Score):
        return obj.assignment.proposal.plan
    if isinstance(obj, SourceAllocation):
        return obj.source.plan
    if isinstance(obj, ExecutionEntry):
        return obj.budget_line.plan
    return None


def member_council_ids(user, plan: Plan) -> set[int]:
    """The member councils of the plan's owning network that `user` edits (one query)."""
    ids = editable_organization_ids(user)
    if not ids:
        return set()
    return set(network_member_ids([plan.owner_id], among=ids))


def group_axis_ids(user, plan: Plan) -> set[int | None]:
    """The axes of the plan's coordination groups in which `user` sits today (None: a group of the
    whole plan); one query, none for a user who sits nowhere."""
    seats = member_body_ids(user)
    if not seats:
        return set()
    return set(coordination_groups(seats, plan_id=plan.pk).values_list("axis_id", flat=True))


def proposable_axis_ids(user, plan: Plan) -> set[int] | None:
    """The axes `user` may propose for in `plan`: None for every axis (site admins, the plan's
    writers, editors of a member council, members of a whole-plan coordination group), else the
    axes of the coordination groups they sit in (empty: none)."""
    if is_site_admin.test(user) or plan.owner_id in editable_organization_ids(user) or member_council_ids(user, plan):
        return None
    axes = group_axis_ids(user, plan)
    if None in axes:
        return None
    return {axis for axis in axes if axis is not None}


@rules.predicate
def writes_plan(user, obj) -> bool:
    plan = plan_of(obj)
    return plan is not None and plan.owner_id in editable_organization_ids(user)


@rules.predicate
def proposes_in_plan(user, obj) -> bool:
    """An editor of a member council of the plan's network, or a member of one of its coordination groups."""
    plan = plan_of(obj)
    return plan is not None and (bool(member_council_ids(user, plan)) or bool(group_axis_ids(user, plan)))


def _proposal_of(obj: Model | None) -> Proposal | None:
    if isinstance(obj, Proposal):
        return obj
    if isinstance(obj, BudgetLine):
        return obj.proposal
    return None


@rules.predicate
def owns_proposal(user, obj) -> bool:
    proposal = _proposal_of(obj)
    if proposal is None or not user.is_authenticated:
        return False
    return proposal.proposed_by_id == user.pk or proposal.proposing_council_id in editable_organization_ids(user)


@rules.predicate
def proposal_is_draft(user, obj) -> bool:
    proposal = _proposal_of(obj)
    return proposal is not None and proposal.status == ProposalStatus.DRAFT


def _assignment_of(obj: Model | None) -> EvaluatorAssignment | None:
    if isinstance(obj, EvaluatorAssignment):
        return obj
    if isinstance(obj, Score):
        return obj.assignment
    return None


@rules.predicate
def is_assigned_evaluator(user, obj) -> bool:
    assignment = _assignment_of(obj)
    return assignment is not None and user.is_authenticated and assignment.evaluator_id == user.pk


@rules.predicate
def evaluation_is_open(user, obj) -> bool:
    assignment = _assignment_of(obj)
    return assignment is not None and assignment.proposal.status == ProposalStatus.UNDER_EVALUATION


can_write = is_site_admin | writes_plan
can_change_proposal = is_site_admin | writes_plan | (owns_proposal & proposal_is_draft)
can_score = is_site_admin | (is_assigned_evaluator & evaluation_is_open)

rules.add_perm("portfolio.add_proposal", is_site_admin | writes_plan | proposes_in_plan)
rules.add_perm("portfolio.change_proposal", can_change_proposal)
rules.add_perm("portfolio.delete_proposal", is_site_admin | ((writes_plan | owns_proposal) & proposal_is_draft))
rules.add_perm("portfolio.submit_proposal", is_site_admin | ((writes_plan | owns_proposal) & proposal_is_draft))
rules.add_perm("portfolio.decide_proposal", can_write)
rules.add_perm("portfolio.add_score", can_score)
rules.add_perm("portfolio.change_score", can_score)
rules.add_perm("portfolio.delete_score", can_score)
# A budget line is added in a plan; the service checks the proposal or action it names (budget_line_create).
rules.add_perm("portfolio.add_budgetline", is_site_admin | writes_plan | proposes_in_plan)
rules.add_perm("portfolio.change_budgetline", is_site_admin | writes_plan | (owns_proposal & proposal_is_draft))
rules.add_perm("portfolio.delete_budgetline", is_site_admin | writes_plan | (owns_proposal & proposal_is_draft))
rules.add_perm("portfolio.view_funding_report", is_site_admin | writes_plan)
rules.add_perm("portfolio.optimise_plan", can_write)
rules.add_perm("portfolio.apply_scenario", can_write)

for model_name in (
    "criteriaset",
    "criterion",
    "evaluatorassignment",
    "fundingsource",
    "sourceallocation",
    "executionentry",
    "scenario",
):
    for verb in ("add", "change", "delete"):
        rules.add_perm(f"portfolio.{verb}_{model_name}", can_write)
