"""Municipalities, departments, partners, networks, people and their roles."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "municipia.organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        # Registers this app's `rules` permissions.
        from municipia.organizations import permissions  # noqa: F401
