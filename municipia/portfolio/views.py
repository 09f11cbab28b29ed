"""Portfolio pages that are not plain create/edit/delete forms (those are core.entity_views).

Read pages (a plan's portfolio, a proposal, the ranking, funding sources, the budget, scenarios)
show computed figures; the decision page moves a proposal through its states; the evaluation
page turns pairwise comparisons into weights (AHP); applying a scenario turns proposals into actions.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from municipia.core.cache import public_cache, scope_versions, shared_fragment
from municipia.core.exports import content_disposition, xlsx_response
from municipia.core.views import EditorView, NeedsLogin, attach_errors, paginate, require_perm
from municipia.portfolio import gantt, report, selectors, services
from municipia.portfolio.ahp import CONSISTENCY_LIMIT
from municipia.portfolio.entities import FUNDING_SOURCE, PROPOSAL, SCENARIO
from municipia.portfolio.forms import ComparisonForm, ExecutionImportForm, MergeForm, RejectForm
from municipia.portfolio.importer import UnreadableFile, check_table, read_table
from municipia.portfolio.models import ExecutionMapping, Scenario
from municipia.portfolio.optimiser import describe_binding, describe_conflict, describe_parameters
from municipia.strategy.entities import PLAN
from municipia.strategy.selectors import plan_scope


def _plan(request, slug: str):
    return PLAN.get(request.user, slug=slug)


def _axis(request, plan):
    """The axis named by `?axis=<code>` (the plan page links each axis's proposals), or None."""
    code = request.GET.get("axis")
    return plan.axes.filter(code=code).first() if code else None


def plan_portfolio(request, slug: str):
    """A plan's proposals by axis (or of one axis), with their cost and aggregate score."""
    plan = _plan(request, slug)
    axis = _axis(request, plan)
    proposals = selectors.proposal_list(plan, request.user)
    if axis is not None:
        proposals = proposals.filter(axis=axis)
    scores = selectors.proposal_scores(plan)
    rows = [(p, scores.get(p.pk)) for p in proposals]
    context = {
        "plan": plan,
        "axis": axis,
        "rows": rows,
        "can_propose": request.user.has_perm("portfolio.add_proposal", plan),
        "can_manage": request.user.has_perm("portfolio.decide_proposal", plan),
    }
    return render(request, "portfolio/plan_portfolio.html", context)


def proposal_detail(request, pk: int):
    proposal = PROPOSAL.get(request.user, pk=pk)
    user = request.user
    context = {
        "proposal": proposal,
        "plan": proposal.plan,
        **selectors.proposal_page(proposal),
        "score": selectors.proposal_scores(proposal.plan).get(proposal.pk),
        "can_edit": user.has_perm("portfolio.change_proposal", proposal),
        "can_delete": user.has_perm("portfolio.delete_proposal", proposal),
        "can_submit": user.has_perm("portfolio.submit_proposal", proposal),
        "can_decide": user.has_perm("portfolio.decide_proposal", proposal),
        "reject_form": RejectForm(),
        "merge_form": MergeForm(proposal=proposal),
    }
    return render(request, "portfolio/proposal_detail.html", context)


class ProposalDecisionView(EditorView):
    """Moves a proposal to its next state (submit, start evaluation, accept, reject with a reason,
    merge into another, reopen): a state transition, not an edit form, so not an entity page."""

    STEPS = {
        "submit": ("portfolio.submit_proposal", services.proposal_submit),
        "reopen": ("portfolio.submit_proposal", services.proposal_reopen),
        "start-evaluation": ("portfolio.decide_proposal", services.proposal_start_evaluation),
        "accept": ("portfolio.decide_proposal", services.proposal_accept),
        "reject": ("portfolio.decide_proposal", services.proposal_reject),
        "merge": ("portfolio.decide_proposal", services.proposal_merge),
    }

    def load(self, pk: int, step: str):
        if step not in self.STEPS:
            raise Http404
        self.proposal = PROPOSAL.get(self.request.user, pk=pk)
        self.permission, self.service = self.STEPS[step]
        self.step = step
        if step == "reopen":
            # Reopening a rejected proposal is its proposer's (or the writers') step.
            self.permission = (
                "portfolio.change_proposal" if self.proposal.status != "rejected" else "portfolio.decide_proposal"
            )
        return self.proposal

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.proposal.get_absolute_url())

    def post(self, request, *args, **kwargs):
        extra = {}
        if self.step == "reject":
            form = RejectForm(request.POST)
            extra["reason"] = form.data.get("reason", "")
        elif self.step == "merge":
            form = MergeForm(request.POST, proposal=self.proposal)
            if not form.is_valid():
                messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
                return HttpResponseRedirect(self.proposal.get_absolute_url())
            extra["into"] = PROPOSAL.get(request.user, pk=form.cleaned_data["into"].pk)
        try:
            self.service(acting_user=request.user, proposal=self.proposal, **extra)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Proposal saved."))
        return HttpResponseRedirect(self.proposal.get_absolute_url())


