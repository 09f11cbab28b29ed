"""Forms of the diagnosis pages; they clean input, the services validate and save."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import ServiceModelForm
from municipia.diagnosis import services
from municipia.diagnosis.models import Campaign, Finding, Option, Question, Questionnaire, Section
from municipia.organizations.models import Department, Organization


class QuestionnaireForm(ServiceModelForm):
    class Meta:
        model = Questionnaire
        fields = services.QUESTIONNAIRE_FIELDS


class QuestionnaireCopyForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Owner of the copy"))

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class SectionForm(ServiceModelForm):
    class Meta:
        model = Section
        fields = services.SECTION_FIELDS


class QuestionForm(ServiceModelForm):
    show_if_values = forms.CharField(
        label=_("Shown when it has one of these option codes"),
        required=False,
        help_text=_("Comma-separated option codes of the condition question, e.g. yes, sometimes."),
    )

    class Meta:
        model = Question
        fields = services.QUESTION_FIELDS

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = questionnaire.sections.all()
        others = questionnaire.questions.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["show_if_question"].queryset = others
        if self.instance.pk and isinstance(self.instance.show_if_values, list):
            self.initial["show_if_values"] = ", ".join(self.instance.show_if_values)

    def clean_show_if_values(self) -> list[str]:
        text = self.cleaned_data.get("show_if_values") or ""
        if text.strip().startswith("["):
            try:
                return [str(v) for v in json.loads(text)]
            except ValueError:
                raise forms.ValidationError(_("Write option codes separated by commas.")) from None
        return [code.strip() for code in text.split(",") if code.strip()]


class OptionForm(ServiceModelForm):
    class Meta:
        model = Option
        fields = services.OPTION_FIELDS


class CampaignForm(ServiceModelForm):
    class Meta:
        model = Campaign
        fields = services.CAMPAIGN_FIELDS
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("The survey's address; left empty, it is made from the title.")

    def service_data(self, **kwargs) -> dict:
        data = super().service_data(**kwargs)
        if not data.get("slug"):
            data.pop("slug", None)
        return data


class CampaignCreateForm(CampaignForm):
    owner = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Owner"))
    questionnaire = forms.ModelChoiceField(queryset=Questionnaire.objects.none(), label=_("Questionnaire"))

    def __init__(self, *args, owners, questionnaires, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["questionnaire"].queryset = questionnaires


class InvitationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of e-mail addresses"),
        help_text=_("One address per row, in a column named “email” (an optional “language” column: en, es, ca, bg)."),
    )


class MaturityAssessmentForm(forms.Form):
    """One level (1–5) and evidence per dimension; built from the dimensions in the database."""

    department = forms.ModelChoiceField(queryset=Department.objects.none(), required=False, label=_("Department"))
    assessed_on = forms.DateField(label=_("Assessed on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    LEVELS = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]

    def __init__(self, *args, organization: Organization, dimensions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(organization=organization)
        self.dimensions = dimensions
        for dimension in dimensions:
            self.fields[f"level_{dimension.code}"] = forms.ChoiceField(
                label=dimension.name, choices=self.LEVELS, required=False
            )
            self.fields[f"evidence_{dimension.code}"] = forms.CharField(
                label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def rows(self) -> list:
        return [(d, self[f"level_{d.code}"], self[f"evidence_{d.code}"]) for d in self.dimensions]

    def ratings(self) -> dict:
        return {
            d.code: (self.cleaned_data.get(f"level_{d.code}") or None, self.cleaned_data.get(f"evidence_{d.code}", ""))
            for d in self.dimensions
        }


class FindingForm(ServiceModelForm):
    class Meta:
        model = Finding
        fields = services.FINDING_FIELDS

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        campaigns = Campaign.objects.filter(owner=plan.owner) | Campaign.objects.filter(results_published_to=plan.owner)
        self.fields["campaign"].queryset = campaigns
        self.fields["question"].queryset = Question.objects.filter(questionnaire__campaigns__in=campaigns).distinct()


class FindingToChallengeForm(forms.Form):
    axis = forms.ModelChoiceField(queryset=None, label=_("Axis of the plan"))
    code = forms.CharField(
        label=_("Challenge code"), required=False, max_length=20, help_text=_("Left empty, the next free code is used.")
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = plan.axes.all()
