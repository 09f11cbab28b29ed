"""Indicators: definitions, baselines, yearly targets, observations, imports and status."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "municipia.indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        # Registers this app's `rules` permissions.
        from municipia.core.sections import register_work
        from municipia.indicators import permissions  # noqa: F401
        from municipia.indicators.owed import my_work_indicators

        register_work("indicators", my_work_indicators)