class EvaluationView(View):
    """The plan's criteria with their weights and the pairwise comparisons (AHP): a computed page
    whose form sets every weight at once, with the consistency ratio and its warning."""

    def setup_plan(self, request, slug):
        self.plan = _plan(request, slug)
        self.criteria_set, self.criteria = selectors.criteria_of(self.plan)

    def render_page(self, request, form=None, status=200):
        can_edit = self.criteria_set is not None and request.user.has_perm(
            "portfolio.change_criteriaset", self.criteria_set
        )
        if form is None and can_edit and len(self.criteria) > 1:
            form = ComparisonForm(criteria=self.criteria, current=self.criteria_set.comparisons or {})
        ratio = self.criteria_set.consistency_ratio if self.criteria_set else None
        context = {
            "plan": self.plan,
            "criteria_set": self.criteria_set,
            "criteria": self.criteria,
            "form": form if can_edit else None,
            "can_edit": can_edit,
            "can_create": self.criteria_set is None and request.user.has_perm("portfolio.add_criteriaset", self.plan),
            "inconsistent": ratio is not None and ratio > CONSISTENCY_LIMIT,
            "limit": CONSISTENCY_LIMIT,
        }
        return render(request, "portfolio/evaluation.html", context, status=status)

    def get(self, request, slug):
        self.setup_plan(request, slug)
        return self.render_page(request)

    def post(self, request, slug):
        self.setup_plan(request, slug)
        if self.criteria_set is None:
            raise Http404
        try:
            require_perm(request, "portfolio.change_criteriaset", self.criteria_set)
        except NeedsLogin:
            return redirect_to_login(request.get_full_path())
        form = ComparisonForm(request.POST, criteria=self.criteria, current={})
        if form.is_valid():
            try:
                services.criteria_set_compare(
                    acting_user=request.user, criteria_set=self.criteria_set, comparisons=form.comparisons()
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                return HttpResponseRedirect(request.path)
        return self.render_page(request, form=form, status=400)


def ranking_page(request, slug: str):
    plan = _plan(request, slug)
    axis = _axis(request, plan)
    rows = selectors.ranking(plan, request.user)
    if axis is not None:
        rows = [row for row in rows if row.proposal.axis_id == axis.pk]
    return render(request, "portfolio/ranking.html", {"plan": plan, "axis": axis, "rows": rows})


def source_list_page(request, slug: str):
    plan = _plan(request, slug)
    sources = selectors.source_list(plan, request.user)
    context = {
        "plan": plan,
        "sources": sources,
        "can_add": request.user.has_perm("portfolio.add_fundingsource", plan),
        "illustrative": any(s.is_illustrative for s in sources),
    }
    return render(request, "portfolio/fundingsource_list.html", context)


def source_detail(request, pk: int):
    source = FUNDING_SOURCE.get(request.user, pk=pk)
    context = {
        "source": source,
        "plan": source.plan,
        "allocations": list(source.allocations.order_by("year")),
        "framework_items": list(source.framework_items.all()),
        "can_edit": request.user.has_perm("portfolio.change_fundingsource", source),
        "can_report": request.user.has_perm("portfolio.view_funding_report", source),
    }
    return render(request, "portfolio/fundingsource_detail.html", context)


#: Rows of the budget page's per-action table; the totals above it are the whole plan's.
BUDGET_ACTIONS_PER_PAGE = 50


@public_cache(scope=lambda request, slug: plan_scope(slug), readers=True)
def plan_budget_page(request, slug: str):
    """Planned vs committed vs paid per axis, source and year, and per action a page at a time, sortable.

    Everything under the toolbar is the same for every reader of the plan (budget lines are seen with
    the plan), so it is rendered once per version of the plan's content, language and address and
    kept (`shared_fragment`): an editor's request renders only the frame around it. The sums behind
    it are computed once per version too (`selectors.plan_budget_kept`) and read only to render a
    fragment. Any save or delete of the plan's budget lines, execution entries, sources,
    allocations, actions or axes bumps the plan's version (`core.signals`), so nothing kept is stale.
    Anonymous visitors and signed-in plain readers are served the whole page from the page cache."""
    plan = _plan(request, slug)
    version = scope_versions(("plan", plan.pk))
    parts = [plan.pk, version, get_language()]
    kept: list[selectors.BudgetPage] = []

    def summary() -> selectors.BudgetPage:
        if not kept:
            kept.append(selectors.plan_budget_kept(plan, version))
        return kept[0]

    def render_summary() -> str:
        return render_to_string("portfolio/_budget_summary.html", {"summary": summary()}, request)

    def render_actions() -> str:
        sort = request.GET.get("sort", "code")
        if sort not in selectors.BUDGET_SORTS:
            sort = "code"
        context = {
            "page": paginate(request, selectors.budget_actions(summary(), sort), BUDGET_ACTIONS_PER_PAGE),
            "sort": sort,
            "sorts": [
                ("code", _("Code")),
                ("planned", _("Planned (largest first)")),
                ("committed", _("Committed (largest first)")),
                ("paid", _("Paid (largest first)")),
            ],
        }
        return render_to_string("portfolio/_budget_actions.html", context, request)

    # The pagination's links keep the other parameters of the address: it is part of the key.
    actions_parts = [*parts, request.GET.urlencode()]
    context = {
        "plan": plan,
        "budget_summary": shared_fragment("portfolio-budget-summary", parts, render_summary),
        "budget_actions": shared_fragment("portfolio-budget-actions", actions_parts, render_actions),
        "can_edit": request.user.has_perm("portfolio.decide_proposal", plan),
    }
    return render(request, "portfolio/plan_budget.html", context)


def _described(scenario: Scenario) -> dict:
    result = scenario.result or {}
    labels = result.get("labels", {})
    return {
        "scenario": scenario,
        "result": result,
        "binding": [describe_binding(b, labels) for b in result.get("binding", [])],
        "conflicts": [describe_conflict(c, labels) for c in result.get("conflicts", [])],
        "selected": [result.get("titles", {}).get(key, key) for key in result.get("selected", [])],
        "parameters": describe_parameters(scenario.parameters or {}, result.get("titles", {})),
    }


def scenario_list(request, slug: str):
    """Scenarios side by side: objective, proof, and what each selects that the others do not."""
    plan = _plan(request, slug)
    scenarios = list(SCENARIO.visible(request.user, Scenario.objects.filter(plan=plan)))
    if not scenarios and not request.user.has_perm("portfolio.add_scenario", plan):
        raise Http404
    everywhere = set.intersection(*(set(s.result.get("selected", [])) for s in scenarios)) if scenarios else set()
    columns = []
    for scenario in scenarios:
        described = _described(scenario)
        titles = scenario.result.get("titles", {})
        only_here = [titles.get(k, k) for k in scenario.result.get("selected", []) if k not in everywhere]
        columns.append({**described, "only_here": only_here})
    context = {
        "plan": plan,
        "columns": columns,
        "common": len(everywhere),
        "can_add": request.user.has_perm("portfolio.add_scenario", plan),
    }
    return render(request, "portfolio/scenario_list.html", context)


def scenario_detail(request, pk: int):
    scenario = SCENARIO.get(request.user, pk=pk)
    context = {
        **_described(scenario),
        "plan": scenario.plan,
        "can_edit": request.user.has_perm("portfolio.change_scenario", scenario),
        "can_apply": request.user.has_perm("portfolio.apply_scenario", scenario),
    }
    return render(request, "portfolio/scenario_detail.html", context)


class ScenarioApplyView(EditorView):
    """The coordinator adopts a scenario: its proposals become actions (a workflow step, not an edit form)."""

    permission = "portfolio.apply_scenario"

    def load(self, pk: int):
        self.scenario = SCENARIO.get(self.request.user, pk=pk)
        return self.scenario

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.scenario.get_absolute_url())

    def post(self, request, *args, **kwargs):
        try:
            accepted = services.scenario_apply(acting_user=request.user, scenario=self.scenario)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(count)s proposals became actions of the plan.") % {"count": len(accepted)})
        return HttpResponseRedirect(self.scenario.get_absolute_url())


