"""Editors' forms: an organisation's public profile, a person's profile."""

import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import ServiceModelForm
from municipia.core.i18n import translated_names
from municipia.core.pickers import PickerField
from municipia.organizations.models import Organization, Person
from municipia.organizations.selectors import person_label
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


class PersonPickerField(PickerField):
    """A person typed as text: "Full name (Organisation)" as the suggestions name them, the full name
    alone when only one person of the field's choices bears it, or the person's id."""

    default_error_messages = {
        "invalid_choice": _("No person of those you may choose here is called “%(value)s”."),
        "ambiguous": _(
            "Several people are called “%(value)s”: choose one from the suggestions, which name their organisation."
        ),
    }

    def __init__(self, **kwargs):
        if not kwargs.get("help_text"):
            kwargs["help_text"] = _("Start typing the person's name, then choose from the suggestions.")
        super().__init__(name_field="full_name", key_field="pk", **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Person):
            return person_label(value)
        if value and str(value).isdigit():
            person = self.queryset.filter(pk=value).select_related("organization").first()
            return person_label(person) if person is not None else value
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = " ".join(str(value).split())
        if text.isdigit():
            match = self.queryset.filter(pk=text).first()
            if match is not None:
                return match
        candidates = Q(full_name__iexact=text)
        labelled = re.fullmatch(r"(.+?) \((.+)\)", text)
        if labelled:
            of_organization = Q()
            for column in translated_names("name"):
                of_organization |= Q(**{f"organization__{column}__iexact": labelled[2]})
            candidates |= Q(full_name__iexact=labelled[1]) & of_organization
        named = list(self.queryset.filter(candidates)[:2])
        if len(named) == 1:
            return named[0]
        code = "ambiguous" if named else "invalid_choice"
        raise forms.ValidationError(self.error_messages[code], code=code, params={"value": text})
