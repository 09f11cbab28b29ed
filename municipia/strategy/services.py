"""Every write to plans and their content: forms, admin, API and data loads call these."""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils.translation import gettext as _

from municipia.core.services import apply_fields, delete_with_history, save_with_history, unique_slug
from municipia.core.visibility import User
from municipia.organizations.choices import OrganizationKind
from municipia.organizations.models import Organization
from municipia.organizations.selectors import network_member_ids
from municipia.strategy.choices import PLAN_TRANSITIONS, PlanStatus
from municipia.strategy.entities import ACTION, ACTION_PARTNER, AXIS, CHALLENGE, MILESTONE, OBJECTIVE, PLAN
from municipia.strategy.models import (
    Action,
    ActionPartner,
    Axis,
    Challenge,
    Milestone,
    Objective,
    Plan,
    PlanVersion,
)
from municipia.strategy.selectors import plan_snapshot

# The fields each service accepts: the entities' editable fields (strategy/entities.py).
PLAN_FIELDS = PLAN.editable_names()
AXIS_FIELDS = AXIS.editable_names()
CHALLENGE_FIELDS = CHALLENGE.editable_names()
OBJECTIVE_FIELDS = OBJECTIVE.editable_names()
ACTION_FIELDS = ACTION.editable_names()
MILESTONE_FIELDS = MILESTONE.editable_names()
ACTION_PARTNER_FIELDS = ACTION_PARTNER.editable_names()


M = TypeVar("M", bound=Model)


def _saved(instance: M, data: dict[str, Any], fields: list[str], *, acting_user: User) -> M:
    """Sets the allowed fields of `data` on `instance`, validates and saves it with history."""
    apply_fields(instance, data, fields)
    save_with_history(instance, acting_user=acting_user)
    return instance


# --- Plans


@transaction.atomic
def plan_create(*, acting_user: User, owner: Organization, data: dict[str, Any]) -> Plan:
    plan = Plan(owner=owner)
    apply_fields(plan, data, PLAN_FIELDS)
    if not plan.slug:
        plan.slug = unique_slug(Plan, plan.title or "plan", exclude_pk=plan.pk)
    save_with_history(plan, acting_user=acting_user)
    return plan


@transaction.atomic
def plan_update(*, acting_user: User, plan: Plan, data: dict[str, Any]) -> Plan:
    apply_fields(plan, data, PLAN_FIELDS)
    if "period_start" in data or "period_end" in data:
        _check_actions_within_period(plan)
    save_with_history(plan, acting_user=acting_user)
    return plan


def _check_actions_within_period(plan: Plan) -> None:
    if not plan.pk or not plan.period_start or not plan.period_end:
        return
    outside = Action.objects.filter(plan=plan).filter(
        Q(start_date__lt=plan.period_start) | Q(end_date__gt=plan.period_end)
    )
    codes = list(outside.values_list("code", flat=True)[:5])
    if codes:
        raise ValidationError(
            {"period_start": _("Actions %(codes)s have dates outside this period.") % {"codes": ", ".join(codes)}}
        )


@transaction.atomic
def plan_change_status(*, acting_user: User, plan: Plan, status: str, note: str = "") -> Plan:
    """Moves a plan along its lifecycle; moving to "approved" keeps a version of it."""
    if status not in PlanStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == plan.status:
        return plan
    if status not in PLAN_TRANSITIONS[plan.status]:
        raise ValidationError(
            {
                "status": _("A plan cannot go from “%(old)s” to “%(new)s”.")
                % {"old": PlanStatus(plan.status).label, "new": PlanStatus(status).label}
            }
        )
    plan.status = status
    save_with_history(plan, acting_user=acting_user, reason=note)
    if status == PlanStatus.APPROVED:
        _keep_version(plan=plan, acting_user=acting_user, note=note)
    return plan


def _keep_version(*, plan: Plan, acting_user: User, note: str) -> PlanVersion:
    last = plan.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return PlanVersion.objects.create(
        plan=plan,
        number=last + 1,
        approved_by_id=acting_user.pk if getattr(acting_user, "is_authenticated", False) else None,
        note=note,
        snapshot=plan_snapshot(plan),
    )


@transaction.atomic
def plan_delete(*, acting_user: User, plan: Plan) -> None:
    delete_with_history(plan, acting_user=acting_user)


# --- Axes, challenges, objectives


@transaction.atomic
def axis_create(*, acting_user: User, plan: Plan, data: dict[str, Any]) -> Axis:
    return _saved(Axis(plan=plan), data, AXIS_FIELDS, acting_user=acting_user)


