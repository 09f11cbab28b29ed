"""Governance: bodies, members, recurring meetings, minutes, decisions, tasks and calendars."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "municipia.governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # Registers this app's `rules` permissions.
        from municipia.governance import permissions  # noqa: F401
