"""Diagnosis: questionnaires, campaigns, responses, maturity self-assessment and findings (SWOT)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosisConfig(AppConfig):
    name = "municipia.diagnosis"
    verbose_name = _("Diagnosis")

    def ready(self) -> None:
        # Registers this app's `rules` permissions.
        from municipia.diagnosis import permissions  # noqa: F401
