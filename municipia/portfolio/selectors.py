"""Reads of the portfolio shaped for pages and endpoints: scores and ranking, the plan's budget, sources."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from municipia.core.cache import cached_value, scope_versions
from municipia.core.sections import WorkItem, WorkList
from municipia.core.visibility import User
from municipia.portfolio.choices import ExecutionKind, ProposalStatus, SourceKind
from municipia.portfolio.entities import FUNDING_SOURCE, PROPOSAL
from municipia.portfolio.models import (
    BudgetLine,
    CriteriaSet,
    Criterion,
    EvaluatorAssignment,
    ExecutionEntry,
    FundingSource,
    Proposal,
    Score,
    SourceAllocation,
)
from municipia.strategy.models import Axis, Plan
from municipia.strategy.selectors import actions_among, axes_among

ZERO = Decimal("0")


@dataclass
class ProposalScore:
    """The aggregate of the evaluators whose scores count (complete and without an unallowed conflict)."""

    aggregate: float | None = None
    spread: float | None = None
    evaluators: int = 0
    excluded: int = 0
    per_evaluator: dict[int, float] = field(default_factory=dict)


def criteria_of(plan: Plan) -> tuple[CriteriaSet | None, list[Criterion]]:
    criteria_set = CriteriaSet.objects.filter(plan=plan).first()
    if criteria_set is None:
        return None, []
    return criteria_set, list(criteria_set.criteria.all())


def proposal_scores(plan: Plan, criteria: list[Criterion] | None = None) -> dict[int, ProposalScore]:
    """Every proposal's weighted score per evaluator, their mean and spread (max − min), in two queries.

    An evaluator's weighted score is Σ wᵢ·sᵢ / Σ wᵢ over the criteria; it counts once every
    criterion is scored. Evaluators with a conflict of interest count only where allowed.
    """
    if criteria is None:
        criteria = criteria_of(plan)[1]
    weights = {c.pk: float(c.weight) for c in criteria}
    total_weight = sum(weights.values())
    rows = Score.objects.filter(assignment__proposal__plan=plan).values_list(
        "assignment_id",
        "assignment__proposal_id",
        "assignment__conflict_of_interest",
        "assignment__conflict_allowed",
        "criterion_id",
        "value",
    )
    by_assignment: dict[int, dict] = {}
    for assignment_id, proposal_id, conflict, allowed, criterion_id, value in rows:
        entry = by_assignment.setdefault(
            assignment_id, {"proposal": proposal_id, "counts": not conflict or allowed, "values": {}}
        )
        entry["values"][criterion_id] = float(value)
    result: dict[int, ProposalScore] = defaultdict(ProposalScore)
    for assignment_id, entry in by_assignment.items():
        score = result[entry["proposal"]]
        if not entry["counts"]:
            score.excluded += 1
            continue
        if not weights or set(weights) - set(entry["values"]) or total_weight <= 0:
            continue
        score.per_evaluator[assignment_id] = sum(weights[c] * entry["values"][c] for c in weights) / total_weight
    for score in result.values():
        values = list(score.per_evaluator.values())
        score.evaluators = len(values)
        if values:
            score.aggregate = sum(values) / len(values)
            score.spread = max(values) - min(values)
    return dict(result)


@dataclass
class RankRow:
    proposal: Proposal
    score: ProposalScore
    rank_in_axis: int | None
    rank_in_plan: int | None


def ranking(plan: Plan, user: User | None) -> list[RankRow]:
    """The proposals `user` may see, best first, with their rank in their axis and in the plan."""
    proposals = list(
        PROPOSAL.visible(user, Proposal.objects.filter(plan=plan))
        .exclude(status__in=[ProposalStatus.DRAFT, ProposalStatus.MERGED])
        .select_related("axis", "proposing_council")
        .order_by("axis__position", "axis__code", "pk")
    )
    scores = proposal_scores(plan)
    empty = ProposalScore()

    def key(proposal: Proposal) -> float:
        value = scores.get(proposal.pk, empty).aggregate
        return -value if value is not None else float("inf")

    ordered = sorted(proposals, key=key)
    plan_rank = {p.pk: i + 1 for i, p in enumerate(x for x in ordered if scores.get(x.pk, empty).aggregate is not None)}
    axis_rank: dict[int, int] = {}
    counters: dict[int, int] = defaultdict(int)
    for proposal in ordered:
        if scores.get(proposal.pk, empty).aggregate is not None:
            counters[proposal.axis_id] += 1
            axis_rank[proposal.pk] = counters[proposal.axis_id]
    return [RankRow(p, scores.get(p.pk, empty), axis_rank.get(p.pk), plan_rank.get(p.pk)) for p in ordered]


def proposal_list(plan: Plan, user: User | None) -> QuerySet[Proposal]:
    return (
        PROPOSAL.visible(user, Proposal.objects.filter(plan=plan))
        .select_related("axis", "proposing_council", "action")
        .annotate(cost=Sum("budget_lines__amount"))
        .order_by("axis__position", "axis__code", "pk")
    )


def proposal_page(proposal: Proposal) -> dict[str, Any]:
    lines = list(proposal.budget_lines.select_related("source").order_by("year", "source__code"))
    assignments = list(
        proposal.assignments.select_related("evaluator", "organization").prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion"))
        )
    )
    return {
        "lines": lines,
        "assignments": assignments,
        "councils": list(proposal.councils.all()),
        "depends_on": list(proposal.depends_on.all()),
        "excludes": list(proposal.excludes.all()),
        "tags": list(proposal.tags.all()),
        "total": sum((line.amount for line in lines), ZERO),
    }


def source_list(plan: Plan, user: User | None) -> list[FundingSource]:
    return list(
        FUNDING_SOURCE.visible(user, FundingSource.objects.filter(plan=plan)).prefetch_related(
            Prefetch("allocations", queryset=SourceAllocation.objects.order_by("year"))
        )
    )


# --- The plan's budget: planned vs committed vs paid


@dataclass
class Money:
    planned: Decimal = ZERO
    eu_share: Decimal = ZERO
    own_share: Decimal = ZERO
    committed: Decimal = ZERO
    obligations: Decimal = ZERO
    paid: Decimal = ZERO

    def add(self, other: Money) -> None:
        for name in ("planned", "eu_share", "own_share", "committed", "obligations", "paid"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ActionRow:
    """An action as the budget page lists it: light enough to keep in the shared cache."""

    pk: int
    code: str
    title: str
    url: str

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    def get_absolute_url(self) -> str:
        return self.url


@dataclass
class BudgetSummary:
    years: list[int]
    by_action: list[tuple[ActionRow, Money]]
    by_axis: list[tuple[Axis, Money]]
    by_source: list[tuple[FundingSource, Money]]
    by_year: list[tuple[int, Money]]
    by_source_year: dict[tuple[int, int], Money]
    allocations: dict[tuple[int, int], Decimal]
    warnings: list[tuple[FundingSource, int, Decimal, Decimal]]
    total: Money
    illustrative: bool


def _money_by(plan: Plan, *keys: str) -> dict[tuple, Money]:
    """Planned and executed money of the plan's actions' lines, summed in SQL by `keys` (two queries)."""
    lines = (
        BudgetLine.objects.filter(plan=plan, action__isnull=False)
        .values_list(*keys)
        .annotate(Sum("amount"), Sum("eu_share"), Sum("own_share"))
        .order_by()
    )
    result: dict[tuple, Money] = {}
    for *key, planned, eu_share, own_share in lines:
        result[tuple(key)] = Money(planned=planned or ZERO, eu_share=eu_share or ZERO, own_share=own_share or ZERO)
    names = {
        ExecutionKind.COMMITTED: "committed",
        ExecutionKind.OBLIGATION: "obligations",
        ExecutionKind.PAYMENT: "paid",
    }
    done = (
        ExecutionEntry.objects.filter(budget_line__plan=plan, budget_line__action__isnull=False)
        .values_list(*(f"budget_line__{key}" for key in keys), "kind")
        .annotate(Sum("amount"))
        .order_by()
    )
    for *key, kind, amount in done:
        money = result.setdefault(tuple(key), Money())
        if kind in names:
            setattr(money, names[kind], getattr(money, names[kind]) + (amount or ZERO))
    return result


def plan_budget(plan: Plan) -> BudgetSummary:
    """Planned vs committed vs paid per action, axis, source and year of the plan's actions: sums
    made by the database (a fixed number of queries, and no row per budget line in Python); the
    axes' sums are the sums of their actions'."""
    per_action = _money_by(plan, "action_id")
    by_source_year: dict[tuple[int, int], Money] = defaultdict(Money, _money_by(plan, "source_id", "year"))
    sources = {s.pk: s for s in FundingSource.objects.filter(plan=plan)}
    allocations = {
        (source_id, year): amount
        for source_id, year, amount in SourceAllocation.objects.filter(source__plan=plan).values_list(
            "source_id", "year", "amount"
        )
    }
    by_action = []
    per_axis: dict[int, Money] = defaultdict(Money)
    for action in actions_among([key[0] for key in per_action]).select_related("objective"):
        money = per_action[(action.pk,)]
        row = ActionRow(action.pk, action.code, str(action.title), reverse("strategy:action-detail", args=[action.pk]))
        by_action.append((row, money))
        per_axis[action.objective.axis_id].add(money)
    axes = {axis.pk: (axis, per_axis[axis.pk]) for axis in axes_among(list(per_axis))}
    by_source: dict[int, Money] = defaultdict(Money)
    by_year: dict[int, Money] = defaultdict(Money)
    total = Money()
    for (source_id, year), money in by_source_year.items():
        by_source[source_id].add(money)
        by_year[year].add(money)
        total.add(money)
    warnings = []
    own_total = {year: money.own_share for year, money in by_year.items()}
    for (source_id, year), limit in sorted(allocations.items()):
        source = sources[source_id]
        used = (
            own_total.get(year, ZERO) if source.kind == SourceKind.OWN else by_source_year[(source_id, year)].eu_share
        )
        if used > limit:
            warnings.append((source, year, used, limit))
    return BudgetSummary(
        years=sorted(by_year),
        by_action=sorted(by_action, key=lambda pair: _code_order(pair[0].code)),
        by_axis=sorted(axes.values(), key=lambda pair: _code_order(pair[0].code)),
        by_source=[(sources[pk], money) for pk, money in sorted(by_source.items(), key=lambda kv: sources[kv[0]].code)],
        by_year=sorted(by_year.items()),
        by_source_year=dict(by_source_year),
        allocations=allocations,
        warnings=warnings,
        total=total,
        illustrative=any(s.is_illustrative for s in sources.values()),
    )


def _code_order(code: str) -> tuple:
    """Codes in reading order: 1.2 before 1.10."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.split("."))


