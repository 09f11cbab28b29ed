"""Reads of frameworks, alignments, coverage and suggestions, each in a fixed number of queries."""

import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404

from municipia.alignment.choices import ItemLevel
from municipia.alignment.entities import ALIGNMENT, FRAMEWORK, FRAMEWORK_ITEM
from municipia.alignment.models import Alignment, Framework, FrameworkItem, PlanFramework, SuggestionFeedback
from municipia.alignment.suggester import Suggester
from municipia.core.i18n import language_codes
from municipia.core.visibility import User
from municipia.indicators.choices import IndicatorStatus
from municipia.indicators.entities import INDICATOR
from municipia.indicators.models import Indicator
from municipia.indicators.selectors import indicator_status, indicators_among
from municipia.indicators.status import Point
from municipia.organizations.choices import OrganizationKind
from municipia.organizations.models import Organization
from municipia.organizations.selectors import network_member_ids
from municipia.strategy.entities import PLAN
from municipia.strategy.models import Action, Axis, Objective, Plan
from municipia.strategy.selectors import (
    action_ids_only,
    action_rows,
    actions_for_review,
    objective_axis_ids,
    plan_axes,
)

SDG, PRTR, DIGITAL_RIGHTS = "SDG", "PRTR", "DIGITAL-RIGHTS"


def _titles(prefix: str = "") -> list[str]:
    return [f"{prefix}{name}_{code}" for name in ("title", "short_title") for code in language_codes()]


# --- Frameworks


def framework_list() -> QuerySet[Framework]:
    return Framework.objects.select_related("owner").annotate(item_count=Count("items"))


def framework_get(*, code: str) -> Framework:
    """A framework by code (frameworks are public); Http404 if there is none."""
    return cast(Framework, FRAMEWORK.get(None, code=code))


def item_get(*, pk: int) -> FrameworkItem:
    """A framework item by id (items are public); Http404 if there is none."""
    return cast(FrameworkItem, FRAMEWORK_ITEM.get(None, pk=pk))


@dataclass
class TreeRow:
    item: FrameworkItem
    depth: int
    matches: bool = True


def framework_tree(framework: Framework, *, search: str = "", levels: tuple[str, ...] = ()) -> list[TreeRow]:
    """The framework's items depth first (one query); with `search`, the matches and their ancestors."""
    items = list(framework.items.select_related("owner").order_by("position", "id"))
    if levels:
        items = [item for item in items if item.level in levels]
    children: dict[int | None, list[FrameworkItem]] = {}
    known = {item.pk for item in items}
    for item in items:
        parent = item.parent_id if item.parent_id in known else None
        children.setdefault(parent, []).append(item)
    rows: list[TreeRow] = []
    stack = [(item, 0) for item in reversed(children.get(None, []))]
    while stack:
        item, depth = stack.pop()
        rows.append(TreeRow(item, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(item.pk, [])))
    needle = search.strip().casefold()[:200]
    if not needle:
        return rows
    by_pk = {item.pk: item for item in items}
    keep: set[int] = set()
    for row in rows:
        texts = [row.item.code, *(getattr(row.item, name) or "" for name in _titles())]
        row.matches = any(needle in text.casefold() for text in texts)
        if row.matches:
            pk: int | None = row.item.pk
            while pk is not None and pk not in keep:
                keep.add(pk)
                pk = by_pk[pk].parent_id if pk in by_pk else None
    return [row for row in rows if row.item.pk in keep]


def plan_frameworks(plan: Plan) -> list[Framework]:
    """The frameworks `plan` is aligned to: the default ones (the SDGs) and those it chose, in one query."""
    return list(
        Framework.objects.filter(Q(is_default=True) | Q(plan_frameworks__plan=plan)).distinct().order_by("position")
    )


def plan_framework_rows(plan: Plan) -> list[PlanFramework]:
    return list(PlanFramework.objects.filter(plan=plan).select_related("framework"))


