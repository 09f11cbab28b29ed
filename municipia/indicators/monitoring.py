"""How a plan's actions are doing (from dates, milestones and progress), rolled up to objective, axis and plan.

**Action health** is the one computed status of `municipia.strategy.status` (rules there and on
the pages), read through `strategy.selectors.with_status_facts`: this module only rolls it up.

**Roll-up**: each objective, axis and plan gets the weighted share of its actions in each
health, with the weights of `municipia.strategy.selectors.progress_rollup`: an objective's
share is the action-weighted mean of its actions (1 if in that health, else 0); an axis's is the
objective-weighted mean of its objectives' shares; a plan's the axis-weighted mean of its axes'.
Elements without (non-cancelled) actions have no share and do not weigh. From the shares:

- `late` when at least `LATE_SHARE` (25 %) of the weight is late;
- else `at_risk` when at least `RISK_SHARE` (25 %) is late or at risk;
- else `done` when all of it is done; `not_started` when all of it is not started;
- else `on_track`. No actions: no health (None).

Progress comes from `progress_rollup` unchanged. Everything for a set of plans is read in a
constant number of queries (four here plus progress_rollup's three).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from municipia.core.cache import cached_value
from municipia.core.i18n import translated_names
from municipia.indicators.choices import ActionHealth, IndicatorStatus
from municipia.indicators.models import Indicator
from municipia.indicators.selectors import indicator_status, indicators_visible_to, status_parts
from municipia.indicators.status import Assessment
from municipia.organizations.models import Organization
from municipia.organizations.selectors import network_member_ids, organizations_by_id
from municipia.strategy.models import Action, Axis, Plan
from municipia.strategy.selectors import (
    Rollup,
    action_status,
    actions_of_plans,
    axis_weights,
    objective_weights,
    progress_rollup,
    with_status_facts,
)
from municipia.strategy.status import STATUS_ORDER, Verdict, status_counts

LATE_SHARE = 0.25
RISK_SHARE = 0.25
# Worst first: the order of tables and charts.
HEALTH_ORDER = STATUS_ORDER
HEALTH_COLOURS = {
    ActionHealth.LATE: "#b42318",
    ActionHealth.AT_RISK: "#E69F00",
    ActionHealth.ON_TRACK: "#0072B2",
    ActionHealth.NOT_STARTED: "#9aa3ad",
    ActionHealth.DONE: "#146c2e",
    ActionHealth.CANCELLED: "#d5dbe3",
}


@dataclass
class ElementHealth:
    """An objective, axis or plan: its weighted progress, health shares, health and action counts."""

    progress: float | None = None
    shares: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def health(self) -> str | None:
        return health_from_shares(self.shares)

    @property
    def action_count(self) -> int:
        return sum(n for h, n in self.counts.items() if h != ActionHealth.CANCELLED)


def health_from_shares(shares: dict[str, float]) -> str | None:
    """The element's health from the weighted shares of its actions (rules in the module docstring)."""
    if not shares:
        return None
    late = shares.get(ActionHealth.LATE, 0.0)
    if late >= LATE_SHARE:
        return ActionHealth.LATE
    if late + shares.get(ActionHealth.AT_RISK, 0.0) >= RISK_SHARE:
        return ActionHealth.AT_RISK
    if shares.get(ActionHealth.DONE, 0.0) >= 1 - 1e-9:
        return ActionHealth.DONE
    if shares.get(ActionHealth.NOT_STARTED, 0.0) >= 1 - 1e-9:
        return ActionHealth.NOT_STARTED
    return ActionHealth.ON_TRACK


def _weighted_shares(pairs: list[tuple[Decimal, dict[str, float]]]) -> dict[str, float]:
    """The weighted mean of children's shares; children without shares (no actions) do not weigh."""
    weighted = [(float(w), s) for w, s in pairs if s]
    total = sum(w for w, _s in weighted)
    if not total:
        return {}
    out: dict[str, float] = defaultdict(float)
    for weight, shares in weighted:
        for health, share in shares.items():
            out[health] += weight * share / total
    return dict(out)


@dataclass
class ActionState:
    """One action (only the fields the dashboard shows are loaded) and its verdict."""

    action: Action
    verdict: Verdict

    @property
    def health(self) -> str:
        return self.verdict.health

    @property
    def reason(self) -> str:
        return self.verdict.explanation


@dataclass
class PlanMonitoring:
    actions: dict[int, ActionState] = field(default_factory=dict)
    objectives: dict[int, ElementHealth] = field(default_factory=dict)
    axes: dict[int, ElementHealth] = field(default_factory=dict)
    plans: dict[int, ElementHealth] = field(default_factory=dict)


