"""Writes of the reports app: asking for a report job and running it."""

import logging

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from municipia.reports.choices import JobStatus, ReportKind
from municipia.reports.documents import plan_status_pdf
from municipia.reports.models import ReportJob
from municipia.strategy.models import Plan

logger = logging.getLogger(__name__)


@transaction.atomic
def report_job_create(*, plan: Plan, kind: str, language: str, acting_user) -> ReportJob:
    """Records the request and queues its rendering once the transaction commits."""
    from municipia.reports import tasks

    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    job = ReportJob(plan=plan, kind=kind, language=language, requested_by=user)
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: tasks.render_report_job.delay(str(job.pk)))
    return job


def report_job_run(*, job_id: str) -> ReportJob:
    """Renders the job's report into the media storage; a failure is recorded on the job, not raised."""
    job = ReportJob.objects.select_related("plan__owner", "requested_by").get(pk=job_id)
    if job.is_finished:
        return job
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    # The report shows what its requester may see (indicators may be private).
    user = job.requested_by or AnonymousUser()
    try:
        with translation.override(job.language):
            if job.kind != ReportKind.PLAN_STATUS_PDF:
                raise ValueError(f"Unknown report kind {job.kind}")
            content = plan_status_pdf(user, job.plan)
        job.file.save(f"{job.plan.slug}-status-{job.language}.pdf", ContentFile(content), save=False)
        job.status = JobStatus.DONE
        job.error = ""
    except Exception as exc:  # noqa: BLE001 - any failure is shown on the job's page
        logger.exception("Report job %s failed", job.pk)
        job.status = JobStatus.FAILED
        job.error = str(exc)[:2000]
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "error", "finished_at"])
    return job
