"""Reads of plans and their content, each shaped for one page or endpoint in fixed queries."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.db.models import Count, F, IntegerField, Model, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from municipia.core.cache import ScopeId
from municipia.core.entities import Entity
from municipia.core.i18n import language_codes
from municipia.core.sections import WorkItem, WorkList, linked_work
from municipia.core.visibility import User
from municipia.organizations.models import Organization
from municipia.organizations.permissions import editable_organization_ids
from municipia.strategy.choices import ActionStatus, ComputedStatus, PlanStatus
from municipia.strategy.entities import ACTION, AXIS, CHALLENGE, OBJECTIVE, PLAN
from municipia.strategy.models import Action, ActionPartner, Axis, Challenge, Milestone, Objective, Plan, PlanVersion
from municipia.strategy.status import (
    NEEDS_UPDATE,
    STATUS_ORDER,
    UPDATE_INTERVAL_DAYS,
    StatusFacts,
    Verdict,
    computed_status,
    status_counts,
)

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
    queryset = with_status_facts(actions_visible_to(user)).select_related(
        "plan__owner", "objective__axis", "owner_department__organization", "lead__organization"
    )
    try:
        partners = Prefetch("partnerships", queryset=ActionPartner.objects.select_related("organization"))
        return queryset.prefetch_related("participants", "dependencies", "dependents", "milestones", partners).get(
            pk=pk
        )
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


# --- The one status model (strategy/status.py): every page, export and API reads it from here.


def with_status_facts(actions: QuerySet[Action], today: dt.date | None = None) -> QuerySet[Action]:
    """`actions` annotated with `overdue_milestones` (due before `today`, not completed), in the same query."""
    today = today or timezone.localdate()
    overdue = (
        Milestone.objects.filter(action_id=OuterRef("pk"), completed_on__isnull=True, due_date__lt=today)
        .order_by()
        .values("action_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return actions.annotate(overdue_milestones=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)))


def actions_with_status_facts(ids: list[int], today: dt.date | None = None) -> QuerySet[Action]:
    """The actions with these ids, annotated with what their computed status needs (one query)."""
    return with_status_facts(Action.objects.filter(pk__in=ids), today)


def action_status(action: Action, today: dt.date | None = None) -> Verdict:
    """The computed status of an action (annotated by `with_status_facts`, or one query more if not)."""
    today = today or timezone.localdate()
    overdue = getattr(action, "overdue_milestones", None)
    if overdue is None:
        overdue = Milestone.objects.filter(action_id=action.pk, completed_on__isnull=True, due_date__lt=today).count()
    facts = StatusFacts(action.status, action.progress, action.start_date, action.end_date, overdue)
    return computed_status(facts, today)


def action_statuses(plan_ids: list[int], today: dt.date | None = None) -> dict[int, Verdict]:
    """The computed status of every action of the plans, by action id, in one query."""
    today = today or timezone.localdate()
    annotated: Any = with_status_facts(Action.objects.filter(plan_id__in=plan_ids), today)
    rows = annotated.values_list("id", "status", "progress", "start_date", "end_date", "overdue_milestones")
    return {pk: computed_status(StatusFacts(*facts), today) for pk, *facts in rows}


def action_last_change(action: Action) -> Any:
    """The latest history record of an action (who changed it, when, why), or None."""
    return (
        cast(Any, Action).history.filter(id=action.pk).select_related("history_user").order_by("-history_date").first()
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
    statuses: dict[int, Verdict]
    status_counts: list[tuple[str, str, int]]
    axis_status_counts: dict[int, list[tuple[str, str, int]]]
    action_count: int
    budget_total: Decimal
    last_version: PlanVersion | None


def plan_page(plan: Plan, *, today: dt.date | None = None) -> PlanPage:
    """Everything the plan page shows: axes → challenges, objectives → actions, progress and the
    computed status of every action (the dashboard's, counted the same way)."""
    # The page shows only the axes' descriptions: the others (every language) are not loaded.
    actions = (
        Action.objects.select_related("owner_department")
        .defer("description", "created_at", "updated_at", "lead_id")
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
    statuses = action_statuses([plan.pk], today)
    budget = Decimal("0")
    count = 0
    axis_counts = {}
    for axis in axes:
        axis_verdicts = []
        for objective in axis.objectives.all():
            for action in objective.actions.all():
                cast(Any, action).verdict = statuses[action.pk]
                axis_verdicts.append(statuses[action.pk])
                budget += action.budget or 0
                count += 1
        axis_counts[axis.pk] = status_counts(axis_verdicts)
    return PlanPage(
        plan=plan,
        axes=axes,
        progress=progress_rollup([plan.pk]),
        statuses=statuses,
        status_counts=status_counts(statuses.values()),
        axis_status_counts=axis_counts,
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
    """A JSON-ready picture of the plan, keyed by element codes so versions can be compared.

    Language-neutral: translated texts are kept per language (`title_es`), and related objects
    (a department, a council, a milestone) are labelled in the site's default language whatever
    language the approver or the reader uses, so a version approved in Bulgarian and read in
    Spanish shows no invented changes.
    """
    with translation.override(settings.LANGUAGE_CODE):
        snapshot: dict[str, Any] = {"plan": _snapshot_of(PLAN, plan)}
        for section in SNAPSHOT_SECTIONS:
            elements = _snapshot_queryset(section, plan)
            snapshot[section.name] = {section.key(obj): _snapshot_of(section.entity, obj) for obj in elements}
    return snapshot


def plan_versions(plan: Plan) -> QuerySet[PlanVersion]:
    return plan.versions.select_related("approved_by").order_by("-number")


PLANS_ON_ORGANIZATION_PAGE = 50


PARTNER_ROLES_ON_ORGANIZATION_PAGE = 50


def organization_plans_section(user: User, organization: Organization) -> dict[str, Any]:
    """The organisation page's plans: the first ones the user may see, with their progress."""
    plans = list(plans_visible_to(user).filter(owner=organization)[:PLANS_ON_ORGANIZATION_PAGE])
    progress = progress_rollup([plan.pk for plan in plans])
    return {
        "plans": [(plan, progress.plans.get(plan.pk)) for plan in plans],
        # Django's users and AnonymousUser both answer has_perm; the User union's base class does not say so.
        "can_add_plan": cast(Any, user).has_perm("strategy.add_plan", organization),
        # The actions it takes part in as a partner, with its role (the ones the user may see).
        "partner_roles": list(
            ActionPartner.objects.filter(organization=organization, action__in=actions_visible_to(user))
            .select_related("action__plan")
            .order_by("action__plan__title", "action__code", "role")[:PARTNER_ROLES_ON_ORGANIZATION_PAGE]
        ),
        "participations": organization_participations(user, organization),
    }


# --- For other apps: the reads of plans and their elements that other apps' filters, forms and
# computations need. They read these models through the functions here, not through the managers.

Ids = Iterable[int] | QuerySet[Any]


def plan_choices() -> QuerySet[Plan]:
    """Every plan: the choices of other apps' filters and API fields (the lists they filter are scoped already)."""
    return Plan.objects.all()


def axis_choices() -> QuerySet[Axis]:
    """Every axis (choices of other apps' filters)."""
    return Axis.objects.all()


def objective_choices() -> QuerySet[Objective]:
    """Every strategic objective (choices of other apps' filters)."""
    return Objective.objects.all()


def action_choices() -> QuerySet[Action]:
    """Every action (choices of other apps' filters, their prefetches)."""
    return Action.objects.all()


def actions_among(ids: Ids) -> QuerySet[Action]:
    """The actions with these ids."""
    return Action.objects.filter(pk__in=ids)


def plans_of_owners(organization_ids: Ids) -> QuerySet[Plan]:
    """The plans these organisations own."""
    return Plan.objects.filter(owner_id__in=organization_ids)


def actions_of_owners(organization_ids: Ids) -> QuerySet[Action]:
    """The actions of the plans these organisations own, by plan and code."""
    return Action.objects.filter(plan__owner_id__in=organization_ids).order_by("plan_id", "code")


def actions_of_plans(plan_ids: Ids) -> QuerySet[Action]:
    """The actions of these plans."""
    return Action.objects.filter(plan_id__in=plan_ids)


def plans_measured_by(indicator_id: int) -> QuerySet[Plan]:
    """The plans of the objectives and actions an indicator measures (each once)."""
    linked = Q(actions__indicators=indicator_id) | Q(axes__objectives__indicators=indicator_id)
    return Plan.objects.filter(linked).distinct()


def plan_axes(plan_ids: Ids) -> list[Axis]:
    """The axes of these plans with their codes and titles only, by plan and position."""
    return list(
        Axis.objects.filter(plan_id__in=plan_ids)
        .only("id", "plan_id", "code", "position", *[f"title_{c}" for c in language_codes()])
        .order_by("plan_id", "position", "code")
    )


def axis_codes(plan: Plan) -> dict[int, str]:
    """id → code of the plan's axes."""
    return dict(Axis.objects.filter(plan=plan).values_list("id", "code"))


def axis_weights(plan_ids: Ids) -> list[tuple[int, Decimal, int]]:
    """(id, weight, plan id) of the plans' axes."""
    return list(Axis.objects.filter(plan_id__in=plan_ids).values_list("id", "weight", "plan_id"))


def objective_axes_and_codes(plan: Plan) -> dict[int, tuple[int, str]]:
    """id → (axis id, code) of the plan's objectives."""
    rows = Objective.objects.filter(axis__plan=plan).values_list("id", "axis_id", "code")
    return {pk: (axis_id, code) for pk, axis_id, code in rows}


def objective_axis_ids(plan_ids: Ids) -> dict[int, int]:
    """id → axis id of the plans' objectives."""
    return dict(Objective.objects.filter(axis__plan_id__in=plan_ids).values_list("id", "axis_id"))


def objective_weights(plan_ids: Ids) -> list[tuple[int, Decimal, int]]:
    """(id, weight, axis id) of the plans' objectives."""
    return list(Objective.objects.filter(axis__plan_id__in=plan_ids).values_list("id", "weight", "axis_id"))


def action_rows(plan_ids: Ids) -> list[tuple[int, int, int, Decimal | None]]:
    """(id, plan id, objective id, budget) of every action of the plans."""
    return list(Action.objects.filter(plan_id__in=plan_ids).values_list("id", "plan_id", "objective_id", "budget"))


def objective_ids_only() -> QuerySet[Objective]:
    """Objectives loaded by id only, to prefetch the ids another object links to."""
    return Objective.objects.only("id")


def action_ids_only() -> QuerySet[Action]:
    """Actions loaded by id only, to prefetch the ids another object links to."""
    return Action.objects.only("id")


def actions_for_review(ids: Ids) -> dict[int, Action]:
    """Actions by id with their code, budget, status, progress and titles only."""
    rows = (
        Action.objects.filter(pk__in=ids)
        .only("id", "code", "budget", "status", "progress", *[f"title_{c}" for c in language_codes()])
        .order_by("code")
    )
    return {action.pk: action for action in rows}


def action_codes(plan_id: int) -> set[str]:
    """The codes the plan's actions use."""
    return set(Action.objects.filter(plan_id=plan_id).values_list("code", flat=True))


def action_dependency_pairs(action_ids: list[int]) -> list[tuple[int, int]]:
    """(action, action it depends on) among these actions."""
    links = Action.dependencies.through.objects.filter(from_action_id__in=action_ids, to_action_id__in=action_ids)
    return list(links.values_list("from_action_id", "to_action_id"))


def milestones_of_actions(action_ids: Ids) -> QuerySet[Milestone]:
    """The milestones of these actions."""
    return Milestone.objects.filter(action_id__in=action_ids)


PARTICIPATIONS_ON_ORGANIZATION_PAGE = 200


def organization_participations(user: User, organization: Organization) -> list[dict[str, Any]]:
    """The plans of others (a network's, mostly) in which a council takes part in actions, with those
    actions and each plan's progress: one query for the actions, two for the progress."""
    actions = list(
        action_list(user)
        .filter(participants=organization)
        .exclude(plan__owner=organization)
        .select_related("plan__owner")
        .order_by("plan_id", "code", "pk")[:PARTICIPATIONS_ON_ORGANIZATION_PAGE]
    )
    by_plan: dict[int, dict[str, Any]] = {}
    for action in actions:
        entry = by_plan.setdefault(action.plan_id, {"plan": action.plan, "actions": []})
        entry["actions"].append(action)
    progress = progress_rollup(list(by_plan))
    for plan_id, entry in by_plan.items():
        entry["progress"] = progress.plans.get(plan_id)
    return list(by_plan.values())


# --- Actions needing an update from their owners ("My work", the reminder digest, the bulk update).


@dataclass
class ActionToUpdate:
    action: Action
    verdict: Verdict
    stale: bool  # not updated for UPDATE_INTERVAL_DAYS


def owed_actions(*, user: User | None = None) -> QuerySet[Action]:
    """Open actions (not completed, cancelled or at 100 %) that `user` answers for: those they lead,
    those of plans owned by organisations they edit, and those a department or person of such an
    organisation owns or leads; every open action without `user`."""
    actions = Action.objects.exclude(status__in=[ActionStatus.COMPLETED, ActionStatus.CANCELLED]).exclude(
        progress__gte=100
    )
    if user is not None:
        mine = editable_organization_ids(user)
        # Also a network member council's actions of the network's plan (strategy.update_progress).
        actions = actions.filter(
            Q(lead__user=user)
            | Q(plan__owner_id__in=mine)
            | Q(owner_department__organization_id__in=mine)
            | Q(lead__organization_id__in=mine)
        )
        actions = actions.exclude(plan__status=PlanStatus.CLOSED)
    return actions


def actions_needing_update(actions: QuerySet[Action], *, today: dt.date | None = None) -> list[ActionToUpdate]:
    """Of `actions`, those late or at risk, or under way and not updated for UPDATE_INTERVAL_DAYS:
    worst first, in one query (with the plan and the lead)."""
    today = today or timezone.localdate()
    cutoff = timezone.now() - dt.timedelta(days=UPDATE_INTERVAL_DAYS)
    rows = (
        with_status_facts(actions, today)
        .select_related("plan", "lead__user")
        .defer("description", "plan__summary", "plan__vision", "plan__mission")
        .order_by("plan_id", "code", "id")
    )
    found = []
    for action in rows:
        verdict = action_status(action, today)
        stale = verdict.status == ComputedStatus.ON_TRACK and action.updated_at < cutoff
        if verdict.status in NEEDS_UPDATE or stale:
            found.append(ActionToUpdate(action, verdict, stale))
    order: dict[str, int] = {str(status): i for i, status in enumerate(STATUS_ORDER)}
    found.sort(key=lambda item: (order.get(item.verdict.status, 9), item.action.end_date or dt.date.max))
    return found


MY_WORK_ROWS = 25


def my_work_actions(user: User) -> list[Any]:
    """The "My work" list of the strategy app: my actions needing an update."""
    found = actions_needing_update(owed_actions(user=user))
    items = []
    for entry in found[:MY_WORK_ROWS]:
        action = entry.action
        note = entry.verdict.explanation or _("Not updated for %(days)s days.") % {"days": UPDATE_INTERVAL_DAYS}
        items.append(
            WorkItem(
                text=f"{action.code} {action.title}",
                url=action.get_absolute_url(),
                note=f"{action.plan.title} · {action.progress} % · {note}",
                status=entry.verdict.status,
                status_label=entry.verdict.label,
            )
        )
    plans = {entry.action.plan for entry in found}
    links = [
        (_("Update the progress of %(plan)s from a file") % {"plan": plan.title},
         reverse("strategy:plan-progress-upload", args=[plan.slug]))
        for plan in sorted(plans, key=lambda p: p.pk)
    ]  # fmt: skip
    return [
        WorkList(
            key="actions",
            title=_("My actions needing an update"),
            items=items,
            total=len(found),
            empty=_("None of your actions needs an update."),
            links=links,
        )
    ]


def axes_among(ids: Ids) -> QuerySet[Axis]:
    """The axes with these ids."""
    return Axis.objects.filter(pk__in=ids)


# --- what a cached page shows (municipia.core.cache scopes), resolved inside the version query


def plan_scope(slug: str) -> tuple[str, Any]:
    """The cache scope of the pages of the plan `slug`."""
    return ("plan", ScopeId(f'(SELECT "id" FROM "{Plan._meta.db_table}" WHERE "slug" = %s)', (slug,)))  # noqa: S608 - our table


def action_scope(pk: Any) -> tuple[str, Any]:
    """The cache scope of an action's pages: its plan's."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    if not 0 < pk < 2**63:  # no such action (and no integer the database could be asked about)
        pk = 0
    return ("plan", ScopeId(f'(SELECT "plan_id" FROM "{Action._meta.db_table}" WHERE "id" = %s)', (pk,)))  # noqa: S608 - our table


def action_list_scope(params: Any) -> tuple[str, Any] | None:
    """A list of one plan's actions (`?plan=<slug>`) keys on that plan; any other list on the site."""
    slugs = params.getlist("plan")
    return plan_scope(slugs[0]) if len(slugs) == 1 and slugs[0] else None


# --- Finishing the linked work offers to move the action (bulk preview, action page).


def action_milestone_counts(action_ids: Any) -> dict[int, tuple[int, int]]:
    """Action id → (its milestones, those completed), in one query (core.sections.linked_work)."""
    rows = (
        Milestone.objects.filter(action_id__in=action_ids)
        .values("action_id")
        .annotate(count=Count("id"), done=Count("id", filter=Q(completed_on__isnull=False)))
    )
    return {row["action_id"]: (row["count"], row["done"]) for row in rows}


def is_finished(action: Action) -> bool:
    return action.status == ActionStatus.COMPLETED and action.progress == 100


def finished_work(actions: QuerySet[Action]) -> dict[int, int]:
    """Of `actions` (not cancelled), those whose linked work — milestones, follow-up tasks, partners'
    commitments, as each app counts it — is all finished: action id → number of items finished.
    Whether the action itself is done is the caller's question (`is_finished`)."""
    counts = linked_work(actions.exclude(status=ActionStatus.CANCELLED).values("pk"))
    return {action_id: done for action_id, (count, done) in counts.items() if count and done == count}