def frameworks_available_to(plan: Plan) -> list[Framework]:
    """Frameworks the plan could add: reference ones and its owner's (or network members') own."""
    owner_ids = [plan.owner_id]
    if plan.owner.kind == OrganizationKind.NETWORK:
        owner_ids += network_member_ids([plan.owner_id])
    return list(
        Framework.objects.filter(Q(owner__isnull=True) | Q(owner_id__in=owner_ids))
        .filter(is_default=False)
        .exclude(plan_frameworks__plan=plan)
        .order_by("position", "code")
    )


def _owner_ids(plans: list[Plan]) -> list[int]:
    """The plans' owners and, for a network's plan, its member councils (one query when there is a network)."""
    owner_ids = [plan.owner_id for plan in plans]
    networks = [plan.owner_id for plan in plans if plan.owner.kind == OrganizationKind.NETWORK]
    if networks:
        owner_ids += network_member_ids(networks)
    return owner_ids


def taggable_items(plan: Plan) -> list[FrameworkItem]:
    """Items an element of `plan` may be aligned to (indicators left out of the form's list), one query."""
    owner_ids = [plan.owner_id]
    if plan.owner.kind == OrganizationKind.NETWORK:
        owner_ids += network_member_ids([plan.owner_id])
    frameworks = Q(framework__is_default=True) | Q(framework__plan_frameworks__plan=plan)
    return list(
        FrameworkItem.objects.filter(frameworks)
        .filter(Q(owner__isnull=True) | Q(owner_id__in=owner_ids))
        .exclude(level=ItemLevel.INDICATOR)
        .select_related("framework")
        .distinct()
        .order_by("framework__position", "position", "id")
    )


def indicator_frameworks(plans: list[Plan]) -> list[Framework]:
    """The frameworks an indicator measuring `plans` may be aligned to: the default ones and the plans' own."""
    return list(
        Framework.objects.filter(Q(is_default=True) | Q(plan_frameworks__plan__in=plans))
        .distinct()
        .order_by("position", "code")
    )


def indicator_taggable_items(indicator: Indicator, plans: list[Plan]) -> list[FrameworkItem]:
    """Items the indicator may be aligned to, SDG indicators (e.g. 11.3.1) included, in one or two queries."""
    owner_ids = [*_owner_ids(plans), indicator.owner_organization_id]
    frameworks = Q(framework__is_default=True) | Q(framework__plan_frameworks__plan__in=plans)
    return list(
        FrameworkItem.objects.filter(frameworks)
        .filter(Q(owner__isnull=True) | Q(owner_id__in=[pk for pk in owner_ids if pk is not None]))
        .select_related("framework")
        .distinct()
        .order_by("framework__position", "position", "id")
    )


# --- Alignments


def alignment_get(user: User | None, *, pk: object) -> Alignment:
    return cast(Alignment, ALIGNMENT.get(user, pk=pk))


def element_alignments(**element: object) -> list[Alignment]:
    """Alignments of one element (e.g. `action=action`), primary first, with their items."""
    return list(
        Alignment.objects.filter(**element)
        .select_related("item__framework", "item__parent")
        .order_by("item__framework__position", "-is_primary", "item__position")
    )


@dataclass
class ElementRow:
    kind: str
    element: object
    label: str
    alignments: list[Alignment] = field(default_factory=list)


def plan_alignment_rows(plan: Plan) -> list[ElementRow]:
    """The plan, its axes and objectives with their alignments (actions have their own pages): 3 queries."""
    axes = list(plan.axes.prefetch_related("objectives").order_by("position", "code"))
    alignments = list(
        Alignment.objects.filter(in_plan=plan, action__isnull=True)
        .select_related("item__framework")
        .order_by("item__framework__position", "-is_primary", "item__position")
    )
    by_key: dict[tuple[str, int], list[Alignment]] = {}
    for alignment in alignments:
        kind = alignment.element_kind
        by_key.setdefault((kind, getattr(alignment, f"{kind}_id")), []).append(alignment)
    rows = [ElementRow("plan", plan, plan.title, by_key.get(("plan", plan.pk), []))]
    for axis in axes:
        rows.append(ElementRow("axis", axis, str(axis), by_key.get(("axis", axis.pk), [])))
        for objective in axis.objectives.all():
            rows.append(ElementRow("objective", objective, str(objective), by_key.get(("objective", objective.pk), [])))
    return rows


