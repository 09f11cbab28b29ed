"""Municipalities, departments, partners, networks, people and their roles."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "municipia.organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        # Registers this app's `rules` permissions. The organisation page's plans are a section
        # strategy registers (strategy/apps.py): organisations sit below strategy.
        from municipia.core.pickers import register_picker
        from municipia.organizations import permissions  # noqa: F401
        from municipia.organizations.forms import PersonPickerField
        from municipia.organizations.models import Organization, Person

        # A form choosing among thousands of councils offers a search-as-you-type picker.
        register_picker(Organization, "organizations:organization-search")
        # …and among hundreds of people (a network's members, an action's possible leads).
        register_picker(Person, "organizations:person-search", PersonPickerField)

        # A role widens what a user sees and may do: such users never share the readers' page cache.
        from municipia.core.cache import register_reader_rights
        from municipia.organizations.models import Role
        from municipia.organizations.permissions import editable_organization_ids

        register_reader_rights(
            lambda user: Role.objects.filter(user_id=user.pk), known=lambda user: bool(editable_organization_ids(user))
        )
