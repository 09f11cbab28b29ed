"""Strategic plans: axes, challenges, objectives, actions, milestones and approved versions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from municipia.core.sections import register_section


class StrategyConfig(AppConfig):
    name = "municipia.strategy"
    verbose_name = _("Strategy")

    def ready(self) -> None:
        # Registers this app's `rules` permissions.
        from municipia.core.sections import register_linked_work, register_work
        from municipia.strategy import permissions  # noqa: F401
        from municipia.strategy.selectors import action_milestone_counts, my_work_actions, organization_plans_section

        # The organisation page (organizations, below strategy) lists the plans it owns.
        register_section("organization", "strategy", organization_plans_section)
        register_work("strategy", my_work_actions)
        # An action's milestones are work linked to it (core.sections.linked_work).
        register_linked_work("strategy", action_milestone_counts)