def plan_monitoring(plan_ids: list[int], *, today: dt.date | None = None) -> PlanMonitoring:
    """Health of every action, objective, axis and plan in `plan_ids`, in six queries whatever their size."""
    today = today or timezone.localdate()
    result = PlanMonitoring()
    if not plan_ids:
        return result
    rows = (
        with_status_facts(actions_of_plans(plan_ids), today)
        .order_by("code")
        .only(
            "id",
            "code",
            *translated_names("title"),
            "objective_id",
            "plan_id",
            "status",
            "progress",
            "weight",
            "start_date",
            "end_date",
            "updated_at",
        )
    )
    by_objective: dict[int, list[ActionState]] = defaultdict(list)
    for action in rows:
        state = ActionState(action, action_status(action, today))
        result.actions[action.pk] = state
        by_objective[action.objective_id].append(state)

    rollup: Rollup = progress_rollup(plan_ids)
    objectives = objective_weights(plan_ids)
    by_axis: dict[int, list[tuple[Decimal, ElementHealth]]] = defaultdict(list)
    for objective_id, weight, axis_id in objectives:
        element = ElementHealth(progress=rollup.objectives.get(objective_id))
        counted = [s for s in by_objective.get(objective_id, []) if s.health != ActionHealth.CANCELLED]
        for state in by_objective.get(objective_id, []):
            element.counts[state.health] = element.counts.get(state.health, 0) + 1
        total = sum(float(s.action.weight) for s in counted)
        if total:
            for state in counted:
                element.shares[state.health] = (
                    element.shares.get(state.health, 0.0) + float(state.action.weight) / total
                )
        result.objectives[objective_id] = element
        by_axis[axis_id].append((weight, element))

    by_plan: dict[int, list[tuple[Decimal, ElementHealth]]] = defaultdict(list)
    for axis_id, weight, plan_id in axis_weights(plan_ids):
        children = by_axis.get(axis_id, [])
        element = ElementHealth(
            progress=rollup.axes.get(axis_id),
            shares=_weighted_shares([(w, child.shares) for w, child in children]),
            counts=_sum_counts(child for _w, child in children),
        )
        result.axes[axis_id] = element
        by_plan[plan_id].append((weight, element))
    for plan_id in plan_ids:
        children = by_plan.get(plan_id, [])
        result.plans[plan_id] = ElementHealth(
            progress=rollup.plans.get(plan_id),
            shares=_weighted_shares([(w, child.shares) for w, child in children]),
            counts=_sum_counts(child for _w, child in children),
        )
    return result


def _sum_counts(children) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for child in children:
        for health, n in child.counts.items():
            counts[health] += n
    return dict(counts)


# --- The plan dashboard: progress and health by axis, action counts, indicators needing attention.

# Rows listed per table on the dashboard; the totals are always given.
DASHBOARD_ROWS = 25
# An action under way whose record has not changed for this long is listed as "not updated".
STALE_ACTION_DAYS = 90


@dataclass
class AxisRow:
    axis: Axis
    element: ElementHealth


@dataclass
class IndicatorIssue:
    indicator: Indicator
    organization: Organization
    assessment: Assessment


@dataclass
class IndicatorSummary:
    indicator: Indicator
    counts: dict[str, int]
    stale: int


@dataclass
class PlanDashboard:
    plan: Plan
    monitoring: PlanMonitoring
    overall: ElementHealth
    axes: list[AxisRow]
    health_counts: list[tuple[str, str, int]]
    attention: list[ActionState]
    not_updated: list[ActionState]
    indicators: list[IndicatorSummary]
    off_track: list[IndicatorIssue]
    off_track_total: int
    stale: list[IndicatorIssue]
    stale_total: int
    organization_count: int
    today: dt.date


@dataclass
class StatusSummary:
    """The dashboard's figures of many indicators × organisations: no model instances, so it can be cached.

    `off_track` and `stale` hold the first `DASHBOARD_ROWS` (indicator id, organisation id,
    assessment), worst first; the totals count them all.
    """

    counts: dict[int, dict[str, int]]
    stale_counts: dict[int, int]
    off_track: list[tuple[int, int, Assessment]]
    off_track_total: int
    stale: list[tuple[int, int, Assessment]]
    stale_total: int


