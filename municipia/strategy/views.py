"""Pages of plans and actions, and the editors' forms for them.

Each view checks the permission (`require_perm` / `EditorView`), calls a selector or a service,
and renders. Objects are fetched through selectors scoped to what the user may see.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from municipia.core.cache import public_cache
from municipia.core.history import history_entries, object_history
from municipia.core.i18n import current_language, language_codes, split_translated
from municipia.core.links import reverse_many
from municipia.core.sections import section_context
from municipia.core.views import EditorView, ServiceDeleteView, ServiceFormView, paginate, require_perm
from municipia.organizations.models import Department, Organization
from municipia.organizations.permissions import editable_organization_ids
from municipia.strategy import services
from municipia.strategy.choices import ActionStatus, PlanStatus
from municipia.strategy.filters import ActionFilter
from municipia.strategy.forms import (
    ActionForm,
    AxisForm,
    ChallengeForm,
    MilestoneForm,
    ObjectiveForm,
    PlanForm,
    PlanStatusForm,
)
from municipia.strategy.models import Action, Axis, Challenge, Milestone, Objective, Plan
from municipia.strategy.selectors import (
    action_get,
    action_list,
    axis_get,
    challenge_get,
    milestone_get,
    objective_get,
    plan_get,
    plan_page,
    plan_snapshot,
    plan_versions,
    plans_visible_to,
    progress_rollup,
)
from municipia.strategy.versions import diff_snapshots

PLANS_PER_PAGE = 20
_URL_PLACEHOLDER = "2147483647"  # matches both the int and the slug path converters


def status_labels() -> dict[str, str]:
    """The actions' status labels in the active language, translated once per request."""
    return {value: str(label) for value, label in ActionStatus.choices}


# --- Public pages


@public_cache
def plan_list(request):
    plans = plans_visible_to(request.user).select_related("owner")
    page = paginate(request, plans, PLANS_PER_PAGE)
    progress = progress_rollup([plan.pk for plan in page])
    rows = [(plan, progress.plans.get(plan.pk)) for plan in page]
    editable = []
    if request.user.is_authenticated:
        editable = list(Organization.objects.filter(pk__in=editable_organization_ids(request.user)))
    return render(request, "strategy/plan_list.html", {"page": page, "rows": rows, "editable_owners": editable})


@public_cache
def plan_detail(request, slug):
    plan = plan_get(request.user, slug=slug)
    page = plan_page(plan)
    user = request.user
    # Per-row values computed once here rather than per row in the template (reverse() and
    # get_status_display() were a large share of rendering a plan with many actions).
    action_url = reverse_many("strategy:action-detail")
    labels = status_labels()
    axes = []
    for axis in page.axes:
        objectives = []
        for objective in axis.objectives.all():
            actions = list(objective.actions.all())
            for action in actions:
                action.detail_url = action_url(action.pk)
                action.status_label = labels.get(action.status, action.status)
            objectives.append((objective, page.progress.objectives.get(objective.pk), actions))
        axes.append({"axis": axis, "progress": page.progress.axes.get(axis.pk), "objectives": objectives})
    status_counts = [(labels[value], page.status_counts.get(value, 0)) for value in ActionStatus.values]
    context = {
        "plan": plan,
        "page": page,
        "axes": axes,
        "progress": page.progress.plans.get(plan.pk),
        "status_counts": status_counts,
        "can_edit": user.has_perm("strategy.change_plan", plan),
        "can_delete": user.has_perm("strategy.delete_plan", plan),
        "can_view_history": user.has_perm("strategy.view_history", plan),
        "status_form": PlanStatusForm(plan=plan) if user.has_perm("strategy.change_plan", plan) else None,
        **section_context("plan", user, plan),
    }
    return render(request, "strategy/plan_detail.html", context)


@dataclass
class ChangeRow:
    section: str
    code: str
    kind: str
    field: str
    before: str
    after: str


SECTION_MODELS = {"plan": Plan, "axes": Axis, "challenges": Challenge, "objectives": Objective, "actions": Action}
KIND_LABELS = {"added": gettext_lazy("Added"), "removed": gettext_lazy("Removed"), "changed": gettext_lazy("Changed")}


