"""Forms of the diagnosis pages; they clean input, the services validate and save."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import ServiceModelForm, plain_empty_choice
from municipia.core.pickers import picker_or_select
from municipia.diagnosis.entities import CAMPAIGN, FINDING, OPTION, QUESTION, QUESTIONNAIRE, SECTION
from municipia.diagnosis.models import Campaign, Finding, Option, Question, Questionnaire, Section
from municipia.organizations.models import Organization
from municipia.organizations.selectors import department_list, departments_of, organization_list


class QuestionnaireForm(ServiceModelForm):
    class Meta:
        model = Questionnaire
        fields = QUESTIONNAIRE.editable_names()


def owner_field(owners) -> forms.ModelChoiceField:
    """The organisation a new questionnaire belongs to, among those the user may choose."""
    field = forms.ModelChoiceField(queryset=owners, label=_("Owner"))
    plain_empty_choice(field)
    return field


class QuestionnaireCopyForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=organization_list().none(), label=_("Owner of the copy"))

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        picker_or_select(self, "owner", owners)


class SectionForm(ServiceModelForm):
    class Meta:
        model = Section
        fields = SECTION.editable_names()


class QuestionForm(ServiceModelForm):
    show_if_values = forms.CharField(
        label=_("Shown when it has one of these option codes"),
        required=False,
        help_text=_("Comma-separated option codes of the condition question, e.g. yes, sometimes."),
    )

    class Meta:
        model = Question
        fields = QUESTION.editable_names()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # `parent` is the section the question is created in, or the edited question's section.
        questionnaire = self.parent.questionnaire
        if not self.instance.pk:
            self.initial.setdefault("section", self.parent.pk)
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
        fields = OPTION.editable_names()


class CampaignForm(ServiceModelForm):
    class Meta:
        model = Campaign
        fields = CAMPAIGN.editable_names()
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    slug_help = _("The survey's address; left empty, it is made from the title.")
    pickers = True


class CampaignCreateForm(CampaignForm):
    owner = forms.ModelChoiceField(queryset=organization_list().none(), label=_("Owner"))
    questionnaire = forms.ModelChoiceField(queryset=Questionnaire.objects.none(), label=_("Questionnaire"))

    def __init__(self, *args, owners, questionnaires, **kwargs):
        super().__init__(*args, **kwargs)
        picker_or_select(self, "owner", owners)
        self.fields["questionnaire"].queryset = questionnaires


class InvitationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of e-mail addresses"),
        help_text=_("One address per row, in a column named “email” (an optional “language” column: en, es, ca, bg)."),
    )


class MaturityAssessmentForm(forms.Form):
    """One level (1–5) and evidence per dimension; built from the dimensions in the database."""

    department = forms.ModelChoiceField(queryset=department_list().none(), required=False, label=_("Department"))
    assessed_on = forms.DateField(label=_("Assessed on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    LEVELS = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]

    def __init__(self, *args, organization: Organization, dimensions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_of([organization.pk])
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
        fields = FINDING.editable_names()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.parent
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


class CampaignMarginsForm(forms.Form):
    """The population share (%) of each option of the campaign's profile questions, one field per cell.

    One group per margin: the stored ones (a joint margin such as age band × sex has one row per
    combination) and one per profile question not yet in a margin. A group left empty is not
    used for weighting.
    """

    def __init__(self, *args, questions: list[Question], margins: dict[str, dict[str, float]], **kwargs):
        super().__init__(*args, **kwargs)
        by_name = {q.profile_kind: q for q in questions if q.profile_kind}
        by_name.update({q.code: q for q in questions})
        groups: list[tuple[str, list[Question]]] = []
        covered: set[int] = set()
        for name in margins:
            parts = [by_name.get(part) for part in name.split("|")]
            if all(parts):
                groups.append((name, parts))
                covered.update(q.pk for q in parts)
        groups += [(q.code, [q]) for q in questions if q.pk not in covered]
        self.groups = []
        for index, (name, parts) in enumerate(groups):
            combinations: list[tuple[list[str], list[str]]] = [([], [])]
            for question in parts:
                options = [o for o in question.options.all() if not o.is_row]
                combinations = [(c + [o.code], labels + [o.label]) for c, labels in combinations for o in options]
            title = " × ".join(q.text for q in parts)
            stored = margins.get(name, {})
            cells = []
            for position, (codes, labels) in enumerate(combinations):
                category = "|".join(codes)
                field_name = f"m{index}_{position}"
                share = stored.get(category)
                self.fields[field_name] = forms.DecimalField(
                    label=f"{title}: {' · '.join(labels)} (%)",
                    required=False,
                    min_value=0,
                    max_value=100,
                    decimal_places=3,
                    initial=None if share is None else round(100 * share, 3),
                    widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", "class": "input-narrow"}),
                )
                cells.append({"category": category, "label": " · ".join(labels), "field": field_name})
            self.groups.append({"name": name, "title": title, "cells": cells})

    def group_rows(self) -> list[dict]:
        return [
            {**group, "rows": [(cell["label"], self[cell["field"]]) for cell in group["cells"]]}
            for group in self.groups
        ]

    def margins(self) -> dict[str, dict[str, float]]:
        """{margin: {category: share 0–1}} of the groups with at least one share typed."""
        margins = {}
        for group in self.groups:
            cells = {
                cell["category"]: float(self.cleaned_data[cell["field"]]) / 100
                for cell in group["cells"]
                if self.cleaned_data.get(cell["field"]) is not None
            }
            if cells:
                margins[group["name"]] = cells
        return margins