#: A `Money` formatted for the page (in the language active when it was made), as a plain tuple in
#: this order: plain tuples of str unpickle without a constructor call per row (a NamedTuple's took
#: most of a signed-in request's time at 1,000 actions).
MONEY_FIELDS = ("planned", "eu_share", "own_share", "committed", "obligations", "paid")
MoneyText = tuple[str, str, str, str, str, str]


def _amount(value: Decimal) -> str:
    # A plain str: floatformat's SafeString pickles through a constructor call, which made unpickling
    # the kept page take most of a request's time (digits and separators need no escaping anyway).
    return "".join((floatformat(value, "2g"),))


def _text(money: Money) -> MoneyText:
    planned, eu_share, own_share, committed, obligations, paid = (
        _amount(getattr(money, name)) for name in MONEY_FIELDS
    )
    return (planned, eu_share, own_share, committed, obligations, paid)


@dataclass
class BudgetPage:
    """What the budget page shows, formatted once per plan version and language and kept in the shared
    cache: strings unpickle fast and need no formatting per request (that was most of a request's time)."""

    by_source: list[tuple[str, MoneyText, str]]
    by_year: list[tuple[str, MoneyText, str]]
    by_axis: list[tuple[str, MoneyText, str]]
    by_action: list[tuple[str, MoneyText, str]]  # (code and title, money, the action's address)
    #: Positions in `by_action` for each order of BUDGET_SORTS.
    orders: dict[str, list[int]]
    warnings: list[tuple[str, int, str, str]]  # (source code, year, planned, allocation)
    total: MoneyText
    illustrative: bool