@transaction.atomic
def axis_update(*, acting_user: User, axis: Axis, data: dict[str, Any]) -> Axis:
    return _saved(axis, data, AXIS_FIELDS, acting_user=acting_user)


@transaction.atomic
def axis_delete(*, acting_user: User, axis: Axis) -> None:
    delete_with_history(axis, acting_user=acting_user)


@transaction.atomic
def challenge_create(*, acting_user: User, axis: Axis, data: dict[str, Any]) -> Challenge:
    return _saved(Challenge(axis=axis), data, CHALLENGE_FIELDS, acting_user=acting_user)


@transaction.atomic
def challenge_update(*, acting_user: User, challenge: Challenge, data: dict[str, Any]) -> Challenge:
    return _saved(challenge, data, CHALLENGE_FIELDS, acting_user=acting_user)


@transaction.atomic
def challenge_delete(*, acting_user: User, challenge: Challenge) -> None:
    delete_with_history(challenge, acting_user=acting_user)


def _check_challenges(axis: Axis, challenges: Iterable[Challenge]) -> list[Challenge]:
    challenges = list(challenges)
    foreign = [c for c in challenges if c.axis_id != axis.pk]
    if foreign:
        raise ValidationError({"challenges": _("Choose challenges of the objective's own axis.")})
    return challenges


@transaction.atomic
def objective_create(
    *, acting_user: User, axis: Axis, data: dict[str, Any], challenges: Iterable[Challenge] | None = None
) -> Objective:
    objective = Objective(axis=axis)
    apply_fields(objective, data, OBJECTIVE_FIELDS)
    save_with_history(objective, acting_user=acting_user)
    if challenges is not None:
        objective.challenges.set(_check_challenges(axis, challenges))
    return objective


@transaction.atomic
def objective_update(
    *, acting_user: User, objective: Objective, data: dict[str, Any], challenges: Iterable[Challenge] | None = None
) -> Objective:
    apply_fields(objective, data, OBJECTIVE_FIELDS)
    save_with_history(objective, acting_user=acting_user)
    if challenges is not None:
        objective.challenges.set(_check_challenges(objective.axis, challenges))
    return objective


@transaction.atomic
def objective_delete(*, acting_user: User, objective: Objective) -> None:
    delete_with_history(objective, acting_user=acting_user)


# --- Actions


def _check_action_links(
    action: Action,
    participants: list[Organization] | None,
    dependencies: list[Action] | None,
) -> None:
    """Cross-object rules a single model's clean() cannot see."""
    errors: dict[str, str] = {}
    plan = action.plan
    if action.objective_id and action.objective.axis.plan_id != plan.pk:
        errors["objective"] = _("Choose an objective of this action's plan.")
    if participants is not None:
        wrong = [o.name for o in participants if o.kind != OrganizationKind.MUNICIPALITY]
        if wrong:
            errors["participants"] = _(
                "Only councils can participate: %(names)s is not one. Add partner organisations with their role "
                "under the action's partners."
            ) % {"names": ", ".join(wrong)}
    department = action.owner_department
    if department is not None:
        allowed_orgs = {plan.owner_id}
        if plan.owner.kind == OrganizationKind.NETWORK:
            allowed_orgs |= set(network_member_ids([plan.owner_id]))
        if participants is not None:
            allowed_orgs |= {o.pk for o in participants}
        elif action.pk:
            allowed_orgs |= set(action.participants.values_list("pk", flat=True))
        if department.organization_id not in allowed_orgs:
            errors["owner_department"] = _("Choose a department of the plan's owner or of a participating council.")
    if dependencies is not None:
        message = _dependency_error(action, dependencies)
        if message:
            errors["dependencies"] = message
    if errors:
        raise ValidationError(errors)


def _dependency_error(action: Action, dependencies: list[Action]) -> str | None:
    if any(dep.plan_id != action.plan_id for dep in dependencies):
        return _("An action can only depend on actions of the same plan.")
    if action.pk and any(dep.pk == action.pk for dep in dependencies):
        return _("An action cannot depend on itself.")
    if not action.pk:
        return None  # a new action has no dependents yet, so it cannot close a cycle
    # Walk the plan's dependency graph (one query) from each new dependency; reaching the
    # action itself means the new edges would close a cycle.
    edges: dict[int, set[int]] = {}
    through = Action.dependencies.through.objects.filter(from_action__plan_id=action.plan_id)
    for src, dst in through.values_list("from_action_id", "to_action_id"):
        edges.setdefault(src, set()).add(dst)
    edges[action.pk] = {dep.pk for dep in dependencies}
    codes = {dep.pk: dep.code for dep in dependencies}
    for start in edges[action.pk]:
        seen, stack = set(), [start]
        while stack:
            node = stack.pop()
            if node == action.pk:
                return _("Depending on %(code)s would create a cycle of dependencies.") % {"code": codes[start]}
            if node in seen:
                continue
            seen.add(node)
            stack.extend(edges.get(node, ()))
    return None


