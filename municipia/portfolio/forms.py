"""Editors' forms of the portfolio; they clean input, the services validate and save.

Field lists come from the entities, so adding a field is one edit (entities.py).
"""

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
    SCENARIO,
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


class ScenarioForm(ServiceModelForm):
    class Meta:
        model = Scenario
        fields = _fields(SCENARIO)
        widgets = {"parameters": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parameters"].required = False
        self.fields["parameters"].help_text = _(
            'For example {"source_factors": {"ERDF": 0.8}, "year_factors": {"OWN|2024": 0}, '
            '"axis_min": {"1": 2}, "axis_max": {"2": 5}, "council_floor": 1}'
        )

    def service_data(self, **kwargs) -> dict:
        data = super().service_data(**kwargs)
        data["parameters"] = data.get("parameters") or {}
        return data


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
