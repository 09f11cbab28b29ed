"""Editors' forms: an organisation's public profile, a person's profile."""

from django import forms
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import ServiceModelForm
from municipia.core.i18n import translated_names
from municipia.organizations.models import Organization, Person
from municipia.organizations.services import ORGANIZATION_PROFILE_FIELDS


class OrganizationProfileForm(ServiceModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ORGANIZATION_PROFILE_FIELDS


class PersonForm(ServiceModelForm):
    """A person's profile and what of it is public; their organisation and account are set by
    site administrators (admin) or through the API."""

    class Meta:
        model = Person
        fields = ["full_name", *translated_names("position"), "email", "language", "is_public", "show_email"]
