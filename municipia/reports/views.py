"""Downloads of plans (open data, status reports), network benchmarking reports and report jobs.

Plans are fetched with `plan_get`, so a plan the visitor may not see answers 404 whatever the
format, exactly like its page. Each view checks, calls a selector or a service, and returns.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.core.exports import csv_response, json_response, xlsx_response
from municipia.core.i18n import current_language
from municipia.indicators.selectors import indicator_get
from municipia.organizations.choices import OrganizationKind
from municipia.organizations.models import Organization
from municipia.reports import services
from municipia.reports.choices import ReportKind
from municipia.reports.documents import (
    action_headers,
    network_benchmark_pdf,
    plan_open_data_sheets,
    plan_status_pdf,
    plan_status_sheets,
)
from municipia.reports.models import ReportJob
from municipia.reports.selectors import action_cells, network_benchmark, plan_action_records
from municipia.reports.stratml import plan_xml
from municipia.strategy.selectors import plan_get

PDF_CONTENT_TYPE = "application/pdf"


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _plan_head(plan) -> dict:
    return {
        "plan": plan.slug,
        "title": plan.title,
        "owner": plan.owner.name,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "status": plan.status,
        "language": current_language(),
    }


def plan_export(request, slug: str, fmt: str):
    """Open data: the plan's actions as CSV, XLSX or JSON (streamed), or the plan as StratML XML."""
    plan = plan_get(request.user, slug=slug)
    stem = f"{plan.slug}-{current_language()}"
    if fmt == "csv":
        rows = (action_cells(record) for record in plan_action_records(plan))
        return csv_response(action_headers(), rows, filename=f"{stem}-actions.csv")
    if fmt == "json":
        return json_response(
            plan_action_records(plan), filename=f"{stem}-actions.json", key="actions", head=_plan_head(plan)
        )
    if fmt == "xlsx":
        return xlsx_response(plan_open_data_sheets(plan), filename=f"{stem}-actions.xlsx")
    if fmt == "xml":
        content = plan_xml(request.user, plan, source_url=request.build_absolute_uri(plan.get_absolute_url()))
        response = HttpResponse(content, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}-stratml.xml"'
        return response
    raise Http404


def plan_status_report(request, slug: str, fmt: str):
    """The plan status report: XLSX at once; PDF at once, or through a background job with a broker."""
    plan = plan_get(request.user, slug=slug)
    if fmt == "xlsx":
        return xlsx_response(
            plan_status_sheets(request.user, plan), filename=f"{plan.slug}-status-{current_language()}.xlsx"
        )
    if settings.REDIS_URL:
        # With workers available, a long render must not hold a web worker: offer a job instead.
        return render(request, "reports/job_request.html", {"plan": plan})
    return _pdf(plan_status_pdf(request.user, plan), f"{plan.slug}-status-{current_language()}.pdf")


@require_POST
def plan_status_job(request, slug: str):
    plan = plan_get(request.user, slug=slug)
    job = services.report_job_create(
        plan=plan, kind=ReportKind.PLAN_STATUS_PDF, language=current_language(), acting_user=request.user
    )
    return redirect("reports:job-detail", pk=job.pk)


def _job_get(request, pk) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.select_related("plan__owner"), pk=pk)
    if not request.user.has_perm("reports.view_reportjob", job):
        # As for plans: a job the visitor may not see is "not found", not "forbidden".
        raise Http404
    return job


def report_job_detail(request, pk):
    job = _job_get(request, pk)
    response = render(request, "reports/job_detail.html", {"job": job})
    if not job.is_finished:
        # The page polls until the report is ready (works without JavaScript).
        response["Refresh"] = "3"
    return response


def report_job_download(request, pk):
    job = _job_get(request, pk)
    if not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), content_type=PDF_CONTENT_TYPE, filename=job.file.name.rsplit("/", 1)[-1])


def network_benchmark_report(request, slug: str):
    """A network's member councils on one shared indicator (?indicator=<id>), as PDF."""
    network = get_object_or_404(Organization, slug=slug, kind=OrganizationKind.NETWORK)
    raw = request.GET.get("indicator", "")
    if not raw.isdigit():
        return HttpResponseBadRequest(_("Choose an indicator: give its number as ?indicator=<id>."))
    indicator = indicator_get(request.user, pk=int(raw))
    benchmark = network_benchmark(network, indicator)
    content = network_benchmark_pdf(benchmark, generated_on=timezone.localdate())
    return _pdf(content, f"{network.slug}-{indicator.code}-benchmark.pdf")
