"""Cards other websites may frame: a plan's progress and a council's participations in network plans.

These are the only pages that drop `X-Frame-Options: DENY` (`xframe_options_exempt`); everything
else still refuses to be framed. They show only what an anonymous visitor may see (a frame on
another site carries no session), have no forms, and open their links in a new tab.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt

from municipia.core.cache import public_cache
from municipia.organizations.selectors import organization_get
from municipia.strategy.selectors import organization_participations, plan_get, progress_rollup


@xframe_options_exempt
@public_cache
def plan_card(request: HttpRequest, slug: str) -> HttpResponse:
    """A plan's overall progress and each axis's, for a frame on another site."""
    plan = plan_get(request.user, slug=slug)
    axes = list(plan.axes.all())
    progress = progress_rollup([plan.pk])
    return render(
        request,
        "strategy/embed_plan.html",
        {
            "plan": plan,
            "progress": progress.plans.get(plan.pk),
            "axes": [(axis, progress.axes.get(axis.pk)) for axis in axes],
        },
    )


@xframe_options_exempt
@public_cache
def participations_card(request: HttpRequest, slug: str) -> HttpResponse:
    """The network plans and actions a council takes part in, for a frame on its own website."""
    organization = organization_get(slug=slug)
    return render(
        request,
        "strategy/embed_participations.html",
        {"organization": organization, "participations": organization_participations(request.user, organization)},
    )
