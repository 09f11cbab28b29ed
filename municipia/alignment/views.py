"""Pages of frameworks, alignments, coverage and suggestions, and the editors' forms.

Each view checks the permission (`require_perm` / `EditorView`), calls a selector or a service,
and renders.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.alignment import selectors, services
from municipia.alignment.exports import coverage_rows
from municipia.alignment.forms import (
    AlignmentForm,
    AlignmentUpdateForm,
    FrameworkForm,
    LocalTargetForm,
    PlanFrameworkForm,
    SuggestionAnswerForm,
)
from municipia.core.cache import public_cache
from municipia.core.charts import Bar, bar_chart
from municipia.core.exports import CSV_CONTENT_TYPE, content_disposition, csv_lines
from municipia.core.i18n import current_language
from municipia.core.views import EditorView, ServiceDeleteView, ServiceFormView, attach_errors, require_perm
from municipia.core.visibility import User
from municipia.indicators.models import Indicator
from municipia.indicators.selectors import indicator_get
from municipia.organizations.choices import OrganizationKind
from municipia.organizations.models import Organization
from municipia.organizations.selectors import organization_find, organizations_edited_by
from municipia.reports.pdf import render_pdf
from municipia.strategy.permissions import plan_of
from municipia.strategy.selectors import action_get, plan_get


def _editable_organizations(user: User) -> list[Organization]:
    """The organisations `user` edits."""
    return list(organizations_edited_by(user))


# --- Frameworks


@public_cache
def framework_list(request):
    frameworks = list(selectors.framework_list())
    editable = []
    if request.user.is_authenticated:
        editable = _editable_organizations(request.user)
    context = {
        "reference": [f for f in frameworks if f.owner_id is None],
        "own": [f for f in frameworks if f.owner_id is not None],
        "editable_owners": editable,
        "can_add_reference": request.user.has_perm("alignment.add_framework", None),
    }
    return render(request, "alignment/framework_list.html", context)


@public_cache
def framework_detail(request, code):
    framework = selectors.framework_get(code=code)
    search = request.GET.get("q", "")
    rows = selectors.framework_tree(framework, search=search)
    user = request.user
    can_manage = user.has_perm("alignment.change_framework", framework)
    context = {
        "framework": framework,
        "rows": rows,
        "search": search,
        "can_manage": can_manage,
        # Any council editor may add a local target under a reference framework's item.
        "local_target_owners": (
            _editable_organizations(user) if framework.is_reference and user.is_authenticated else []
        ),
    }
    return render(request, "alignment/framework_detail.html", context)


class FrameworkCreateView(ServiceFormView):
    """A new framework: a reference one, or the own framework of the council `?owner=` names.

    Hand-written: the owner is optional and comes from the query string, not from the URL
    (the entity pages create objects in a parent the URL names).
    """

    permission = "alignment.add_framework"
    form_class = FrameworkForm
    title = gettext_lazy("New framework")

    def load(self, **kwargs):
        slug = self.request.GET.get("owner") or self.request.POST.get("owner")
        self.owner = organization_find(slug=slug) if slug else None
        return self.owner

    def get_context(self):
        if self.owner is None:
            return {"subtitle": _("A reference framework, for every plan.")}
        return {"subtitle": str(self.owner), "hidden": {"owner": self.owner.slug}}

    def cancel_url(self):
        return reverse("alignment:framework-list")

    def save(self, form):
        framework = services.framework_create(acting_user=self.request.user, owner=self.owner, data=form.service_data())
        messages.success(self.request, _("Framework created."))
        return framework


class LocalTargetCreateView(ServiceFormView):
    """A council's own target under an item of a reference framework (`?owner=<council slug>`).

    Hand-written: the new item has two parents, the item it goes under (from the URL) and the
    council that owns it (from the query string), and its own form and service.
    """

    permission = "alignment.add_frameworkitem"
    form_class = LocalTargetForm
    title = gettext_lazy("New local target")

    def load(self, pk):
        self.parent = selectors.item_get(pk=pk)
        slug = self.request.GET.get("owner") or self.request.POST.get("owner")
        if not slug:
            raise Http404
        self.owner = organization_find(slug=slug)
        return self.owner

    def get_context(self):
        return {"subtitle": f"{self.owner} · {self.parent}", "hidden": {"owner": self.owner.slug}}

    def cancel_url(self):
        return self.parent.framework.get_absolute_url()

    def success_url(self, obj):
        return self.parent.framework.get_absolute_url()

    def save(self, form):
        item = services.local_target_create(
            acting_user=self.request.user, parent=self.parent, owner=self.owner, data=form.service_data()
        )
        messages.success(self.request, _("Local target added."))
        return item


# --- A plan's alignments and the frameworks it uses


def plan_alignments(request, slug):
    plan = plan_get(request.user, slug=slug)
    can_edit = request.user.has_perm("alignment.add_alignment", plan)
    context = {
        "plan": plan,
        "rows": selectors.plan_alignment_rows(plan),
        "frameworks": selectors.plan_frameworks(plan),
        "chosen": selectors.plan_framework_rows(plan),
        "can_edit": can_edit,
        "add_form": (PlanFrameworkForm(frameworks=selectors.frameworks_available_to(plan)) if can_edit else None),
    }
    return render(request, "alignment/plan_alignments.html", context)


class PlanFrameworkAddView(EditorView):
    """Adds a framework to the plan from the plan's alignments page.

    Hand-written: a POST-only action of that page (no form page of its own); it answers with a
    message and goes back to the page.
    """

    permission = "alignment.add_planframework"

    def load(self, slug):
        self.plan = plan_get(self.request.user, slug=slug)
        return self.plan

    def post(self, request, slug):
        form = PlanFrameworkForm(request.POST, frameworks=selectors.frameworks_available_to(self.plan))
        if not form.is_valid():
            messages.error(request, _("Framework: %(errors)s") % {"errors": " ".join(form.errors.get("framework", []))})
        else:
            framework = selectors.framework_get(code=form.cleaned_data["framework"])
            try:
                services.plan_framework_add(acting_user=request.user, plan=self.plan, framework=framework)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The plan now uses %(code)s.") % {"code": framework.code})
        return HttpResponseRedirect(reverse("alignment:plan-alignments", args=[self.plan.slug]))


class PlanFrameworkRemoveView(EditorView):
    """Removes a framework from the plan, from the plan's alignments page (POST only, no confirmation page).

    Hand-written for the same reason as PlanFrameworkAddView.
    """

    permission = "alignment.delete_planframework"

    def load(self, slug, pk):
        self.plan = plan_get(self.request.user, slug=slug)
        self.row = next((row for row in selectors.plan_framework_rows(self.plan) if row.pk == pk), None)
        if self.row is None:
            raise Http404
        return self.row

    def post(self, request, slug, pk):
        try:
            services.plan_framework_remove(acting_user=request.user, plan_framework=self.row)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Framework removed from the plan."))
        return HttpResponseRedirect(reverse("alignment:plan-alignments", args=[self.plan.slug]))


def _element_page(element) -> str:
    if isinstance(element, Indicator):
        return element.get_absolute_url() + "#alignment-heading"
    if element.__class__.__name__ == "Action":
        return element.get_absolute_url()
    return reverse("alignment:plan-alignments", args=[plan_of(element).slug])


class AlignmentCreateView(EditorView):
    """Aligns an element: choose the framework and type the item's code (a list of codes helps).

    A plan element is offered the frameworks its plan uses; an indicator those of the plans it
    measures and the default ones (see `services.indicator_plans`).

    Hand-written: the element is any of five kinds, and the item is named by framework and code.
    """

    permission = "alignment.add_alignment"
    template_name = "alignment/alignment_form.html"

    def load(self, kind, pk):
        self.element = selectors.element_get(self.request.user, kind=kind, pk=pk)
        if isinstance(self.element, Indicator):
            self.plan = None
            self.indicator_plans = services.indicator_plans(self.element)
            self.frameworks = selectors.indicator_frameworks(self.indicator_plans)
        else:
            self.plan = plan_of(self.element)
            self.indicator_plans = []
            self.frameworks = selectors.plan_frameworks(self.plan)
        return self.element

    def render_form(self, form, status=200):
        if self.plan is None:
            items = selectors.indicator_taggable_items(self.element, self.indicator_plans)
        else:
            items = selectors.taggable_items(self.plan)
        context = {
            "form": form,
            "element": self.element,
            "plan": self.plan,
            "indicator_plans": self.indicator_plans,
            "items": items,
            "cancel_url": _element_page(self.element),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, kind, pk):
        initial = {"framework": request.GET.get("framework", "SDG"), "code": request.GET.get("code", "")}
        return self.render_form(AlignmentForm(initial=initial, frameworks=self.frameworks))

    def post(self, request, kind, pk):
        form = AlignmentForm(request.POST, frameworks=self.frameworks)
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = selectors.item_by_code(
                    framework_code=data["framework"], code=data["code"], frameworks=self.frameworks
                )
                services.alignment_create(
                    acting_user=request.user,
                    element=self.element,
                    item=item,
                    data={"is_primary": data["is_primary"], f"rationale_{current_language()}": data["rationale"]},
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("Aligned to %(item)s.") % {"item": str(item)})
                return HttpResponseRedirect(_element_page(self.element))
        return self.render_form(form, status=400)


class AlignmentUpdateView(ServiceFormView):
    """Edits "primary" and the rationale in the reader's language only.

    Hand-written: its form is not the model's (one rationale field for the page's language), and
    the page names the element and the item and goes back to the element's page.
    """

    permission = "alignment.change_alignment"
    form_class = AlignmentUpdateForm
    title = gettext_lazy("Edit alignment")

    def load(self, pk):
        self.alignment = selectors.alignment_get(self.request.user, pk=pk)
        return self.alignment

    def get_form(self, data=None):
        initial = {"is_primary": self.alignment.is_primary, "rationale": self.alignment.rationale}
        return AlignmentUpdateForm(data=data, initial=initial)

    def get_context(self):
        return {"subtitle": f"{self.alignment.element} → {self.alignment.item}"}

    def cancel_url(self):
        return _element_page(self.alignment.element)

    def success_url(self, obj):
        return self.cancel_url()

    def save(self, form):
        data = {
            "is_primary": form.cleaned_data["is_primary"],
            f"rationale_{current_language()}": form.cleaned_data["rationale"],
        }
        alignment = services.alignment_update(acting_user=self.request.user, alignment=self.alignment, data=data)
        messages.success(self.request, _("Alignment saved."))
        return alignment


class AlignmentDeleteView(ServiceDeleteView):
    """Removes an alignment; hand-written because the page names the element and the item, and goes
    back to the element's page (an action's, an indicator's or the plan's alignments)."""

    permission = "alignment.delete_alignment"

    def load(self, pk):
        self.alignment = selectors.alignment_get(self.request.user, pk=pk)
        return self.alignment

    def describe(self):
        return f"{self.alignment.element} → {self.alignment.item}"

    def cancel_url(self):
        return _element_page(self.alignment.element)

    def perform_delete(self):
        back = self.cancel_url()
        services.alignment_delete(acting_user=self.request.user, alignment=self.alignment)
        messages.success(self.request, _("Alignment removed."))
        return back


# --- Suggestions


class SuggestionAnswerView(EditorView):
    """Accepts (aligns the action or indicator and keeps positive feedback) or rejects (keeps negative feedback).

    Hand-written: a decision on a suggestion (POST only), not an entity's form.
    """

    permission = "alignment.add_suggestionfeedback"
    accept = True
    kind = "action"

    def load(self, pk):
        getter = indicator_get if self.kind == "indicator" else action_get
        self.element = getter(self.request.user, pk=pk)
        return self.element

    def post(self, request, pk):
        form = SuggestionAnswerForm(request.POST)
        if form.is_valid():
            goal, language = form.cleaned_data["goal"], form.cleaned_data["language"] or current_language()
            service = services.suggestion_accept if self.accept else services.suggestion_reject
            try:
                service(acting_user=request.user, goal=goal, language=language, **{self.kind: self.element})
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                text = _("Aligned to SDG %(goal)s.") if self.accept else _("Suggestion of SDG %(goal)s dismissed.")
                messages.success(request, text % {"goal": goal})
        else:
            messages.error(request, _("The suggestion could not be read; reload the page and try again."))
        return HttpResponseRedirect(self.element.get_absolute_url() + "#alignment-heading")


# --- Coverage


def _coverage_context(coverage, **extra) -> dict:
    bars = [
        Bar(
            f"{total.goal.code}. {total.goal.short_title or total.goal.title}",
            float(total.budget) if total.actions else None,
        )
        for total in coverage.goals
    ]
    chart = bar_chart(
        bars,
        title=_("Budget of the actions serving each SDG"),
        description=_("The same figures are in the table."),
        value_format=lambda value: f"{number_format(value, 0, force_grouping=True)} €",
        chart_id="sdg-budget",
    )
    return {"coverage": coverage, "budget_chart": chart, **extra}


@public_cache
def plan_coverage(request, slug):
    plan = plan_get(request.user, slug=slug)
    require_perm(request, "alignment.view_coverage", plan)
    coverage = selectors.plan_coverage(plan)
    context = _coverage_context(
        coverage,
        plan=plan,
        csv_url=reverse("alignment:plan-coverage-csv", args=[plan.slug]),
        row_heading=_("Axis"),
        can_edit=request.user.has_perm("alignment.add_alignment", plan),
    )
    return render(request, "alignment/coverage.html", context)


@public_cache
def network_coverage(request, slug):
    network = organization_find(slug=slug, kind=OrganizationKind.NETWORK)
    coverage = selectors.network_coverage(request.user, network)
    context = _coverage_context(
        coverage,
        network=network,
        csv_url=reverse("alignment:network-coverage-csv", args=[network.slug]),
        row_heading=_("Plan"),
    )
    return render(request, "alignment/coverage.html", context)


def _csv_response(coverage: selectors.Coverage, filename: str) -> HttpResponse:
    """The coverage as CSV (core.exports' writer); small enough to send whole rather than streamed."""
    header, *rows = coverage_rows(coverage)
    response = HttpResponse("".join(csv_lines(header, rows)), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def plan_coverage_csv(request, slug):
    plan = plan_get(request.user, slug=slug)
    require_perm(request, "alignment.view_coverage", plan)
    return _csv_response(selectors.plan_coverage(plan), f"{plan.slug}-coverage.csv")


def network_coverage_csv(request, slug):
    network = organization_find(slug=slug, kind=OrganizationKind.NETWORK)
    return _csv_response(selectors.network_coverage(request.user, network), f"{network.slug}-coverage.csv")


@public_cache
def plan_review(request, slug):
    """A draft Voluntary Local Review: the plan's contribution to each SDG, printable, for the council to edit."""
    return render(request, "alignment/plan_review.html", _review_context(request, slug))


def _review_context(request, slug: str) -> dict:
    plan = plan_get(request.user, slug=slug)
    require_perm(request, "alignment.view_coverage", plan)
    coverage = selectors.plan_coverage(plan)
    return {"plan": plan, "coverage": coverage, "goals": selectors.review_goals(coverage, user=request.user, plan=plan)}


@public_cache
def plan_review_pdf(request, slug):
    """The draft Voluntary Local Review as a PDF (WeasyPrint), in the request's language."""
    context = _review_context(request, slug)
    content = render_pdf("alignment/plan_review_pdf.html", context, request=request)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="local-review-{context["plan"].slug}.pdf"'
    return response