def source_report_xlsx(request, pk: int):
    """The source's funding report as a spreadsheet (cells neutralised by core.exports)."""
    source = FUNDING_SOURCE.get(request.user, pk=pk)
    require_perm(request, "portfolio.view_funding_report", source)
    rows, total = report.source_report(source)
    body = [*report.report_rows(rows), report.report_rows([total])[0]]
    return xlsx_response([(source.code, report.report_header(), body)], filename=f"funding-{source.code}.xlsx")


def source_report_pdf(request, pk: int):
    """The source's funding report as a PDF (WeasyPrint, through the reports app's renderer)."""
    from municipia.reports.pdf import render_pdf

    source = FUNDING_SOURCE.get(request.user, pk=pk)
    require_perm(request, "portfolio.view_funding_report", source)
    rows, total = report.source_report(source)
    context = {"source": source, "plan": source.plan, "rows": rows, "total": total}
    pdf = render_pdf("portfolio/funding_report.html", context, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"funding-{source.code}.pdf")
    return response


class ExecutionImportView(EditorView):
    """Imports execution from an accounting export: upload, column mapping (saved for next time),
    preview with every bad row named, then all or nothing — a multi-step workflow, not an edit form."""

    permission = "portfolio.add_executionentry"

    def load(self, slug: str):
        self.plan = _plan(self.request, slug)
        return self.plan

    def render_page(self, form, *, result=None, status=200):
        context = {"plan": self.plan, "form": form, "result": result, "preview": (result.rows if result else [])[:20]}
        return render(self.request, "portfolio/execution_import.html", context, status=status)

    def get(self, request, *args, **kwargs):
        saved = getattr(ExecutionMapping.objects.filter(plan=self.plan).first(), "columns", {})
        return self.render_page(ExecutionImportForm(initial=saved))

    def post(self, request, *args, **kwargs):
        form = ExecutionImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(form, status=400)
        upload = form.cleaned_data["file"]
        name, content, columns = upload.name, upload.read(), form.columns()
        services.execution_mapping_save(acting_user=request.user, plan=self.plan, columns=columns)
        if "preview" in request.POST:
            try:
                result = check_table(self.plan, read_table(name, content), columns)
            except UnreadableFile as exc:
                form.add_error("file", str(exc))
                return self.render_page(form, status=400)
            return self.render_page(form, result=result, status=200 if result.ok else 400)
        try:
            count = services.execution_import(
                acting_user=request.user, plan=self.plan, name=name, content=content, columns=columns
            )
        except ValidationError as exc:
            attach_errors(form, exc)
            return self.render_page(form, status=400)
        messages.success(request, _("%(count)s execution entries imported.") % {"count": count})
        return HttpResponseRedirect(reverse("portfolio:plan-budget", args=[self.plan.slug]))


def plan_timeline(request, slug: str):
    """The plan's Gantt chart with its data table, dependencies and critical path."""
    plan = _plan(request, slug)
    rows = gantt.timeline(plan, request.user)
    context = {
        "plan": plan,
        "rows": rows,
        "chart": gantt.gantt_svg(rows, title=_("Timeline of %(plan)s") % {"plan": plan.title}),
    }
    return render(request, "portfolio/plan_timeline.html", context)
