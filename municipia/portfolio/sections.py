"""What the portfolio adds to the plan and action pages (core.sections): strategy does not import portfolio.

- On the plan page: the plan's portfolio pages (proposals, ranking, budget, funding sources with
  their funding reports for those who may read them, scenarios for the plan's writers, timeline),
  and on each axis a link to that axis's proposals.
- On an action page: the proposal it comes from (when the reader may see it) and its budget.

Each costs a fixed number of queries whatever the size of the plan.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Sum
from django.urls import reverse

from municipia.portfolio.entities import FUNDING_SOURCE, PROPOSAL
from municipia.portfolio.models import BudgetLine, FundingSource, Proposal


def plan_portfolio_section(user, plan) -> dict[str, Any]:
    proposals = PROPOSAL.visible(user, Proposal.objects.filter(plan=plan)).count()
    sources = list(FUNDING_SOURCE.visible(user, FundingSource.objects.filter(plan=plan)).order_by("code"))
    return {
        "portfolio_section": {
            "template": "portfolio/_plan_section.html",
            # Each axis on the plan page links to its proposals: this address followed by the axis code.
            "axis_url": reverse("portfolio:plan-portfolio", kwargs={"slug": plan.slug}) + "?axis=",
            "proposals": proposals,
            "sources": sources,
            "can_report": bool(sources) and user.has_perm("portfolio.view_funding_report", plan),
            "can_optimise": user.has_perm("portfolio.optimise_plan", plan),
        }
    }


def action_portfolio_section(user, action) -> dict[str, Any]:
    origin = PROPOSAL.visible(user, Proposal.objects.filter(action=action)).select_related("proposing_council").first()
    lines = BudgetLine.objects.filter(action=action)
    totals = lines.aggregate(planned=Sum("amount"), eu=Sum("eu_share"), own=Sum("own_share"), count=Count("pk"))
    return {
        "portfolio_section": {
            "template": "portfolio/_action_section.html",
            "origin": origin,
            "budget": totals if totals["count"] else None,
        }
    }
