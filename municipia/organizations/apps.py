"""Municipalities, departments, partners, networks, people and their roles."""

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from municipia.core.sections import register_section

PLANS_ON_PAGE = 50


def organization_plans_section(user: Any, organization: Any) -> dict[str, Any]:
    """The organisation page's plans: the first `PLANS_ON_PAGE` the user may see, with their progress.

    TRANSITIONAL: this belongs to strategy (strategy/selectors.py, registered in strategy/apps.py
    with `register_section("organization", "strategy", organization_plans_section)`, which then
    replaces this registration: same slot, same name); delete it here once strategy does so.
    """
    from municipia.strategy.selectors import plans_visible_to, progress_rollup

    plans = list(plans_visible_to(user).filter(owner=organization)[:PLANS_ON_PAGE])
    progress = progress_rollup([plan.pk for plan in plans])
    return {
        "plans": [(plan, progress.plans.get(plan.pk)) for plan in plans],
        "can_add_plan": user.has_perm("strategy.add_plan", organization),
    }


class OrganizationsConfig(AppConfig):
    name = "municipia.organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        # Registers this app's `rules` permissions.
        from municipia.organizations import permissions  # noqa: F401

        register_section("organization", "strategy", organization_plans_section)
