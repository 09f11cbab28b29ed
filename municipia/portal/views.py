"""The public home page, the site-wide search, the accessibility statement, the open-data licence
and a signed-in person's "My work"."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from municipia.core import search as site_search
from municipia.core.cache import public_cache
from municipia.core.exports import DATA_LICENCE_NAME, DATA_LICENCE_URL
from municipia.core.sections import work_lists
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


@public_cache
def accessibility(request):
    """The accessibility statement: the standard aimed at, how it is checked, what is known not to meet it."""
    return render(request, "portal/accessibility.html")


@public_cache
def open_data(request):
    """Under which licence the published data may be reused, and where to get it."""
    return render(
        request, "portal/open_data.html", {"licence_name": DATA_LICENCE_NAME, "licence_url": DATA_LICENCE_URL}
    )


@login_required
def my_work(request):
    """What the signed-in user owes, from every app that registered a list (core.sections.register_work):
    actions needing an update, meetings and minutes, overdue tasks, indicator values, evaluations,
    commitments. Hand-written: it is no entity's page but a page of the person."""
    lists = work_lists(request.user)
    return render(request, "portal/my_work.html", {"lists": lists, "total": sum(w.total for w in lists)})


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
