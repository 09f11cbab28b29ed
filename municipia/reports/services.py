"""Writes of the reports app: asking for a report job and running it."""

import io
import logging

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from municipia.core.services import signed_in
from municipia.core.visibility import User
from municipia.indicators.models import Indicator
from municipia.indicators.selectors import indicator_get
from municipia.organizations.models import Organization
from municipia.reports.choices import JobStatus, ReportKind
from municipia.reports.documents import network_benchmark_pdf, plan_status_pdf, write_plan_status_xlsx
from municipia.reports.models import ReportJob
from municipia.reports.selectors import network_benchmark_report
from municipia.strategy.models import Plan

logger = logging.getLogger(__name__)


@transaction.atomic
def report_job_create(
    *,
    kind: str,
    language: str,
    acting_user: User | None,
    plan: Plan | None = None,
    network: Organization | None = None,
    indicator: Indicator | None = None,
    council: Organization | None = None,
) -> ReportJob:
    """Records the request and queues its rendering once the transaction commits.

    A plan report needs `plan`; a benchmarking report needs `network` and `indicator` (and
    may highlight one member `council`). The caller has checked that the user may see them.
    """
    from municipia.reports import tasks

    job = ReportJob(
        kind=kind,
        language=language,
        requested_by=signed_in(acting_user),
        plan=plan,
        network=network,
        indicator=indicator,
        council=council,
    )
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: tasks.render_report_job.delay(str(job.pk)))
    return job


def _render(job: ReportJob, user: User) -> tuple[bytes, str]:
    """The job's file and its name, rendered with what `user` may see."""
    plan, network = job.plan, job.network
    if job.kind in (ReportKind.PLAN_STATUS_PDF, ReportKind.PLAN_STATUS_XLSX) and plan is None:
        raise ValueError("A plan report needs its plan")
    if job.kind == ReportKind.PLAN_STATUS_PDF and plan is not None:
        return plan_status_pdf(user, plan), f"{plan.slug}-status-{job.language}.pdf"
    if job.kind == ReportKind.PLAN_STATUS_XLSX and plan is not None:
        buffer = io.BytesIO()
        write_plan_status_xlsx(user, plan, buffer)
        return buffer.getvalue(), f"{plan.slug}-status-{job.language}.xlsx"
    if job.kind == ReportKind.NETWORK_BENCHMARK_PDF:
        if network is None:
            raise ValueError("A benchmarking report needs its network")
        # The requester may have lost sight of a private indicator since asking (404 → failed job).
        indicator = indicator_get(user, pk=job.indicator_id)
        benchmark = network_benchmark_report(network, indicator, council=job.council)
        stem = f"{network.slug}-{indicator.code}-benchmark"
        if job.council is not None:
            stem += f"-{job.council.slug}"
        content = network_benchmark_pdf(benchmark, generated_on=timezone.localdate())
        return content, f"{stem}-{job.language}.pdf"
    raise ValueError(f"Unknown report kind {job.kind}")


def report_job_run(*, job_id: str) -> ReportJob:
    """Renders the job's report into the media storage; a failure is recorded on the job, not raised."""
    job = ReportJob.objects.select_related("plan__owner", "network", "indicator", "council", "requested_by").get(
        pk=job_id
    )
    if job.is_finished:
        return job
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    # The report shows what its requester may see (indicators may be private).
    user = job.requested_by or AnonymousUser()
    try:
        with translation.override(job.language):
            content, filename = _render(job, user)
        job.file.save(filename, ContentFile(content), save=False)
        job.status = JobStatus.DONE
        job.error = ""
    except Exception as exc:  # noqa: BLE001 - any failure is shown on the job's page
        logger.exception("Report job %s failed", job.pk)
        job.status = JobStatus.FAILED
        job.error = (str(exc) or type(exc).__name__)[:2000]
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "error", "finished_at"])
    return job
