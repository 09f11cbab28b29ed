"""Strategic plans: axes, challenges, objectives, actions, milestones and approved versions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "municipia.strategy"
    verbose_name = _("Strategy")

    def ready(self) -> None:
        # Registers this app's `rules` permissions.
        from municipia.strategy import permissions  # noqa: F401
