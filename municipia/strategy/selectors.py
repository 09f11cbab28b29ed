"""Reads of plans and their content, each shaped for one page or endpoint in fixed queries."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import F, Model, Prefetch, QuerySet, Subquery, Sum
from django.http import Http404

from municipia.core.entities import Entity
from municipia.core.i18n import language_codes
from municipia.core.visibility import User
from municipia.organizations.models import Organization
from municipia.strategy.choices import ActionStatus
from municipia.strategy.entities import ACTION, AXIS, CHALLENGE, OBJECTIVE, PLAN
from municipia.strategy.models import Action, Axis, Challenge, Milestone, Objective, Plan, PlanVersion

# --- Visibility: the entities' rules (strategy/entities.py). Every fetch by id or slug goes
# through these, so "not found" and "forbidden" look alike to a visitor.


def plans_visible_to(user: User | None) -> QuerySet[Plan]:
    return PLAN.visible(user)


def actions_visible_to(user: User | None) -> QuerySet[Action]:
    return ACTION.visible(user)


def plan_get(user: User | None, *, slug: str) -> Plan:
    return cast(Plan, PLAN.get(user, slug=slug))


def axis_get(user: User | None, *, pk: int) -> Axis:
    return cast(Axis, AXIS.get(user, pk=pk))


def objective_get(user: User | None, *, pk: int) -> Objective:
    return cast(Objective, OBJECTIVE.get(user, pk=pk))


def action_get(user: User | None, *, pk: int) -> Action:
    """An action with everything its page shows (department, lead, councils, links, milestones)."""
    queryset = actions_visible_to(user).select_related(
        "plan__owner", "objective__axis", "owner_department__organization", "lead__organization"
    )
    try:
        return queryset.prefetch_related("participants", "dependencies", "dependents", "milestones").get(pk=pk)
    except (Action.DoesNotExist, ValueError):
        raise Http404 from None


def action_list(user: User | None) -> QuerySet[Action]:
    """Actions for lists: everything a row shows, without a query per row."""
    # Rows show the plan's title and slug, the axis's code and the department's name; the API
    # names the lead by id only. The related objects' long texts (every language) are not loaded.
    return (
        actions_visible_to(user)
        .select_related("plan", "objective__axis", "owner_department")
        .defer(
            *[f"plan__{name}" for name in ("summary", "vision", "mission", "created_at", "updated_at")],
            *[f"{path}__{name}" for path in ("objective", "objective__axis") for name in _UNSHOWN_ELEMENT_FIELDS],
        )
    )


_UNSHOWN_ELEMENT_FIELDS = ("description", "created_at", "updated_at")


def plan_actions(plan: Plan) -> QuerySet[Action]:
    """The plan's actions, for exports that choose their own columns (reports.selectors.action_records)."""
    return Action.objects.filter(plan_id=plan.pk)


def plan_outline(plan: Plan) -> list[Axis]:
    """The plan's axes → objectives → actions with what a summary shows (codes, titles, status,
    progress, dates, budget, department), in three queries: the status report's."""
    titles = [f"title_{code}" for code in language_codes()]
    actions = (
        Action.objects.select_related("owner_department")
        .only(
            "id",
            "objective_id",
            "code",
            *titles,
            "status",
            "progress",
            "start_date",
            "end_date",
            "budget",
            "owner_department__id",
            *[f"owner_department__name_{code}" for code in language_codes()],
        )
        .order_by("code", "id")
    )
    objectives = Objective.objects.only("id", "axis_id", "code").prefetch_related(Prefetch("actions", queryset=actions))
    return list(
        Axis.objects.filter(plan_id=plan.pk)
        .only("id", "plan_id", "code", "position", "weight", *titles)
        .prefetch_related(Prefetch("objectives", queryset=objectives.order_by("code", "id")))
    )


# --- Progress roll-up: action → objective → axis → plan, each level a weighted mean.


@dataclass
class Rollup:
    objectives: dict[int, float | None] = field(default_factory=dict)
    axes: dict[int, float | None] = field(default_factory=dict)
    plans: dict[int, float | None] = field(default_factory=dict)


def _weighted_mean(pairs: list[tuple[Decimal, float | None]]) -> float | None:
    total = sum(w for w, p in pairs if p is not None)
    if not total:
        return None
    return float(sum(w * Decimal(str(p)) for w, p in pairs if p is not None) / total)


