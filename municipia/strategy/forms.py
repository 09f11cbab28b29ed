"""Editors' forms for plans and their content; they clean input, the services validate and save."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import ServiceModelForm
from municipia.organizations.choices import OrganizationKind
from municipia.organizations.models import Department, NetworkMembership, Organization, Person
from municipia.strategy.choices import PLAN_TRANSITIONS, PlanStatus
from municipia.strategy.entities import ACTION, AXIS, CHALLENGE, MILESTONE, OBJECTIVE, PLAN
from municipia.strategy.models import Action, Axis, Challenge, Milestone, Objective, Plan


class PlanForm(ServiceModelForm):
    class Meta:
        model = Plan
        fields = PLAN.editable_names()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("The plan's address; left empty, it is made from the title.")

    def service_data(self, **kwargs) -> dict:
        data = super().service_data(**kwargs)
        if not data.get("slug"):
            data.pop("slug", None)
        return data


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = PLAN_TRANSITIONS[plan.status]
        self.fields["status"].choices = [(value, label) for value, label in PlanStatus.choices if value in allowed]


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
        councils = participant_choices(plan)
        current = set(action.participants.values_list("pk", flat=True)) if action.pk else set()
        if current:
            councils = Organization.objects.filter(Q(pk__in=councils.values("pk")) | Q(pk__in=current))
        organizations = {plan.owner_id, *councils.values_list("pk", flat=True)}
        self.fields["participants"].queryset = councils.order_by("name")
        self.fields["objective"].queryset = (
            Objective.objects.filter(axis__plan=plan)
            .select_related("axis")
            .order_by("axis__position", "axis__code", "code")
        )
        self.fields["owner_department"].queryset = (
            Department.objects.filter(organization_id__in=organizations)
            .select_related("organization")
            .order_by("organization__name", "name")
        )
        lead = Q(organization_id__in=organizations)
        if action.lead_id:
            lead |= Q(pk=action.lead_id)
        self.fields["lead"].queryset = Person.objects.filter(lead).order_by("full_name")
        dependencies = Action.objects.filter(plan=plan).order_by("code")
        if action.pk:
            dependencies = dependencies.exclude(pk=action.pk)
        self.fields["dependencies"].queryset = dependencies


def participant_choices(plan: Plan):
    """Councils that may take part in a plan's actions.

    A network's plan: its member councils. A council's plan: the council and the councils it
    shares a network with (not every municipality of the country, which would be thousands).
    """
    municipalities = Organization.objects.filter(kind=OrganizationKind.MUNICIPALITY)
    if plan.owner.kind == OrganizationKind.NETWORK:
        return municipalities.filter(
            pk__in=NetworkMembership.objects.filter(network_id=plan.owner_id).values("member_id")
        )
    networks = NetworkMembership.objects.filter(member_id=plan.owner_id).values("network_id")
    peers = NetworkMembership.objects.filter(network_id__in=networks).values("member_id")
    return municipalities.filter(Q(pk=plan.owner_id) | Q(pk__in=peers))
