"""Editors' forms of the portfolio; they clean input, the services validate and save.

Field lists come from the entities, so adding a field is one edit (entities.py).
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import ServiceModelForm
from municipia.organizations.selectors import organization_with_members
from municipia.portfolio.choices import CostCategory
from municipia.portfolio.entities import (
    BUDGET_LINE,
    CRITERIA_SET,
    CRITERION,
    EVALUATOR_ASSIGNMENT,
    EXECUTION_ENTRY,
    FUNDING_SOURCE,
    PROPOSAL,
    SCORE,
    SOURCE_ALLOCATION,
)
from municipia.portfolio.models import (
    BudgetLine,
    CriteriaSet,
    Criterion,
    EvaluatorAssignment,
    ExecutionEntry,
    FundingSource,
    Proposal,
    Scenario,
    Score,
    SourceAllocation,
)
from municipia.strategy.models import Plan


def _fields(entity) -> list[str]:
    return [*entity.editable_names(), *entity.links]


def _plan(parent) -> Plan | None:
    if isinstance(parent, Plan):
        return parent
    return getattr(parent, "plan", None)


class ProposalForm(ServiceModelForm):
    class Meta:
        model = Proposal
        fields = _fields(PROPOSAL)
        widgets = dict.fromkeys(("councils", "depends_on", "excludes"), forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = _plan(self.parent)
        self.fields["tags"].required = False
        if plan is not None:
            self.fields["axis"].queryset = plan.axes.all()
            others = Proposal.objects.filter(plan=plan)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            self.fields["depends_on"].queryset = others
            self.fields["excludes"].queryset = others
            councils = organization_with_members(plan.owner_id)
            self.fields["proposing_council"].queryset = councils
            self.fields["councils"].queryset = councils
            self.fields["tags"].queryset = self.fields["tags"].queryset.filter(framework__plan_frameworks__plan=plan)


class CriteriaSetForm(ServiceModelForm):
    class Meta:
        model = CriteriaSet
        fields = _fields(CRITERIA_SET)


class CriterionForm(ServiceModelForm):
    class Meta:
        model = Criterion
        fields = _fields(CRITERION)


class AssignmentForm(ServiceModelForm):
    class Meta:
        model = EvaluatorAssignment
        fields = _fields(EVALUATOR_ASSIGNMENT)


class ScoreForm(ServiceModelForm):
    class Meta:
        model = Score
        fields = _fields(SCORE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        assignment = self.parent
        if assignment is not None:
            self.fields["criterion"].queryset = Criterion.objects.filter(
                criteria_set__plan_id=assignment.proposal.plan_id
            )


class FundingSourceForm(ServiceModelForm):
    eligible_categories = forms.MultipleChoiceField(
        label=_("eligible cost categories"),
        choices=CostCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Empty: every category."),
    )

    class Meta:
        model = FundingSource
        fields = _fields(FUNDING_SOURCE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework_items"].required = False
        plan = _plan(self.parent)
        if plan is not None:
            self.fields["framework_items"].queryset = self.fields["framework_items"].queryset.filter(
                framework__plan_frameworks__plan=plan
            )


class AllocationForm(ServiceModelForm):
    class Meta:
        model = SourceAllocation
        fields = _fields(SOURCE_ALLOCATION)


class BudgetLineForm(ServiceModelForm):
    class Meta:
        model = BudgetLine
        fields = _fields(BUDGET_LINE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = _plan(self.parent)
        if plan is not None:
            self.fields["action"].queryset = plan.actions.all()
            self.fields["proposal"].queryset = Proposal.objects.filter(plan=plan)
            self.fields["source"].queryset = FundingSource.objects.filter(plan=plan)


class ExecutionEntryForm(ServiceModelForm):
    class Meta:
        model = ExecutionEntry
        fields = _fields(EXECUTION_ENTRY)


def _percent(factor) -> Decimal:
    """A factor (0.8) as the percentage the form shows (80, not 80.00 nor 8E+1)."""
    value = (Decimal(str(factor)) * 100).quantize(Decimal("0.01"))
    return value.to_integral_value() if value == value.to_integral_value() else value.normalize()


class ScenarioForm(ServiceModelForm):
    """A scenario's parameters as fields: each source's allocation (in all and per year) as a
    percentage, the minimum and maximum proposals per axis, a floor per council, the score of
    actions without one, and what must or must not be chosen. `service_data` turns them into the
    `parameters` the optimiser reads (problem.py), so the API's JSON and this form say the same."""

    intro = _(
        "Percentages scale the allocations typed on each funding source: 80 means “cut by 20 %”, 0 means “none”. "
        "Empty limits do not apply."
    )

    class Meta:
        model = Scenario
        fields = ["title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = _plan(self.parent) or getattr(self.instance, "plan", None)
        current = (self.instance.parameters or {}) if self.instance.pk else {}
        self.groups_: list[tuple[str, str, list[str]]] = []
        if plan is None:
            return
        sources = list(FundingSource.objects.filter(plan=plan).order_by("code"))
        allocations = list(
            SourceAllocation.objects.filter(source__plan=plan).select_related("source").order_by("source__code", "year")
        )
        factors, year_factors = current.get("source_factors", {}), current.get("year_factors", {})
        budget = []
        for source in sources:
            name = f"source__{source.code}"
            self.fields[name] = _percent_field(
                _("%(source)s: share of its allocations (%%)") % {"source": source.code},
                factors.get(source.code, 1),
            )
            budget.append(name)
        self.groups_.append(("budget", _("Budget in all, per source"), budget))
        per_year = []
        for allocation in allocations:
            code = allocation.source.code
            name = f"year__{code}__{allocation.year}"
            self.fields[name] = _percent_field(
                _("%(source)s in %(year)s (%%)") % {"source": code, "year": allocation.year},
                year_factors.get(f"{code}|{allocation.year}", 1),
            )
            per_year.append(name)
        self.groups_.append(("years", _("Budget per source and year"), per_year))
        limits = []
        for axis in plan.axes.order_by("position", "code"):
            for bound, label in (
                ("axis_min", _("Axis %(code)s: at least (proposals)")),
                ("axis_max", _("Axis %(code)s: at most (proposals)")),
            ):
                name = f"{bound}__{axis.code}"
                self.fields[name] = forms.IntegerField(
                    label=label % {"code": axis.code},
                    help_text=str(axis.title),
                    required=False,
                    min_value=0,
                    initial=current.get(bound, {}).get(axis.code),
                )
                limits.append(name)
        self.fields["council_floor"] = forms.IntegerField(
            label=_("At least this many proposals per council (territorial balance)"),
            required=False,
            min_value=0,
            initial=current.get("council_floor"),
        )
        self.fields["action_score"] = forms.DecimalField(
            label=_("Score of planned actions that were never evaluated"),
            help_text=_("Empty: the middle of the criteria's scale."),
            required=False,
            min_value=0,
            initial=current.get("action_score"),
        )
        self.groups_.append(("limits", _("Limits per axis and council"), [*limits, "council_floor", "action_score"]))
        choices = self._candidates(plan)
        for name, label in (("include", _("Must include")), ("exclude", _("Must exclude"))):
            self.fields[name] = forms.MultipleChoiceField(
                label=label,
                choices=choices,
                required=False,
                initial=current.get(name, []),
                widget=forms.SelectMultiple(attrs={"size": min(max(len(choices), 2), 8), "class": "input-full"}),
            )
        self.groups_.append(("choices", _("Proposals and actions"), ["include", "exclude"]))

    @staticmethod
    def _candidates(plan) -> list[tuple[str, str]]:
        from municipia.portfolio.problem import OPEN
        from municipia.strategy.choices import ActionStatus
        from municipia.strategy.selectors import actions_of_plans

        proposals = (
            Proposal.objects.filter(plan=plan, status__in=OPEN).select_related("axis").order_by("axis__code", "pk")
        )
        actions = actions_of_plans([plan.pk]).filter(status=ActionStatus.PLANNED, progress=0).order_by("code")
        return [
            *((f"p{p.pk}", _("Proposal: %(title)s") % {"title": p.title}) for p in proposals),
            *((f"a{a.pk}", _("Action %(code)s: %(title)s") % {"code": a.code, "title": a.title}) for a in actions),
        ]

    def groups(self) -> list[dict]:
        return [
            {"key": key, "legend": legend, "fields": [self[name] for name in names]}
            for key, legend, names in self.groups_
            if names
        ]

    def clean(self):
        data = super().clean()
        both = set(data.get("include") or []) & set(data.get("exclude") or [])
        if both:
            self.add_error("exclude", _("A proposal or action cannot be both included and excluded."))
        for name in self.fields:
            if name.startswith("axis_min__"):
                low, high = data.get(name), data.get(name.replace("axis_min__", "axis_max__"))
                if low is not None and high is not None and low > high:
                    self.add_error(name.replace("axis_min__", "axis_max__"), _("The maximum is below the minimum."))
        return data

    def service_data(self, **kwargs) -> dict:
        data = self.cleaned_data
        parameters: dict = {}
        for name, value in data.items():
            if value is None or value == "" or value == []:
                continue
            kind, _sep, rest = name.partition("__")
            if kind == "source" and value != 100:
                parameters.setdefault("source_factors", {})[rest] = float(value) / 100
            elif kind == "year" and value != 100:
                code, _sep, year = rest.rpartition("__")
                parameters.setdefault("year_factors", {})[f"{code}|{year}"] = float(value) / 100
            elif kind in ("axis_min", "axis_max"):
                parameters.setdefault(kind, {})[rest] = value
            elif name == "council_floor" and value:
                parameters[name] = value
            elif name == "action_score":
                parameters[name] = float(value)
            elif name in ("include", "exclude"):
                parameters[name] = sorted(value)
        return {"title": data["title"], "parameters": parameters}


def _percent_field(label: str, factor) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=1000,
        decimal_places=2,
        initial=_percent(factor),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("reason for rejection"), widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("merged into"), queryset=Proposal.objects.none())

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Proposal.objects.filter(plan_id=proposal.plan_id).exclude(pk=proposal.pk)


