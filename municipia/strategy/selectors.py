"""Reads of plans and their content, each shaped for one page or endpoint in fixed queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from municipia.core.i18n import language_codes
from municipia.organizations.permissions import editable_organization_ids
from municipia.strategy.choices import ActionStatus
from municipia.strategy.models import Action, Axis, Challenge, Milestone, Objective, Plan, PlanVersion

# --- Visibility: every fetch by id or slug goes through these, so "not found" and
# "forbidden" look alike to a visitor.


def plans_visible_to(user) -> QuerySet[Plan]:
    plans = Plan.objects.all()
    if user.is_authenticated and user.is_superuser:
        return plans
    return plans.filter(Q(is_published=True) | Q(owner_id__in=editable_organization_ids(user)))


def actions_visible_to(user) -> QuerySet[Action]:
    actions = Action.objects.all()
    if user.is_authenticated and user.is_superuser:
        return actions
    return actions.filter(Q(plan__is_published=True) | Q(plan__owner_id__in=editable_organization_ids(user)))


def plan_get(user, *, slug: str) -> Plan:
    try:
        return plans_visible_to(user).select_related("owner").get(slug=slug)
    except Plan.DoesNotExist:
        raise Http404 from None


def action_get(user, *, pk: int) -> Action:
    queryset = actions_visible_to(user).select_related(
        "plan__owner", "objective__axis", "owner_department__organization", "lead__organization"
    )
    try:
        return queryset.prefetch_related("participants", "dependencies", "dependents", "milestones").get(pk=pk)
    except (Action.DoesNotExist, ValueError):
        raise Http404 from None


def _element_get(model, user, pk, plan_path: str):
    queryset = model.objects.select_related(f"{plan_path}__owner")
    try:
        return queryset.filter(**{f"{plan_path}__in": plans_visible_to(user)}).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def axis_get(user, *, pk: int) -> Axis:
    return _element_get(Axis, user, pk, "plan")


def challenge_get(user, *, pk: int) -> Challenge:
    return _element_get(Challenge, user, pk, "axis__plan")


def objective_get(user, *, pk: int) -> Objective:
    return _element_get(Objective, user, pk, "axis__plan")


def milestone_get(user, *, pk: int) -> Milestone:
    return _element_get(Milestone, user, pk, "action__plan")


def action_list(user) -> QuerySet[Action]:
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
    by_axis: dict[int, list] = {}
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
    by_plan: dict[int, list] = {}
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


def _texts(obj, *names: str) -> dict[str, str]:
    return {f"{n}_{c}": getattr(obj, f"{n}_{c}") or "" for n in names for c in language_codes()}


def plan_snapshot(plan: Plan) -> dict:
    """A JSON-ready picture of the plan, keyed by element codes so versions can be compared."""
    axes = Axis.objects.filter(plan=plan).order_by("code")
    challenges = Challenge.objects.filter(axis__plan=plan).select_related("axis")
    objectives = Objective.objects.filter(axis__plan=plan).select_related("axis")
    actions = (
        Action.objects.filter(plan=plan)
        .select_related("objective", "owner_department", "lead")
        .prefetch_related("participants", "dependencies", "milestones")
    )
    return {
        "plan": {
            **_texts(plan, "title", "summary", "vision", "mission"),
            "period_start": plan.period_start.isoformat(),
            "period_end": plan.period_end.isoformat(),
        },
        "axes": {a.code: {**_texts(a, "title", "description"), "weight": str(a.weight)} for a in axes},
        "challenges": {f"{c.axis.code}/{c.code}": _texts(c, "title", "description") for c in challenges},
        "objectives": {
            f"{o.axis.code}/{o.code}": {**_texts(o, "title", "description"), "weight": str(o.weight)}
            for o in objectives
        },
        "actions": {
            a.code: {
                **_texts(a, "title", "description"),
                "objective": a.objective.code,
                "owner_department": str(a.owner_department or ""),
                "lead": str(a.lead or ""),
                "start_date": a.start_date.isoformat() if a.start_date else "",
                "end_date": a.end_date.isoformat() if a.end_date else "",
                "status": a.status,
                "progress": a.progress,
                "budget": str(a.budget) if a.budget is not None else "",
                "weight": str(a.weight),
                "participants": sorted(p.name for p in a.participants.all()),
                "dependencies": sorted(d.code for d in a.dependencies.all()),
                "milestones": sorted(f"{m.due_date.isoformat()} {m.title}" for m in a.milestones.all()),
            }
            for a in actions
        },
    }


def plan_versions(plan: Plan) -> QuerySet[PlanVersion]:
    return plan.versions.select_related("approved_by").order_by("-number")


def milestones_of(action: Action) -> QuerySet[Milestone]:
    return action.milestones.order_by("due_date")
