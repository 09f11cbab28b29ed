"""The public site's shell: base templates, home page, navigation."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "municipia.portal"
    verbose_name = _("Portal")