def progress_rollup(plan_ids: list[int]) -> Rollup:
    """Weighted progress of every objective, axis and plan in `plan_ids`, in two queries.

    Cancelled actions are left out; an element without weighted children has no progress
    (None) rather than 0 %, so an empty axis does not drag its plan down.
    """
    rollup = Rollup()
    if not plan_ids:
        return rollup
    per_objective = (
        Action.objects.filter(plan_id__in=plan_ids)
        .exclude(status=ActionStatus.CANCELLED)
        .order_by()
        .values("objective_id")
        .annotate(weighted=Sum(F("progress") * F("weight")), weight_sum=Sum("weight"))
    )
    sums = {row["objective_id"]: row for row in per_objective}
    objectives = Objective.objects.filter(axis__plan_id__in=plan_ids).values(
        "id", "weight", "axis_id", "axis__weight", "axis__plan_id"
    )
    by_axis: dict[int, list[tuple[Decimal, float | None]]] = {}
    axis_meta: dict[int, tuple[Decimal, int]] = {}
    for row in objectives:
        s = sums.get(row["id"])
        value = float(Decimal(s["weighted"]) / Decimal(s["weight_sum"])) if s and s["weight_sum"] else None
        rollup.objectives[row["id"]] = value
        by_axis.setdefault(row["axis_id"], []).append((row["weight"], value))
        axis_meta[row["axis_id"]] = (row["axis__weight"], row["axis__plan_id"])
    for axis_id, axis_weight, plan_id in Axis.objects.filter(plan_id__in=plan_ids).values_list(
        "id", "weight", "plan_id"
    ):
        axis_meta.setdefault(axis_id, (axis_weight, plan_id))
    by_plan: dict[int, list[tuple[Decimal, float | None]]] = {}
    for axis_id, (axis_weight, plan_id) in axis_meta.items():
        value = _weighted_mean(by_axis.get(axis_id, []))
        rollup.axes[axis_id] = value
        by_plan.setdefault(plan_id, []).append((axis_weight, value))
    for plan_id in plan_ids:
        rollup.plans[plan_id] = _weighted_mean(by_plan.get(plan_id, []))
    return rollup


@dataclass
class PlanPage:
    plan: Plan
    axes: list[Axis]
    progress: Rollup
    status_counts: dict[str, int]
    action_count: int
    budget_total: Decimal
    last_version: PlanVersion | None


def plan_page(plan: Plan) -> PlanPage:
    """Everything the plan page shows: axes → challenges, objectives → actions, and progress."""
    # The page shows only the axes' descriptions: the others (every language) are not loaded.
    actions = (
        Action.objects.select_related("owner_department")
        .defer("description", "created_at", "updated_at", "start_date", "end_date", "lead_id")
        .order_by("code")
    )
    objectives = Objective.objects.defer("description", "created_at", "updated_at").prefetch_related(
        Prefetch("actions", queryset=actions)
    )
    challenges = Challenge.objects.defer("description", "created_at", "updated_at").order_by("code")
    axes = list(
        plan.axes.prefetch_related(
            Prefetch("objectives", queryset=objectives), Prefetch("challenges", queryset=challenges)
        )
    )
    status_counts: dict[str, int] = {}
    budget = Decimal("0")
    count = 0
    for axis in axes:
        for objective in axis.objectives.all():
            for action in objective.actions.all():
                status_counts[action.status] = status_counts.get(action.status, 0) + 1
                budget += action.budget or 0
                count += 1
    return PlanPage(
        plan=plan,
        axes=axes,
        progress=progress_rollup([plan.pk]),
        status_counts=status_counts,
        action_count=count,
        budget_total=budget,
        last_version=plan.versions.order_by("-number").first(),
    )


# --- Snapshots of a plan's content, kept at approval and compared with the current content.
# Their fields are the entities' `snapshot_fields` (strategy/entities.py).


@dataclass(frozen=True)
class SnapshotSection:
    """One kind of plan element in a snapshot: its entity, how it reaches the plan, its key."""

    name: str
    entity: Entity
    plan_path: str
    key: Callable[[Any], str]


