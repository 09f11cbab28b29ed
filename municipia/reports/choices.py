"""Choice lists of the reports app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    PLAN_STATUS_PDF = "plan_status_pdf", _("Plan status report (PDF)")
    PLAN_STATUS_XLSX = "plan_status_xlsx", _("Plan status report (XLSX)")
    NETWORK_BENCHMARK_PDF = "network_benchmark_pdf", _("Network benchmarking report (PDF)")


# Kinds about one plan, and kinds about one indicator across one network.
PLAN_KINDS = (ReportKind.PLAN_STATUS_PDF, ReportKind.PLAN_STATUS_XLSX)
BENCHMARK_KINDS = (ReportKind.NETWORK_BENCHMARK_PDF,)
XLSX_KINDS = (ReportKind.PLAN_STATUS_XLSX,)


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
