"""Shared building blocks of every Municipia app."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "municipia.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from municipia.core import signals

        signals.connect()