# --- Coverage


@dataclass
class Cell:
    actions: int = 0
    budget: Decimal = Decimal("0")


@dataclass
class CoverageRow:
    label: str
    code: str
    cells: list[Cell]
    actions: int = 0
    budget: Decimal = Decimal("0")


@dataclass
class GoalTotal:
    goal: FrameworkItem
    actions: int = 0
    budget: Decimal = Decimal("0")
    action_ids: list[int] = field(default_factory=list)

    @property
    def target_count(self) -> int:
        return len(self.served_targets) + len(self.unserved_targets)

    served_targets: list[FrameworkItem] = field(default_factory=list)
    unserved_targets: list[FrameworkItem] = field(default_factory=list)


@dataclass
class ShareRow:
    item: FrameworkItem
    actions: int = 0
    budget: Decimal = Decimal("0")
    share: float | None = None  # percentage of the total budget


@dataclass
class PrincipleRow:
    item: FrameworkItem
    depth: int
    elements: int = 0


@dataclass
class Coverage:
    rows: list[CoverageRow]
    goals: list[GoalTotal]
    pillars: list[ShareRow]
    principles: list[PrincipleRow]
    action_count: int
    aligned_action_count: int
    budget_total: Decimal
    plans: list[Plan]
    uses_prtr: bool = False
    uses_rights: bool = False

    @property
    def served_target_count(self) -> int:
        return sum(len(goal.served_targets) for goal in self.goals)

    @property
    def principles_touched(self) -> int:
        return sum(1 for row in self.principles if row.elements)


def _reference_items() -> list[FrameworkItem]:
    return list(
        FrameworkItem.objects.filter(
            Q(framework__code=SDG, level__in=(ItemLevel.GOAL, ItemLevel.TARGET), owner__isnull=True)
            | Q(framework__code=PRTR, level=ItemLevel.PILLAR)
            | Q(framework__code=DIGITAL_RIGHTS)
        )
        .select_related("framework")
        .only("id", "code", "level", "parent_id", "position", "framework__code", "framework__id", *_titles())
        .order_by("framework__position", "position", "id")
    )


ElementKey = tuple[str, int | None]


@dataclass
class _ItemsOfElements:
    """What each aligned element serves, resolved to SDG goals and PRTR pillars, and what the plans touch."""

    goals: dict[ElementKey, set[int]] = field(default_factory=dict)
    pillars: dict[ElementKey, set[int]] = field(default_factory=dict)
    served_targets: set[int] = field(default_factory=set)
    rights_count: dict[int, int] = field(default_factory=dict)


def _element_key(plan_id: int, axis_id: int, objective_id: int, action_id: int) -> ElementKey:
    if action_id:
        return ("action", action_id)
    if objective_id:
        return ("objective", objective_id)
    if axis_id:
        return ("axis", axis_id)
    return ("plan", plan_id)


def _reference_resolver(reference: list[FrameworkItem], item_ids: set[int]) -> Callable[[int], FrameworkItem | None]:
    """A function giving the reference item (SDG goal or target, pillar, right) an aligned item counts for.

    Items aligned but not among the reference ones (SDG indicators, local targets) count for
    their parent or grandparent, read here in one query.
    """
    by_pk = {item.pk: item for item in reference}
    parents: dict[int, int | None] = {}
    for pk, parent_id, grandparent_id in FrameworkItem.objects.filter(pk__in=item_ids - set(by_pk)).values_list(
        "id", "parent_id", "parent__parent_id"
    ):
        parents[pk] = parent_id if parent_id in by_pk else grandparent_id

    def reference_item(item_id: int) -> FrameworkItem | None:
        item = by_pk.get(item_id)
        parent_id = parents.get(item_id)
        if item is None and parent_id is not None:
            item = by_pk.get(parent_id)
        return item

    return reference_item


