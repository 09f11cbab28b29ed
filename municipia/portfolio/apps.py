"""Portfolio and funding: proposals, evaluation, funding sources, budget lines, the optimal portfolio."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from municipia.core.sections import register_section


class PortfolioConfig(AppConfig):
    name = "municipia.portfolio"
    verbose_name = _("Portfolio and funding")

    def ready(self) -> None:
        # Registers this app's entities and `rules` permissions.
        from municipia.core.sections import register_work
        from municipia.portfolio import entities, permissions  # noqa: F401
        from municipia.portfolio.sections import action_portfolio_section, plan_portfolio_section
        from municipia.portfolio.selectors import my_work_evaluations

        # The plan and action pages (strategy) link to the portfolio without importing it.
        register_section("plan", "portfolio", plan_portfolio_section)
        register_section("action", "portfolio", action_portfolio_section)
        register_work("portfolio", my_work_evaluations)

        # Proposing or evaluating shows proposals others do not see: not a plain reader (core.cache).
        from municipia.core.cache import register_reader_rights
        from municipia.portfolio.models import EvaluatorAssignment, Proposal

        register_reader_rights(lambda user: Proposal.objects.filter(proposed_by_id=user.pk))
        register_reader_rights(lambda user: EvaluatorAssignment.objects.filter(evaluator_id=user.pk))
