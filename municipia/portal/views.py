"""The public home page and the site-wide search."""

from django.shortcuts import render

from municipia.core import search as site_search
from municipia.core.cache import public_cache
from municipia.core.views import paginate
from municipia.organizations.selectors import network_list
from municipia.strategy.selectors import plans_visible_to, progress_rollup

HOME_PLANS = 12
HOME_NETWORKS = 12


@public_cache
def home(request):
    # Capped lists keep the page's cost the same however many plans and networks there are.
    plans = list(plans_visible_to(request.user).filter(is_published=True).select_related("owner")[:HOME_PLANS])
    progress = progress_rollup([plan.pk for plan in plans])
    networks = list(network_list().order_by("name")[:HOME_NETWORKS])
    context = {
        "plans": [(plan, progress.plans.get(plan.pk)) for plan in plans],
        "networks": networks,
    }
    return render(request, "portal/home.html", context)


SEARCH_PER_KIND = 5


def search(request):
    """The site-wide search: the best matches of each kind the reader may see, or one kind in full.

    Not publicly cached: searches rarely repeat, and each costs a few indexed queries.
    """
    text = request.GET.get("search", "").strip()[: site_search.MAX_LENGTH]
    spec = site_search.SEARCHABLES.get(request.GET.get("kind", ""))
    context: dict = {"text": text, "kinds": site_search.SEARCHABLES.values(), "spec": spec}
    if spec is not None and text:
        page = paginate(request, site_search.search_filter(site_search.visible_objects(spec, request.user), text))
        context.update(page=page, results=[(obj, spec.describe(obj)) for obj in page.object_list])
    elif text:
        groups = site_search.site_search(request.user, text, per_kind=SEARCH_PER_KIND)
        context["groups"] = groups
        context["grouped"] = [(group, [(obj, group.spec.describe(obj)) for obj in group.objects]) for group in groups]
    return render(request, "portal/search.html", context)
