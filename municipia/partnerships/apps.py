"""Partnerships: agreements and their commitments, verified information and news."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "municipia.partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        # Registers this app's `rules` permissions (the entities register the `view_*` ones).
        from municipia.core.sections import register_work
        from municipia.partnerships import permissions  # noqa: F401
        from municipia.partnerships.selectors import my_work_commitments

        register_work("partnerships", my_work_commitments)
