"""Translated content fields (django-modeltranslation) and change history registration.

History is registered here, after translation, so that the historical tables also keep every
language's column (the order django-simple-history documents for modeltranslation).
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from municipia.organizations.models import Department, NetworkMembership, Organization, Person, Role


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Department)
class DepartmentTranslation(TranslationOptions):
    fields = ("name",)


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("position",)


register_history(Organization, app=__package__)
register_history(Department, app=__package__)
register_history(Person, app=__package__, excluded_fields=["user"])
register_history(NetworkMembership, app=__package__)
register_history(Role, app=__package__)
