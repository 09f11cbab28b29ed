"""Background jobs of the reports app (Celery with REDIS_URL; run in-process without it)."""

from celery import shared_task

from municipia.reports import services


@shared_task(name="municipia.reports.tasks.render_report_job")
def render_report_job(job_id: str) -> str:
    """Renders one report job; returns its final status."""
    return services.report_job_run(job_id=job_id).status
