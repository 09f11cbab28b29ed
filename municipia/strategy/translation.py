"""Translated content fields (django-modeltranslation) and change history registration.

History is registered here, after translation, so that the historical tables also keep every
language's column (the order django-simple-history documents for modeltranslation).
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from municipia.strategy.models import Action, ActionPartner, Axis, Challenge, Milestone, Objective, Plan


@register(Plan)
class PlanTranslation(TranslationOptions):
    fields = ("title", "summary", "vision", "mission")


@register(Axis)
class AxisTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Challenge)
class ChallengeTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Objective)
class ObjectiveTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Action)
class ActionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title",)


register_history(Plan, app=__package__)
register_history(Axis, app=__package__)
register_history(Challenge, app=__package__)
register_history(Objective, app=__package__, m2m_fields=["challenges"])
register_history(Action, app=__package__, m2m_fields=["participants", "dependencies"])
register_history(Milestone, app=__package__)
register_history(ActionPartner, app=__package__)
