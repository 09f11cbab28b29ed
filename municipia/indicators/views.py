"""Pages of indicators and the import of observation files (upload → preview → confirm).

Each view checks the permission (`require_perm` / `EditorView`), calls a selector or a service,
and renders. Indicators are fetched through selectors scoped to what the user may see.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from municipia.core.cache import content_version, public_cache, shared_fragment
from municipia.core.i18n import language_codes
from municipia.core.links import reverse_many
from municipia.core.views import EditorView, paginate
from municipia.indicators import figures, importer, monitoring, services
from municipia.indicators.benchmarking import network_benchmark, networks_of_owner
from municipia.indicators.choices import ImportStatus, IndicatorStatus
from municipia.indicators.filters import IndicatorFilter, ObservationFilter
from municipia.indicators.forms import ObservationUploadForm
from municipia.indicators.models import Indicator, ObservationImport
from municipia.indicators.selectors import (
    indicator_get,
    indicator_history,
    indicator_imports,
    indicator_list,
    indicator_observations,
    indicator_page,
    indicator_series,
    indicator_status,
    indicator_visibility,
)
from municipia.organizations.choices import OrganizationKind
from municipia.organizations.selectors import organization_find
from municipia.strategy.entities import PLAN
from municipia.strategy.selectors import plan_get

PLAN_OPTIONS_MAX = 100
OBSERVATIONS_PER_PAGE = 50
BENCHMARK_ROWS_PER_PAGE = 100
# The order status counts are shown in, worst first.
STATUS_ORDER = [
    IndicatorStatus.OFF_TRACK,
    IndicatorStatus.AT_RISK,
    IndicatorStatus.ON_TRACK,
    IndicatorStatus.NO_TARGET,
    IndicatorStatus.NO_DATA,
]


def _plan_options(request, filterset) -> dict:
    """The plan drop-down: every visible plan while there are few, else only the chosen one."""
    plans = PLAN.visible(request.user).order_by("title_en", "pk")
    truncated = plans[PLAN_OPTIONS_MAX : PLAN_OPTIONS_MAX + 1].exists()
    selected = getattr(filterset.form, "cleaned_data", {}).get("plan")
    if truncated:
        options = [selected] if selected else []
    else:
        options = list(plans.only("pk", "slug", *[f"title_{c}" for c in language_codes()]))
    return {"plan_options": options, "selected_plan": selected}


@public_cache
def indicator_list_view(request):
    queryset = indicator_list(request.user)
    filterset = IndicatorFilter(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound:
        indicators = filterset.qs if filterset.is_valid() else Indicator.objects.none()
    else:
        indicators = queryset
    page = paginate(request, indicators)
    page.object_list = list(page.object_list)
    table = indicator_status(page.object_list)
    detail_url = reverse_many("indicators:indicator-detail")
    labels = dict(IndicatorStatus.choices)
    rows = []
    for indicator in page.object_list:
        counts = table.counts(indicator.pk)
        rows.append(
            {
                "indicator": indicator,
                "url": detail_url(indicator.pk),
                "counts": [(status, labels[status], counts[status]) for status in STATUS_ORDER if counts.get(status)],
                "stale": table.stale_count(indicator.pk),
            }
        )
    context = {
        "filterset": filterset,
        "page": page,
        "rows": rows,
        "can_import": request.user.has_perm("indicators.import_observations"),
        **_plan_options(request, filterset),
    }
    return render(request, "indicators/indicator_list.html", context)


@public_cache
def indicator_detail(request, pk):
    indicator = indicator_get(request.user, pk=pk)
    page = indicator_page(request.user, indicator)
    observations = indicator_observations(indicator)
    filterset = ObservationFilter(request.GET or None, queryset=observations, request=request)
    if filterset.is_bound and filterset.is_valid():
        observations = filterset.qs
    observation_page = paginate(request, observations, OBSERVATIONS_PER_PAGE)
    chosen = next(
        (row.organization for row in page.rows if row.organization.slug == request.GET.get("organization")), None
    )
    context = {
        "indicator": indicator,
        "page": page,
        "figure": figures.indicator_page_chart(
            page, indicator_series(indicator, organization_ids=[chosen.pk] if chosen else None), chosen
        ),
        "chosen_organization": chosen,
        "networks": networks_of_owner(indicator),
        "observation_page": observation_page,
        "filterset": filterset,
        "organization_options": [row.organization for row in page.rows],
        "can_edit": request.user.has_perm("indicators.change_indicator", indicator),
        "can_import": request.user.has_perm("indicators.import_observations"),
    }
    if context["can_edit"]:  # who changed the indicator, its baselines and targets, and imported values
        context["history"] = indicator_history(indicator)
        context["imports"] = indicator_imports(indicator)
    return render(request, "indicators/indicator_detail.html", context)


def _content_parts(request: HttpRequest, *extra: object) -> list[object]:
    """What the main content of the heavy pages below depends on, besides `extra` (shared_fragment's parts).

    They judge every indicator for every member of a network; the status they are made from is
    cached apart, on the indicators' own versions (selectors.status_parts), so an unrelated edit
    (which moves the content version) costs a new rendering, not a new computation.
    """
    return [request.get_full_path(), get_language(), timezone.localdate().isoformat(), content_version(), *extra]


# Signed-in plain readers share these two pages with each other (`readers=True`): which indicators a
# reader sees depends only on their roles (indicator_visibility), and a plain reader has none, so the
# page is the same for all of them; nothing else of the reader's own is shown but the account menu.
@public_cache(readers=True)
def plan_dashboard(request, slug):
    plan = plan_get(request.user, slug=slug)

    def render_content() -> str:
        dashboard = monitoring.plan_dashboard(request.user, plan)
        context = {
            "plan": plan,
            "dashboard": dashboard,
            "axis_chart": figures.axis_progress_chart(dashboard),
            "health_chart": figures.action_health_chart(dashboard),
            "indicator_chart": figures.indicator_status_chart(dashboard),
            "indicator_statuses": [(status, label) for status, label in IndicatorStatus.choices],
            "stale_action_days": monitoring.STALE_ACTION_DAYS,
        }
        return render_to_string("indicators/_dashboard_content.html", context, request)

    # Which indicators the reader may see is all that differs between readers.
    visibility = indicator_visibility(request.user)
    content = shared_fragment("indicators-dashboard", _content_parts(request, plan.pk, visibility), render_content)
    return render(request, "indicators/plan_dashboard.html", {"plan": plan, "content": content})


@public_cache(readers=True)
def indicator_benchmark(request, pk, network):
    indicator = indicator_get(request.user, pk=pk)
    network = organization_find(slug=network, kind=OrganizationKind.NETWORK)

    def render_content() -> str:
        benchmark = network_benchmark(indicator, network, council=request.GET.get("council") or None)
        context = {
            "indicator": indicator,
            "network": network,
            "benchmark": benchmark,
            "chart": figures.benchmark_chart(benchmark),
            "chart_rows": figures.BENCHMARK_CHART_ROWS,
            "rows_page": paginate(request, benchmark.rows, BENCHMARK_ROWS_PER_PAGE),
            "members": sorted((row.organization for row in benchmark.rows), key=lambda org: str(org.name)),
        }
        return render_to_string("indicators/_benchmark_content.html", context, request)

    # Whoever may see the indicator (checked above) sees the same benchmark.
    parts = _content_parts(request, indicator.pk, network.pk)
    content = shared_fragment("indicators-benchmark", parts, render_content)
    context = {"indicator": indicator, "network": network, "content": content}
    return render(request, "indicators/indicator_benchmark.html", context)


# --- Import: upload → preview → confirm


class ObservationUploadView(EditorView):
    """Upload of a CSV/XLSX file; the file is kept (ObservationImport) and the preview shown next.

    Hand-written: the first step of the import workflow (upload → preview → confirm), not an
    entity's create page; whose rows may be recorded is checked row by row later.
    """

    permission = "indicators.import_observations"
    template_name = "indicators/observation_upload.html"

    def load(self, **kwargs):
        return None

    def get(self, request):
        return render(request, self.template_name, {"form": ObservationUploadForm()})

    def post(self, request):
        form = ObservationUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        kept = services.upload_keep(
            acting_user=request.user, name=upload.name, content=upload.read(), replace=form.cleaned_data["replace"]
        )
        return HttpResponseRedirect(reverse("indicators:observation-import-preview", kwargs={"pk": kept.pk}))


class ObservationImportPreviewView(EditorView):
    """What the kept file would import, with every bad row; POST imports it (or discards it).

    Hand-written: the import's preview and confirmation step (only the uploader sees the file).
    """

    permission = "indicators.import_observations"
    template_name = "indicators/observation_preview.html"

    def load(self, pk):
        # Only the person who uploaded a file sees it; anyone else gets "not found".
        self.upload = ObservationImport.objects.filter(
            pk=pk, created_by_id=self.request.user.pk, status=ImportStatus.PENDING
        ).first()
        if self.request.user.is_authenticated and self.upload is None:
            raise Http404
        return None

    def render_preview(self, check: importer.CheckResult, status: int = 200):
        context = {
            "upload": self.upload,
            "check": check,
            "new_count": len(check.rows) - check.replace_count,
            "file_errors": [e for e in check.errors if e.row == 0],
            "row_errors": [e for e in check.errors if e.row != 0],
            "error_rows": check.errors.rows,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        check = importer.check_file(
            name=self.upload.file_name,
            content=bytes(self.upload.content),
            acting_user=request.user,
            replace=self.upload.replace,
        )
        return self.render_preview(check)

    def post(self, request, pk):
        if request.POST.get("discard"):
            services.upload_discard(acting_user=request.user, upload=self.upload)
            messages.info(request, _("The file was discarded; nothing was imported."))
            return HttpResponseRedirect(reverse("indicators:observation-import"))
        outcome = services.upload_confirm(acting_user=request.user, upload=self.upload)
        if not outcome.ok:
            # The data changed since the preview (another import, say): show why, import nothing.
            return self.render_preview(outcome.check, status=400)
        messages.success(
            request,
            ngettext(
                "%(count)s observation imported (%(replaced)s replaced).",
                "%(count)s observations imported (%(replaced)s replaced).",
                outcome.created + outcome.replaced,
            )
            % {"count": outcome.created + outcome.replaced, "replaced": outcome.replaced},
        )
        return HttpResponseRedirect(reverse("indicators:indicator-list"))
