"""Alignment: reference frameworks (SDGs, recovery plan, digital rights…), tags of plan elements, coverage."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlignmentConfig(AppConfig):
    name = "municipia.alignment"
    verbose_name = _("Alignment")

    def ready(self) -> None:
        # Registers this app's `rules` permissions.
        from municipia.alignment import permissions  # noqa: F401
        from municipia.alignment.filters import AlignedToFilter
        from municipia.strategy.filters import register_action_filter

        # The action list's "aligned to" filter, page and API alike (strategy, below, cannot import it).
        register_action_filter("aligned_to", AlignedToFilter())
