"""Pages of plans and actions, and the editors' forms for them.

Each view checks the permission (`require_perm` / `EditorView`), calls a selector or a service,
and renders. Objects are fetched through selectors scoped to what the user may see.
"""

import base64
from dataclasses import dataclass
from typing import cast

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from municipia.core.cache import cached_value, page_versions, public_cache, shared_fragment
from municipia.core.entity_views import EntityCreateView
from municipia.core.exports import UnreadableFile, csv_response, xlsx_response
from municipia.core.history import history_entries, object_history
from municipia.core.i18n import current_language, language_codes, split_translated
from municipia.core.links import reverse_many
from municipia.core.search import search_page
from municipia.core.sections import section_context
from municipia.core.views import PAGE_SIZE, EditorView, ServiceFormView, paginate, require_perm
from municipia.organizations.selectors import (
    departments_among,
    organization_find,
    organizations_among,
    organizations_edited_by,
)
from municipia.strategy import bulk, services
from municipia.strategy.choices import (
    BACKWARD_TRANSITIONS,
    PLAN_TRANSITIONS,
    TRANSITION_LABELS,
    ActionStatus,
    PlanStatus,
)
from municipia.strategy.entities import ACTION, PLAN
from municipia.strategy.filters import ActionFilter
from municipia.strategy.forms import PlanForm, PlanStatusForm
from municipia.strategy.models import Action, Axis, Challenge, Objective, Plan
from municipia.strategy.selectors import (
    SNAPSHOT_SECTIONS,
    PlanPage,
    action_get,
    action_last_change,
    action_list,
    action_list_scope,
    action_scope,
    action_status,
    finished_work,
    is_finished,
    plan_get,
    plan_page,
    plan_scope,
    plan_snapshot,
    plan_versions,
    plans_visible_to,
    progress_rollup,
    with_status_facts,
)
from municipia.strategy.status import STATUS_RULES
from municipia.strategy.versions import diff_snapshots

PLANS_PER_PAGE = 20


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
    editable = list(organizations_edited_by(request.user)) if request.user.is_authenticated else []
    return render(request, "strategy/plan_list.html", {"page": page, "rows": rows, "editable_owners": editable})