def _goal_and_target(item: FrameworkItem | None) -> tuple[int | None, int | None]:
    if item is None or item.framework.code != SDG:
        return None, None
    if item.level == ItemLevel.GOAL:
        return item.pk, None
    return item.parent_id, item.pk


def _items_of_elements(
    alignments: list[tuple], reference_item: Callable[[int], FrameworkItem | None], pillar_ids: set[int]
) -> _ItemsOfElements:
    found = _ItemsOfElements()
    for plan_id, axis_id, objective_id, action_id, item_id in alignments:
        key = _element_key(plan_id, axis_id, objective_id, action_id)
        item = reference_item(item_id)
        goal_id, target_id = _goal_and_target(item)
        if goal_id is not None:
            found.goals.setdefault(key, set()).add(goal_id)
        if target_id is not None:
            found.served_targets.add(target_id)
        if item is None:
            continue
        if item.pk in pillar_ids:
            found.pillars.setdefault(key, set()).add(item.pk)
        if item.framework.code == DIGITAL_RIGHTS:
            found.rights_count[item.pk] = found.rights_count.get(item.pk, 0) + 1
    return found


@dataclass
class _ActionTally:
    rows: list[CoverageRow]
    totals: list[GoalTotal]
    pillar_rows: list[ShareRow]
    budget_total: Decimal = Decimal("0")
    aligned: int = 0


def _count_action(
    tally: _ActionTally,
    action_id: int,
    budget: Decimal,
    row_index: int | None,
    goal_indexes: list[int],
    pillar_indexes: list[int],
) -> None:
    """Adds one action to its row, to each SDG it serves (overall and in its row) and to each pillar."""
    tally.budget_total += budget
    if goal_indexes:
        tally.aligned += 1
    row = tally.rows[row_index] if row_index is not None else None
    if row is not None:
        row.actions += 1
        row.budget += budget
    for i in goal_indexes:
        tally.totals[i].actions += 1
        tally.totals[i].budget += budget
        tally.totals[i].action_ids.append(action_id)
        if row is not None:
            row.cells[i].actions += 1
            row.cells[i].budget += budget
    for i in pillar_indexes:
        tally.pillar_rows[i].actions += 1
        tally.pillar_rows[i].budget += budget


def _split_targets(totals: list[GoalTotal], reference: list[FrameworkItem], served: set[int]) -> None:
    targets_by_goal: dict[int | None, list[FrameworkItem]] = {}
    for item in reference:
        if item.framework.code == SDG and item.level == ItemLevel.TARGET:
            targets_by_goal.setdefault(item.parent_id, []).append(item)
    for total in totals:
        for target in targets_by_goal.get(total.goal.pk, []):
            (total.served_targets if target.pk in served else total.unserved_targets).append(target)


def _principle_rows(principles: list[FrameworkItem], rights_count: dict[int, int]) -> list[PrincipleRow]:
    depth_of: dict[int, int] = {}
    rows = []
    for item in principles:
        depth_of[item.pk] = depth_of.get(item.parent_id, -1) + 1 if item.parent_id else 0
        rows.append(PrincipleRow(item, depth_of[item.pk], rights_count.get(item.pk, 0)))
    # A chapter is touched when it or any of its principles is.
    for row in rows:
        if row.depth == 0:
            row.elements += sum(r.elements for r in rows if r.item.parent_id == row.item.pk)
    return rows


def _coverage_rows(
    plans: list[Plan], axes: list[Axis], goal_count: int, *, by_plan: bool
) -> tuple[list[CoverageRow], dict[int, int]]:
    """The table's rows (the plans', or one plan's axes) and the index of each plan's (or axis') row."""
    if by_plan:
        rows = [
            CoverageRow(f"{plan.owner} — {plan.title}", plan.slug, [Cell() for _ in range(goal_count)])
            for plan in plans
        ]
        return rows, {plan.pk: i for i, plan in enumerate(plans)}
    rows = [CoverageRow(str(axis.title), axis.code, [Cell() for _ in range(goal_count)]) for axis in axes]
    return rows, {axis.pk: i for i, axis in enumerate(axes)}


