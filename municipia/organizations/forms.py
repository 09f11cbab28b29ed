"""Editors' form for an organisation's public profile."""

from django import forms
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import ServiceModelForm
from municipia.organizations.models import Organization
from municipia.organizations.services import ORGANIZATION_PROFILE_FIELDS


class OrganizationProfileForm(ServiceModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ORGANIZATION_PROFILE_FIELDS