def _save_action(
    action: Action,
    *,
    acting_user: User | None,
    participants: Iterable[Organization] | None,
    dependencies: Iterable[Action] | None,
    reason: str = "",
) -> Action:
    participants = list(participants) if participants is not None else None
    dependencies = list(dependencies) if dependencies is not None else None
    # Field errors and link errors are reported together, so a form shows all of them at once.
    errors: dict[str, list[str]] = {}
    try:
        action.full_clean(exclude=list(action.required_translations))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        _check_action_links(action, participants, dependencies)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, messages)
    if errors:
        raise ValidationError(errors)
    save_with_history(action, acting_user=acting_user, reason=reason)
    if participants is not None:
        action.participants.set(participants)
    if dependencies is not None:
        action.dependencies.set(dependencies)
    return action


@transaction.atomic
def action_create(
    *,
    acting_user: User | None,
    plan: Plan,
    data: dict[str, Any],
    participants: Iterable[Organization] | None = None,
    dependencies: Iterable[Action] | None = None,
) -> Action:
    action = Action(plan=plan)
    apply_fields(action, data, ACTION_FIELDS)
    return _save_action(action, acting_user=acting_user, participants=participants, dependencies=dependencies)


@transaction.atomic
def action_update(
    *,
    acting_user: User,
    action: Action,
    data: dict[str, Any],
    participants: Iterable[Organization] | None = None,
    dependencies: Iterable[Action] | None = None,
    reason: str = "",
) -> Action:
    apply_fields(action, data, ACTION_FIELDS)
    return _save_action(
        action, acting_user=acting_user, participants=participants, dependencies=dependencies, reason=reason
    )


@transaction.atomic
def action_delete(*, acting_user: User, action: Action) -> None:
    delete_with_history(action, acting_user=acting_user)


# --- Milestones


@transaction.atomic
def milestone_create(*, acting_user: User, action: Action, data: dict[str, Any]) -> Milestone:
    return _saved(Milestone(action=action), data, MILESTONE_FIELDS, acting_user=acting_user)


@transaction.atomic
def milestone_update(*, acting_user: User, milestone: Milestone, data: dict[str, Any]) -> Milestone:
    return _saved(milestone, data, MILESTONE_FIELDS, acting_user=acting_user)


@transaction.atomic
def milestone_delete(*, acting_user: User, milestone: Milestone) -> None:
    delete_with_history(milestone, acting_user=acting_user)


# --- Partner organisations of an action

#: Who takes part as a partner (councils take part as participating councils).
PARTNER_KINDS = (OrganizationKind.PARTNER, OrganizationKind.PUBLIC_BODY)


def _saved_partner(partner: ActionPartner, data: dict[str, Any], *, acting_user: User) -> ActionPartner:
    apply_fields(partner, data, ACTION_PARTNER_FIELDS)
    errors: dict[str, str] = {}
    organization = partner.organization if partner.organization_id else None
    if organization is not None and organization.kind not in PARTNER_KINDS:
        errors["organization"] = _(
            "%(name)s is a council or a network: councils take part as participating councils."
        ) % {"name": organization.name}
    elif organization is not None:
        same = ActionPartner.objects.filter(action_id=partner.action_id, organization=organization, role=partner.role)
        if same.exclude(pk=partner.pk).exists():
            errors["role"] = _("%(name)s already has this role in the action.") % {"name": organization.name}
    if errors:
        raise ValidationError(errors)
    save_with_history(partner, acting_user=acting_user)
    return partner


@transaction.atomic
def action_partner_create(*, acting_user: User, action: Action, data: dict[str, Any]) -> ActionPartner:
    """A partner organisation (university, association, company…) takes part in `action` in a role."""
    return _saved_partner(ActionPartner(action=action), data, acting_user=acting_user)


@transaction.atomic
def action_partner_update(*, acting_user: User, partner: ActionPartner, data: dict[str, Any]) -> ActionPartner:
    return _saved_partner(partner, data, acting_user=acting_user)


@transaction.atomic
def action_partner_delete(*, acting_user: User, partner: ActionPartner) -> None:
    delete_with_history(partner, acting_user=acting_user)