def indicator_summary(indicators: list[Indicator], organization_ids: list[int], today: dt.date) -> StatusSummary:
    """Status counts per indicator and the values most off track and stalest (rules in selectors/status)."""
    table = indicator_status(indicators, organization_ids=organization_ids, today=today)
    codes = {indicator.pk: indicator.code for indicator in indicators}
    counts: dict[int, dict[str, int]] = {pk: defaultdict(int) for pk in codes}
    stale_counts: dict[int, int] = defaultdict(int)
    off_track, stale = [], []
    for (indicator_id, organization_id), assessment in table.assessments.items():
        counts[indicator_id][assessment.status] += 1
        if assessment.status == IndicatorStatus.OFF_TRACK:
            off_track.append((indicator_id, organization_id, assessment))
        if assessment.stale:
            stale_counts[indicator_id] += 1
            stale.append((indicator_id, organization_id, assessment))
    # Worst first: furthest behind what was expected, relative to the expected value.
    off_track.sort(key=lambda row: (-_shortfall(row[2]), codes[row[0]], row[1]))
    stale.sort(key=lambda row: (row[2].latest.date, codes[row[0]], row[1]))
    return StatusSummary(
        counts={pk: dict(by_status) for pk, by_status in counts.items()},
        stale_counts=dict(stale_counts),
        off_track=off_track[:DASHBOARD_ROWS],
        off_track_total=len(off_track),
        stale=stale[:DASHBOARD_ROWS],
        stale_total=len(stale),
    )


def plan_organization_ids(plan: Plan) -> list[int]:
    """Whose values a plan's indicators are judged on: a network's member councils, or the owning council."""
    members = network_member_ids([plan.owner_id])
    return members or [plan.owner_id]


def plan_indicators(user, plan: Plan) -> QuerySet[Indicator]:
    """Indicators the user may see that measure the plan's objectives or actions."""
    linked = Q(objectives__axis__plan=plan) | Q(actions__plan=plan)
    ids = indicators_visible_to(user).filter(linked).values("id")
    return Indicator.objects.filter(id__in=ids).only(
        "id", "code", *translated_names("name"), "unit", "direction", "frequency", "is_public", "updated_at"
    )


def plan_dashboard(user, plan: Plan, *, today: dt.date | None = None) -> PlanDashboard:
    """Everything the plan dashboard shows, in a constant number of queries (about a dozen)."""
    today = today or timezone.localdate()
    monitoring = plan_monitoring([plan.pk], today=today)
    axes = list(plan.axes.only("id", "code", "position", *translated_names("title"), "plan_id").order_by("position"))
    overall = monitoring.plans[plan.pk]
    states = list(monitoring.actions.values())
    health_counts = status_counts(state.verdict for state in states)
    attention = sorted(
        (s for s in states if s.health in (ActionHealth.LATE, ActionHealth.AT_RISK)),
        key=lambda s: (HEALTH_ORDER.index(s.health), s.action.end_date or dt.date.max, s.action.code),
    )
    cutoff = timezone.now() - dt.timedelta(days=STALE_ACTION_DAYS)
    not_updated = [
        s
        for s in states
        if s.health in (ActionHealth.ON_TRACK, ActionHealth.AT_RISK, ActionHealth.LATE) and s.action.updated_at < cutoff
    ]

    indicators = list(plan_indicators(user, plan))
    org_ids = plan_organization_ids(plan)
    summary = cached_value(
        "indicators-dashboard",
        status_parts("dashboard", indicators, org_ids, today, DASHBOARD_ROWS),
        lambda: indicator_summary(indicators, org_ids, today),
    )
    by_id = {indicator.pk: indicator for indicator in indicators}
    organizations = organizations_by_id(
        {row[1] for row in summary.off_track + summary.stale}, fields=("id", "slug", *translated_names("name"))
    )

    def issues(rows):
        return [IndicatorIssue(by_id[ind], organizations[org], a) for ind, org, a in rows if org in organizations]

    return PlanDashboard(
        plan=plan,
        monitoring=monitoring,
        overall=overall,
        axes=[AxisRow(axis, monitoring.axes.get(axis.pk, ElementHealth())) for axis in axes],
        health_counts=health_counts,
        attention=attention,
        not_updated=not_updated,
        indicators=[
            IndicatorSummary(i, dict(summary.counts.get(i.pk, {})), summary.stale_counts.get(i.pk, 0))
            for i in indicators
        ],
        off_track=issues(summary.off_track),
        off_track_total=summary.off_track_total,
        stale=issues(summary.stale),
        stale_total=summary.stale_total,
        organization_count=len(org_ids),
        today=today,
    )


def _shortfall(assessment: Assessment) -> float:
    if assessment.expected is None or assessment.latest is None or not assessment.expected:
        return 0.0
    return float(abs(assessment.expected - assessment.latest.value) / abs(assessment.expected))