def budget_page(summary: BudgetSummary) -> BudgetPage:
    by_action = [(str(row), _text(money), row.url) for row, money in summary.by_action]
    orders = {"code": list(range(len(by_action)))}
    for name in ("planned", "committed", "paid"):
        # Largest first; equal amounts keep the codes' order (sorted is stable).
        orders[name] = sorted(orders["code"], key=lambda i: -getattr(summary.by_action[i][1], name))
    return BudgetPage(
        by_source=[(str(source), _text(money), "") for source, money in summary.by_source],
        by_year=[(str(year), _text(money), "") for year, money in summary.by_year],
        by_axis=[(str(axis), _text(money), "") for axis, money in summary.by_axis],
        by_action=by_action,
        orders=orders,
        warnings=[(source.code, year, _amount(used), _amount(limit)) for source, year, used, limit in summary.warnings],
        total=_text(summary.total),
        illustrative=summary.illustrative,
    )


def plan_budget_kept(plan: Plan, versions: str | None = None) -> BudgetPage:
    """`plan_budget` formatted for the page, computed once per version of the plan's content and language
    and kept in the shared cache: any save or delete of the plan's budget lines, execution entries,
    sources, allocations, actions or axes bumps the plan's version (`core.signals`), so what is kept is
    never stale. One query (the versions, unless the caller read them: `versions`) when it is kept."""
    parts = [plan.pk, versions or scope_versions(("plan", plan.pk)), get_language()]
    page = cached_value("portfolio-budget", parts, lambda: budget_page(plan_budget(plan)))
    return page  # type: ignore[return-value]


