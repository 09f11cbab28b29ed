"""Choice lists of the indicators app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from municipia.strategy.choices import ComputedStatus


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every six months")
    YEARLY = "yearly", _("Yearly")
    BIENNIAL = "biennial", _("Every two years")


# Months between two expected observations; staleness is measured against it (see status.py).
FREQUENCY_MONTHS: dict[str, int] = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
    Frequency.BIENNIAL: 24,
}


class IndicatorStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NO_TARGET = "no_target", _("No target")
    NO_DATA = "no_data", _("No data")


class Trend(models.TextChoices):
    UP = "up", _("Up")
    DOWN = "down", _("Down")
    FLAT = "flat", _("Flat")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    IMPORTED = "imported", _("Imported")


# How an action is doing: one status model, defined by the strategy app (strategy/status.py).
ActionHealth = ComputedStatus
