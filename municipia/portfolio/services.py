"""Every write to proposals, evaluations, funding, execution and scenarios: pages, admin, API and demo call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.alignment.models import FrameworkItem
from municipia.core.i18n import language_codes
from municipia.core.services import PlainServices, apply_fields, delete_with_history, save_with_history, signed_in
from municipia.core.visibility import User
from municipia.organizations.models import Organization
from municipia.portfolio import ahp
from municipia.portfolio.choices import PROPOSAL_TRANSITIONS, ProposalStatus, SourceKind, Weighting
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
from municipia.portfolio.models import (
    BudgetLine,
    CriteriaSet,
    Criterion,
    EvaluatorAssignment,
    ExecutionEntry,
    ExecutionMapping,
    FundingSource,
    Proposal,
    Scenario,
    Score,
    SourceAllocation,
)
from municipia.portfolio.permissions import proposable_axis_ids
from municipia.strategy import services as strategy_services
from municipia.strategy.models import Action, Objective, Plan
from municipia.strategy.selectors import action_codes, actions_among


def _raise(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


# --- Proposals


def _dependency_cycle(proposal: Proposal, depends_on: list[Proposal]) -> bool:
    """Whether making `proposal` depend on `depends_on` closes a cycle (one query for the plan's links)."""
    if proposal.pk is None:
        return False
    edges: dict[int, set[int]] = {}
    for source, target in Proposal.depends_on.through.objects.filter(
        from_proposal__plan_id=proposal.plan_id
    ).values_list("from_proposal_id", "to_proposal_id"):
        edges.setdefault(source, set()).add(target)
    edges[proposal.pk] = {p.pk for p in depends_on}
    stack, seen = list(edges[proposal.pk]), set()
    while stack:
        current = stack.pop()
        if current == proposal.pk:
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(edges.get(current, ()))
    return False


def _check_proposal_links(
    proposal: Proposal, depends_on: list[Proposal] | None, excludes: list[Proposal] | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, others in (("depends_on", depends_on), ("excludes", excludes)):
        if others is None:
            continue
        if any(other.plan_id != proposal.plan_id for other in others):
            errors[name] = _("Only proposals of the same plan can be linked.")
        elif proposal.pk is not None and any(other.pk == proposal.pk for other in others):
            errors[name] = _("A proposal cannot be linked to itself.")
    if "depends_on" not in errors and depends_on and _dependency_cycle(proposal, depends_on):
        errors["depends_on"] = _("These dependencies would make a cycle.")
    if depends_on and excludes and {p.pk for p in depends_on} & {p.pk for p in excludes}:
        errors.setdefault("excludes", _("A proposal cannot both depend on and exclude the same proposal."))
    return errors


def _save_proposal(
    proposal: Proposal,
    *,
    acting_user: User | None,
    councils: Iterable[Organization] | None,
    depends_on: Iterable[Proposal] | None,
    excludes: Iterable[Proposal] | None,
    tags: Iterable[FrameworkItem] | None,
) -> Proposal:
    depends_on = list(depends_on) if depends_on is not None else None
    excludes = list(excludes) if excludes is not None else None
    errors: dict[str, Any] = {}
    try:
        proposal.full_clean(exclude=list(proposal.required_translations))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for key, message in _check_proposal_links(proposal, depends_on, excludes).items():
        errors.setdefault(key, [message])
    if acting_user is not None and proposal.axis_id and "axis" not in errors:
        axes = proposable_axis_ids(acting_user, proposal.plan)
        if axes is not None and proposal.axis_id not in axes:
            errors["axis"] = [_("You may propose only for the axis of your coordination group.")]
    _raise(errors)
    save_with_history(proposal, acting_user=acting_user)
    for name, values in (("councils", councils), ("depends_on", depends_on), ("excludes", excludes), ("tags", tags)):
        if values is not None:
            getattr(proposal, name).set(values)
    return proposal


@transaction.atomic
def proposal_create(
    *,
    acting_user: User | None,
    plan: Plan,
    data: dict[str, Any],
    councils: Iterable[Organization] | None = None,
    depends_on: Iterable[Proposal] | None = None,
    excludes: Iterable[Proposal] | None = None,
    tags: Iterable[FrameworkItem] | None = None,
) -> Proposal:
    proposal = Proposal(plan=plan)
    proposal.proposed_by = signed_in(acting_user)
    apply_fields(proposal, data, PROPOSAL.editable_names())
    return _save_proposal(
        proposal, acting_user=acting_user, councils=councils, depends_on=depends_on, excludes=excludes, tags=tags
    )


@transaction.atomic
def proposal_update(
    *,
    acting_user: User | None,
    proposal: Proposal,
    data: dict[str, Any],
    councils: Iterable[Organization] | None = None,
    depends_on: Iterable[Proposal] | None = None,
    excludes: Iterable[Proposal] | None = None,
    tags: Iterable[FrameworkItem] | None = None,
) -> Proposal:
    apply_fields(proposal, data, PROPOSAL.editable_names())
    return _save_proposal(
        proposal, acting_user=acting_user, councils=councils, depends_on=depends_on, excludes=excludes, tags=tags
    )


@transaction.atomic
def proposal_delete(*, acting_user: User | None, proposal: Proposal) -> None:
    delete_with_history(proposal, acting_user=acting_user)


def _check_move(proposal: Proposal, status: str) -> None:
    if status not in PROPOSAL_TRANSITIONS[proposal.status]:
        raise ValidationError(
            {
                "status": _("A proposal cannot go from “%(old)s” to “%(new)s”.")
                % {"old": proposal.get_status_display(), "new": ProposalStatus(status).label}
            }
        )


def _move(proposal: Proposal, status: str, *, acting_user: User | None, reason: str = "") -> Proposal:
    _check_move(proposal, status)
    proposal.status = status
    return save_with_history(proposal, acting_user=acting_user, reason=reason)


@transaction.atomic
def proposal_submit(*, acting_user: User | None, proposal: Proposal) -> Proposal:
    return _move(proposal, ProposalStatus.SUBMITTED, acting_user=acting_user)


@transaction.atomic
def proposal_start_evaluation(*, acting_user: User | None, proposal: Proposal) -> Proposal:
    return _move(proposal, ProposalStatus.UNDER_EVALUATION, acting_user=acting_user)


@transaction.atomic
def proposal_reopen(*, acting_user: User | None, proposal: Proposal) -> Proposal:
    proposal.rejection_reason = ""
    return _move(proposal, ProposalStatus.DRAFT, acting_user=acting_user)


@transaction.atomic
def proposal_reject(*, acting_user: User | None, proposal: Proposal, reason: str) -> Proposal:
    if not (reason or "").strip():
        raise ValidationError({"rejection_reason": _("Say why the proposal is rejected; the proposer is told.")})
    proposal.rejection_reason = reason.strip()
    _move(proposal, ProposalStatus.REJECTED, acting_user=acting_user, reason=reason.strip())
    transaction.on_commit(lambda: _tell_proposer(proposal))
    return proposal


def _tell_proposer(proposal: Proposal) -> None:
    """The proposer learns why, by e-mail in their language (after the rejection is committed)."""
    from django.conf import settings

    from municipia.core.mail import templated_email

    user = proposal.proposed_by
    if user is None or not user.email:
        return
    person = getattr(user, "person", None)
    language = getattr(person, "language", "") or settings.LANGUAGE_CODE
    templated_email(
        "portfolio/emails/proposal_rejected", {"proposal": proposal}, to=user.email, language=language
    ).send()


@transaction.atomic
def proposal_merge(*, acting_user: User | None, proposal: Proposal, into: Proposal) -> Proposal:
    if into.pk == proposal.pk or into.plan_id != proposal.plan_id:
        raise ValidationError({"merged_into": _("Choose another proposal of the same plan.")})
    if into.status in (ProposalStatus.MERGED, ProposalStatus.REJECTED):
        raise ValidationError({"merged_into": _("That proposal is itself merged or rejected.")})
    proposal.merged_into = into
    return _move(proposal, ProposalStatus.MERGED, acting_user=acting_user)


def _action_code(proposal: Proposal) -> str:
    taken = action_codes(proposal.plan_id)
    code, n = f"P{proposal.pk}", 2
    while code in taken:
        code, n = f"P{proposal.pk}-{n}", n + 1
    return code


def _action_dates(proposal: Proposal, years: list[int]) -> tuple[dt.date | None, dt.date | None]:
    plan = proposal.plan
    if not years:
        return None, None
    start = max(dt.date(min(years), 1, 1), plan.period_start)
    end = min(dt.date(max(years), 12, 31), plan.period_end)
    return (start, end) if start <= end else (None, None)


@transaction.atomic
def proposal_accept(*, acting_user: User | None, proposal: Proposal, objective: Objective | None = None) -> Proposal:
    """Accepts the proposal: it becomes an action of the plan (in `objective`, by default the axis's
    first), with its budget lines, councils, accepted dependencies and alignment tags carried over."""
    _check_move(proposal, ProposalStatus.ACCEPTED)
    objective = objective or proposal.axis.objectives.order_by("code").first()
    if objective is None:
        raise ValidationError({"axis": _("The axis has no strategic objective to place the new action in.")})
    lines = list(proposal.budget_lines.all())
    start, end = _action_dates(proposal, [line.year for line in lines])
    data: dict[str, Any] = {
        "code": _action_code(proposal),
        "objective": objective,
        "start_date": start,
        "end_date": end,
    }
    data["budget"] = sum((line.amount for line in lines), Decimal("0"))
    for code in language_codes():
        data[f"title_{code}"] = getattr(proposal, f"title_{code}") or ""
        data[f"description_{code}"] = getattr(proposal, f"description_{code}") or ""
    dependencies = actions_among(proposal.depends_on.values("action_id"))
    action = strategy_services.action_create(
        acting_user=acting_user,
        plan=proposal.plan,
        data=data,
        participants=proposal.councils.all(),
        dependencies=dependencies,
    )
    for line in lines:
        line.action, line.proposal = action, None
        save_with_history(line, acting_user=acting_user, reason="accepted proposal")
    _carry_tags(proposal, action, acting_user=acting_user)
    proposal.action = action
    proposal.status = ProposalStatus.ACCEPTED
    return save_with_history(proposal, acting_user=acting_user)


def _carry_tags(proposal: Proposal, action: Action, *, acting_user: User | None) -> None:
    from municipia.alignment.services import alignment_create

    for item in proposal.tags.all():
        try:
            with transaction.atomic():
                alignment_create(acting_user=acting_user, element=action, item=item)
        except ValidationError:
            # A tag from a framework the plan does not use is kept on the proposal only.
            continue


# --- Criteria and AHP


@transaction.atomic
def criteria_set_create(*, acting_user: User | None, plan: Plan, data: dict[str, Any]) -> CriteriaSet:
    criteria_set = CriteriaSet(plan=plan)
    apply_fields(criteria_set, data, CRITERIA_SET.editable_names())
    if CriteriaSet.objects.filter(plan=plan).exists():
        raise ValidationError({"title": _("This plan already has a criteria set.")})
    return save_with_history(criteria_set, acting_user=acting_user)


# Creating a set checks that the plan has none yet (criteria_set_create above); the rest is plain.
_criteria_sets = PlainServices(
    CriteriaSet, parent="plan", fields=CRITERIA_SET.editable_names(), object_arg="criteria_set"
)
criteria_set_update, criteria_set_delete = _criteria_sets.update, _criteria_sets.delete


criterion_create, criterion_update, criterion_delete = PlainServices(
    Criterion, parent="criteria_set", fields=CRITERION.editable_names()
)


@transaction.atomic
def criteria_set_compare(
    *, acting_user: User | None, criteria_set: CriteriaSet, comparisons: dict[str, float]
) -> ahp.AhpResult:
    """Sets the weights from pairwise comparisons (AHP) and keeps the consistency ratio.

    `comparisons` maps "<code a>|<code b>" to how much more a matters than b (1/9 … 9).
    """
    criteria = list(criteria_set.criteria.order_by("position", "code"))
    codes = [criterion.code for criterion in criteria]
    try:
        matrix = ahp.matrix_from_comparisons(codes, comparisons)
    except ValueError as exc:
        raise ValidationError(
            {
                "comparisons": _("Each comparison names two criteria of the set and a value from 1/9 to 9 (%(key)s).")
                % {"key": exc.args[0]}
            }
        ) from None
    result = ahp.ahp(matrix)
    for criterion, weight in zip(criteria, result.weights, strict=True):
        criterion.weight = Decimal(str(round(weight, 4)))
        save_with_history(criterion, acting_user=acting_user, reason="AHP")
    criteria_set.weighting = Weighting.AHP
    criteria_set.comparisons = {key: float(value) for key, value in comparisons.items()}
    criteria_set.consistency_ratio = Decimal(str(round(result.consistency_ratio, 4)))
    save_with_history(criteria_set, acting_user=acting_user, reason="AHP")
    return result


# --- Evaluators and scores


def _conflict(assignment: EvaluatorAssignment) -> bool:
    return (
        assignment.organization_id is not None
        and assignment.organization_id == assignment.proposal.proposing_council_id
    )


@transaction.atomic
def assignment_create(*, acting_user: User | None, proposal: Proposal, data: dict[str, Any]) -> EvaluatorAssignment:
    assignment = EvaluatorAssignment(proposal=proposal)
    apply_fields(assignment, data, EVALUATOR_ASSIGNMENT.editable_names())
    assignment.conflict_of_interest = _conflict(assignment)
    return save_with_history(assignment, acting_user=acting_user)


@transaction.atomic
def assignment_update(
    *, acting_user: User | None, assignment: EvaluatorAssignment, data: dict[str, Any]
) -> EvaluatorAssignment:
    apply_fields(assignment, data, EVALUATOR_ASSIGNMENT.editable_names())
    assignment.conflict_of_interest = _conflict(assignment)
    return save_with_history(assignment, acting_user=acting_user)


@transaction.atomic
def assignment_delete(*, acting_user: User | None, assignment: EvaluatorAssignment) -> None:
    delete_with_history(assignment, acting_user=acting_user)


def _check_score(score: Score) -> None:
    criteria_set = CriteriaSet.objects.filter(plan_id=score.assignment.proposal.plan_id).first()
    errors: dict[str, str] = {}
    if score.criterion_id and (criteria_set is None or score.criterion.criteria_set_id != criteria_set.pk):
        errors["criterion"] = _("Choose a criterion of this plan's criteria set.")
    elif (
        score.value is not None
        and criteria_set is not None
        and not criteria_set.scale_min <= score.value <= criteria_set.scale_max
    ):
        errors["value"] = _("Score between %(low)s and %(high)s.") % {
            "low": criteria_set.scale_min,
            "high": criteria_set.scale_max,
        }
    _raise(errors)


score_create, score_update, score_delete = PlainServices(
    Score, parent="assignment", fields=SCORE.editable_names(), check=_check_score
)


# --- Funding sources and allocations


def _check_source_period(source: FundingSource) -> None:
    plan = source.plan
    errors: dict[str, str] = {}
    if source.eligible_from and source.eligible_from > plan.period_end.year:
        errors["eligible_from"] = _("The eligible period must overlap the plan's period.")
    if source.eligible_to and source.eligible_to < plan.period_start.year:
        errors["eligible_to"] = _("The eligible period must overlap the plan's period.")
    _raise(errors)


@transaction.atomic
def funding_source_create(
    *,
    acting_user: User | None,
    plan: Plan,
    data: dict[str, Any],
    framework_items: Iterable[FrameworkItem] | None = None,
) -> FundingSource:
    source = FundingSource(plan=plan)
    apply_fields(source, data, FUNDING_SOURCE.editable_names())
    _check_source_period(source)
    save_with_history(source, acting_user=acting_user)
    if framework_items is not None:
        source.framework_items.set(framework_items)
    return source


@transaction.atomic
def funding_source_update(
    *,
    acting_user: User | None,
    source: FundingSource,
    data: dict[str, Any],
    framework_items: Iterable[FrameworkItem] | None = None,
) -> FundingSource:
    apply_fields(source, data, FUNDING_SOURCE.editable_names())
    _check_source_period(source)
    save_with_history(source, acting_user=acting_user)
    if framework_items is not None:
        source.framework_items.set(framework_items)
    # The shares of its lines follow a changed rate or rounding.
    for line in source.budget_lines.select_related("source"):
        line.source = source
        line.eu_share, line.own_share = source.split(line.amount)
        line.save(update_fields=["eu_share", "own_share", "updated_at"])
    return source


@transaction.atomic
def funding_source_delete(*, acting_user: User | None, source: FundingSource) -> None:
    if source.budget_lines.exists():
        raise ValidationError({"code": _("This source funds budget lines; move or delete them first.")})
    delete_with_history(source, acting_user=acting_user)


def _check_allocation(allocation: SourceAllocation) -> None:
    source = allocation.source
    if allocation.year is not None and not source.eligible_from <= allocation.year <= source.eligible_to:
        raise ValidationError(
            {
                "year": _("Year outside the source's eligible period (%(start)s–%(end)s).")
                % {"start": source.eligible_from, "end": source.eligible_to}
            }
        )


allocation_create, allocation_update, allocation_delete = PlainServices(
    SourceAllocation,
    parent="source",
    fields=SOURCE_ALLOCATION.editable_names(),
    check=_check_allocation,
    object_arg="allocation",
)


# --- Budget lines


def allocation_use(
    source: FundingSource, year: int, *, exclude_pk: int | None = None
) -> tuple[Decimal, Decimal | None]:
    """What the plan's action lines already take of `source` in `year`, and its allocation (None if unset).

    A co-financing source pays its share of its own lines; the own budget pays the own share of every line.
    """
    lines = BudgetLine.objects.filter(plan_id=source.plan_id, year=year, action__isnull=False)
    if exclude_pk is not None:
        lines = lines.exclude(pk=exclude_pk)
    if source.kind == SourceKind.OWN:
        used = lines.aggregate(total=Sum("own_share"))["total"]
    else:
        used = lines.filter(source=source).aggregate(total=Sum("eu_share"))["total"]
    allocation = SourceAllocation.objects.filter(source=source, year=year).values_list("amount", flat=True).first()
    return used or Decimal("0"), allocation


def _line_errors(line: BudgetLine) -> dict[str, str]:
    errors: dict[str, str] = {}
    source, plan = line.source, line.plan
    if (line.action_id is None) == (line.proposal_id is None):
        errors["action"] = _("Name either an action or a proposal.")
    elif line.action is not None and line.action.plan_id != plan.pk:
        errors["action"] = _("The action must belong to this plan.")
    elif line.proposal is not None and line.proposal.plan_id != plan.pk:
        errors["proposal"] = _("The proposal must belong to this plan.")
    if source.plan_id != plan.pk:
        errors["source"] = _("The funding source must belong to this plan.")
    elif (
        line.proposal is not None
        and source.framework_items.exists()
        and not source.framework_items.filter(pk__in=line.proposal.tags.values("pk")).exists()
    ):
        errors["source"] = _("The proposal is not aligned to anything this source funds.")
    if line.year is not None:
        if not plan.period_start.year <= line.year <= plan.period_end.year:
            errors["year"] = _("Year outside the plan's period (%(start)s–%(end)s).") % {
                "start": plan.period_start.year,
                "end": plan.period_end.year,
            }
        elif not source.eligible_from <= line.year <= source.eligible_to:
            errors["year"] = _("Year outside the source's eligible period (%(start)s–%(end)s).") % {
                "start": source.eligible_from,
                "end": source.eligible_to,
            }
    if line.cost_category and not source.funds_category(line.cost_category):
        errors["cost_category"] = _("The source does not fund this cost category.")
    return errors


def _check_over_allocation(line: BudgetLine) -> dict[str, str]:
    """Refuses an action's line that takes a source beyond its allocation, where the source says so.

    The line's source pays its share; the plan's own budget (a source of kind "own") pays the own share.
    """
    if line.action_id is None or line.year is None:
        return {}
    checks = [] if line.source.kind == SourceKind.OWN else [(line.source, line.eu_share)]
    own = FundingSource.objects.filter(plan_id=line.plan_id, kind=SourceKind.OWN, refuse_over_allocation=True)
    checks += [(source, line.own_share) for source in own]
    for source, share in checks:
        if not source.refuse_over_allocation:
            continue
        used, allocation = allocation_use(source, line.year, exclude_pk=line.pk)
        if allocation is not None and used + share > allocation:
            return {
                "amount": _("%(source)s has %(left)s € left of its %(year)s allocation.")
                % {"source": source.code, "left": allocation - used, "year": line.year}
            }
    return {}


def _may_cost(acting_user: User | None, line: BudgetLine) -> dict[str, str]:
    """A proposer may only cost their own draft proposals; actions' lines are the plan writers'."""
    if acting_user is None:
        return {}
    # Django's users and AnonymousUser both answer has_perm; the User union's base class does not say so.
    checker = cast(Any, acting_user)
    target = line.proposal if line.proposal_id else None
    if target is not None and not checker.has_perm("portfolio.change_proposal", target):
        return {"proposal": _("You may not change this proposal's costs.")}
    if line.action_id and not checker.has_perm("portfolio.decide_proposal", line.plan):
        return {"action": _("You may not change this action's budget.")}
    return {}


def _save_line(line: BudgetLine, *, acting_user: User | None) -> BudgetLine:
    errors: dict[str, Any] = {}
    try:
        # The database's "action or proposal" constraint is reported on the field by _line_errors.
        line.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not errors:
        errors.update(_may_cost(acting_user, line) or _line_errors(line))
    if not errors:
        line.eu_share, line.own_share = line.source.split(line.amount)
        errors.update(_check_over_allocation(line))
    _raise(errors)
    return save_with_history(line, acting_user=acting_user)


@transaction.atomic
def budget_line_create(*, acting_user: User | None, plan: Plan, data: dict[str, Any]) -> BudgetLine:
    line = BudgetLine(plan=plan)
    apply_fields(line, data, BUDGET_LINE.editable_names())
    return _save_line(line, acting_user=acting_user)


@transaction.atomic
def budget_line_update(*, acting_user: User | None, line: BudgetLine, data: dict[str, Any]) -> BudgetLine:
    apply_fields(line, data, BUDGET_LINE.editable_names())
    return _save_line(line, acting_user=acting_user)


@transaction.atomic
def budget_line_delete(*, acting_user: User | None, line: BudgetLine) -> None:
    delete_with_history(line, acting_user=acting_user)


# --- Execution


def _check_entry(entry: ExecutionEntry) -> None:
    if entry.budget_line.action_id is None:
        raise ValidationError({"budget_line": _("Execution is recorded against an action's budget line.")})


execution_create, execution_update, execution_delete = PlainServices(
    ExecutionEntry,
    parent="budget_line",
    fields=EXECUTION_ENTRY.editable_names(),
    check=_check_entry,
    object_arg="entry",
)


# --- Scenarios


def _solve(scenario: Scenario) -> None:
    from municipia.portfolio.optimiser import solve_plan

    scenario.result = solve_plan(scenario.plan, scenario.parameters or {}).as_dict()


@transaction.atomic
def scenario_create(*, acting_user: User | None, plan: Plan, data: dict[str, Any]) -> Scenario:
    scenario = Scenario(plan=plan)
    scenario.created_by = signed_in(acting_user)
    apply_fields(scenario, data, SCENARIO.editable_names())
    scenario.full_clean()
    _check_parameters(scenario)
    _solve(scenario)
    return save_with_history(scenario, acting_user=acting_user)


@transaction.atomic
def scenario_update(*, acting_user: User | None, scenario: Scenario, data: dict[str, Any]) -> Scenario:
    apply_fields(scenario, data, SCENARIO.editable_names())
    scenario.full_clean()
    _check_parameters(scenario)
    _solve(scenario)
    return save_with_history(scenario, acting_user=acting_user)


@transaction.atomic
def scenario_delete(*, acting_user: User | None, scenario: Scenario) -> None:
    delete_with_history(scenario, acting_user=acting_user)


def _check_parameters(scenario: Scenario) -> None:
    from municipia.portfolio.optimiser import parameter_errors

    message = parameter_errors(scenario.parameters)
    if message:
        raise ValidationError({"parameters": message})


@transaction.atomic
def scenario_apply(*, acting_user: User | None, scenario: Scenario) -> list[Proposal]:
    """The coordinator adopts the scenario: its selected proposals are accepted and become actions."""
    result = scenario.result or {}
    if result.get("status") != "optimal":
        raise ValidationError({"result": _("Only a scenario with an optimal selection can be applied.")})
    ids = [int(key[1:]) for key in result.get("selected", []) if key.startswith("p")]
    proposals = {
        p.pk: p for p in Proposal.objects.filter(plan_id=scenario.plan_id, pk__in=ids).select_related("axis", "plan")
    }
    accepted = []
    # Dependencies first, so an action's dependencies already exist when it is created.
    for proposal in _dependency_order(list(proposals.values())):
        if proposal.status == ProposalStatus.ACCEPTED:
            continue
        if proposal.status not in (ProposalStatus.SUBMITTED, ProposalStatus.UNDER_EVALUATION):
            raise ValidationError({"result": _("“%(title)s” is no longer open.") % {"title": proposal.title}})
        accepted.append(proposal_accept(acting_user=acting_user, proposal=proposal))
    scenario.applied_at = timezone.now()
    save_with_history(scenario, acting_user=acting_user, reason="applied")
    return accepted


def _dependency_order(proposals: list[Proposal]) -> list[Proposal]:
    ids = {p.pk for p in proposals}
    needs: dict[int, set[int]] = {p.pk: set() for p in proposals}
    for source, target in Proposal.depends_on.through.objects.filter(from_proposal_id__in=ids).values_list(
        "from_proposal_id", "to_proposal_id"
    ):
        if target in ids:
            needs[source].add(target)
    by_id = {p.pk: p for p in proposals}
    ordered: list[Proposal] = []
    done: set[int] = set()
    while len(done) < len(ids):
        ready = sorted(pk for pk in ids - done if needs[pk] <= done) or sorted(ids - done)
        for pk in ready:
            ordered.append(by_id[pk])
            done.add(pk)
    return ordered


# --- Execution imports


@transaction.atomic
def execution_mapping_save(*, acting_user: User | None, plan: Plan, columns: dict[str, str]) -> ExecutionMapping:
    from municipia.portfolio.importer import FIELDS

    unknown = set(columns) - set(FIELDS)
    if unknown:
        raise ValidationError({"columns": _("Unknown field: %(names)s.") % {"names": ", ".join(sorted(unknown))}})
    mapping, _created = ExecutionMapping.objects.get_or_create(plan=plan)
    mapping.columns = {name: str(value).strip() for name, value in columns.items() if str(value or "").strip()}
    mapping.full_clean()
    mapping.save()
    return mapping


@transaction.atomic
def execution_import(
    *, acting_user: User | None, plan: Plan, name: str, content: bytes, columns: dict[str, str]
) -> int:
    """Imports every row of an accounting export as execution entries, or none (every bad row named)."""
    from municipia.portfolio.importer import UnreadableFile, check_table, read_table

    try:
        table = read_table(name, content)
    except UnreadableFile as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    result = check_table(plan, table, columns)
    if not result.ok:
        raise ValidationError({"file": [str(error) for error in result.errors]})
    for row in result.rows:
        entry = ExecutionEntry(budget_line=row.line, **row.data)
        save_with_history(entry, acting_user=acting_user, reason="import")
    return len(result.rows)