@public_cache(scope=lambda request, slug: plan_scope(slug), readers=True)
def plan_detail(request, slug):
    plan = plan_get(request.user, slug=slug)
    user = request.user
    can_edit = user.has_perm("strategy.change_plan", plan)
    sections = section_context("plan", user, plan)
    # The plan's content (axes → objectives → actions, progress, statuses) is the same for every
    # reader until the plan's version (or the day) changes: it is read once, and the axes with their
    # actions — most of the page — are rendered once per language and editing right, also when the
    # whole page is not cached (a signed-in editor, PUBLIC_CACHE=0). The keys name the same versions
    # as the page cache's, so an edit shows at once.
    # (The statuses' labels are in the page's language.)
    today, language = timezone.localdate(), get_language()
    versions = page_versions(request, ("plan", plan.pk))
    page = cast(
        PlanPage, cached_value("plan-page", [plan.pk, versions, today, language], lambda: plan_page(plan, today=today))
    )
    portfolio = sections.get("portfolio_section")
    axis_url = portfolio["axis_url"] if portfolio else ""
    axes = [
        {
            "axis": axis,
            "progress": page.progress.axes.get(axis.pk),
            "objectives": [
                (objective, page.progress.objectives.get(objective.pk), list(objective.actions.all()))
                for objective in axis.objectives.all()
            ],
            "status_counts": page.axis_status_counts.get(axis.pk, []),
            "action_count": sum(len(objective.actions.all()) for objective in axis.objectives.all()),
        }
        for axis in page.axes
    ]

    def render_axes() -> str:
        # Per-row values computed once here rather than per row in the template (reverse() and
        # get_status_display() were a large share of rendering a plan with many actions).
        action_url = reverse_many("strategy:action-detail")
        labels = status_labels()
        for item in axes:
            for _objective, _progress, actions in item["objectives"]:
                for action in actions:
                    action.detail_url = action_url(action.pk)
                    action.status_label = labels.get(action.status, action.status)
        portfolio_links = {"axis_url": axis_url} if portfolio else None
        context = {"axes": axes, "can_edit": can_edit, "portfolio_section": portfolio_links}
        return render_to_string("strategy/includes/plan_axes.html", context).removesuffix("\n")

    parts = [plan.pk, versions, today, language, can_edit, axis_url]
    context = {
        "plan": plan,
        "page": page,
        "axes": axes,
        "plan_axes": shared_fragment("plan-axes", parts, render_axes),
        "progress": page.progress.plans.get(plan.pk),
        "status_counts": page.status_counts,
        "status_rules": STATUS_RULES,
        "transitions": plan_transitions(user, plan),
        "can_edit": can_edit,
        "can_delete": user.has_perm("strategy.delete_plan", plan),
        "can_view_history": user.has_perm("strategy.view_history", plan),
        **sections,
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


SECTION_MODELS = {"plan": Plan, **{section.name: section.entity.model for section in SNAPSHOT_SECTIONS}}
KIND_LABELS = {"added": gettext_lazy("Added"), "removed": gettext_lazy("Removed"), "changed": gettext_lazy("Changed")}


def _model_field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a field the snapshot knows but the model no longer has
        return None


def _field_label(model, name: str) -> str:
    base, code = split_translated(name)
    if code:
        return f"{capfirst(model._meta.get_field(base).verbose_name)} ({get_language_info(code)['name_local']})"
    model_field = _model_field(model, name)
    if model_field is None:
        return name
    if model_field.auto_created and not model_field.concrete:  # a reverse relation: the action's milestones
        return capfirst(model_field.related_model._meta.verbose_name_plural)
    return capfirst(model_field.verbose_name)


def _value_text(model, name: str, value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        # An added or removed element: show its title in the active language, or any language.
        titles = [value.get(f"title_{code}") for code in [current_language(), *language_codes()]]
        return next((t for t in titles if t), "")
    model_field = _model_field(model, name)
    if isinstance(model_field, Field) and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
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
                before=_value_text(model, change.field, change.before),
                after=_value_text(model, change.field, change.after),
            )
        )
    return rows


@public_cache(scope=lambda request, slug: plan_scope(slug))
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


@public_cache(scope=lambda request: action_list_scope(request.GET), readers=True)
def action_list_view(request):
    filterset = ActionFilter(request.GET or None, queryset=action_list(request.user), request=request)
    if not filterset.is_bound:
        actions = action_list(request.user)
    else:
        actions = filterset.qs if filterset.is_valid() else Action.objects.none()
    page = None
    if filterset.is_bound and filterset.is_valid() and set(request.GET) <= SEARCH_ONLY:
        # A search over every plan: its matches are kept between edits that change no text.
        rows = with_status_facts(action_list(request.user))
        page = search_page(request, actions, rows, request.GET.get("search", ""), per_page=PAGE_SIZE)
    if page is None:
        page = paginate(request, with_status_facts(actions))
    page.object_list = list(page.object_list)
    action_url, plan_url = reverse_many("strategy:action-detail"), reverse_many("strategy:plan-detail", "slug")
    labels = status_labels()
    today = timezone.localdate()
    for action in page.object_list:
        action.detail_url = action_url(action.pk)
        action.plan_url = plan_url(action.plan.slug)
        action.status_label = labels.get(action.status, action.status)
        action.verdict = action_status(action, today)
    context = {"filterset": filterset, "page": page, **_filter_choices(request, filterset)}
    return render(request, "strategy/action_list.html", context)


PLAN_OPTIONS_MAX = 100
SEARCH_ONLY = {"search", "page"}


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
        # The same for every reader of the plan until it changes (the page's versions: the plan's
        # when it is the only one asked for, else the site's, which every change bumps).
        versions = page_versions(request, ("plan", plan.pk))
        options = cached_value("action-list-options", [plan.pk, versions], lambda: _plan_options(plan))
        context.update(cast(dict, options))
    return context


