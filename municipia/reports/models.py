"""A report rendered in the background (when Celery has a broker) and kept in the media storage."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from municipia.indicators.models import Indicator
from municipia.organizations.models import Organization
from municipia.reports.choices import BENCHMARK_KINDS, PLAN_KINDS, XLSX_KINDS, JobStatus, ReportKind
from municipia.strategy.models import Plan

PDF_CONTENT_TYPE = "application/pdf"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportJob(models.Model):
    """One request for a long report: who asked, in which language, about what, and the file once rendered.

    A job is about one plan (the status reports) or one indicator across one network (the
    benchmarking report, optionally highlighting one member council). The id is a UUID so that
    a job's page cannot be found by counting; it is still shown only to those who may see
    its subject (see permissions.py).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="report_jobs", verbose_name=_("plan")
    )
    network = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("network"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("indicator")
    )
    council = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("highlighted council"),
    )
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
        constraints = [
            models.CheckConstraint(
                name="reportjob_subject_matches_kind",
                condition=(
                    Q(
                        kind__in=[str(kind) for kind in PLAN_KINDS],
                        plan__isnull=False,
                        network__isnull=True,
                        indicator__isnull=True,
                        council__isnull=True,
                    )
                    | Q(
                        kind__in=[str(kind) for kind in BENCHMARK_KINDS],
                        plan__isnull=True,
                        network__isnull=False,
                        indicator__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject_title} · {self.language} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("reports:job-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.kind in PLAN_KINDS:
            if self.plan_id is None:
                errors["plan"] = _("Choose the plan the report is about.")
            for name in ("network", "indicator", "council"):
                if getattr(self, f"{name}_id") is not None:
                    errors[name] = _("A plan report is about its plan only.")
        elif self.kind in BENCHMARK_KINDS:
            if self.network_id is None:
                errors["network"] = _("Choose the network the report compares.")
            if self.indicator_id is None:
                errors["indicator"] = _("Choose the indicator the report compares.")
            if self.plan_id is not None:
                errors["plan"] = _("A benchmarking report is about a network, not a plan.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def is_benchmark(self) -> bool:
        return self.kind in BENCHMARK_KINDS

    @property
    def content_type(self) -> str:
        return XLSX_CONTENT_TYPE if self.kind in XLSX_KINDS else PDF_CONTENT_TYPE

    @property
    def subject_title(self) -> str:
        """What the report is about, for its page and the admin (its relations must be loaded)."""
        if self.is_benchmark:
            parts = [str(self.network), str(self.indicator)]
            if self.council_id:
                parts.append(str(self.council))
            return " · ".join(parts)
        return str(self.plan.title) if self.plan_id else ""

    @property
    def subject_url(self) -> str:
        """The page the report comes from: the plan's, or the indicator's benchmark over the network."""
        if self.is_benchmark:
            url = reverse(
                "indicators:indicator-benchmark", kwargs={"pk": self.indicator_id, "network": self.network.slug}
            )
            return f"{url}?council={self.council.slug}" if self.council_id else url
        return self.plan.get_absolute_url() if self.plan_id else ""