def _tally_actions(
    tally: _ActionTally,
    actions: list[tuple[int, int, int, Decimal | None]],
    objective_axis: dict[int, int],
    served: _ItemsOfElements,
    row_of: dict[int, int],
    goal_index: dict[int, int],
    pillar_index: dict[int, int],
    *,
    by_plan: bool,
) -> None:
    """Counts each action for what it, its objective or its axis serves."""
    for action_id, plan_id, objective_id, budget in actions:
        axis_id = objective_axis.get(objective_id)
        keys: list[ElementKey] = [("action", action_id), ("objective", objective_id), ("axis", axis_id)]
        action_goals = set().union(*(served.goals.get(key, set()) for key in keys))
        action_pillars = set().union(*(served.pillars.get(key, set()) for key in keys))
        _count_action(
            tally,
            action_id,
            budget or Decimal("0"),
            row_of.get(plan_id) if by_plan else (row_of.get(axis_id) if axis_id is not None else None),
            [goal_index[goal_id] for goal_id in action_goals],
            [pillar_index[pillar_id] for pillar_id in action_pillars],
        )


def coverage_of(plans: list[Plan], *, by_plan: bool = False) -> Coverage:
    """Axes (or, for several plans, plans) × SDGs, targets served, PRTR pillar shares, rights touched.

    An action counts towards an item when the action, its objective or its axis is aligned to it
    (for an SDG, to the goal or to any target, indicator or local target under it). An action
    serving several SDGs counts in each, so a row's cells may add up to more than its total.
    Seven queries whatever the size of the plans.
    """
    plan_ids = [plan.pk for plan in plans]
    axes = plan_axes(plan_ids)
    objective_axis = objective_axis_ids(plan_ids)
    actions = action_rows(plan_ids)
    alignments = list(
        Alignment.objects.filter(in_plan_id__in=plan_ids).values_list(
            "plan_id", "axis_id", "objective_id", "action_id", "item_id"
        )
    )
    reference = _reference_items()
    reference_item = _reference_resolver(reference, {row[4] for row in alignments})
    goals = [item for item in reference if item.framework.code == SDG and item.level == ItemLevel.GOAL]
    goal_index = {goal.pk: i for i, goal in enumerate(goals)}
    pillars = [item for item in reference if item.framework.code == PRTR]
    pillar_index = {item.pk: i for i, item in enumerate(pillars)}
    principles = [item for item in reference if item.framework.code == DIGITAL_RIGHTS]
    served = _items_of_elements(alignments, reference_item, set(pillar_index))

    rows, row_of = _coverage_rows(plans, axes, len(goals), by_plan=by_plan)
    tally = _ActionTally(rows, [GoalTotal(goal) for goal in goals], [ShareRow(item) for item in pillars])
    _tally_actions(tally, actions, objective_axis, served, row_of, goal_index, pillar_index, by_plan=by_plan)
    _split_targets(tally.totals, reference, served.served_targets)
    for row in tally.pillar_rows:
        row.share = float(row.budget / tally.budget_total * 100) if tally.budget_total else None
    return Coverage(
        rows=tally.rows,
        goals=tally.totals,
        pillars=tally.pillar_rows,
        principles=_principle_rows(principles, served.rights_count),
        action_count=len(actions),
        aligned_action_count=tally.aligned,
        budget_total=tally.budget_total,
        plans=plans,
    )


def plan_coverage(plan: Plan) -> Coverage:
    coverage = coverage_of([plan])
    used = {framework.code for framework in plan_frameworks(plan)}
    coverage.uses_prtr, coverage.uses_rights = PRTR in used, DIGITAL_RIGHTS in used
    return coverage


@dataclass
class ReviewIndicator:
    indicator: Indicator
    status_counts: list[tuple[str, int]]
    owner_latest: Point | None


@dataclass
class ReviewGoal:
    total: GoalTotal
    actions: list[Action]
    indicators: list[ReviewIndicator] = field(default_factory=list)