def _field_label(model, name: str) -> str:
    base, code = split_translated(name)
    if code:
        return f"{capfirst(model._meta.get_field(base).verbose_name)} ({get_language_info(code)['name_local']})"
    if name == "milestones":
        return capfirst(Milestone._meta.verbose_name_plural)
    try:
        return capfirst(model._meta.get_field(name).verbose_name)
    except Exception:  # a field the snapshot knows but the model no longer has
        return name


def _value_text(name: str, value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        # An added or removed element: show its title in the active language, or any language.
        titles = [value.get(f"title_{code}") for code in [current_language(), *language_codes()]]
        return next((t for t in titles if t), "")
    if name == "status":
        choices = dict(ActionStatus.choices) | dict(PlanStatus.choices)
        return str(choices.get(value, value))
    return str(value)


def readable_changes(changes) -> list[ChangeRow]:
    rows = []
    for change in changes:
        model = SECTION_MODELS[change.section]
        rows.append(
            ChangeRow(
                section=capfirst(model._meta.verbose_name),
                code=change.key,
                kind=str(KIND_LABELS[change.kind]),
                field=_field_label(model, change.field) if change.field else "",
                before=_value_text(change.field, change.before),
                after=_value_text(change.field, change.after),
            )
        )
    return rows


@public_cache
def plan_changes(request, slug):
    plan = plan_get(request.user, slug=slug)
    last_version = plan_versions(plan).first()
    rows = []
    if last_version is not None:
        rows = readable_changes(diff_snapshots(last_version.snapshot, plan_snapshot(plan)))
    return render(request, "strategy/plan_changes.html", {"plan": plan, "last_version": last_version, "rows": rows})


class PlanHistoryView(EditorView):
    """The change history of a plan and of everything in it, for its editors."""

    permission = "strategy.view_history"

    def load(self, slug):
        self.plan = plan_get(self.request.user, slug=slug)
        return self.plan

    def get(self, request, slug):
        plan = self.plan
        records = [
            *Plan.history.filter(id=plan.pk).select_related("history_user"),
            *Axis.history.filter(plan_id=plan.pk).select_related("history_user"),
            *Challenge.history.filter(axis__plan_id=plan.pk).select_related("history_user"),
            *Objective.history.filter(axis__plan_id=plan.pk).select_related("history_user"),
            *Action.history.filter(plan_id=plan.pk).select_related("history_user"),
        ]
        entries = history_entries(records, limit=200)
        return render(request, "strategy/plan_history.html", {"plan": plan, "entries": entries})


@public_cache
def action_list_view(request):
    filterset = ActionFilter(request.GET or None, queryset=action_list(request.user), request=request)
    if not filterset.is_bound:
        actions = action_list(request.user)
    else:
        actions = filterset.qs if filterset.is_valid() else Action.objects.none()
    page = paginate(request, actions)
    page.object_list = list(page.object_list)
    action_url, plan_url = reverse_many("strategy:action-detail"), reverse_many("strategy:plan-detail", "slug")
    labels = status_labels()
    for action in page.object_list:
        action.detail_url = action_url(action.pk)
        action.plan_url = plan_url(action.plan.slug)
        action.status_label = labels.get(action.status, action.status)
    context = {"filterset": filterset, "page": page, **_filter_choices(request, filterset)}
    return render(request, "strategy/action_list.html", context)


PLAN_OPTIONS_MAX = 100


def _filter_choices(request, filterset) -> dict:
    """Options of the filter form, kept small whatever the data size.

    Plans: a drop-down only while there are at most PLAN_OPTIONS_MAX of them (a country-wide
    site has thousands; there, a plan is chosen from its own page). Axes, departments and
    councils: those of the chosen plan's actions only.
    """
    plan = None
    slug = request.GET.get("plan")
    if slug:
        # The filter has already fetched the plan; a published one is visible to everyone.
        cleaned = getattr(filterset.form, "cleaned_data", {}).get("plan")
        if cleaned is not None and cleaned.slug == slug and cleaned.is_published:
            plan = cleaned
        else:
            plan = plans_visible_to(request.user).filter(slug=slug).first()
    plans = plans_visible_to(request.user).order_by("title_en", "pk")
    # Ask whether there are too many plans before loading any: a country-wide site has thousands.
    truncated = plans[PLAN_OPTIONS_MAX : PLAN_OPTIONS_MAX + 1].exists()
    if truncated:
        options = [plan] if plan else []
    else:
        options = list(plans.only("pk", "slug", *[f"title_{c}" for c in language_codes()]))
    context = {
        "plan_options": options,
        "plan_options_truncated": truncated,
        "selected_plan": plan,
        "axis_options": [],
        "department_options": [],
        "council_options": [],
    }
    if plan is not None:
        context["axis_options"] = list(plan.axes.all())
        context["council_options"] = list(
            Organization.objects.filter(participating_actions__plan=plan)
            .distinct()
            .only("pk", "slug", *[f"name_{c}" for c in language_codes()])
            .order_by("name")
        )
        context["department_options"] = list(
            Department.objects.filter(actions__plan=plan)
            .select_related("organization")
            .distinct()
            .order_by("organization__name", "name")
        )
    return context


@public_cache
def action_detail(request, pk):
    action = action_get(request.user, pk=pk)
    user = request.user
    can_view_history = user.has_perm("strategy.view_history", action)
    context = {
        "action": action,
        "plan": action.plan,
        "milestones": sorted(action.milestones.all(), key=lambda m: (m.due_date, m.pk)),
        "can_edit": user.has_perm("strategy.change_action", action),
        "can_view_history": can_view_history,
        "history": object_history(action) if can_view_history else [],
    }
    return render(request, "strategy/action_detail.html", context)


# --- Editors' forms: plans


class PlanCreateView(ServiceFormView):
    permission = "strategy.add_plan"
    form_class = PlanForm
    title = gettext_lazy("New plan")

    def load(self, **kwargs):
        slug = self.request.GET.get("owner") or self.request.POST.get("owner")
        self.owner = Organization.objects.filter(slug=slug).first() if slug else None
        if self.owner is None:
            raise Http404
        return self.owner

    def get_context(self):
        return {"subtitle": str(self.owner), "hidden": {"owner": self.owner.slug}}

    def cancel_url(self):
        return self.owner.get_absolute_url()

    def save(self, form):
        plan = services.plan_create(acting_user=self.request.user, owner=self.owner, data=form.service_data())
        messages.success(self.request, _("Plan created."))
        return plan


class PlanUpdateView(ServiceFormView):
    permission = "strategy.change_plan"
    form_class = PlanForm
    title = gettext_lazy("Edit plan")

    def load(self, slug):
        self.plan = plan_get(self.request.user, slug=slug)
        return self.plan

    def get_form_kwargs(self):
        return {"instance": self.plan}

    def get_context(self):
        return {"subtitle": self.plan.title}

    def cancel_url(self):
        return self.plan.get_absolute_url()

    def save(self, form):
        plan = services.plan_update(acting_user=self.request.user, plan=self.plan, data=form.service_data())
        messages.success(self.request, _("Plan saved."))
        return plan


class PlanStatusView(ServiceFormView):
    permission = "strategy.change_plan"
    form_class = PlanStatusForm
    title = gettext_lazy("Change the plan's status")

    def load(self, slug):
        self.plan = plan_get(self.request.user, slug=slug)
        return self.plan

    def get_form_kwargs(self):
        return {"plan": self.plan}

    def get_context(self):
        return {"subtitle": self.plan.title}

    def cancel_url(self):
        return self.plan.get_absolute_url()

    def save(self, form):
        status = form.cleaned_data["status"]
        if status == PlanStatus.APPROVED:
            require_perm(self.request, "strategy.approve_plan", self.plan)
        plan = services.plan_change_status(
            acting_user=self.request.user, plan=self.plan, status=status, note=form.cleaned_data["note"]
        )
        messages.success(self.request, _("Status changed to %(status)s.") % {"status": plan.get_status_display()})
        return plan


class PlanDeleteView(ServiceDeleteView):
    permission = "strategy.delete_plan"

    def load(self, slug):
        self.plan = plan_get(self.request.user, slug=slug)
        return self.plan

    def describe(self):
        return str(self.plan)

    def cancel_url(self):
        return self.plan.get_absolute_url()

    def perform_delete(self):
        services.plan_delete(acting_user=self.request.user, plan=self.plan)
        messages.success(self.request, _("Plan deleted."))
        return reverse("strategy:plan-list")


# --- Axes, challenges, objectives


class PlanElementMixin:
    """Forms whose result is shown on the plan page."""

    def cancel_url(self):
        return self.plan.get_absolute_url()

    def get_context(self):
        return {"subtitle": self.plan.title}


class AxisCreateView(PlanElementMixin, ServiceFormView):
    permission = "strategy.add_axis"
    form_class = AxisForm
    title = gettext_lazy("New axis")

    def load(self, slug):
        self.plan = plan_get(self.request.user, slug=slug)
        return self.plan

    def save(self, form):
        return services.axis_create(acting_user=self.request.user, plan=self.plan, data=form.service_data())


class AxisUpdateView(PlanElementMixin, ServiceFormView):
    permission = "strategy.change_axis"
    form_class = AxisForm
    title = gettext_lazy("Edit axis")

    def load(self, pk):
        self.axis = axis_get(self.request.user, pk=pk)
        self.plan = self.axis.plan
        return self.axis

    def get_form_kwargs(self):
        return {"instance": self.axis}

    def save(self, form):
        return services.axis_update(acting_user=self.request.user, axis=self.axis, data=form.service_data())


class AxisDeleteView(ServiceDeleteView):
    permission = "strategy.delete_axis"

    def load(self, pk):
        self.axis = axis_get(self.request.user, pk=pk)
        return self.axis

    def describe(self):
        return str(self.axis)

    def cancel_url(self):
        return self.axis.plan.get_absolute_url()

    def perform_delete(self):
        services.axis_delete(acting_user=self.request.user, axis=self.axis)
        return self.axis.plan.get_absolute_url()


class AxisChildMixin(PlanElementMixin):
    def load(self, pk):
        self.axis = axis_get(self.request.user, pk=pk)
        self.plan = self.axis.plan
        return self.axis

    def get_context(self):
        return {"subtitle": f"{self.plan.title} · {self.axis}"}


class ChallengeCreateView(AxisChildMixin, ServiceFormView):
    permission = "strategy.add_challenge"
    form_class = ChallengeForm
    title = gettext_lazy("New challenge")

    def save(self, form):
        services.challenge_create(acting_user=self.request.user, axis=self.axis, data=form.service_data())
        return self.axis


class ChallengeUpdateView(PlanElementMixin, ServiceFormView):
    permission = "strategy.change_challenge"
    form_class = ChallengeForm
    title = gettext_lazy("Edit challenge")

    def load(self, pk):
        self.challenge = challenge_get(self.request.user, pk=pk)
        self.plan = self.challenge.axis.plan
        return self.challenge

    def get_form_kwargs(self):
        return {"instance": self.challenge}

    def save(self, form):
        services.challenge_update(acting_user=self.request.user, challenge=self.challenge, data=form.service_data())
        return self.challenge.axis


class ChallengeDeleteView(ServiceDeleteView):
    permission = "strategy.delete_challenge"

    def load(self, pk):
        self.challenge = challenge_get(self.request.user, pk=pk)
        return self.challenge

    def describe(self):
        return str(self.challenge)

    def cancel_url(self):
        return self.challenge.axis.get_absolute_url()

    def perform_delete(self):
        services.challenge_delete(acting_user=self.request.user, challenge=self.challenge)
        return self.challenge.axis.get_absolute_url()


class ObjectiveCreateView(AxisChildMixin, ServiceFormView):
    permission = "strategy.add_objective"
    form_class = ObjectiveForm
    title = gettext_lazy("New strategic objective")

    def get_form_kwargs(self):
        return {"axis": self.axis}

    def save(self, form):
        services.objective_create(
            acting_user=self.request.user,
            axis=self.axis,
            data=form.service_data(exclude=("challenges",)),
            challenges=form.cleaned_data["challenges"],
        )
        return self.axis


class ObjectiveUpdateView(PlanElementMixin, ServiceFormView):
    permission = "strategy.change_objective"
    form_class = ObjectiveForm
    title = gettext_lazy("Edit strategic objective")

    def load(self, pk):
        self.objective = objective_get(self.request.user, pk=pk)
        self.plan = self.objective.axis.plan
        return self.objective

    def get_form_kwargs(self):
        return {"instance": self.objective, "axis": self.objective.axis}

    def save(self, form):
        services.objective_update(
            acting_user=self.request.user,
            objective=self.objective,
            data=form.service_data(exclude=("challenges",)),
            challenges=form.cleaned_data["challenges"],
        )
        return self.objective.axis


class ObjectiveDeleteView(ServiceDeleteView):
    permission = "strategy.delete_objective"

    def load(self, pk):
        self.objective = objective_get(self.request.user, pk=pk)
        return self.objective

    def describe(self):
        return str(self.objective)

    def cancel_url(self):
        return self.objective.axis.get_absolute_url()

    def perform_delete(self):
        services.objective_delete(acting_user=self.request.user, objective=self.objective)
        return self.objective.axis.get_absolute_url()


# --- Actions and milestones


ACTION_LINKS = ("participants", "dependencies")


class ActionCreateView(PlanElementMixin, ServiceFormView):
    permission = "strategy.add_action"
    form_class = ActionForm
    title = gettext_lazy("New action")

    def load(self, slug):
        self.plan = plan_get(self.request.user, slug=slug)
        return self.plan

    def get_form_kwargs(self):
        return {"plan": self.plan}

    def save(self, form):
        action = services.action_create(
            acting_user=self.request.user,
            plan=self.plan,
            data=form.service_data(exclude=ACTION_LINKS),
            participants=form.cleaned_data["participants"],
            dependencies=form.cleaned_data["dependencies"],
        )
        messages.success(self.request, _("Action created."))
        return action


class ActionUpdateView(ServiceFormView):
    permission = "strategy.change_action"
    form_class = ActionForm
    title = gettext_lazy("Edit action")

    def load(self, pk):
        self.action = action_get(self.request.user, pk=pk)
        return self.action

    def get_form_kwargs(self):
        return {"plan": self.action.plan, "instance": self.action}

    def get_context(self):
        return {"subtitle": str(self.action)}

    def cancel_url(self):
        return self.action.get_absolute_url()

    def save(self, form):
        action = services.action_update(
            acting_user=self.request.user,
            action=self.action,
            data=form.service_data(exclude=ACTION_LINKS),
            participants=form.cleaned_data["participants"],
            dependencies=form.cleaned_data["dependencies"],
        )
        messages.success(self.request, _("Action saved."))
        return action


class ActionDeleteView(ServiceDeleteView):
    permission = "strategy.delete_action"

    def load(self, pk):
        self.action = action_get(self.request.user, pk=pk)
        return self.action

    def describe(self):
        return str(self.action)

    def cancel_url(self):
        return self.action.get_absolute_url()

    def perform_delete(self):
        plan = self.action.plan
        services.action_delete(acting_user=self.request.user, action=self.action)
        messages.success(self.request, _("Action deleted."))
        return plan.get_absolute_url()


class MilestoneCreateView(ServiceFormView):
    permission = "strategy.add_milestone"
    form_class = MilestoneForm
    title = gettext_lazy("New milestone")

    def load(self, pk):
        self.action = action_get(self.request.user, pk=pk)
        return self.action

    def get_context(self):
        return {"subtitle": str(self.action)}

    def cancel_url(self):
        return self.action.get_absolute_url()

    def save(self, form):
        services.milestone_create(acting_user=self.request.user, action=self.action, data=form.service_data())
        return self.action


class MilestoneUpdateView(ServiceFormView):
    permission = "strategy.change_milestone"
    form_class = MilestoneForm
    title = gettext_lazy("Edit milestone")

    def load(self, pk):
        self.milestone = milestone_get(self.request.user, pk=pk)
        return self.milestone

    def get_form_kwargs(self):
        return {"instance": self.milestone}

    def get_context(self):
        return {"subtitle": str(self.milestone.action)}

    def cancel_url(self):
        return self.milestone.action.get_absolute_url()

    def save(self, form):
        services.milestone_update(acting_user=self.request.user, milestone=self.milestone, data=form.service_data())
        return self.milestone.action


class MilestoneDeleteView(ServiceDeleteView):
    permission = "strategy.delete_milestone"

    def load(self, pk):
        self.milestone = milestone_get(self.request.user, pk=pk)
        return self.milestone

    def describe(self):
        return str(self.milestone)

    def cancel_url(self):
        return self.milestone.action.get_absolute_url()

    def perform_delete(self):
        services.milestone_delete(acting_user=self.request.user, milestone=self.milestone)
        return self.milestone.action.get_absolute_url()