class ComparisonForm(forms.Form):
    """One field per pair of criteria: how much more the first matters than the second (Saaty's 1/9…9)."""

    SCALE = [
        (str(float(v)), label)
        for v, label in [
            (1 / 9, "1/9"),
            (1 / 7, "1/7"),
            (1 / 5, "1/5"),
            (1 / 3, "1/3"),
            (1, "1"),
            (3, "3"),
            (5, "5"),
            (7, "7"),
            (9, "9"),
        ]
    ]

    def __init__(self, *args, criteria: list[Criterion], current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.pairs = []
        for i, first in enumerate(criteria):
            for second in criteria[i + 1 :]:
                key = f"{first.code}|{second.code}"
                value = current.get(key, 1)
                initial = min(self.SCALE, key=lambda choice, v=value: abs(float(choice[0]) - float(v)))[0]
                self.fields[key] = forms.ChoiceField(
                    label=f"{first.title} / {second.title}", choices=self.SCALE, initial=initial
                )
                self.pairs.append(key)

    def comparisons(self) -> dict[str, float]:
        return {key: float(self.cleaned_data[key]) for key in self.pairs}


class ExecutionImportForm(forms.Form):
    """The accounting export and which of its columns holds each field (saved for the next import)."""

    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from municipia.portfolio.importer import FIELDS

        for name in FIELDS:
            self.fields[f"column_{name}"] = forms.CharField(
                label=name, required=False, initial=(kwargs.get("initial") or {}).get(name, name)
            )

    def columns(self) -> dict[str, str]:
        from municipia.portfolio.importer import FIELDS

        return {name: self.cleaned_data.get(f"column_{name}") or name for name in FIELDS}
