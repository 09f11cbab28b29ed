"""Portfolio and funding: proposals, evaluation, funding sources, budget lines, the optimal portfolio."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "municipia.portfolio"
    verbose_name = _("Portfolio and funding")

    def ready(self) -> None:
        # Registers this app's entities and `rules` permissions.
        from municipia.core.sections import register_work
        from municipia.portfolio import entities, permissions  # noqa: F401
        from municipia.portfolio.selectors import my_work_evaluations

        register_work("portfolio", my_work_evaluations)