def _plan_options(plan: Plan) -> dict[str, list]:
    """The axes, councils and departments of one plan's actions, for the filter form (three queries)."""
    actions = Action.objects.filter(plan=plan)
    participations = Action.participants.through.objects.filter(action__plan=plan)
    councils = organizations_among(participations.values("organization_id"))
    return {
        "axis_options": list(plan.axes.all()),
        "council_options": list(councils.only("pk", "slug", *[f"name_{c}" for c in language_codes()]).order_by("name")),
        "department_options": list(departments_among(actions.values("owner_department_id"))),
    }


#: The action's fields its page shows in a way of its own (or, like the weight, not at all);
#: any other field declared in the entity is listed among the key facts as it is.
ACTION_FIELDS_SHOWN_APART = {
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
}


def _further_facts(action: Action) -> list[tuple[str, object]]:
    """(label, value) of the action's declared fields that the page has no place of its own for."""
    facts = []
    for name in ACTION.fields:
        if name in ACTION_FIELDS_SHOWN_APART:
            continue
        model_field = Action._meta.get_field(name)
        value = getattr(action, f"get_{name}_display")() if model_field.choices else getattr(action, name)
        facts.append((capfirst(model_field.verbose_name), value))
    return facts


@public_cache(scope=lambda request, pk: action_scope(pk), readers=True)
def action_detail(request, pk):
    action = action_get(request.user, pk=pk)
    user = request.user
    can_view_history = user.has_perm("strategy.view_history", action)
    can_edit = user.has_perm("strategy.change_action", action)
    # Its milestones, tasks and commitments all finished, the action not yet: offer to complete it
    # (editors only, three more queries: one per app that links work to actions).
    finished_items = 0
    if can_edit and not is_finished(action) and action.status != ActionStatus.CANCELLED:
        finished_items = finished_work(Action.objects.filter(pk=action.pk)).get(action.pk, 0)
    context = {
        "action": action,
        "finished_items": finished_items,
        "verdict": action_status(action),
        "last_change": action_last_change(action),
        "status_rules": STATUS_RULES,
        "plan": action.plan,
        "milestones": sorted(action.milestones.all(), key=lambda m: (m.due_date, m.pk)),
        "further_facts": _further_facts(action),
        "can_edit": can_edit,
        "can_view_history": can_view_history,
        "history": object_history(action) if can_view_history else [],
        # One line per partner organisation with its roles (lead, funder…).
        "partners": sorted(action.partnerships.all(), key=lambda p: (str(p.organization), p.role)),
        # Sections other apps contribute (partnerships: the commitments this action serves).
        **section_context("action", user, action),
    }
    return render(request, "strategy/action_detail.html", context)


# --- Editors' forms: plans (the other create/edit/delete pages are the entities' generic ones, strategy/urls.py)


class PlanCreateView(EntityCreateView):
    """A new plan of the organisation named by `?owner=<slug>` (kept in a hidden field on POST).

    Special because the owner comes from the query string, not from the path: `plans/new/` is
    linked from every organisation's page, so it cannot name the parent in its address.
    """

    entity = PLAN
    form_class = PlanForm

    def load(self, **kwargs):
        slug = self.request.GET.get("owner") or self.request.POST.get("owner")
        if not slug:
            raise Http404
        self.permission = self.entity.perm("add")
        self.title = self.entity.titles[0]
        self.parent = organization_find(slug=slug)
        return self.parent

    def get_context(self):
        return {**super().get_context(), "hidden": {"owner": self.parent.slug}}


def plan_transitions(user, plan: Plan) -> list[dict]:
    """The buttons of the plan's next steps the user may take ("Approve plan", "Start execution"…),
    each leading to a confirmation page; none without the right."""
    if not user.has_perm("strategy.change_plan", plan):
        return []
    buttons = []
    for status in PlanStatus.values:
        if status not in PLAN_TRANSITIONS[plan.status]:
            continue
        if status == PlanStatus.APPROVED and not user.has_perm("strategy.approve_plan", plan):
            continue
        step = (plan.status, status)
        buttons.append(
            {
                "status": status,
                "label": str(TRANSITION_LABELS[step]),
                "backward": step in BACKWARD_TRANSITIONS,
            }
        )
    return buttons