SNAPSHOT_SECTIONS = (
    SnapshotSection("axes", AXIS, "plan", lambda axis: axis.code),
    SnapshotSection("challenges", CHALLENGE, "axis__plan", lambda challenge: f"{challenge.axis.code}/{challenge.code}"),
    SnapshotSection("objectives", OBJECTIVE, "axis__plan", lambda objective: f"{objective.axis.code}/{objective.code}"),
    SnapshotSection("actions", ACTION, "plan", lambda action: action.code),
)


def _snapshot_label(obj: Model) -> str:
    """How a snapshot names a related object: a plan element by its code, a milestone by its
    date and title (an action's milestones have no code), anything else by its name."""
    if isinstance(obj, Milestone):
        return f"{obj.due_date.isoformat()} {obj.title}"
    return getattr(obj, "code", None) or str(obj)


def _snapshot_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return _snapshot_label(value)
    return value


def _is_many(model: type[Model], name: str) -> bool:
    related = model._meta.get_field(name)
    return bool(related.many_to_many or related.one_to_many)


def _snapshot_of(entity: Entity, obj: Model) -> dict[str, Any]:
    """The entity's snapshot fields of `obj`: every language of a translated text, related
    objects by their labels (many of them sorted), dates and decimals as text."""
    values: dict[str, Any] = {}
    for name in entity.columns("snapshot"):
        if name in entity.translated:
            values.update({f"{name}_{c}": getattr(obj, f"{name}_{c}") or "" for c in language_codes()})
        elif _is_many(entity.model, name):
            values[name] = sorted(_snapshot_label(item) for item in getattr(obj, name).all())
        else:
            values[name] = _snapshot_value(getattr(obj, name))
    return values


def _snapshot_queryset(section: SnapshotSection, plan: Plan) -> QuerySet[Any]:
    """The section's elements of `plan`, loading what their snapshot and key read in fixed queries."""
    model = section.entity.model
    fields = [name for name in section.entity.columns("snapshot") if name not in section.entity.translated]
    related = [name for name in fields if model._meta.get_field(name).many_to_one]
    if section.plan_path == "axis__plan":
        related.append("axis")
    many = [name for name in fields if _is_many(model, name)]
    queryset = model._default_manager.filter(**{section.plan_path: plan})
    return queryset.select_related(*related).prefetch_related(*many)


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """A JSON-ready picture of the plan, keyed by element codes so versions can be compared."""
    snapshot: dict[str, Any] = {"plan": _snapshot_of(PLAN, plan)}
    for section in SNAPSHOT_SECTIONS:
        elements = _snapshot_queryset(section, plan)
        snapshot[section.name] = {section.key(obj): _snapshot_of(section.entity, obj) for obj in elements}
    return snapshot


def plan_versions(plan: Plan) -> QuerySet[PlanVersion]:
    return plan.versions.select_related("approved_by").order_by("-number")


PLANS_ON_ORGANIZATION_PAGE = 50


def organization_plans_section(user: User, organization: Organization) -> dict[str, Any]:
    """The organisation page's plans: the first ones the user may see, with their progress."""
    plans = list(plans_visible_to(user).filter(owner=organization)[:PLANS_ON_ORGANIZATION_PAGE])
    progress = progress_rollup([plan.pk for plan in plans])
    return {
        "plans": [(plan, progress.plans.get(plan.pk)) for plan in plans],
        # Django's users and AnonymousUser both answer has_perm; the User union's base class does not say so.
        "can_add_plan": cast(Any, user).has_perm("strategy.add_plan", organization),
    }


# --- what a cached page shows (municipia.core.cache scopes), resolved inside the version query


def plan_scope(slug: str) -> tuple[str, Any]:
    """The cache scope of the pages of the plan `slug`."""
    return ("plan", Subquery(Plan.objects.filter(slug=slug).values("pk")[:1]))


def action_scope(pk: Any) -> tuple[str, Any]:
    """The cache scope of an action's pages: its plan's."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    return ("plan", Subquery(Action.objects.filter(pk=pk).values("plan_id")[:1]))


def action_list_scope(params: Any) -> tuple[str, Any] | None:
    """A list of one plan's actions (`?plan=<slug>`) keys on that plan; any other list on the site."""
    slugs = params.getlist("plan")
    return plan_scope(slugs[0]) if len(slugs) == 1 and slugs[0] else None