def _indicator_goals(indicator_ids: set[int]) -> dict[int, set[str]]:
    """The SDGs each indicator is aligned to directly, through the goal or any item under it (one query)."""
    rows = Alignment.objects.filter(indicator_id__in=indicator_ids, item__framework__code=SDG).values_list(
        "indicator_id",
        "item__code",
        "item__parent__code",
        "item__parent__parent__code",
        "item__parent__parent__parent__code",
    )
    goals: dict[int, set[str]] = defaultdict(set)
    for indicator_id, *chain in rows:
        # The root of the item's chain (goal → target → indicator → local target) is the goal.
        goals[indicator_id].add(next(code for code in reversed(chain) if code is not None))
    return goals


def _review_indicators(
    user: User | None, plan: Plan, goal_actions: dict[str, set[int]]
) -> dict[str, list[ReviewIndicator]]:
    """The plan's indicators per SDG, with their status across councils, in five queries.

    The plan's indicators are those linked to its objectives or actions. One counts for a goal
    when it measures one of the goal's actions, when it is aligned to the goal or to an item
    under it (a target, an SDG indicator, a local target), or when its framework code is one of
    the goal's SDG indicators or targets (e.g. `11.6.2` → SDG 11).
    """
    linked = Q(actions__plan=plan) | Q(objectives__axis__plan=plan)
    indicator_ids = set(INDICATOR.visible(user).filter(linked).values_list("pk", flat=True))
    if not indicator_ids:
        return {}
    indicators = list(
        indicators_among(indicator_ids)
        .prefetch_related(Prefetch("actions", queryset=action_ids_only()))
        .order_by("code", "pk")
    )
    table = indicator_status(indicators)
    aligned_goals = _indicator_goals(indicator_ids)
    labels = dict(IndicatorStatus.choices)
    result: dict[str, list[ReviewIndicator]] = defaultdict(list)
    for indicator in indicators:
        measured = {action.pk for action in indicator.actions.all()}
        code_goal = (indicator.framework_code or "").split(".", 1)[0].strip()
        counts = table.counts(indicator.pk)
        owner = table.assessments.get((indicator.pk, plan.owner_id))
        entry = ReviewIndicator(
            indicator,
            [(str(labels[status]), count) for status, count in sorted(counts.items())],
            owner.latest if owner else None,
        )
        for goal, action_ids in goal_actions.items():
            if measured & action_ids or code_goal == goal or goal in aligned_goals.get(indicator.pk, ()):
                result[goal].append(entry)
    return result


def review_goals(coverage: Coverage, *, user: User | None = None, plan: Plan | None = None) -> list[ReviewGoal]:
    """Per SDG, the actions that serve it and the plan's indicators for it, for the draft local review."""
    actions = actions_for_review({pk for total in coverage.goals for pk in total.action_ids})
    goal_actions = {str(total.goal.code): set(total.action_ids) for total in coverage.goals}
    indicators = _review_indicators(user, plan, goal_actions) if plan is not None else {}
    return [
        ReviewGoal(
            total,
            sorted((actions[pk] for pk in total.action_ids), key=lambda a: a.code),
            indicators.get(str(total.goal.code), []),
        )
        for total in coverage.goals
    ]


def network_plans(user: User | None, network: Organization) -> list[Plan]:
    """The network's own plans and its member councils' plans that `user` may see (one query)."""
    members = network.memberships.values("member_id")
    return list(
        PLAN.visible(user)
        .filter(Q(owner=network) | Q(owner_id__in=members))
        .select_related("owner")
        .order_by("owner__name", "title", "pk")
    )


def network_coverage(user: User | None, network: Organization) -> Coverage:
    plans = network_plans(user, network)
    coverage = coverage_of(plans, by_plan=True)
    coverage.uses_prtr = coverage.uses_rights = True
    return coverage


# --- Suggestions


_suggesters: dict[tuple[int, int | None], Suggester] = {}
_suggesters_lock = threading.Lock()


