"""Choices of the alignment app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemLevel(models.TextChoices):
    """What an item of a framework is; each framework uses its own words for its levels."""

    GOAL = "goal", _("goal")
    TARGET = "target", _("target")
    INDICATOR = "indicator", _("indicator")
    PILLAR = "pillar", _("pillar")
    LEVER = "lever", _("lever")
    COMPONENT = "component", _("component")
    CHAPTER = "chapter", _("chapter")
    PRINCIPLE = "principle", _("principle")
    AREA = "area", _("area")
    THEMATIC_OBJECTIVE = "thematic_objective", _("thematic objective")
    AXIS = "axis", _("axis")
    OTHER = "other", _("other")


class ElementKind(models.TextChoices):
    """What can be aligned: the plan's elements and indicators."""

    PLAN = "plan", _("plan")
    AXIS = "axis", _("axis")
    OBJECTIVE = "objective", _("strategic objective")
    ACTION = "action", _("action")
    INDICATOR = "indicator", _("indicator")


SUGGESTION_LANGUAGES = ("en", "es", "ca", "bg")
