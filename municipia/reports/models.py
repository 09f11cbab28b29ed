"""A report rendered in the background (when Celery has a broker) and kept in the media storage."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from municipia.reports.choices import JobStatus, ReportKind
from municipia.strategy.models import Plan


class ReportJob(models.Model):
    """One request for a long report: who asked, in which language, and the file once rendered.

    The id is a UUID so that a job's page cannot be found by counting; it is still shown only
    to those who may see the plan.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="report_jobs", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=30, choices=ReportKind.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING, db_index=True
    )
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.plan_id} · {self.language} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