def suggester() -> Suggester:
    """The packaged suggester, taught with every kept answer; rebuilt only when the answers change.

    Kept per process, not in the shared cache: the built suggester is a large object that is
    cheaper to rebuild here than to pickle and unpickle on every call.
    """
    state = SuggestionFeedback.objects.aggregate(count=Count("id"), last=Max("id"))
    key = (state["count"], state["last"])
    cached = _suggesters.get(key)
    if cached is not None:
        return cached
    base = Suggester.default()
    examples = list(SuggestionFeedback.objects.values_list("text", "goal", "accepted"))
    built = base.with_feedback(examples) if examples else base
    with _suggesters_lock:
        _suggesters.clear()
        _suggesters[key] = built
    return built


@dataclass
class SuggestionRow:
    goal: FrameworkItem
    score: float
    percent: int
    targets: list[tuple[FrameworkItem, float]]


def element_suggestions(
    element: Action | Indicator, *, language: str, limit: int = 3, alignments: list[Alignment] | None = None
) -> list[SuggestionRow]:
    """Likely SDGs for an action's title and description or an indicator's name and description.

    Goals the element is aligned to, or whose suggestion an editor rejected for it, are left out.
    """
    from municipia.alignment.services import suggestion_text
    from municipia.alignment.suggester import SuggesterInputError

    kind = "indicator" if isinstance(element, Indicator) else "action"
    text = suggestion_text(element)
    if not text.strip():
        return []
    try:
        suggestions = suggester().suggest(text, language=language, limit=limit + 4)
    except SuggesterInputError:
        return []
    if alignments is None:
        alignments = element_alignments(**{kind: element})
    taken = {
        (item.parent.code if item.level != ItemLevel.GOAL and item.parent else item.code).split(".")[0]
        for item in (alignment.item for alignment in alignments)
        if item.framework.code == SDG
    }
    rejected = set(SuggestionFeedback.objects.filter(accepted=False, **{kind: element}).values_list("goal", flat=True))
    wanted = [s for s in suggestions if s.goal not in taken and s.goal not in rejected][:limit]
    codes = {s.goal for s in wanted} | {code for s in wanted for code, _score in s.targets}
    items = {
        item.code: item
        for item in FrameworkItem.objects.filter(framework__code=SDG, code__in=codes, owner__isnull=True).only(
            "id", "code", "level", *_titles()
        )
    }
    rows = []
    for suggestion in wanted:
        goal = items.get(suggestion.goal)
        if goal is None:
            continue
        targets = [(items[code], score) for code, score in suggestion.targets if code in items]
        rows.append(SuggestionRow(goal, suggestion.score, round(suggestion.score * 100), targets))
    return rows


def item_by_code(*, framework_code: str, code: str, frameworks: list[Framework]) -> FrameworkItem:
    """The item `code` of one of `frameworks` (those a plan uses); errors name the field at fault."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    framework = next((f for f in frameworks if f.code == (framework_code or "").strip().upper()), None)
    if framework is None:
        raise ValidationError(
            {"framework": _("Unknown framework code “%(code)s” for this plan.") % {"code": framework_code}}
        )
    item = (
        FrameworkItem.objects.select_related("framework").filter(framework=framework, code=(code or "").strip()).first()
    )
    if item is None:
        raise ValidationError(
            {"code": _("%(framework)s has no item “%(code)s”.") % {"framework": framework.code, "code": code}}
        )
    return item


def element_get(user: User | None, *, kind: str, pk: object) -> Plan | Axis | Objective | Action | Indicator:
    """A plan, axis, objective, action or indicator by id, scoped to what `user` sees.

    Missing and hidden elements alike answer 404.
    """
    from municipia.indicators.selectors import indicator_get
    from municipia.strategy import selectors as strategy

    if kind == "plan":
        return cast(Plan, PLAN.get(user, pk=pk))
    getters: dict[str, Callable[..., Axis | Objective | Action | Indicator]] = {
        "axis": strategy.axis_get,
        "objective": strategy.objective_get,
        "action": strategy.action_get,
        "indicator": indicator_get,
    }
    if kind not in getters:
        raise Http404
    return getters[kind](user, pk=pk)
