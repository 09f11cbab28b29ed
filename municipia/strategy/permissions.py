"""Who may see and change plans and their content: one set of rules for pages, admin and API.

- Everyone sees published plans; the owner's editors/coordinators and site admins see all.
- The owner's editors (a council's) or coordinators (a network's) change a plan and its
  content while the plan is not closed; site admins always may.
- Creating a plan needs a role on the organisation that will own it (the object passed in).
- Only drafts may be deleted by editors; approved plans carry a public record.
- Progress is reported by whoever answers for an action: besides the plan's editors, the editors of
  the council whose department owns it or whose person leads it — a network member council
  reports on its actions of the network's plan (`strategy.update_progress`, bulk update).
"""

import rules
from django.db.models import Q

from municipia.organizations.models import Organization
from municipia.organizations.permissions import editable_organization_ids, edits_organization, is_site_admin
from municipia.strategy.choices import PlanStatus
from municipia.strategy.entities import PLAN
from municipia.strategy.models import Action, ActionPartner, Axis, Challenge, Milestone, Objective, Plan


def plan_of(obj: object) -> Plan | None:
    """The plan an element belongs to (callers select_related the chain to avoid queries)."""
    if isinstance(obj, Plan):
        return obj
    if isinstance(obj, Action):
        return obj.plan
    if isinstance(obj, Axis):
        return obj.plan
    if isinstance(obj, Challenge | Objective):
        return obj.axis.plan
    if isinstance(obj, Milestone | ActionPartner):
        return obj.action.plan
    return None


@rules.predicate
def edits_plan_owner(user, obj) -> bool:
    plan = plan_of(obj)
    return plan is not None and plan.owner_id in editable_organization_ids(user)


@rules.predicate
def plan_is_open(user, obj) -> bool:
    plan = plan_of(obj)
    return plan is not None and plan.status != PlanStatus.CLOSED


@rules.predicate
def plan_is_draft(user, obj) -> bool:
    plan = plan_of(obj)
    return plan is not None and plan.status in (PlanStatus.DRAFT, PlanStatus.DIAGNOSIS)


@rules.predicate
def is_plan_owner_candidate(user, obj) -> bool:
    return isinstance(obj, Organization) and edits_organization(user, obj)


@rules.predicate
def can_view(user, obj) -> bool:
    """Whether `user` sees the plan `obj` belongs to: the plan entity's visibility rule
    (strategy/entities.py, which also defines the `view_*` permissions), for other apps' rules."""
    return PLAN.can_see(user, plan_of(obj))


can_edit = is_site_admin | (edits_plan_owner & plan_is_open)


def actions_answered_by(user, plan: Plan):
    """The actions of `plan` whose progress `user` reports: all of them for its editors; for the
    editors of another council (a network's member), those its departments own or its people lead."""
    actions = Action.objects.filter(plan=plan)
    if user.has_perm("strategy.change_plan", plan):
        return actions
    mine = editable_organization_ids(user)
    if not mine:
        return actions.none()
    return actions.filter(Q(owner_department__organization_id__in=mine) | Q(lead__organization_id__in=mine))


@rules.predicate
def answers_for_some_action(user, obj) -> bool:
    if isinstance(obj, Plan):
        return actions_answered_by(user, obj).exists()
    if isinstance(obj, Action):
        return actions_answered_by(user, obj.plan).filter(pk=obj.pk).exists()
    return False


rules.add_perm("strategy.update_progress", can_edit | (plan_is_open & answers_for_some_action))

rules.add_perm("strategy.add_plan", is_site_admin | is_plan_owner_candidate)
rules.add_perm("strategy.change_plan", can_edit)
rules.add_perm("strategy.approve_plan", can_edit)
rules.add_perm("strategy.delete_plan", is_site_admin | (edits_plan_owner & plan_is_draft))
rules.add_perm("strategy.view_history", is_site_admin | edits_plan_owner)

# Children of a plan: `add_*` receives the plan (or the parent element), the others the element.
for model_name in ("axis", "challenge", "objective", "action", "milestone", "actionpartner"):
    rules.add_perm(f"strategy.add_{model_name}", can_edit)
    rules.add_perm(f"strategy.change_{model_name}", can_edit)
    rules.add_perm(f"strategy.delete_{model_name}", can_edit)


def may_link(user, elements: list) -> list:
    """Those of `elements` (objectives or actions) that `user` may NOT link to or unlink from
    something of theirs: a link shows on the element's plan (its pages, dashboard, exports), so it
    needs the right to edit that plan. `user` None is the operator's command line."""
    if user is None or not elements:
        return []
    model = type(elements[0])
    chain = "axis__plan" if model is Objective else "plan"
    fetched = model.objects.select_related(chain).filter(pk__in=[element.pk for element in elements])
    return [element for element in fetched if not user.has_perm(f"strategy.change_{model._meta.model_name}", element)]
