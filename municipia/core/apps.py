"""Shared building blocks of every Municipia app."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "municipia.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from municipia.core import signals

        signals.connect()
        # Every app's entity declarations (municipia.core.entities), so the registry and the
        # `view_*` permissions they define are complete before the first request or test.
        autodiscover_modules("entities")
