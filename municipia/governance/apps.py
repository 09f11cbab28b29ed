"""Governance: bodies, members, recurring meetings, minutes, decisions, tasks and calendars."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from municipia.core.sections import register_section


class GovernanceConfig(AppConfig):
    name = "municipia.governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # Registers this app's `rules` permissions.
        from municipia.core.sections import register_linked_work, register_work
        from municipia.governance import permissions  # noqa: F401
        from municipia.governance.selectors import action_task_counts, my_work_governance, plan_governance_section

        # The plan page (strategy) shows the plan's bodies and overdue tasks; strategy does not
        # import governance, it asks for the sections registered for its "plan" slot.
        register_section("plan", "governance", plan_governance_section)
        # Finishing the work linked to an action offers to move it (strategy.selectors.finished_work).
        register_linked_work("governance", action_task_counts)
        register_work("governance", my_work_governance)

        # A seat on a body shows the body's private meetings and tasks: not a plain reader (core.cache).
        from municipia.core.cache import register_reader_rights
        from municipia.governance.entities import _current_seats

        register_reader_rights(_current_seats)