#: How the budget page's per-action table may be sorted: by code, or by the largest amounts first.
BUDGET_SORTS = ("code", "planned", "committed", "paid")


def budget_actions(page: BudgetPage, sort: str) -> list[tuple[str, MoneyText, str]]:
    order = page.orders.get(sort, page.orders["code"])
    return [page.by_action[i] for i in order]


def my_work_evaluations(user: User) -> list[WorkList]:
    """The "My work" list of the portfolio: proposals under evaluation that I am asked to score
    and have not scored on every criterion yet."""
    assignments = (
        EvaluatorAssignment.objects.filter(evaluator_id=user.pk, proposal__status=ProposalStatus.UNDER_EVALUATION)
        .select_related("proposal__plan")
        .annotate(scored=Count("scores"))
        .order_by("proposal__plan_id", "proposal_id")
    )
    criteria = dict(
        Criterion.objects.filter(criteria_set__plan__in={a.proposal.plan_id for a in assignments})
        .values("criteria_set__plan_id")
        .annotate(n=Count("id"))
        .values_list("criteria_set__plan_id", "n")
    )
    due = [a for a in assignments if a.scored < criteria.get(a.proposal.plan_id, 0) or not a.scored]
    if not due:
        return []
    items = [WorkItem(str(a.proposal), a.proposal.get_absolute_url(), str(a.proposal.plan)) for a in due[:25]]
    return [WorkList(key="evaluations", title=_("Proposals to evaluate"), items=items, total=len(due))]
