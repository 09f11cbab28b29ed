"""Indicators: definitions, baselines, yearly targets, observations, imports and status."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "municipia.indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        # Registers this app's `rules` permissions.
        from municipia.indicators import permissions  # noqa: F401
