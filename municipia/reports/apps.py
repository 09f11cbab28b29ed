"""Reports: plan status reports (PDF, XLSX), network benchmarking, open-data exports and background jobs."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "municipia.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Registers this app's `rules` permissions.
        from municipia.reports import permissions  # noqa: F401
