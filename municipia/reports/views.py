"""Downloads of plans (open data, status reports), network benchmarking reports and report jobs.

Plans are fetched with `plan_get` and indicators with `indicator_get`, so a plan or indicator
the visitor may not see answers 404 whatever the format, exactly like its page. Each view
checks, calls a selector or a service, and returns. With a Celery broker (REDIS_URL), the
long reports (status PDF and XLSX, benchmarking PDF) are offered as background jobs instead.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.core.exports import csv_response, json_response, xlsx_response
from municipia.core.i18n import current_language
from municipia.organizations.choices import OrganizationKind
from municipia.organizations.selectors import organization_find
from municipia.reports import services
from municipia.reports.choices import ReportKind
from municipia.reports.documents import (
    action_headers,
    network_benchmark_pdf,
    network_benchmark_sheets,
    plan_open_data_sheets,
    plan_status_pdf,
    plan_status_sheets,
)
from municipia.reports.models import PDF_CONTENT_TYPE, ReportJob
from municipia.reports.selectors import (
    BenchmarkRequest,
    BenchmarkRequestError,
    action_cells,
    benchmark_request,
    network_benchmark_report,
    plan_action_records,
)
from municipia.reports.stratml import plan_xml
from municipia.strategy.selectors import plan_get

STATUS_JOB_KINDS = {"pdf": ReportKind.PLAN_STATUS_PDF, "xlsx": ReportKind.PLAN_STATUS_XLSX}


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _bad_request(message: str) -> HttpResponseBadRequest:
    # Plain text: the message may quote what the visitor typed.
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


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


def _job_request(request, *, kind: str, subject: str, action: str, fields: dict, back_url: str):
    """The page offering a background job (with a broker, a long render must not hold a web worker)."""
    context = {
        "title": ReportKind(kind).label,
        "subject": subject,
        "action": action,
        "fields": {name: value for name, value in fields.items() if value},
        "back_url": back_url,
    }
    return render(request, "reports/job_request.html", context)


def plan_status_report(request, slug: str, fmt: str):
    """The plan status report (PDF or XLSX) at once, or through a background job with a broker."""
    plan = plan_get(request.user, slug=slug)
    if settings.REDIS_URL:
        return _job_request(
            request,
            kind=STATUS_JOB_KINDS[fmt],
            subject=plan.title,
            action=reverse("reports:plan-status-job", args=[plan.slug]),
            fields={"format": fmt},
            back_url=plan.get_absolute_url(),
        )
    if fmt == "xlsx":
        return xlsx_response(
            plan_status_sheets(request.user, plan), filename=f"{plan.slug}-status-{current_language()}.xlsx"
        )
    return _pdf(plan_status_pdf(request.user, plan), f"{plan.slug}-status-{current_language()}.pdf")


@require_POST
def plan_status_job(request, slug: str):
    plan = plan_get(request.user, slug=slug)
    kind = STATUS_JOB_KINDS.get(request.POST.get("format") or "pdf")
    if kind is None:
        return _bad_request(_("format: choose pdf or xlsx."))
    job = services.report_job_create(plan=plan, kind=kind, language=current_language(), acting_user=request.user)
    return redirect(job)


def _benchmark_page_url(network, chosen: BenchmarkRequest) -> str:
    url = reverse("indicators:indicator-benchmark", kwargs={"pk": chosen.indicator.pk, "network": network.slug})
    return f"{url}?council={chosen.council.slug}" if chosen.council else url


def network_benchmark_report_view(request, slug: str, fmt: str):
    """A network's member councils on one indicator (?indicator=<id>, optional ?council=<member slug>).

    The figures are those of the indicator's benchmark page (`indicators.benchmarking`): peer
    groups by population, ranks, median and quartiles, and the highlighted council's position.
    """
    network = organization_find(slug=slug, kind=OrganizationKind.NETWORK)
    try:
        chosen = benchmark_request(request.user, network, request.GET)
    except BenchmarkRequestError as exc:
        return _bad_request(str(exc))
    if fmt == "pdf" and settings.REDIS_URL:
        return _job_request(
            request,
            kind=ReportKind.NETWORK_BENCHMARK_PDF,
            subject=f"{network.name} · {chosen.indicator.code} · {chosen.indicator.name}",
            action=reverse("reports:network-benchmark-job", args=[network.slug]),
            fields={"indicator": chosen.indicator.pk, "council": chosen.council.slug if chosen.council else ""},
            back_url=_benchmark_page_url(network, chosen),
        )
    benchmark = network_benchmark_report(network, chosen.indicator, council=chosen.council)
    today = timezone.localdate()
    stem = f"{network.slug}-{chosen.indicator.code}-benchmark-{current_language()}"
    if fmt == "xlsx":
        return xlsx_response(network_benchmark_sheets(benchmark, generated_on=today), filename=f"{stem}.xlsx")
    return _pdf(network_benchmark_pdf(benchmark, generated_on=today), f"{stem}.pdf")


@require_POST
def network_benchmark_job(request, slug: str):
    network = organization_find(slug=slug, kind=OrganizationKind.NETWORK)
    try:
        chosen = benchmark_request(request.user, network, request.POST)
    except BenchmarkRequestError as exc:
        return _bad_request(str(exc))
    job = services.report_job_create(
        kind=ReportKind.NETWORK_BENCHMARK_PDF,
        language=current_language(),
        acting_user=request.user,
        network=network,
        indicator=chosen.indicator,
        council=chosen.council,
    )
    return redirect(job)


def _job_get(request, pk) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.select_related("plan", "network", "indicator", "council"), pk=pk)
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
    return FileResponse(job.file.open("rb"), content_type=job.content_type, filename=job.file.name.rsplit("/", 1)[-1])