class PlanStatusView(ServiceFormView):
    """Moves a plan along its lifecycle: a state transition, not an edit (approving needs
    `approve_plan` and keeps a version), so it has its own form and service. The plan page's
    buttons lead here with `?to=<status>`: this page asks for confirmation (and a note)."""

    permission = "strategy.change_plan"
    form_class = PlanStatusForm

    def load(self, slug):
        self.plan = plan_get(self.request.user, slug=slug)
        self.target = self.request.GET.get("to") or self.request.POST.get("status")
        return self.plan

    @property
    def title(self):
        label = TRANSITION_LABELS.get((self.plan.status, self.target))
        if label:
            return _("%(step)s: please confirm") % {"step": label}
        return _("Change the plan's status")

    def get_form_kwargs(self):
        return {"plan": self.plan, "target": self.target}

    def get_context(self):
        status = self.plan.get_status_display()
        return {
            "subtitle": _("%(plan)s — now %(status)s") % {"plan": self.plan.title, "status": status},
            "submit_label": _("Confirm"),
        }

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


# --- Bulk progress update (strategy/bulk.py): a template to download, an upload, a preview, all or nothing.

BULK_SESSION_KEY = "strategy-bulk-update"
BULK_MAX_BYTES = 5 * 1024 * 1024


class PlanBulkTemplateView(EditorView):
    """The plan's actions as a CSV or XLSX template to fill in (progress, status, comment)."""

    permission = "strategy.update_progress"

    def load(self, slug, fmt):
        self.plan = plan_get(self.request.user, slug=slug)
        return self.plan

    def get(self, request, slug, fmt):
        stem = f"{self.plan.slug}-progress"
        header, rows = bulk.template_header(), bulk.template_rows(self.plan, user=self.request.user)
        if fmt == "xlsx":
            return xlsx_response([(_("Progress"), header, rows)], filename=f"{stem}.xlsx")
        return csv_response(header, rows, filename=f"{stem}.csv")


class PlanBulkUpdateView(EditorView):
    """Upload a filled template → a preview listing every change and every bad row → apply all or
    nothing. Special because the upload is kept (in the session) between preview and apply."""

    permission = "strategy.update_progress"
    template_name = "strategy/plan_bulk_update.html"

    def load(self, slug):
        self.plan = plan_get(self.request.user, slug=slug)
        return self.plan

    def render_page(self, result=None, error="", status=200):
        context = {"plan": self.plan, "result": result, "error": error, "max_rows": bulk.MAX_ROWS}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, slug):
        return self.render_page()

    def post(self, request, slug):
        key = f"{BULK_SESSION_KEY}-{self.plan.pk}"
        if "apply" in request.POST:
            kept = request.session.get(key)
            if not kept:
                return self.render_page(error=_("Upload the file again: the preview has expired."), status=400)
            name, content = kept["name"], base64.b64decode(kept["content"])
        else:
            upload = request.FILES.get("file")
            if upload is None:
                return self.render_page(error=_("Choose a CSV or XLSX file."), status=400)
            if upload.size > BULK_MAX_BYTES:
                return self.render_page(error=_("The file is larger than 5 MB."), status=400)
            name, content = upload.name, upload.read()
        try:
            result = bulk.bulk_progress_update(
                acting_user=request.user,
                plan=self.plan,
                file_name=name,
                content=content,
                dry_run="apply" not in request.POST,
                finish=request.POST.getlist("finish") if "apply" in request.POST else (),
            )
        except UnreadableFile as exc:
            return self.render_page(error=str(exc), status=400)
        if result.applied:
            request.session.pop(key, None)
            updated = len({c.action.pk for c in result.changes} | {a.pk for a in result.finished})
            messages.success(
                request, ngettext("%(n)s action updated.", "%(n)s actions updated.", updated) % {"n": updated}
            )
            return redirect(self.plan.get_absolute_url())
        if result.ok:
            request.session[key] = {"name": name, "content": base64.b64encode(content).decode()}
        return self.render_page(result=result, status=200 if result.ok else 400)
