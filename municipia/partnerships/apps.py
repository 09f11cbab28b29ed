"""Partnerships: agreements and their commitments, verified information and news."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from municipia.core.sections import register_section


class PartnershipsConfig(AppConfig):
    name = "municipia.partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        # Registers this app's `rules` permissions (the entities register the `view_*` ones).
        from municipia.core.sections import register_linked_work, register_work
        from municipia.partnerships import permissions  # noqa: F401
        from municipia.partnerships.selectors import (
            action_commitment_counts,
            action_commitments_section,
            linked_sections,
            my_work_commitments,
        )

        # The action page shows the commitments it serves; plan and organisation pages their
        # agreements, news and clarifications (core.sections: strategy never imports this app).
        register_section("action", "partnerships", action_commitments_section)
        register_section("plan", "partnerships", linked_sections)
        register_section("organization", "partnerships", linked_sections)
        # Finishing the work linked to an action offers to move it (strategy.selectors.finished_work).
        register_linked_work("partnerships", action_commitment_counts)
        register_work("partnerships", my_work_commitments)
