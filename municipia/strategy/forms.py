"""Editors' forms for plans and their content; they clean input, the services validate and save."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import ServiceModelForm
from municipia.core.pickers import picker_or_select
from municipia.organizations.models import Department, Organization
from municipia.organizations.selectors import associated_councils, departments_of, partner_organizations, people_of
from municipia.strategy.choices import PLAN_TRANSITIONS, PlanStatus
from municipia.strategy.entities import ACTION, ACTION_PARTNER, AXIS, CHALLENGE, MILESTONE, OBJECTIVE, PLAN
from municipia.strategy.models import Action, ActionPartner, Axis, Challenge, Milestone, Objective, Plan


class PlanForm(ServiceModelForm):
    class Meta:
        model = Plan
        fields = PLAN.editable_names()

    slug_help = _("The plan's address; left empty, it is made from the title.")


class PlanStatusForm(forms.Form):
    """The confirmation of one transition (`target`, from the button that led here), or a choice
    among the allowed ones with none chosen in advance: a plan never changes status by default."""

    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, plan: Plan, target: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = PLAN_TRANSITIONS[plan.status]
        self.fields["status"].choices = [(value, label) for value, label in PlanStatus.choices if value in allowed]
        if target in allowed:
            self.fields["status"].initial = target
            self.fields["status"].widget = forms.HiddenInput()


class AxisForm(ServiceModelForm):
    class Meta:
        model = Axis
        fields = AXIS.editable_names()


class ChallengeForm(ServiceModelForm):
    class Meta:
        model = Challenge
        fields = CHALLENGE.editable_names()


class ObjectiveForm(ServiceModelForm):
    class Meta:
        model = Objective
        fields = [*OBJECTIVE.editable_names(), *OBJECTIVE.links]
        widgets = {"challenges": forms.CheckboxSelectMultiple}

    def __init__(self, *args, parent: Axis, **kwargs):
        super().__init__(*args, parent=parent, **kwargs)
        self.fields["challenges"].queryset = Challenge.objects.filter(axis=parent).order_by("code")


class MilestoneForm(ServiceModelForm):
    class Meta:
        model = Milestone
        fields = MILESTONE.editable_names()


class ActionPartnerForm(ServiceModelForm):
    """The organisation is chosen among partner organisations and other public bodies."""

    class Meta:
        model = ActionPartner
        fields = ACTION_PARTNER.editable_names()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = partner_organizations()


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return f"{obj.organization} — {obj}"


class ActionForm(ServiceModelForm):
    """Choices are limited to the plan (`parent`): its objectives, its actions, and the councils taking part."""

    class Meta:
        model = Action
        fields = [*ACTION.editable_names(), *ACTION.links]
        field_classes = {"owner_department": DepartmentChoiceField}
        widgets = {
            "participants": forms.CheckboxSelectMultiple,
            "dependencies": forms.CheckboxSelectMultiple,
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100}),
        }

    def __init__(self, *args, parent: Plan, **kwargs):
        super().__init__(*args, parent=parent, **kwargs)
        plan = parent
        action = self.instance
        current = set(action.participants.values_list("pk", flat=True)) if action.pk else set()
        councils = associated_councils(plan.owner, also=current or None)
        organizations = {plan.owner_id, *councils.values_list("pk", flat=True)}
        self.fields["participants"].queryset = councils.order_by("name")
        self.fields["objective"].queryset = (
            Objective.objects.filter(axis__plan=plan)
            .select_related("axis")
            .order_by("axis__position", "axis__code", "code")
        )
        self.fields["owner_department"].queryset = departments_of(organizations)
        picker_or_select(self, "lead", people_of(organizations, also=[action.lead_id] if action.lead_id else None))
        dependencies = Action.objects.filter(plan=plan).order_by("code")
        if action.pk:
            dependencies = dependencies.exclude(pk=action.pk)
        self.fields["dependencies"].queryset = dependencies


def participant_choices(plan: Plan) -> QuerySet[Organization]:
    """Councils that may take part in a plan's actions: those its owner works with
    (organizations.selectors.associated_councils; governance's forms offer the same)."""
    return associated_councils(plan.owner)
