"""Editors' forms for agreements, commitments, clarifications and news; the services validate and save."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import ServiceModelForm
from municipia.diagnosis.selectors import campaigns_of_owners
from municipia.governance.selectors import meetings_of_plan_owners, tasks_of_plan_owners
from municipia.organizations.selectors import organization_list
from municipia.partnerships.entities import AGREEMENT, CLARIFICATION, COMMITMENT, DOCUMENT, NEWS_POST, SIGNATORY
from municipia.partnerships.models import (
    Agreement,
    AgreementDocument,
    Clarification,
    Commitment,
    NewsPost,
    Signatory,
)
from municipia.strategy.selectors import actions_of_owners, plans_of_owners


def _fields(entity) -> list[str]:
    return [*entity.editable_names(), *entity.links]


class AgreementForm(ServiceModelForm):
    slug_help = ""

    class Meta:
        model = Agreement
        fields = _fields(AGREEMENT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].required = False
        self.fields["parties"].queryset = organization_list().order_by("name")


def _agreement_of(form: ServiceModelForm) -> Agreement:
    return form.parent


class SignatoryForm(ServiceModelForm):
    class Meta:
        model = Signatory
        fields = _fields(SIGNATORY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _agreement_of(self).parties.order_by("name")


class DocumentForm(ServiceModelForm):
    class Meta:
        model = AgreementDocument
        fields = _fields(DOCUMENT)
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": "application/pdf"})}


class CommitmentForm(ServiceModelForm):
    """Links are offered among the parties' own work: their plans' actions, their bodies' tasks and
    meetings, their survey campaigns."""

    class Meta:
        model = Commitment
        fields = _fields(COMMITMENT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parties = _agreement_of(self).parties.all()
        party_ids = list(parties.values_list("pk", flat=True))
        self.fields["party"].queryset = parties.order_by("name")
        self.fields["actions"].queryset = actions_of_owners(party_ids)
        self.fields["tasks"].queryset = tasks_of_plan_owners(party_ids)
        self.fields["meetings"].queryset = meetings_of_plan_owners(party_ids)
        self.fields["campaigns"].queryset = campaigns_of_owners(party_ids)
        for name in COMMITMENT.links:
            self.fields[name].required = False


class ClarificationForm(ServiceModelForm):
    slug_help = ""

    class Meta:
        model = Clarification
        fields = _fields(CLARIFICATION)
        widgets = {"sources": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        publisher = self.parent
        self.fields["sources"].required = False  # the service names it when empty
        self.fields["plans"].required = False
        self.fields["actions"].required = False
        self.fields["plans"].queryset = plans_of_owners([publisher.pk])
        self.fields["actions"].queryset = actions_of_owners([publisher.pk])


class NewsPostForm(ServiceModelForm):
    slug_help = ""

    class Meta:
        model = NewsPost
        fields = _fields(NEWS_POST)
        widgets = {"publish_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organization = self.parent
        for name in NEWS_POST.links:
            self.fields[name].required = False
        self.fields["plans"].queryset = plans_of_owners([organization.pk])
        self.fields["actions"].queryset = actions_of_owners([organization.pk])
        self.fields["agreements"].queryset = Agreement.objects.filter(
            Q(owner=organization) | Q(parties=organization)
        ).distinct()
        self.fields["meetings"].queryset = meetings_of_plan_owners([organization.pk])


class SubscriptionForm(forms.Form):
    """An address to send the news to, in a language; the plan or organisation comes from the page."""

    email = forms.EmailField(label=_("E-mail"), max_length=254)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
