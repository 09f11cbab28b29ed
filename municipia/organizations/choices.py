"""Choice lists of the organizations app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    NETWORK = "network", _("Network of municipalities")
    PARTNER = "partner", _("Partner organisation")
    PUBLIC_BODY = "public_body", _("Other public body")


class Country(models.TextChoices):
    SPAIN = "ES", _("Spain")
    BULGARIA = "BG", _("Bulgaria")


class RoleKind(models.TextChoices):
    EDITOR = "editor", _("Editor")
    COORDINATOR = "coordinator", _("Network coordinator")
