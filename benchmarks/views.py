"""The bare reference view: Django's request cycle and one SQL query, without templates or DRF."""

from django.http import HttpResponse

from municipia.strategy.models import Action


def bare(request):
    """One page of a published plan's actions, joined with their plan and objective, as plain text.

    The same single query, in work, as the main query of the plan page and of the action lists:
    the benchmark compares their throughput with this view's.
    """
    rows = (
        Action.objects.filter(plan__slug=request.GET.get("plan", ""), plan__is_published=True)
        .order_by("code")
        .values_list("pk", "code", "title_en", "status", "progress", "plan__title_en", "objective__code")[:50]
    )
    return HttpResponse("\n".join("\t".join(map(str, row)) for row in rows), content_type="text/plain; charset=utf-8")
