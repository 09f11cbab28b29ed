"""Plans and their content, each declared once (see municipia.core.entities).

Everyone sees what belongs to a published plan; the owner's editors (a council's) or
coordinators (a network's) also see its drafts; site administrators see everything.
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipia.core.entities import Entity, register
from municipia.core.search import searchable
from municipia.core.visibility import Among, Is
from municipia.organizations.permissions import editable_organization_ids
from municipia.strategy.choices import ActionStatus
from municipia.strategy.models import Action, ActionPartner, Axis, Challenge, Milestone, Objective, Plan


def _of_plan(path: str):
    """The plan rule, for an element that reaches its plan through `path`."""
    prefix = f"{path}__" if path else ""
    return Is(f"{prefix}is_published") | Among(f"{prefix}owner_id", editable_organization_ids)


SERVICES = "municipia.strategy.services"
FORMS = "municipia.strategy.forms"

PLAN = register(
    Entity(
        model=Plan,
        visibility=_of_plan(""),
        parent="owner",
        fields=("title", "summary", "vision", "mission", "slug", "period_start", "period_end", "is_published"),
        translated=("title", "summary", "vision", "mission"),
        create=f"{SERVICES}.plan_create",
        update=f"{SERVICES}.plan_update",
        delete=f"{SERVICES}.plan_delete",
        lookup="slug",
        select_related=("owner",),
        titles=(_("New plan"), _("Edit plan")),
        messages=(_("Plan created."), _("Plan saved."), _("Plan deleted.")),
        form=f"{FORMS}.PlanForm",
        after_delete=lambda plan: reverse("strategy:plan-list"),
        export_fields=("slug", "title", "status", "period_start", "period_end"),
        snapshot_fields=("title", "summary", "vision", "mission", "period_start", "period_end"),
    )
)

AXIS = register(
    Entity(
        model=Axis,
        visibility=_of_plan("plan"),
        parent="plan",
        fields=("code", "title", "description", "weight", "position"),
        translated=("title", "description"),
        create=f"{SERVICES}.axis_create",
        update=f"{SERVICES}.axis_update",
        delete=f"{SERVICES}.axis_delete",
        select_related=("plan__owner",),
        titles=(_("New axis"), _("Edit axis")),
        snapshot_fields=("title", "description", "weight"),
        form=f"{FORMS}.AxisForm",
    )
)

CHALLENGE = register(
    Entity(
        model=Challenge,
        visibility=_of_plan("axis__plan"),
        parent="axis",
        fields=("code", "title", "description"),
        translated=("title", "description"),
        create=f"{SERVICES}.challenge_create",
        update=f"{SERVICES}.challenge_update",
        delete=f"{SERVICES}.challenge_delete",
        select_related=("axis__plan__owner",),
        titles=(_("New challenge"), _("Edit challenge")),
        snapshot_fields=("title", "description"),
        form=f"{FORMS}.ChallengeForm",
        after_save=lambda challenge: challenge.axis.get_absolute_url(),
    )
)

OBJECTIVE = register(
    Entity(
        model=Objective,
        visibility=_of_plan("axis__plan"),
        parent="axis",
        fields=("code", "title", "description", "weight"),
        translated=("title", "description"),
        links=("challenges",),
        create=f"{SERVICES}.objective_create",
        update=f"{SERVICES}.objective_update",
        delete=f"{SERVICES}.objective_delete",
        select_related=("axis__plan__owner",),
        titles=(_("New strategic objective"), _("Edit strategic objective")),
        snapshot_fields=("title", "description", "weight"),
        form=f"{FORMS}.ObjectiveForm",
        after_save=lambda objective: objective.axis.get_absolute_url(),
    )
)


def _finish_prefill(query: Any) -> dict[str, Any]:
    return {"status": ActionStatus.COMPLETED, "progress": 100} if query.get("finish") == "1" else {}


ACTION = register(
    Entity(
        model=Action,
        visibility=_of_plan("plan"),
        parent="plan",
        fields=(
            "code",
            "title",
            "description",
            "objective",
            "owner_department",
            "lead",
            "start_date",
            "end_date",
            "status",
            "progress",
            "budget",
            "weight",
        ),
        translated=("title", "description"),
        links=("participants", "dependencies"),
        create=f"{SERVICES}.action_create",
        update=f"{SERVICES}.action_update",
        delete=f"{SERVICES}.action_delete",
        select_related=("plan__owner", "objective__axis"),
        titles=(_("New action"), _("Edit action")),
        messages=(_("Action created."), _("Action saved."), _("Action deleted.")),
        form=f"{FORMS}.ActionForm",
        # The action page's offer once its linked work is finished (strategy.selectors.finished_work).
        prefill=_finish_prefill,
        # Flat records (CSV, XLSX, JSON): the action's own fields by name, the others through
        # ACTION_EXPORT_PATHS. Approved versions compare the fields below (plan elements by code).
        export_fields=(
            "plan",
            "plan_title",
            "axis_code",
            "axis_title",
            "objective_code",
            "objective_title",
            "code",
            "title",
            "status",
            "progress",
            "start_date",
            "end_date",
            "budget",
            "owner_department",
            "participating_councils",
            "partner_organisations",
        ),
        snapshot_fields=(
            "title",
            "description",
            "objective",
            "owner_department",
            "lead",
            "start_date",
            "end_date",
            "status",
            "progress",
            "budget",
            "weight",
            "participants",
            "dependencies",
            "milestones",
        ),
    )
)

#: Export columns of actions that read another object (or name one otherwise than by its text):
#: the column → the path it reads from the action. A translated text comes in the reader's
#: language (with fallbacks); a many-to-many path gives a list.
ACTION_EXPORT_PATHS = {
    "plan": "plan__slug",
    "plan_title": "plan__title",
    "axis_code": "objective__axis__code",
    "axis_title": "objective__axis__title",
    "objective_code": "objective__code",
    "objective_title": "objective__title",
    "owner_department": "owner_department__name",
    "participating_councils": "participants__name",
    "partner_organisations": "partners__name",
}

MILESTONE = register(
    Entity(
        model=Milestone,
        visibility=_of_plan("action__plan"),
        parent="action",
        fields=("title", "due_date", "completed_on"),
        translated=("title",),
        create=f"{SERVICES}.milestone_create",
        update=f"{SERVICES}.milestone_update",
        delete=f"{SERVICES}.milestone_delete",
        select_related=("action__plan__owner",),
        titles=(_("New milestone"), _("Edit milestone")),
        form=f"{FORMS}.MilestoneForm",
        after_save=lambda milestone: milestone.action.get_absolute_url(),
    )
)

ACTION_PARTNER = register(
    Entity(
        model=ActionPartner,
        visibility=_of_plan("action__plan"),
        parent="action",
        fields=("organization", "role", "note"),
        create=f"{SERVICES}.action_partner_create",
        update=f"{SERVICES}.action_partner_update",
        delete=f"{SERVICES}.action_partner_delete",
        object_arg="partner",
        select_related=("action__plan__owner", "organization"),
        titles=(_("New partner of the action"), _("Edit partner of the action")),
        messages=(_("Partner added."), _("Partner saved."), _("Partner removed.")),
        form=f"{FORMS}.ActionPartnerForm",
        after_save=lambda partner: partner.action.get_absolute_url() + "#partners",
        after_delete=lambda partner: partner.action.get_absolute_url() + "#partners",
    )
)
searchable(
    Plan,
    kind="plan",
    title=("title",),
    body=("summary", "vision", "mission"),
    label=_("Plans"),
    meta=lambda plan: str(plan.owner),
)
searchable(
    Action,
    kind="action",
    title=("title",),
    body=("description",),
    codes=("code",),
    label=_("Actions"),
    meta=lambda action: str(action.plan),
)
